/**
 * Reader of the real hourly loop counts (Comune di Bologna, CC BY 4.0):
 * `bologna-opendata/spire_conteggi_2024-01_04_costa_pasubio.csv`. Read here on purpose rather than
 * through geodata/ so the simulator has no dependency on the importers.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import type { LonLat } from '../../contracts/schemas/device'
import { dayNumber, sourceDayType, weekdayOf, TRAFFIC_SOURCE_FIRST_DAY, TRAFFIC_SOURCE_LAST_DAY } from './source-calendar'

export const LOOP_COUNTS_FILE = 'bologna-opendata/spire_conteggi_2024-01_04_costa_pasubio.csv'

const HOUR_COLUMNS = Array.from({ length: 24 }, (_, h) => `${pad(h)}:00-${pad(h + 1)}:00`)

function pad(n: number): string {
  return n.toString().padStart(2, '0')
}

/** The counts of one loop: one 24-hour row per source day that the file has. */
export interface LoopSeries {
  idUni: string
  /** `codice spira` values seen for this loop (id_uni 296 appears under two codes). */
  codes: string[]
  /** From `geopoint` ("lat, lon"): the file's `longitudine`/`latitudine` columns are corrupted. */
  position: LonLat | null
  /** Source day number → vehicles per hour, 24 values (local civil hours 00–01 … 23–24). */
  days: Map<number, Float64Array>
  /** Days with data, ascending. */
  sortedDays: number[]
  /** Highest hourly count in the whole series. */
  peakHourly: number
}

export interface LoopCounts {
  /** Keyed by `id_uni`; rows repeated under two codes for one day are averaged. */
  byIdUni: ReadonlyMap<string, LoopSeries>
  /**
   * Keyed by `id_uni|codice spira`, each with only its own rows. The code alone is not a key: the
   * registry gives '0.127 2.6 10 1' to two loops (id_uni 916 and 955).
   */
  byIdUniAndCode: ReadonlyMap<string, LoopSeries>
  rows: number
}

interface Row {
  data: string
  codice_spira: string
  id_uni: string
  geopoint: string
  [hour: string]: string
}

export function readLoopCounts(cityDataDir: string): LoopCounts {
  const file = path.join(cityDataDir, LOOP_COUNTS_FILE)
  const rows = parse(readFileSync(file), { delimiter: ';', columns: true, bom: true, skip_empty_lines: true, trim: true }) as Row[]
  const byIdUniRows = new Map<string, Row[]>()
  const byKeyRows = new Map<string, Row[]>()
  for (const row of rows) {
    if (!row.id_uni || !row.data) continue
    push(byIdUniRows, row.id_uni, row)
    push(byKeyRows, loopKey(row.id_uni, row.codice_spira), row)
  }
  return {
    byIdUni: new Map([...byIdUniRows].map(([id, rs]) => [id, toSeries(id, rs)])),
    byIdUniAndCode: new Map([...byKeyRows].map(([key, rs]) => [key, toSeries(rs[0]?.id_uni ?? key, rs)])),
    rows: rows.length,
  }
}

export function loopKey(idUni: string, code: string): string {
  return `${idUni}|${code}`
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function toSeries(idUni: string, rows: Row[]): LoopSeries {
  const sums = new Map<number, { sum: Float64Array; n: number }>()
  const codes = new Set<string>()
  let position: LonLat | null = null
  for (const row of rows) {
    const day = parseDate(row.data)
    if (day === null) continue
    codes.add(row.codice_spira)
    position ??= parseGeopoint(row.geopoint)
    const counts = new Float64Array(24)
    let ok = true
    for (let h = 0; h < 24; h++) {
      const v = Number(row[HOUR_COLUMNS[h] as string])
      if (!Number.isFinite(v) || v < 0) ok = false
      counts[h] = v
    }
    if (!ok) continue
    const acc = sums.get(day)
    if (acc) {
      for (let h = 0; h < 24; h++) acc.sum[h] = (acc.sum[h] ?? 0) + (counts[h] ?? 0)
      acc.n++
    } else sums.set(day, { sum: counts, n: 1 })
  }
  const days = new Map<number, Float64Array>()
  let peakHourly = 0
  for (const [day, { sum, n }] of sums) {
    const avg = sum.map((v) => v / n)
    for (const v of avg) peakHourly = Math.max(peakHourly, v)
    days.set(day, avg)
  }
  return { idUni, codes: [...codes], position, days, sortedDays: [...days.keys()].sort((a, b) => a - b), peakHourly }
}

/** dd/mm/yyyy → day number; null when not a date. */
export function parseDate(s: string): number | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s)
  if (!m) return null
  return dayNumber(Number(m[3]), Number(m[2]), Number(m[1]))
}

/** "lat, lon" → [lon, lat]. */
export function parseGeopoint(s: string): LonLat | null {
  const [lat, lon] = s.split(',').map((x) => Number(x.trim()))
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) return null
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null
  return [lon, lat]
}

/**
 * The 24 hourly counts replayed for `sourceDay`. The file is sparse (each loop has 2–96 of the 121
 * days), so when the loop has no row for that day the nearest day with the same weekday is used
 * (+7, −7, +14, … days, holidays skipped), then the nearest day of the same type
 * (weekday / Saturday / Sunday-or-holiday), then the nearest day at all. Deterministic.
 */
export function countsForSourceDay(series: LoopSeries, sourceDay: number, memo?: Map<number, Float64Array>): Float64Array {
  const hit = memo?.get(sourceDay)
  if (hit) return hit
  const found = resolveDay(series, sourceDay)
  memo?.set(sourceDay, found)
  return found
}

const EMPTY_DAY = new Float64Array(24)

function resolveDay(series: LoopSeries, sourceDay: number): Float64Array {
  const exact = series.days.get(sourceDay)
  if (exact && sourceDayType(sourceDay) === expectedType(sourceDay)) return exact
  const span = TRAFFIC_SOURCE_LAST_DAY - TRAFFIC_SOURCE_FIRST_DAY
  for (let k = 7; k <= span; k += 7) {
    for (const d of [sourceDay + k, sourceDay - k]) {
      const row = series.days.get(d)
      if (row && sourceDayType(d) === expectedType(sourceDay)) return row
    }
  }
  const byDistance = [...series.sortedDays].sort((a, b) => Math.abs(a - sourceDay) - Math.abs(b - sourceDay) || a - b)
  const sameType = byDistance.find((d) => sourceDayType(d) === expectedType(sourceDay))
  const chosen = sameType ?? byDistance[0]
  return chosen === undefined ? EMPTY_DAY : (series.days.get(chosen) ?? EMPTY_DAY)
}

/** The day type a source day stands for: its weekday's type (a holiday is never chosen on purpose). */
function expectedType(day: number): ReturnType<typeof sourceDayType> {
  const w = weekdayOf(day)
  return w === 6 ? 'sunday' : w === 5 ? 'saturday' : 'weekday'
}
