/**
 * Rollups: history per minute (`<shape>_1m`) and per hour (`<shape>_1h`) as plain-PostgreSQL
 * continuous aggregates, maintained from rollup_queue (ADR 0004 §4; tables in
 * migrations/0004_rollups_and_gaps.ts). All SQL here is built from READING_TABLES.
 *
 * A rollup row holds sums and counts, never averages, so that any coarser bucket re-aggregates
 * exactly: `n`, `last_at`, and per metric — avg: `<col>_sum`, `<col>_n`; sum: `<col>_sum`;
 * max: `<col>_max`; last: `<col>_last` (the value of the reading at `last_at`). The same "partial"
 * layout is what raw rows aggregate to, so history.ts can UNION raw edges with rollups and finish
 * both with one final aggregate. Clock-skewed readings (quality clock_skew_future) are left out,
 * as history.ts always has.
 *
 * Maintenance recomputes, never increments: every bucket a queue row names is computed again from
 * raw (1 min) and then from the 1-min rows (1 h). Re-running is harmless, a crash rolls back queue
 * and upserts together, and a late reading just enqueues its old bucket.
 */
import type { Queryable } from './adapter'
import { READING_TABLES, type MetricColumn, type ReadingTable } from './reading-tables'

export type RollupGrain = '1m' | '1h'
export const ROLLUP_GRAIN_SECONDS: Record<RollupGrain, number> = { '1m': 60, '1h': 3600 }
/** Buckets are aligned like history.ts's date_bin: on UTC minutes and hours. */
export const BUCKET_ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`
/** Queue rows a rollup run takes at most. */
export const ROLLUP_BATCH = 500

/** `traffic_1m`, `air_quality_1h`, … */
export function rollupTableName(t: ReadingTable, grain: RollupGrain): string {
  return `${t.shape.replaceAll('-', '_')}_${grain}`
}

export function bucketSql(seconds: number, column: string): string {
  return `date_bin(make_interval(secs => ${seconds}), ${column}, ${BUCKET_ORIGIN})`
}

const intLike = (m: MetricColumn) => m.kind === 'int'

/** Column names of the partial layout, in order: n, last_at, then per metric. */
export function partialColumns(t: ReadingTable): string[] {
  return ['n', 'last_at', ...t.metrics.flatMap((m) => (m.agg === 'avg' ? [`${m.col}_sum`, `${m.col}_n`] : [`${m.col}_${m.agg === 'sum' ? 'sum' : m.agg}`]))]
}

/** Select list aggregating raw history rows (columns of the history table, `observed_at`) to the partial layout. */
export function rawPartials(t: ReadingTable, alias = ''): string {
  const c = (col: string) => `${alias}${col}`
  const parts = [`count(*)::int8 AS n`, `max(${c('observed_at')}) AS last_at`]
  for (const m of t.metrics) {
    if (m.agg === 'avg') parts.push(intLike(m) ? `sum(${c(m.col)})::int8 AS ${m.col}_sum` : `sum(${c(m.col)}::float8) AS ${m.col}_sum`, `count(${c(m.col)})::int8 AS ${m.col}_n`)
    else if (m.agg === 'sum') parts.push(intLike(m) ? `sum(${c(m.col)})::int8 AS ${m.col}_sum` : `sum(${c(m.col)}::float8) AS ${m.col}_sum`)
    else if (m.agg === 'max') parts.push(`max(${c(m.col)}) AS ${m.col}_max`)
    else parts.push(`(array_agg(${c(m.col)} ORDER BY ${c('observed_at')} DESC))[1] AS ${m.col}_last`)
  }
  return parts.join(', ')
}

/** Select list re-aggregating rows that are already in the partial layout (rollup rows, or a UNION of partials). */
export function rollupPartials(t: ReadingTable, alias = ''): string {
  const c = (col: string) => `${alias}${col}`
  const parts = [`sum(${c('n')})::int8 AS n`, `max(${c('last_at')}) AS last_at`]
  for (const m of t.metrics) {
    if (m.agg === 'avg') parts.push(`sum(${c(`${m.col}_sum`)})${intLike(m) ? '::int8' : ''} AS ${m.col}_sum`, `sum(${c(`${m.col}_n`)})::int8 AS ${m.col}_n`)
    else if (m.agg === 'sum') parts.push(`sum(${c(`${m.col}_sum`)})${intLike(m) ? '::int8' : ''} AS ${m.col}_sum`)
    else if (m.agg === 'max') parts.push(`max(${c(`${m.col}_max`)}) AS ${m.col}_max`)
    else parts.push(`(array_agg(${c(`${m.col}_last`)} ORDER BY ${c('last_at')} DESC))[1] AS ${m.col}_last`)
  }
  return parts.join(', ')
}

/**
 * Select list finishing partial rows into what history.ts returns per bucket: `n`, and per metric
 * (named by its column) the same value and SQL type as aggregating the raw rows directly —
 * avg of an int column is numeric division (as avg(int) is), of a float column float8 division.
 */
export function finalValues(t: ReadingTable): string {
  const parts = ['sum(n)::int AS n']
  for (const m of t.metrics) {
    if (m.agg === 'avg') {
      parts.push(
        intLike(m)
          ? `(sum(${m.col}_sum)::numeric / nullif(sum(${m.col}_n), 0))::float8 AS ${m.col}`
          : `(sum(${m.col}_sum) / nullif(sum(${m.col}_n), 0)::float8)::float8 AS ${m.col}`,
      )
    } else if (m.agg === 'sum') parts.push(`sum(${m.col}_sum)::float8 AS ${m.col}`)
    else if (m.agg === 'max') parts.push(`max(${m.col}_max) AS ${m.col}`)
    else parts.push(`(array_agg(${m.col}_last ORDER BY last_at DESC))[1] AS ${m.col}`)
  }
  return parts.join(', ')
}

const upsertTail = (t: ReadingTable) =>
  `ON CONFLICT (device_id, stream, bucket) DO UPDATE SET ${partialColumns(t).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`

/** The (device, stream, 1-min bucket) keys of the given batch queue rows of one shape. */
const queueKeys = `SELECT DISTINCT k.d, k.s, k.b
  FROM rollup_queue q CROSS JOIN LATERAL unnest(q.device_ids, q.streams, q.buckets) AS k(d, s, b)
  WHERE q.id = ANY($1::int8[]) AND q.shape = $2 AND NOT q.is_range`

// ---------------------------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------------------------

export interface ClaimedQueue {
  /** Batch rows: ids per shape. */
  batches: Map<string, number[]>
  /** At most one range row per run (they read whole time ranges of history). */
  range: { id: number; shape: string; fromMs: number | null; toMs: number | null } | null
  ids: number[]
}

/** Locks the oldest queue rows for this transaction: up to `limit` batch rows, or one range row. */
export async function claimRollupQueue(tx: Queryable, limit = ROLLUP_BATCH): Promise<ClaimedQueue> {
  const r = await tx.query<{ id: number; shape: string; is_range: boolean; from_ms: number | null; to_ms: number | null }>(
    `SELECT id, shape, is_range, (extract(epoch FROM range_from) * 1000)::float8 AS from_ms, (extract(epoch FROM range_to) * 1000)::float8 AS to_ms
     FROM rollup_queue ORDER BY id LIMIT $1 FOR UPDATE`,
    [limit],
  )
  const claimed: ClaimedQueue = { batches: new Map(), range: null, ids: [] }
  const firstRange = r.rows.find((row) => row.is_range)
  if (firstRange) {
    const ms = (v: number | null) => (v === null ? null : Number(v))
    claimed.range = { id: Number(firstRange.id), shape: firstRange.shape, fromMs: ms(firstRange.from_ms), toMs: ms(firstRange.to_ms) }
    claimed.ids.push(Number(firstRange.id))
  }
  for (const row of r.rows) {
    if (row.is_range) continue
    const list = claimed.batches.get(row.shape)
    if (list) list.push(Number(row.id))
    else claimed.batches.set(row.shape, [Number(row.id)])
    claimed.ids.push(Number(row.id))
  }
  return claimed
}

/** UTC months (epoch ms of their first instant) the batch rows of one shape touch: where rollup partitions must exist. */
export async function queuedMonths(tx: Queryable, shape: string, ids: number[]): Promise<number[]> {
  const r = await tx.query<{ ms: number }>(
    `SELECT DISTINCT (extract(epoch FROM date_trunc('month', b, 'UTC')) * 1000)::float8 AS ms FROM (${queueKeys}) k`,
    [ids, shape],
  )
  return r.rows.map((x) => Number(x.ms))
}

/** Time span [min, max] of the readings a range row covers; null when it holds none. */
export async function rangeSpan(tx: Queryable, range: NonNullable<ClaimedQueue['range']>): Promise<[number, number] | null> {
  const t = tableOf(range.shape)
  const r = await tx.query<{ lo: number | null; hi: number | null }>(
    `SELECT (extract(epoch FROM min(observed_at)) * 1000)::float8 AS lo, (extract(epoch FROM max(observed_at)) * 1000)::float8 AS hi
     FROM ${t.table} WHERE ${rangeWhere(range, 'observed_at')} AND quality <> 'clock_skew_future'`,
  )
  const row = r.rows[0]
  return row?.lo === null || row?.lo === undefined || row.hi === null ? null : [Number(row.lo), Number(row.hi)]
}

export interface RollupRunStats {
  queueRows: number
  minuteBuckets: number
  hourBuckets: number
}

/**
 * Recomputes every bucket the claimed rows name — 1 min from raw, then 1 h from the 1-min rows —
 * and deletes the rows. Partitions for the buckets must exist (claim → queuedMonths / rangeSpan →
 * partitions.createMissingPartitions → this).
 */
export async function applyRollups(tx: Queryable, claimed: ClaimedQueue): Promise<RollupRunStats> {
  const stats: RollupRunStats = { queueRows: claimed.ids.length, minuteBuckets: 0, hourBuckets: 0 }
  for (const [shape, ids] of claimed.batches) {
    const t = tableOf(shape)
    const cols = ['device_id', 'stream', 'bucket', ...partialColumns(t)].join(', ')
    const m = await tx.query(
      `INSERT INTO ${rollupTableName(t, '1m')} (${cols})
       SELECT r.device_id, r.stream, k.b, ${rawPartials(t, 'r.')}
       FROM (${queueKeys}) k
       JOIN ${t.table} r ON r.device_id = k.d AND r.stream = k.s AND r.observed_at >= k.b AND r.observed_at < k.b + interval '1 minute'
       WHERE r.quality <> 'clock_skew_future'
       GROUP BY r.device_id, r.stream, k.b
       ${upsertTail(t)}`,
      [ids, shape],
    )
    stats.minuteBuckets += m.rowCount
    const h = await tx.query(
      `INSERT INTO ${rollupTableName(t, '1h')} (${cols})
       SELECT r.device_id, r.stream, k.h, ${rollupPartials(t, 'r.')}
       FROM (SELECT DISTINCT d, s, ${bucketSql(3600, 'b')} AS h FROM (${queueKeys}) k0) k
       JOIN ${rollupTableName(t, '1m')} r ON r.device_id = k.d AND r.stream = k.s AND r.bucket >= k.h AND r.bucket < k.h + interval '1 hour'
       GROUP BY r.device_id, r.stream, k.h
       ${upsertTail(t)}`,
      [ids, shape],
    )
    stats.hourBuckets += h.rowCount
  }
  if (claimed.range) {
    const t = tableOf(claimed.range.shape)
    const cols = ['device_id', 'stream', 'bucket', ...partialColumns(t)].join(', ')
    const m = await tx.query(
      `INSERT INTO ${rollupTableName(t, '1m')} (${cols})
       SELECT device_id, stream, ${bucketSql(60, 'observed_at')} AS bucket, ${rawPartials(t)}
       FROM ${t.table} WHERE ${rangeWhere(claimed.range, 'observed_at')} AND quality <> 'clock_skew_future'
       GROUP BY 1, 2, 3
       ${upsertTail(t)}`,
    )
    stats.minuteBuckets += m.rowCount
    const hourRange = {
      fromMs: claimed.range.fromMs === null ? null : Math.floor(claimed.range.fromMs / 3_600_000) * 3_600_000,
      toMs: claimed.range.toMs === null ? null : Math.ceil(claimed.range.toMs / 3_600_000) * 3_600_000,
    }
    const h = await tx.query(
      `INSERT INTO ${rollupTableName(t, '1h')} (${cols})
       SELECT device_id, stream, ${bucketSql(3600, 'bucket')} AS h, ${rollupPartials(t)}
       FROM ${rollupTableName(t, '1m')} WHERE ${rangeWhere(hourRange, 'bucket')}
       GROUP BY 1, 2, 3
       ${upsertTail(t)}`,
    )
    stats.hourBuckets += h.rowCount
  }
  if (claimed.ids.length > 0) await tx.query('DELETE FROM rollup_queue WHERE id = ANY($1::int8[])', [claimed.ids])
  return stats
}

/** Rows waiting in rollup_queue (metric `gemello_rollup_queue_rows`). */
export async function rollupQueueRows(q: Queryable): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM rollup_queue')
  return Number(r.rows[0]?.n ?? 0)
}

/** True while a range row (history written before the rollups existed) waits for the shape: its rollups are incomplete. */
export async function rollupsBackfilling(q: Queryable, shape: string): Promise<boolean> {
  const r = await q.query<{ b: boolean }>(`SELECT EXISTS (SELECT 1 FROM rollup_queue WHERE shape = $1 AND is_range) AS b`, [shape])
  return r.rows[0]?.b === true
}

function tableOf(shape: string): ReadingTable {
  const t = (READING_TABLES as Record<string, ReadingTable | undefined>)[shape]
  if (!t) throw new Error(`rollup_queue names an unknown shape: ${shape}`)
  return t
}

const ts = (ms: number) => `'${new Date(ms).toISOString()}'::timestamptz`
function rangeWhere(range: { fromMs: number | null; toMs: number | null }, column: string): string {
  const parts = ['true']
  if (range.fromMs !== null) parts.push(`${column} >= ${ts(range.fromMs)}`)
  if (range.toMs !== null) parts.push(`${column} < ${ts(range.toMs)}`)
  return parts.join(' AND ')
}
