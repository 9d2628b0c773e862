/**
 * Time-of-day profiles for the kinds that have no real series in the city bundle.
 * The road-traffic profile is measured; the bicycle and Wi-Fi profiles are synthetic.
 */
import type { DayType } from './source-calendar'

/**
 * Share of a day's vehicles in each local hour (sums to 1), averaged over every loop-day of the real
 * counts file (spire_conteggi_2024-01_04, 3,316 loop-days with ≥ 200 vehicles; holidays as Sundays).
 * Re-checked in daily-profiles.test.ts against the 3,280 loop-days the counts reader keeps (it refuses
 * the 36 rows of the second code of id_uni 296).
 */
export const ROAD_TRAFFIC_PROFILE: Record<DayType, readonly number[]> = {
  weekday: [
    0.0103, 0.0046, 0.0023, 0.0019, 0.0032, 0.007, 0.0199, 0.0641, 0.0784, 0.0641, 0.0565, 0.0568, 0.0579, 0.0571, 0.0592,
    0.0595, 0.0687, 0.0747, 0.0749, 0.066, 0.046, 0.0248, 0.021, 0.0208,
  ],
  saturday: [
    0.0233, 0.0151, 0.0087, 0.0058, 0.0056, 0.0075, 0.0139, 0.0319, 0.0449, 0.0569, 0.0675, 0.0718, 0.0749, 0.0621, 0.0535,
    0.0587, 0.061, 0.0636, 0.0645, 0.0646, 0.0523, 0.0309, 0.028, 0.0328,
  ],
  sunday: [
    0.0329, 0.022, 0.0138, 0.0087, 0.007, 0.0066, 0.01, 0.0154, 0.025, 0.0432, 0.0593, 0.0712, 0.0766, 0.0558, 0.054, 0.067,
    0.0724, 0.0782, 0.0735, 0.0678, 0.0546, 0.0341, 0.0285, 0.0224,
  ],
}

/** Value of an hourly profile at `hourOfDay` (fractional), interpolated between hour centres, wrapping at midnight. */
export function profileAt(profile: readonly number[], hourOfDay: number): number {
  const x = hourOfDay - 0.5
  const i = Math.floor(x)
  const f = x - i
  const a = profile[((i % 24) + 24) % 24] ?? 0
  const b = profile[(((i + 1) % 24) + 24) % 24] ?? 0
  return a + (b - a) * f
}

function gauss(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma
  return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI))
}

/**
 * SYNTHETIC commuter cycling profile (no bicycle counts are in the bundle): bicycles per hour as a
 * share of the day's total. Working days: a morning peak at 08:15 (σ 0.9 h, 35 %), a wider evening
 * peak at 17:45 (σ 1.4 h, 40 %) and a daytime plateau 07–21 (25 %). Weekends: one broad hump
 * centred at 15:00 (σ 3 h). Shape chosen to resemble published urban counter curves; not measured.
 */
export function bikeShare(dayType: DayType, hourOfDay: number): number {
  if (dayType === 'weekday') {
    const plateau = hourOfDay >= 7 && hourOfDay < 21 ? 1 / 14 : 0
    return 0.35 * gauss(hourOfDay, 8.25, 0.9) + 0.4 * gauss(hourOfDay, 17.75, 1.4) + 0.25 * plateau
  }
  return gauss(hourOfDay, 15, 3)
}

/**
 * SYNTHETIC public Wi-Fi occupancy (fraction of the access point's peak clients) by local hour:
 * near-empty at night, rising from 07:00, a plateau from late morning, the peak 17–20, evening tail.
 */
export const WIFI_CLIENTS_PROFILE: readonly number[] = [
  0.12, 0.08, 0.05, 0.04, 0.04, 0.05, 0.1, 0.25, 0.45, 0.55, 0.62, 0.7, 0.78, 0.75, 0.72, 0.75, 0.82, 0.92, 1, 0.95, 0.8, 0.6,
  0.4, 0.22,
]
