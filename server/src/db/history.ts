import { AGGREGATION_SECONDS, type Aggregation, type HistoryPoint } from '../../../contracts/api'
import type { ValueShape } from '../../../contracts/schemas/reading'
import type { Queryable } from './adapter'
import { oldestPartitionStartMs } from './partitions'
import { READING_TABLES, type MetricColumn, type ReadingTable } from './reading-tables'
import { BUCKET_ORIGIN, bucketSql, finalValues, rawPartials, rollupPartials, rollupsBackfilling, rollupTableName, type RollupGrain } from './rollups'

export const MAX_HISTORY_POINTS = 20_000
/** The newest part of a window is aggregated from raw: the rollup job runs every ~10 s, and the current minute is still filling. */
export const FRESH_FROM_RAW_MS = 120_000

export interface HistoryWindow {
  deviceId: string
  stream: string
  shape: ValueShape
  fromMs: number
  toMs: number
  agg: Aggregation
}

export interface HistoryReadOptions {
  /** 'auto' (default): rollups where they answer the same as raw; 'raw': aggregate history rows only. */
  source?: 'auto' | 'raw'
  /** The clock that decides which part of the window is "the newest 2 minutes" (tests). */
  nowMs?: number
}

export type Span = [number, number]

/**
 * Points in [from, to), oldest first; null when more than MAX_HISTORY_POINTS would be returned.
 *
 * Aggregates come from the rollups where they can (ADR 0004 §4): `1m` and `15m` from `<shape>_1m`,
 * `1h` from `<shape>_1h`, over the whole rollup buckets inside the window; the rest of the window
 * — a partial bucket at either edge, and the newest 2 minutes — is aggregated from raw, and both
 * are finished by one final aggregate over their sums and counts, so the answer is the one the raw
 * rows give. Raw only while the rollups of history older than them are still being built; rollups
 * only (whole buckets) once the window is older than the raw retention.
 */
export async function readHistory(db: Queryable, w: HistoryWindow, opts: HistoryReadOptions = {}): Promise<HistoryPoint[] | null> {
  const table = READING_TABLES[w.shape]
  const params = [w.deviceId, w.stream, w.fromMs, w.toMs]
  const range = `device_id = $1 AND stream = $2 AND observed_at >= to_timestamp($3 / 1000.0) AND observed_at < to_timestamp($4 / 1000.0)`
  if (w.agg === 'raw') {
    const r = await db.query<Record<string, unknown> & { ms: number; quality: string }>(
      `SELECT round(extract(epoch FROM observed_at) * 1000)::float8 AS ms, quality, ${table.metrics.map((m) => m.col).join(', ')}
       FROM ${table.table} WHERE ${range} ORDER BY observed_at LIMIT ${MAX_HISTORY_POINTS + 1}`,
      params,
    )
    if (r.rows.length > MAX_HISTORY_POINTS) return null
    return r.rows.map((row) => ({
      tMs: Number(row.ms),
      n: 1,
      quality: row.quality,
      values: Object.fromEntries(table.metrics.map((m) => [m.json, cell(row[m.col], m)])),
    }))
  }
  const bucketS = AGGREGATION_SECONDS[w.agg]
  if ((w.toMs - w.fromMs) / 1000 / bucketS > MAX_HISTORY_POINTS) return null
  const plan = opts.source === 'raw' ? null : await planSources(db, table, w, bucketS, opts.nowMs ?? Date.now())
  const q = plan ? combinedSql(table, bucketS, plan, w) : { sql: rawOnlySql(table, bucketS, range), params }
  const r = await db.query<Record<string, unknown> & { ms: number; n: number }>(q.sql, q.params)
  return r.rows.map((row) => ({
    tMs: Number(row.ms),
    n: Number(row.n),
    values: Object.fromEntries(table.metrics.map((m) => [m.json, cell(row[m.col], m)])),
  }))
}

/** What the rollups cover of the window and what raw must add; null = raw only. */
interface SourcePlan {
  grain: RollupGrain
  rollup: Span
  raw: Span[]
}

async function planSources(db: Queryable, table: ReadingTable, w: HistoryWindow, bucketS: number, nowMs: number): Promise<SourcePlan | null> {
  const grain: RollupGrain = bucketS % 3600 === 0 ? '1h' : '1m'
  const spans = await planRollupSpans(db, table, w.fromMs, w.toMs, grain, nowMs)
  return spans ? { grain, ...spans } : null
}

/**
 * Which part of [fromMs, toMs) the rollups of a grain answer, in whole buckets, and which spans raw
 * history must add (the edges, and the last FRESH_FROM_RAW_MS the rollup job may not have reached);
 * null when raw alone must answer (a backfill is being rolled up, or no whole bucket fits). History
 * and the dashboards read many devices with this one rule.
 */
export async function planRollupSpans(db: Queryable, table: ReadingTable, fromMs: number, toMs: number, grain: RollupGrain, nowMs: number): Promise<{ rollup: Span; raw: Span[] } | null> {
  const g = grain === '1h' ? 3_600_000 : 60_000
  const floorG = (ms: number) => Math.floor(ms / g) * g
  const ceilG = (ms: number) => Math.ceil(ms / g) * g
  const [backfilling, rawFromMs] = await Promise.all([rollupsBackfilling(db, table.shape), oldestPartitionStartMs(db, table.table)])
  if (backfilling) return null
  // The window is older than the raw retention: whole rollup buckets are all there is.
  if (toMs <= rawFromMs) return { rollup: [floorG(fromMs), ceilG(toMs)], raw: [] }
  const a = fromMs >= rawFromMs ? ceilG(fromMs) : floorG(fromMs)
  const b = floorG(Math.min(toMs, nowMs - FRESH_FROM_RAW_MS))
  if (b <= a) return null
  const raw: Span[] = []
  if (fromMs < a) raw.push([fromMs, a])
  if (b < toMs) raw.push([b, toMs])
  return { rollup: [a, b], raw }
}

function combinedSql(table: ReadingTable, bucketS: number, plan: SourcePlan, w: HistoryWindow): { sql: string; params: unknown[] } {
  const params: unknown[] = [w.deviceId, w.stream]
  const span = (column: string, [from, to]: Span) => {
    params.push(from, to)
    return `${column} >= to_timestamp($${params.length - 1} / 1000.0) AND ${column} < to_timestamp($${params.length} / 1000.0)`
  }
  const parts = plan.raw.map(
    (s) =>
      `SELECT ${bucketSql(bucketS, 'observed_at')} AS bucket, ${rawPartials(table)}
       FROM ${table.table}
       WHERE device_id = $1 AND stream = $2 AND ${span('observed_at', s)} AND quality <> 'clock_skew_future'
       GROUP BY 1`,
  )
  parts.push(
    `SELECT ${bucketSql(bucketS, 'bucket')} AS bucket, ${rollupPartials(table)}
     FROM ${rollupTableName(table, plan.grain)}
     WHERE device_id = $1 AND stream = $2 AND ${span('bucket', plan.rollup)}
     GROUP BY 1`,
  )
  const sql = `SELECT round(extract(epoch FROM bucket) * 1000)::float8 AS ms, ${finalValues(table)}
    FROM (${parts.join('\n    UNION ALL\n    ')}) p
    GROUP BY bucket ORDER BY bucket`
  return { sql, params }
}

function rawOnlySql(table: ReadingTable, bucketS: number, range: string): string {
  return `SELECT round(extract(epoch FROM date_bin(make_interval(secs => ${bucketS}), observed_at, ${BUCKET_ORIGIN})) * 1000)::float8 AS ms,
            count(*)::int AS n, ${table.metrics.map(aggregate).join(', ')}
     FROM ${table.table} WHERE ${range} AND quality <> 'clock_skew_future'
     GROUP BY 1 ORDER BY 1`
}

function aggregate(m: MetricColumn): string {
  switch (m.agg) {
    case 'avg':
      return `avg(${m.col})::float8 AS ${m.col}`
    case 'sum':
      return `sum(${m.col})::float8 AS ${m.col}`
    case 'max':
      return `max(${m.col}) AS ${m.col}`
    case 'last':
      return `(array_agg(${m.col} ORDER BY observed_at DESC))[1] AS ${m.col}`
  }
}

/** float4 columns hold ~7 significant digits: present them without the binary noise (12.92, not 12.920000076…). */
function cell(v: unknown, m: MetricColumn): number | string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return m.kind === 'float32' ? Number(v.toPrecision(7)) : v
  if (typeof v === 'string') return v
  return String(v)
}
