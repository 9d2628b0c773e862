/**
 * The ARPAE Emilia-Romagna 2024 air-quality series (CC BY 4.0) in `bologna-opendata/arpae_qualita_aria_2024/`
 * laid out for replay: per pollutant and station, one array indexed by hour (or day) since
 * 2024-01-01 00:00+01:00. The files are parsed only by geodata's `readArpaeSeries` (solar time,
 * units, validity flags); this module indexes its output.
 */
import path from 'node:path'
import type { z } from 'zod'
import type { AirQualityUnitSchema, ValiditySchema } from '../../contracts/schemas/reading'
import { ARPAE_VALIDITY_FLAGS, classifyArpaeFile, readArpaeSeries as readArpaeFiles, type AirQualityStream, type ArpaePoint } from '../../geodata/src/readers/arpae-series'
import { ARPAE_DAYS, ARPAE_FIRST_DAY, ARPAE_OFFSET_MS, DAY_MS, HOUR_MS } from './source-calendar'

export const ARPAE_DIR = 'bologna-opendata/arpae_qualita_aria_2024'

export type Pollutant = AirQualityStream
type Unit = z.infer<typeof AirQualityUnitSchema>
type Validity = z.infer<typeof ValiditySchema>

export interface PollutantFile {
  file: string
  unit: Unit
  averagingS: 3600 | 86_400
}

/** Unit and averaging period as the geodata reader classifies the file. */
function pollutantFile(pollutant: Pollutant, file: string): PollutantFile {
  const spec = classifyArpaeFile(file)
  if (spec?.stream !== pollutant) throw new Error(`${file} is not classified as ${pollutant} by geodata's classifyArpaeFile`)
  return { file, unit: spec.unit, averagingS: spec.averagingS === 86_400 ? 86_400 : 3600 }
}

/** Stream (= pollutant) → ARPAE file, unit and averaging period. */
export const POLLUTANT_FILES: Record<Pollutant, PollutantFile> = {
  no2: pollutantFile('no2', 'NO2_hourly.csv'),
  o3: pollutantFile('o3', 'Ozone_hourly.csv'),
  co: pollutantFile('co', 'CO_hourly.csv'),
  ch4: pollutantFile('ch4', 'methane_hourly.csv'),
  pm10: pollutantFile('pm10', 'PM10_daily.csv'),
  pm25: pollutantFile('pm25', 'PM25_daily.csv'),
}

export function isPollutant(s: string): s is Pollutant {
  return Object.prototype.hasOwnProperty.call(POLLUTANT_FILES, s)
}

/** The `v_` flag → the contracts' validity, by geodata's ARPAE_VALIDITY_FLAGS (an unknown flag is `invalid`). */
export function validityOf(flag: string): Validity {
  return ARPAE_VALIDITY_FLAGS[flag]?.validity ?? 'invalid'
}

/** One station's series of one pollutant, indexed by hour (or day) since 2024-01-01 00:00+01:00. */
export interface StationSeries {
  /** NaN where the cell is empty. */
  values: Float64Array
  flags: string[]
}

export interface ArpaeSeries {
  get(pollutant: Pollutant, station: string): StationSeries | undefined
  stations(pollutant: Pollutant): string[]
}

export function stationKey(name: string): string {
  return name.trim().toUpperCase()
}

/** Reads `ARPAE_DIR` under `cityDataDir` with the geodata reader; only the files of POLLUTANT_FILES are used. */
export function readArpaeSeries(cityDataDir: string): ArpaeSeries {
  const table = new Map<Pollutant, Map<string, StationSeries>>()
  for (const record of readArpaeFiles(path.join(cityDataDir, ARPAE_DIR)).records) {
    if (record.file !== POLLUTANT_FILES[record.stream].file) continue
    const byStation = table.get(record.stream) ?? new Map<string, StationSeries>()
    table.set(record.stream, byStation)
    byStation.set(stationKey(record.station), toStationSeries(record.points, record.averagingS === 86_400))
  }
  return {
    get: (pollutant, station) => table.get(pollutant)?.get(stationKey(station)),
    stations: (pollutant) => [...(table.get(pollutant)?.keys() ?? [])],
  }
}

function toStationSeries(points: readonly ArpaePoint[], daily: boolean): StationSeries {
  const length = daily ? ARPAE_DAYS : ARPAE_DAYS * 24
  const series: StationSeries = { values: new Float64Array(length).fill(Number.NaN), flags: new Array<string>(length).fill('') }
  const periodMs = daily ? DAY_MS : HOUR_MS
  const firstIndex = (ARPAE_FIRST_DAY * DAY_MS) / periodMs
  for (const p of points) {
    // startMs is UTC; the index counts periods of the files' own clock (UTC+01:00).
    const index = Math.floor((p.startMs + ARPAE_OFFSET_MS) / periodMs) - firstIndex
    if (index < 0 || index >= length) continue
    series.values[index] = p.value
    series.flags[index] = p.flag
  }
  return series
}
