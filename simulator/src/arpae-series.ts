/**
 * Reader of the ARPAE Emilia-Romagna 2024 air-quality series (CC BY 4.0) in
 * `bologna-opendata/arpae_qualita_aria_2024/`: quoted, comma-separated, columns
 * `data`, `<STATION>`, `v_<STATION>`, … with timestamps in UTC+01:00 all year.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import type { z } from 'zod'
import type { AirQualityUnitSchema, ValiditySchema } from '../../contracts/schemas/reading'
import { ARPAE_DAYS, ARPAE_FIRST_DAY, dayNumber } from './source-calendar'

export const ARPAE_DIR = 'bologna-opendata/arpae_qualita_aria_2024'

export type Pollutant = 'no2' | 'o3' | 'co' | 'ch4' | 'pm10' | 'pm25'
type Unit = z.infer<typeof AirQualityUnitSchema>
type Validity = z.infer<typeof ValiditySchema>

export interface PollutantFile {
  file: string
  unit: Unit
  averagingS: 3600 | 86_400
}

/** Stream (= pollutant) → ARPAE file, unit and averaging period. */
export const POLLUTANT_FILES: Record<Pollutant, PollutantFile> = {
  no2: { file: 'NO2_hourly.csv', unit: 'ug/m3', averagingS: 3600 },
  o3: { file: 'Ozone_hourly.csv', unit: 'ug/m3', averagingS: 3600 },
  co: { file: 'CO_hourly.csv', unit: 'mg/m3', averagingS: 3600 },
  ch4: { file: 'methane_hourly.csv', unit: 'mg/m3', averagingS: 3600 },
  pm10: { file: 'PM10_daily.csv', unit: 'ug/m3', averagingS: 86_400 },
  pm25: { file: 'PM25_daily.csv', unit: 'ug/m3', averagingS: 86_400 },
}

export function isPollutant(s: string): s is Pollutant {
  return Object.prototype.hasOwnProperty.call(POLLUTANT_FILES, s)
}

/**
 * The `v_` flag → the contracts' validity. The bundle does not document the letters; what it shows:
 * `S` on ~93 % of cells (treated as validated: `valid`); `M` on every NO2 hour of GIARDINI MARGHERITA
 * from July, and `G` and an empty flag on PM2.5 GIARDINI MARGHERITA days in Jan–Apr, all with
 * plausible values (treated as not confirmed: `provisional`). No flag marks a value as invalid:
 * invalid or absent measurements are empty cells, which are not published at all.
 */
export function validityOf(flag: string): Validity {
  return flag.trim().toUpperCase() === 'S' ? 'valid' : 'provisional'
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

export function readArpaeSeries(cityDataDir: string): ArpaeSeries {
  const table = new Map<Pollutant, Map<string, StationSeries>>()
  for (const [pollutant, spec] of Object.entries(POLLUTANT_FILES) as Array<[Pollutant, PollutantFile]>) {
    const file = path.join(cityDataDir, ARPAE_DIR, spec.file)
    if (!existsSync(file)) continue
    table.set(pollutant, readFile(file, spec.averagingS === 86_400))
  }
  return {
    get: (pollutant, station) => table.get(pollutant)?.get(stationKey(station)),
    stations: (pollutant) => [...(table.get(pollutant)?.keys() ?? [])],
  }
}

function readFile(file: string, daily: boolean): Map<string, StationSeries> {
  const rows = parse(readFileSync(file), { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][]
  const header = rows[0] ?? []
  const length = daily ? ARPAE_DAYS : ARPAE_DAYS * 24
  const stations: Array<{ key: string; col: number; flagCol: number; series: StationSeries }> = []
  for (let c = 1; c < header.length; c++) {
    const name = header[c] ?? ''
    if (name.startsWith('v_')) continue
    const flagCol = header.indexOf(`v_${name}`)
    const series = { values: new Float64Array(length).fill(Number.NaN), flags: new Array<string>(length).fill('') }
    stations.push({ key: stationKey(name), col: c, flagCol, series })
  }
  for (const row of rows.slice(1)) {
    const index = rowIndex(row[0] ?? '', daily)
    if (index === null || index < 0 || index >= length) continue
    for (const s of stations) {
      const cell = (row[s.col] ?? '').trim()
      const value = cell === '' ? Number.NaN : Number(cell)
      s.series.values[index] = Number.isFinite(value) ? value : Number.NaN
      s.series.flags[index] = s.flagCol >= 0 ? (row[s.flagCol] ?? '') : ''
    }
  }
  return new Map(stations.map((s) => [s.key, s.series]))
}

/** "2024-03-01 07:00" → hours (or days) since 2024-01-01 00:00 in the file's own clock. */
function rowIndex(stamp: string, daily: boolean): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(stamp.trim())
  if (!m) return null
  const day = dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) - ARPAE_FIRST_DAY
  return daily ? day : day * 24 + Number(m[4])
}
