/**
 * Rollups against the truth: after the rollup job, every 1-min and 1-h bucket equals a direct
 * aggregate of the raw rows (written here by hand, not with rollups.ts), also after late readings,
 * clock-skewed ones, and re-runs; and readHistory answers the same from rollups as from raw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { trafficReading } from '../../../tests/helpers/factories'
import { runRollups } from '../jobs/rollup-job'
import type { Aggregation } from '../../../contracts/api'
import { readHistory, type HistoryWindow } from './history'
import { DAY_MS, unitStart } from './partitions'
import { writeBatch, type ValidReading } from './readings'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t?.drop()
})

const HOUR = 3_600_000
/** Two days ago, 10:00 UTC: inside the legacy partition of a fresh database. */
const BASE = unitStart('day', Date.now()) - 2 * DAY_MS + 10 * HOUR
const LOOPS = ['loop-r1', 'loop-r2', 'loop-r3']

const write = (readings: ValidReading[]) => t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
const rollAll = async () => {
  for (let i = 0; i < 100; i++) {
    const r = await t.db.transaction((tx) => runRollups(tx))
    if (r.queueRows === 0) return
  }
  throw new Error('the rollup queue did not drain')
}

/** Traffic every 20 s for 2.5 h per loop; values are exact in binary floating point, so sums are too. */
function trafficSeries(deviceId: string, k: number): ValidReading[] {
  const out: ValidReading[] = []
  for (let i = 0; i < 450; i++) {
    out.push(
      trafficReading({
        deviceId,
        seq: i + 1,
        observedAtMs: BASE + i * 20_000,
        values: { flowVehH: 100 + ((i + k) % 7) * 0.5, occupancyPct: ((i * k) % 5) * 2.25, speedKmh: i % 4 === 0 ? null : 30 + (i % 9), intervalS: 20, lane: i % 5 === 0 ? null : i % 3 },
      }),
    )
  }
  return out
}

function linkSeries(deviceId: string): ValidReading[] {
  return Array.from({ length: 200 }, (_, i) => ({
    deviceId,
    kind: 'connectivity' as const,
    stream: 'link',
    shape: 'link' as const,
    seq: i + 1,
    observedAtMs: BASE + i * 45_000 + 1_000,
    receivedAtMs: BASE + i * 45_000 + 2_000,
    quality: 'good' as const,
    values: { status: i % 11 === 0 ? 'degraded' : 'up', connectedClients: (i * 7) % 13, rxKbps: 512 + (i % 4) * 0.25, txKbps: 64 + (i % 3) },
  }))
}

/** The truth, from raw, by hand: n, averages, sums and the last lane per bucket. */
const directTraffic = (bucketS: number) =>
  t.db.query(
    `SELECT device_id, stream, (extract(epoch FROM date_bin(make_interval(secs => ${bucketS}), observed_at, TIMESTAMPTZ '2000-01-01Z')) * 1000)::float8 AS ms,
            count(*)::int AS n, avg(flow_veh_h)::float8 AS flow, avg(occupancy_pct)::float8 AS occ, avg(speed_kmh)::float8 AS speed,
            sum(interval_s)::float8 AS interval_s, (array_agg(lane ORDER BY observed_at DESC))[1] AS lane
     FROM traffic_reading WHERE quality <> 'clock_skew_future'
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  )
const rolledTraffic = (table: 'traffic_1m' | 'traffic_1h') =>
  t.db.query(
    `SELECT device_id, stream, (extract(epoch FROM bucket) * 1000)::float8 AS ms, n,
            flow_veh_h_sum / nullif(flow_veh_h_n, 0) AS flow, occupancy_pct_sum / nullif(occupancy_pct_n, 0) AS occ,
            speed_kmh_sum / nullif(speed_kmh_n, 0) AS speed, interval_s_sum::float8 AS interval_s, lane_last AS lane
     FROM ${table} ORDER BY 1, 2, 3`,
  )
const snapshot = async () => ({
  m: (await t.db.query('SELECT * FROM traffic_1m ORDER BY device_id, stream, bucket')).rows,
  h: (await t.db.query('SELECT * FROM traffic_1h ORDER BY device_id, stream, bucket')).rows,
})

describe('rollups', () => {
  beforeAll(async () => {
    const all = LOOPS.flatMap((id, k) => trafficSeries(id, k + 1))
    // Interleaved as the ingest writes them: many devices per batch.
    all.sort((a, b) => a.observedAtMs - b.observedAtMs)
    for (let i = 0; i < all.length; i += 150) await write(all.slice(i, i + 150))
    const link = linkSeries('link-r1')
    for (let i = 0; i < link.length; i += 50) await write(link.slice(i, i + 50))
    await rollAll()
  })

  it('gives every 1-min and 1-h bucket the values of a direct aggregate of raw', async () => {
    const oneMinute = (await directTraffic(60)).rows
    expect(oneMinute.length).toBe(3 * 150)
    expect((await rolledTraffic('traffic_1m')).rows).toEqual(oneMinute)
    const oneHour = (await directTraffic(3600)).rows
    expect(oneHour.length).toBe(3 * 3)
    expect((await rolledTraffic('traffic_1h')).rows).toEqual(oneHour)
  })

  it('takes in late readings — into a bucket already rolled up, and into an hour never seen — and leaves clock-skewed ones out', async () => {
    const late = [
      trafficReading({ deviceId: 'loop-r1', seq: 10_001, observedAtMs: BASE + 30 * 60_000 + 7_000, values: { flowVehH: 999.5, lane: 2 } }),
      trafficReading({ deviceId: 'loop-r2', seq: 10_002, observedAtMs: BASE - HOUR + 59 * 60_000 + 59_000, values: { flowVehH: 10 } }),
      trafficReading({ deviceId: 'loop-r3', seq: 10_003, observedAtMs: BASE + 61 * 60_000 + 1_000, quality: 'clock_skew_future', values: { flowVehH: 5000 } }),
    ]
    await write(late)
    // Not yet rolled up: the 1-min rollup misses the late reading (the comparison below can fail).
    expect((await rolledTraffic('traffic_1m')).rows).not.toEqual((await directTraffic(60)).rows)
    await rollAll()
    expect((await rolledTraffic('traffic_1m')).rows).toEqual((await directTraffic(60)).rows)
    expect((await rolledTraffic('traffic_1h')).rows).toEqual((await directTraffic(3600)).rows)
  })

  it('is idempotent: recomputing buckets again, or everything, changes nothing', async () => {
    const before = await snapshot()
    // The same buckets enqueued twice more, and a range row asking for every bucket of the table.
    await t.db.query(
      `INSERT INTO rollup_queue (shape, min_bucket, device_ids, streams, buckets)
       SELECT 'traffic', to_timestamp($1 / 1000.0), $2::text[], $3::text[], ARRAY[to_timestamp($1 / 1000.0), to_timestamp($1 / 1000.0), to_timestamp($1 / 1000.0)] FROM generate_series(1, 2)`,
      [BASE + 5 * 60_000, LOOPS, LOOPS.map(() => 'traffic')],
    )
    await t.db.query(`INSERT INTO rollup_queue (shape, min_bucket, is_range) VALUES ('traffic', '-infinity', true)`)
    await rollAll()
    expect(await snapshot()).toEqual(before)
    await rollAll()
    expect(await snapshot()).toEqual(before)
  })

  it('puts the rollup rows in monthly (1 min) and yearly (1 h) partitions', async () => {
    const parts = await t.db.query<{ p: string }>(`SELECT DISTINCT tableoid::regclass::text AS p FROM traffic_1m UNION SELECT DISTINCT tableoid::regclass::text FROM traffic_1h ORDER BY 1`)
    const d = new Date(BASE)
    const month = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`
    const prevHour = new Date(BASE - HOUR)
    const months = new Set([month, `${prevHour.getUTCFullYear()}${String(prevHour.getUTCMonth() + 1).padStart(2, '0')}`])
    const years = new Set([String(d.getUTCFullYear()), String(prevHour.getUTCFullYear())])
    expect(parts.rows.map((r) => r.p)).toEqual([...[...months].map((m) => `traffic_1m_p${m}`), ...[...years].map((y) => `traffic_1h_p${y}`)].sort())
  })
})

describe('readHistory from rollups', () => {
  const windows: Array<Omit<HistoryWindow, 'agg'>> = [
    { deviceId: 'loop-r1', stream: 'traffic', shape: 'traffic', fromMs: BASE + 7 * 60_000 + 13_000, toMs: BASE + 2 * HOUR + 11 * 60_000 + 5_000 },
    { deviceId: 'loop-r2', stream: 'traffic', shape: 'traffic', fromMs: BASE - 3 * HOUR, toMs: BASE + 3 * HOUR },
    { deviceId: 'loop-r3', stream: 'traffic', shape: 'traffic', fromMs: BASE + 60 * 60_000, toMs: BASE + 120 * 60_000 },
    { deviceId: 'link-r1', stream: 'link', shape: 'link', fromMs: BASE + 17 * 60_000 + 500, toMs: BASE + 140 * 60_000 + 1 },
  ]
  const aggs: Aggregation[] = ['1m', '15m', '1h']

  it('answers every window and aggregation exactly as the raw rows do', async () => {
    for (const w of windows) {
      for (const agg of aggs) {
        const raw = await readHistory(t.db, { ...w, agg }, { source: 'raw' })
        expect(raw!.length).toBeGreaterThan(0)
        expect(await readHistory(t.db, { ...w, agg }), `${w.deviceId} ${agg}`).toEqual(raw)
      }
    }
  })

  it('aggregates the newest 2 minutes from raw, before the rollup job has seen them', async () => {
    const now = Date.now()
    const id = 'loop-r9'
    await write([trafficReading({ deviceId: id, seq: 1, observedAtMs: now - 10 * 60_000, values: { flowVehH: 10 } })])
    await rollAll()
    await write([trafficReading({ deviceId: id, seq: 2, observedAtMs: now - 30_000, values: { flowVehH: 20 } })])
    const w: HistoryWindow = { deviceId: id, stream: 'traffic', shape: 'traffic', fromMs: now - 20 * 60_000, toMs: now + 60_000, agg: '1m' }
    const auto = await readHistory(t.db, w, { nowMs: now })
    expect(auto?.map((p) => p.values.flowVehH)).toEqual([10, 20])
    expect(auto).toEqual(await readHistory(t.db, w, { source: 'raw' }))
  })

  it('reads whole buckets from the rollups, not from raw (proof: raw rows removed behind its back)', async () => {
    const w: HistoryWindow = { deviceId: 'loop-r3', stream: 'traffic', shape: 'traffic', fromMs: BASE, toMs: BASE + 2 * HOUR, agg: '15m' }
    const before = await readHistory(t.db, w)
    await t.db.query(`DELETE FROM traffic_reading WHERE device_id = 'loop-r3' AND observed_at >= to_timestamp($1 / 1000.0) AND observed_at < to_timestamp($2 / 1000.0)`, [BASE + 20 * 60_000, BASE + 25 * 60_000])
    expect(await readHistory(t.db, w)).toEqual(before)
    expect(await readHistory(t.db, w, { source: 'raw' })).not.toEqual(before)
  })
})
