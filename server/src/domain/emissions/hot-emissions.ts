/**
 * Hot exhaust emissions of road traffic from vehicle-km and speed (ADR 0009, docs/scenarios.md, "The
 * emission model"): the COPERT approach — an emission factor per vehicle-km that depends on the mean
 * speed of the link (EMEP/EEA Guidebook 2023, 1.A.3.b.i–iv, Tier 3) — with one fleet-average curve
 * per pollutant for the urban car-dominated fleet instead of COPERT's per-category tables:
 *
 *   EF(v) = a + b / v + c · v²      (g/vkm; v the link's mean speed in km/h, clamped to 5 … 130)
 *
 * The coefficients are a least-squares fit to indicative anchor points of an Italian urban fleet mix
 * around 2024 (petrol, diesel, hybrid passenger cars with some light commercial vehicles: ≈ 290 g CO₂/km
 * at 10 km/h, ≈ 150 at 50, a minimum near 70 km/h, rising again on motorways; NOₓ and exhaust PM2.5
 * likewise U-shaped), within ±10 % of each anchor — see the table in docs/scenarios.md. They are a
 * documented assumption, not the city's inventory: a city that has its registered fleet replaces them
 * with COPERT's tables per category (the shape of this module stays). Cold starts, evaporation, tyre and
 * brake wear are not included. Pure.
 */

export const POLLUTANTS = ['co2', 'nox', 'pm25'] as const
export type Pollutant = (typeof POLLUTANTS)[number]

export interface EmissionCurve {
  a: number
  b: number
  c: number
}

/** g per vehicle-km, fleet average. */
export const FLEET_CURVES: Readonly<Record<Pollutant, EmissionCurve>> = {
  co2: { a: 105.31, b: 1936.3, c: 3.2053e-3 },
  nox: { a: 0.19024, b: 3.7926, c: 1.3659e-5 },
  pm25: { a: 4.3588e-3, b: 0.1635, c: 2.7208e-7 },
}

export const MIN_SPEED_KMH = 5
export const MAX_SPEED_KMH = 130

/** Emission factor, g/vkm, at a mean speed. */
export function emissionFactor(p: Pollutant, speedKmh: number, curves: Readonly<Record<Pollutant, EmissionCurve>> = FLEET_CURVES): number {
  const v = Math.min(MAX_SPEED_KMH, Math.max(MIN_SPEED_KMH, Number.isFinite(speedKmh) ? speedKmh : MIN_SPEED_KMH))
  const k = curves[p]
  return k.a + k.b / v + k.c * v * v
}

export type Emissions = Record<Pollutant, number>

/** Grams emitted by `flowVehH` vehicles in an hour over a link of `lengthM` traversed in `timeS`. */
export function linkEmissions(flowVehH: number, lengthM: number, timeS: number, out: Emissions = { co2: 0, nox: 0, pm25: 0 }): Emissions {
  if (!(flowVehH > 0) || !(lengthM > 0)) return out
  const vkm = (flowVehH * lengthM) / 1000
  const speed = timeS > 0 ? (lengthM / timeS) * 3.6 : MAX_SPEED_KMH
  for (const p of POLLUTANTS) out[p] += vkm * emissionFactor(p, speed)
  return out
}
