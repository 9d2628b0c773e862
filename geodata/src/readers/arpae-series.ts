/**
 * Reads ARPAE Emilia-Romagna air-quality series (`arpae_qualita_aria_2024/*.csv`): one file per
 * pollutant, a `data` column and, per station, a value column and its validity flag `v_<STATION>`.
 *
 * Times: ARPAE publishes in solar time (UTC+1 all year, no DST: the 2024 hourly files have
 * exactly 8,784 rows); each timestamp is the start of its averaging period.
 *
 * Units: NO2, O3, PM10, PM2.5 in µg/m³; CO and CH4 (methane) in mg/m³ (2024 medians: CO 0.4, CH4 0.8;
 * values of µg/m³ would be a thousand times larger).
 *
 * Validity flags found in the 2024 files, and how they are mapped (ARPAE_VALIDITY_FLAGS):
 *   "S"  → valid        validated ("sì"): about 94 % of the values
 *   "M"  → provisional  NO2 at Giardini Margherita, July–December: plausible values not marked validated
 *   "G"  → provisional  PM2.5 at Giardini Margherita, 22 days of January–February
 *   ""   → provisional  a value with an empty flag (69 PM2.5 days at Giardini Margherita)
 *   any other flag → invalid, and reported.
 * An empty value is a missing reading (counted per series), whatever its flag.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { readCsvTable, readTextFile, sniffDelimiter } from './csv-table'
import { DatasetFileError, ProblemLog, type ReadResult, type RowProblem } from './read-result'
import { parseDecimal, slugify } from './row-checks'

export type AirQualityStream = 'no2' | 'o3' | 'co' | 'ch4' | 'pm10' | 'pm25'
export type Validity = 'valid' | 'provisional' | 'invalid'
export type AirQualityUnit = 'ug/m3' | 'mg/m3'

/** Canonical order of the streams (as in contracts STREAMS['air-quality']). */
export const AIR_QUALITY_STREAMS: readonly AirQualityStream[] = ['no2', 'o3', 'co', 'ch4', 'pm10', 'pm25']

interface PollutantFile {
  /** Matches the file name's pollutant part, before `_hourly`/`_daily`. */
  pattern: RegExp
  stream: AirQualityStream
  unit: AirQualityUnit
}

export const ARPAE_POLLUTANT_FILES: readonly PollutantFile[] = [
  { pattern: /^no2$/i, stream: 'no2', unit: 'ug/m3' },
  { pattern: /^(ozone|o3)$/i, stream: 'o3', unit: 'ug/m3' },
  { pattern: /^co$/i, stream: 'co', unit: 'mg/m3' },
  { pattern: /^(methane|ch4)$/i, stream: 'ch4', unit: 'mg/m3' },
  { pattern: /^pm10$/i, stream: 'pm10', unit: 'ug/m3' },
  { pattern: /^pm2\.?5$/i, stream: 'pm25', unit: 'ug/m3' },
]

export const ARPAE_VALIDITY_FLAGS: Readonly<Record<string, { validity: Validity; meaning: string }>> = {
  S: { validity: 'valid', meaning: 'validated ("sì")' },
  M: { validity: 'provisional', meaning: 'present but not marked validated' },
  G: { validity: 'provisional', meaning: 'present but not marked validated' },
  '': { validity: 'provisional', meaning: 'present without a validity flag' },
}

/** Solar time: ARPAE timestamps are UTC+1 all year. */
const SOLAR_OFFSET_MS = 3_600_000

export interface ArpaePoint {
  /** Start of the averaging period, epoch ms (UTC). */
  startMs: number
  /** The timestamp as written (solar time, UTC+1). */
  local: string
  value: number
  /** The flag as written in `v_<STATION>`. */
  flag: string
  validity: Validity
}

export interface ArpaeSeries {
  stream: AirQualityStream
  file: string
  unit: AirQualityUnit
  /** 3600 for hourly files, 86400 for daily ones. */
  averagingS: number
  /** Station name as in the file ("DE AMICIS"). */
  station: string
  /** `aq-<slug of station>`, as imported by arpae-stations. */
  deviceId: string
  /** Sorted by time; missing values are not points. */
  points: ArpaePoint[]
  /** Timestamps with an empty value. */
  missing: number
  /** How many values carried each flag. */
  flags: Record<string, number>
}

export interface ArpaeSeriesResult extends ReadResult<ArpaeSeries> {
  /** Every flag found over all files, with its mapping. */
  flagsFound: Array<{ flag: string; count: number; validity: Validity }>
}

/** What a series file is, from its name (`NO2_hourly.csv`); null for other files. */
export function classifyArpaeFile(fileName: string): { stream: AirQualityStream; unit: AirQualityUnit; averagingS: number } | null {
  const m = /^(.+)_(hourly|daily)\.csv$/i.exec(fileName)
  if (!m) return null
  const spec = ARPAE_POLLUTANT_FILES.find((p) => p.pattern.test(m[1] ?? ''))
  if (!spec) return null
  return { stream: spec.stream, unit: spec.unit, averagingS: m[2]?.toLowerCase() === 'hourly' ? 3600 : 86_400 }
}

/** The station columns of a series file header: every column that has a `v_<column>` partner. */
function stationColumns(header: string[]): string[] {
  return header.filter((h) => h !== 'data' && !h.startsWith('v_') && header.includes(`v_${h}`))
}

function seriesFiles(dir: string): Array<{ name: string; spec: NonNullable<ReturnType<typeof classifyArpaeFile>> }> {
  let names: string[]
  try {
    names = readdirSync(dir).sort()
  } catch {
    throw new DatasetFileError(`Cannot read the ARPAE series directory ${dir}.`, dir)
  }
  return names.flatMap((name) => {
    const spec = classifyArpaeFile(name)
    return spec ? [{ name, spec }] : []
  })
}

/**
 * Which streams each station has, from the series files' header lines only (cheap).
 * Keyed by station slug ("de-amicis"); streams in canonical order.
 */
export function listArpaeStreams(dir: string): Map<string, AirQualityStream[]> {
  const byStation = new Map<string, Set<AirQualityStream>>()
  for (const { name, spec } of seriesFiles(dir)) {
    const text = readTextFile(path.join(dir, name)).replace(/^\uFEFF/, '')
    const headerLine = text.slice(0, text.search(/\r?\n|$/))
    const delimiter = sniffDelimiter(headerLine)
    const header = headerLine.split(delimiter).map((h) => h.trim().replace(/^"|"$/g, ''))
    for (const station of stationColumns(header)) {
      const slug = slugify(station)
      const set = byStation.get(slug) ?? new Set<AirQualityStream>()
      set.add(spec.stream)
      byStation.set(slug, set)
    }
  }
  return new Map([...byStation].map(([k, v]) => [k, AIR_QUALITY_STREAMS.filter((s) => v.has(s))]))
}

/** "2024-01-01 00:00" in solar time → epoch ms; NaN when not a real time. */
export function parseSolarTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text)
  if (!m) return Number.NaN
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])]
  const ms = Date.UTC(y, mo - 1, d, h, mi)
  const t = new Date(ms)
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || h > 23 || mi > 59) return Number.NaN
  return ms - SOLAR_OFFSET_MS
}

export function readArpaeSeries(dir: string): ArpaeSeriesResult {
  const files = seriesFiles(dir)
  const problems: RowProblem[] = []
  let rejected = 0
  const series: ArpaeSeries[] = []
  const flagTotals = new Map<string, number>()
  let rows = 0
  for (const { name, spec } of files) {
    const table = readCsvTable(path.join(dir, name), ['data'])
    const stations = stationColumns(table.header)
    if (stations.length === 0) {
      throw new DatasetFileError(`${name} has no station columns (expected "<STATION>" with a "v_<STATION>" validity column).`, path.join(dir, name))
    }
    // A problem's row is the line in its file; the id names the file (and station).
    const log = new ProblemLog()
    const fileLog = (line: number, station: string | undefined, problem: string, reject: boolean) =>
      reject ? log.reject(line, `${name}${station ? `#${station}` : ''}`, problem) : log.note(line, `${name}${station ? `#${station}` : ''}`, problem)
    for (const r of table.refused) fileLog(r.line, undefined, r.reason, true)
    const perStation = stations.map((station) => ({
      stream: spec.stream,
      file: name,
      unit: spec.unit,
      averagingS: spec.averagingS,
      station,
      deviceId: `aq-${slugify(station)}`,
      points: [] as ArpaePoint[],
      missing: 0,
      flags: {} as Record<string, number>,
    }))
    const unknownFlagReported = new Set<string>()
    const seenTimes = new Map<number, number>()
    for (const row of table.rows) {
      const local = row.get('data')
      const startMs = parseSolarTime(local)
      if (!Number.isFinite(startMs)) {
        fileLog(row.line, undefined, `"${local}" is not a time (YYYY-MM-DD HH:MM)`, true)
        continue
      }
      const earlier = seenTimes.get(startMs)
      if (earlier !== undefined) {
        fileLog(row.line, undefined, `second row for ${local} (first at line ${earlier})`, true)
        continue
      }
      seenTimes.set(startMs, row.line)
      for (const s of perStation) {
        const text = row.get(s.station)
        const flag = row.get(`v_${s.station}`)
        if (text === '') {
          s.missing++
          continue
        }
        const value = parseDecimal(text)
        if (!Number.isFinite(value)) {
          fileLog(row.line, s.station, `value "${text}" is not a number; skipped`, false)
          s.missing++
          continue
        }
        const known = ARPAE_VALIDITY_FLAGS[flag]
        if (!known && !unknownFlagReported.has(`${s.station}\u0000${flag}`)) {
          unknownFlagReported.add(`${s.station}\u0000${flag}`)
          fileLog(row.line, s.station, `unknown validity flag "${flag}": its values are marked invalid (reported once per station and flag)`, false)
        }
        s.flags[flag] = (s.flags[flag] ?? 0) + 1
        flagTotals.set(flag, (flagTotals.get(flag) ?? 0) + 1)
        s.points.push({ startMs, local, value, flag, validity: known?.validity ?? 'invalid' })
      }
    }
    for (const s of perStation) s.points.sort((a, b) => a.startMs - b.startMs)
    series.push(...perStation)
    rows += table.dataRows
    problems.push(...log.problems)
    rejected += log.rejected
  }
  const flagsFound = [...flagTotals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([flag, count]) => ({ flag, count, validity: ARPAE_VALIDITY_FLAGS[flag]?.validity ?? ('invalid' as const) }))
  return { records: series, problems, rows, rejected, flagsFound }
}
