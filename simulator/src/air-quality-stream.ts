/**
 * Air-quality stations replay the real ARPAE 2024 series: one stream per pollutant the device
 * declares in `props.pollutants`, matched to the station column `props.station`.
 */
import type { AirQualityValues } from '../../contracts/schemas/reading'
import { isPollutant, POLLUTANT_FILES, validityOf, type ArpaeSeries, type Pollutant } from './arpae-series'
import { ARPAE_OFFSET_MS, arpaeDayIndex, arpaeHourIndex, DAY_MS, HOUR_MS } from './source-calendar'
import { propText, type SimDevice, type StreamSource } from './stream-source'

/** Why a station publishes less than it declares (reported once in the log). */
export interface AirQualityGap {
  deviceId: string
  pollutant: string
  reason: 'unknown_pollutant' | 'no_station_column' | 'no_series'
}

export function airQualityPollutants(device: SimDevice, series: ArpaeSeries): { pollutants: Pollutant[]; gaps: AirQualityGap[] } {
  const station = propText(device.props, 'station', 'stazione')
  const declared = Array.isArray(device.props.pollutants) ? device.props.pollutants.map((p) => String(p).toLowerCase()) : null
  const candidates = declared ?? (Object.keys(POLLUTANT_FILES) as Pollutant[]).filter((p) => station !== null && series.get(p, station))
  const pollutants: Pollutant[] = []
  const gaps: AirQualityGap[] = []
  for (const p of candidates) {
    if (!isPollutant(p)) gaps.push({ deviceId: device.id, pollutant: p, reason: 'unknown_pollutant' })
    else if (station === null || !series.get(p, station)) gaps.push({ deviceId: device.id, pollutant: p, reason: 'no_station_column' })
    else pollutants.push(p)
  }
  return { pollutants, gaps }
}

/**
 * One pollutant of one station. Hourly pollutants observe at the start of each hour, daily ones at
 * the start of the ARPAE day (00:00+01:00 = 23:00Z); the value is the 2024 value of the mapped hour
 * (or day), or nothing when that cell is empty.
 */
export function airQualityStream(device: SimDevice, pollutant: Pollutant, series: ArpaeSeries): StreamSource {
  const spec = POLLUTANT_FILES[pollutant]
  const station = propText(device.props, 'station', 'stazione') ?? ''
  const data = series.get(pollutant, station)
  const daily = spec.averagingS === 86_400
  return {
    deviceId: device.id,
    kind: 'air-quality',
    stream: pollutant,
    intervalMs: daily ? DAY_MS : HOUR_MS,
    offsetMs: daily ? -ARPAE_OFFSET_MS : 0,
    valuesAt(observedAtMs): AirQualityValues | null {
      if (!data) return null
      const index = daily ? arpaeDayIndex(observedAtMs) : arpaeHourIndex(observedAtMs)
      const value = data.values[index]
      if (value === undefined || Number.isNaN(value)) return null
      return { value, unit: spec.unit, validity: validityOf(data.flags[index] ?? ''), averagingS: spec.averagingS }
    },
  }
}
