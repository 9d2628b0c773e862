/**
 * Thresholds that turn a live value into an abnormal state. Every number here is documented in
 * docs/ui.md ("Thresholds"); change both together.
 */

/**
 * Traffic loops (one lane, 1-minute aggregate). Occupancy is the share of time a vehicle is over the
 * loop: on urban arterials flow breaks down around 20–25 % and a standing queue shows 40 % and more.
 * Speed only counts when the lane is busy, so one slow car at night is not "congestion".
 */
export const TRAFFIC_THRESHOLDS = {
  heavyOccupancyPct: 25,
  congestedOccupancyPct: 40,
  slowSpeedKmh: 20,
  crawlSpeedKmh: 10,
  /** Below this occupancy a low speed is not judged. */
  speedMinOccupancyPct: 10,
} as const

export type Pollutant = 'no2' | 'o3' | 'co' | 'ch4' | 'pm10' | 'pm25'

export interface PollutantThresholds {
  /** µg/m³, strictly above → medium ("approaching the limit"). */
  medium: number
  /** µg/m³, strictly above → high (legal limit / information threshold exceeded). */
  high: number
  /** µg/m³, strictly above → critical (alert threshold, or twice the limit where the law has none). */
  critical: number
  /** The reference line drawn on the chart (µg/m³) and its legal basis. */
  limit: number
  basis: string
}

/**
 * EU Directive 2008/50/EC as transposed by D.Lgs. 155/2010, on the averaging period of the stream
 * (hourly NO₂/O₃, daily PM10/PM2.5, CO as mg/m³ against the 8-hour limit).
 */
export const AIR_QUALITY_THRESHOLDS: Partial<Record<Pollutant, PollutantThresholds>> = {
  no2: { medium: 150, high: 200, critical: 400, limit: 200, basis: 'NO₂ 1 h limit 200 µg/m³; alert 400' },
  o3: { medium: 120, high: 180, critical: 240, limit: 180, basis: 'O₃ information threshold 180 µg/m³; alert 240' },
  pm10: { medium: 40, high: 50, critical: 100, limit: 50, basis: 'PM10 24 h limit 50 µg/m³' },
  pm25: { medium: 15, high: 25, critical: 50, limit: 25, basis: 'PM2.5 24 h limit 25 µg/m³ (Dir. (EU) 2024/2881)' },
  co: { medium: 7_500, high: 10_000, critical: 20_000, limit: 10_000, basis: 'CO 8 h limit 10 mg/m³' },
}

/** µg/m³ per ppb at 20 °C and 101.3 kPa (the EU reference conditions): molar mass / 24.055. */
const UG_PER_PPB: Record<Pollutant, number> = { no2: 1.913, o3: 1.995, co: 1.164, ch4: 0.667, pm10: NaN, pm25: NaN }

/** Converts a reading to µg/m³; NaN when the unit cannot apply to the pollutant (ppb of particles). */
export function toMicrogramsPerM3(pollutant: Pollutant, value: number, unit: 'ug/m3' | 'mg/m3' | 'ppm' | 'ppb'): number {
  switch (unit) {
    case 'ug/m3':
      return value
    case 'mg/m3':
      return value * 1000
    case 'ppb':
      return value * UG_PER_PPB[pollutant]
    case 'ppm':
      return value * 1000 * UG_PER_PPB[pollutant]
  }
}

export function isPollutant(stream: string): stream is Pollutant {
  return stream === 'no2' || stream === 'o3' || stream === 'co' || stream === 'ch4' || stream === 'pm10' || stream === 'pm25'
}
