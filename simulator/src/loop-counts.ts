/**
 * The real hourly loop counts (Comune di Bologna, CC BY 4.0) laid out for replay: per `id_uni`, source
 * day number → 24 counts. The file is parsed only by geodata's `readLoopCounts` (positions from
 * `geopoint`, one codice spira per id_uni as in the registry, bad rows refused); this module indexes
 * its output for lookups by day.
 */
import path from 'node:path'
import type { LonLat } from '../../contracts/schemas/device'
import { readLoopCounts as readLoopCountsFile, type LoopCountSeries } from '../../geodata/src/readers/loop-counts'
import { DAY_MS, sourceDayType, weekdayOf, TRAFFIC_SOURCE_FIRST_DAY, TRAFFIC_SOURCE_LAST_DAY } from './source-calendar'

export const LOOP_COUNTS_FILE = 'bologna-opendata/spire_conteggi_2024-01_04_costa_pasubio.csv'

/** The counts of one loop: one 24-hour row per source day that the file has. */
export interface LoopSeries {
  idUni: string
  /** The `codice spira` whose rows these are (for id_uni 296, the registry's code of the loop). */
  codes: string[]
  /** From `geopoint`: the file's `longitudine`/`latitudine` columns are corrupted. */
  position: LonLat | null
  /** Source day number → vehicles per hour, 24 values (local civil hours 00–01 … 23–24). */
  days: Map<number, Float64Array>
  /** Days with data, ascending. */
  sortedDays: number[]
  /** Highest hourly count in the whole series. */
  peakHourly: number
}

export interface LoopCounts {
  /** Keyed by `id_uni`: the key of a loop (the code alone is not: '0.127 2.6 10 1' is two loops, 916 and 955). */
  byIdUni: ReadonlyMap<string, LoopSeries>
  /** Data rows in the file, refused ones included. */
  rows: number
}

/** Reads `LOOP_COUNTS_FILE` under `cityDataDir` with the geodata reader and indexes it by day. */
export function readLoopCounts(cityDataDir: string): LoopCounts {
  const result = readLoopCountsFile(path.join(cityDataDir, LOOP_COUNTS_FILE))
  return { byIdUni: new Map(result.records.map((s) => [s.idUni, toSeries(s)])), rows: result.rows }
}

function toSeries(s: LoopCountSeries): LoopSeries {
  const days = new Map<number, Float64Array>()
  let peakHourly = 0
  for (const d of s.days) {
    days.set(Date.parse(d.date) / DAY_MS, Float64Array.from(d.counts))
    peakHourly = Math.max(peakHourly, ...d.counts)
  }
  return { idUni: s.idUni, codes: [s.codiceSpira], position: s.position, days, sortedDays: [...days.keys()].sort((a, b) => a - b), peakHourly }
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
