import { AGGREGATION_SECONDS, type Aggregation, type HistoryPoint } from '../../../contracts/api'
import type { ValueShape } from '../../../contracts/schemas/reading'
import type { Queryable } from './adapter'
import { READING_TABLES, type MetricColumn } from './reading-tables'

export const MAX_HISTORY_POINTS = 20_000

export interface HistoryWindow {
  deviceId: string
  stream: string
  shape: ValueShape
  fromMs: number
  toMs: number
  agg: Aggregation
}

/** Points in [from, to), oldest first; null when more than MAX_HISTORY_POINTS would be returned. */
export async function readHistory(db: Queryable, w: HistoryWindow): Promise<HistoryPoint[] | null> {
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
  const r = await db.query<Record<string, unknown> & { ms: number; n: number }>(
    `SELECT round(extract(epoch FROM date_bin(make_interval(secs => ${bucketS}), observed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')) * 1000)::float8 AS ms,
            count(*)::int AS n, ${table.metrics.map(aggregate).join(', ')}
     FROM ${table.table} WHERE ${range} AND quality <> 'clock_skew_future'
     GROUP BY 1 ORDER BY 1`,
    params,
  )
  return r.rows.map((row) => ({
    tMs: Number(row.ms),
    n: Number(row.n),
    values: Object.fromEntries(table.metrics.map((m) => [m.json, cell(row[m.col], m)])),
  }))
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
