/**
 * Connectivity devices (kind `connectivity`, stream `link`): each with its district and latest link
 * reading, and the count of link readings per device — all of them and those with status up — in a
 * time window of the history table (link_reading, partitioned by day: the range prunes partitions).
 */
import type { Queryable } from './adapter'
import { DISTRICT_JOIN } from './cameras'

export interface AccessPointRow {
  deviceId: string
  name: string
  position: [number, number]
  expectedIntervalS: number
  district: string | null
  /** The latest `link` reading, when there is one. */
  link: { observedAtMs: number; quality: 'good' | 'uncertain' | 'bad'; values: Record<string, unknown> } | null
}

interface AccessPointDbRow {
  id: string
  name: string
  lon: number
  lat: number
  expected_interval_s: number
  district: string | null
  observed_ms: number | null
  quality: 'good' | 'uncertain' | 'bad' | null
  vals: Record<string, unknown> | null
}

/** Every connectivity device, by id. */
export async function listAccessPoints(q: Queryable): Promise<AccessPointRow[]> {
  const r = await q.query<AccessPointDbRow>(
    `SELECT d.id, d.name, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, d.expected_interval_s, q.district,
       round(extract(epoch FROM l.observed_at) * 1000)::float8 AS observed_ms, l.quality, l.vals
     FROM device d
     LEFT JOIN latest_state l ON l.device_id = d.id AND l.stream = 'link'
     ${DISTRICT_JOIN}
     WHERE d.kind = 'connectivity'
     ORDER BY d.id`,
  )
  return r.rows.map((row) => ({
    deviceId: row.id,
    name: row.name,
    position: [Number(row.lon), Number(row.lat)],
    expectedIntervalS: Number(row.expected_interval_s),
    district: row.district,
    link: row.observed_ms === null || row.vals === null ? null : { observedAtMs: Number(row.observed_ms), quality: row.quality ?? 'good', values: row.vals },
  }))
}

export interface LinkReadingCounts {
  readings: number
  up: number
}

/** Per connectivity device: link readings observed in (fromMs, toMs], and how many said `up`. Devices without any are absent. */
export async function linkReadingCounts(q: Queryable, fromMs: number, toMs: number): Promise<Map<string, LinkReadingCounts>> {
  const r = await q.query<{ device_id: string; readings: number; up: number }>(
    `SELECT h.device_id, count(*)::int AS readings, (count(*) FILTER (WHERE h.status = 'up'))::int AS up
     FROM link_reading h
     WHERE h.stream = 'link' AND h.observed_at > to_timestamp($1 / 1000.0) AND h.observed_at <= to_timestamp($2 / 1000.0)
       AND h.device_id IN (SELECT id FROM device WHERE kind = 'connectivity')
     GROUP BY h.device_id`,
    [fromMs, toMs],
  )
  return new Map(r.rows.map((row) => [row.device_id, { readings: Number(row.readings), up: Number(row.up) }]))
}
