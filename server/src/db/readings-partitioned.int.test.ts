/**
 * The write path on partitioned history (ADR 0004 §4): readings land in their UTC day's partition,
 * the seq index is per partition, the order guard catches a seq re-stamped on another day, and each
 * batch enqueues its touched rollup buckets in the same statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { trafficReading } from '../../../tests/helpers/factories'
import { writeBatch, type BatchInput, type ValidReading } from './readings'
import { DAY_MS, unitStart } from './partitions'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t?.drop()
})

const TOMORROW = unitStart('day', Date.now()) + DAY_MS
const write = (b: Partial<BatchInput>) => t.db.transaction((tx) => writeBatch(tx, { readings: [], quarantine: [], registrations: [], ...b }))
const partitionOf = async (deviceId: string) =>
  (await t.db.query<{ p: string; seq: number }>(`SELECT tableoid::regclass::text AS p, seq FROM traffic_reading WHERE device_id = $1 ORDER BY observed_at`, [deviceId])).rows
const queueRows = async () =>
  (await t.db.query<{ shape: string; keys: Array<{ d: string; s: string; b: number }>; min_ms: number }>(
    `SELECT shape, (extract(epoch FROM min_bucket) * 1000)::float8 AS min_ms,
            (SELECT json_agg(json_build_object('d', d, 's', s, 'b', extract(epoch FROM b)::float8) ORDER BY d, b) FROM unnest(device_ids, streams, buckets) AS k(d, s, b)) AS keys
     FROM rollup_queue ORDER BY id`,
  )).rows
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')
const airReading = (o: Partial<ValidReading>): ValidReading => ({
  deviceId: 'aq-p1',
  kind: 'air-quality',
  stream: 'no2',
  shape: 'air-quality',
  seq: 1,
  observedAtMs: TOMORROW,
  receivedAtMs: TOMORROW,
  quality: 'good',
  values: { value: 21.5, unit: 'ug/m3', validity: 'valid', averagingS: 3600 },
  ...o,
})

describe('history partitions on the write path', () => {
  it('routes each reading to the partition of its UTC day, and older ones to the legacy partition', async () => {
    const id = 'loop-p1'
    await write({
      readings: [
        trafficReading({ deviceId: id, seq: 1, observedAtMs: 1_700_000_000_000 }),
        trafficReading({ deviceId: id, seq: 2, observedAtMs: TOMORROW + 12 * 3_600_000 }),
        trafficReading({ deviceId: id, seq: 3, observedAtMs: TOMORROW + DAY_MS + 60_000 }),
      ],
    })
    expect(await partitionOf(id)).toEqual([
      { p: 'traffic_reading_legacy', seq: 1 },
      { p: `traffic_reading_p${day(TOMORROW)}`, seq: 2 },
      { p: `traffic_reading_p${day(TOMORROW + DAY_MS)}`, seq: 3 },
    ])
  })

  it('refuses a reading for a day without a partition with 23514 (the ingest quarantines it as db_rejected)', async () => {
    const far = TOMORROW + 30 * DAY_MS
    await expect(write({ readings: [trafficReading({ deviceId: 'loop-p2', seq: 1, observedAtMs: far })] })).rejects.toMatchObject({ code: '23514' })
  })

  it('still refuses a seq re-used within one day, through the partition-local seq index', async () => {
    const id = 'loop-p3'
    // Stored but older than the latest state: only the seq index of the partition can refuse the re-use.
    await write({ readings: [trafficReading({ deviceId: id, seq: 20, observedAtMs: TOMORROW + 3_600_000 })] })
    await write({ readings: [trafficReading({ deviceId: id, seq: 30, observedAtMs: TOMORROW + 5 * 3_600_000 })] })
    const out = await write({ readings: [trafficReading({ deviceId: id, seq: 30, observedAtMs: TOMORROW + 2 * 3_600_000 })] })
    expect(out.inserted).toBe(0)
    expect(out.conflicts.map((c) => c.kind)).toEqual(['seq_reused'])
    expect(out.conflicts[0]?.existing).toMatchObject({ seq: 30, observedAtMs: TOMORROW + 5 * 3_600_000 })
    expect((await partitionOf(id)).map((r) => r.seq)).toEqual([20, 30])
  })

  it('catches a seq re-stamped with a time on another day (the order guard) and records seq_reused', async () => {
    const id = 'loop-p4'
    const first = trafficReading({ deviceId: id, seq: 100, observedAtMs: TOMORROW + 10 * 3_600_000, values: { flowVehH: 300 } })
    await write({ readings: [first] })
    // A gateway re-sends seq 100 with a fresh time, a day later: another partition, another seq index.
    const restamped = trafficReading({ deviceId: id, seq: 100, observedAtMs: TOMORROW + DAY_MS + 10 * 3_600_000, values: { flowVehH: 300 } })
    const out = await write({ readings: [restamped] })
    expect(out.inserted).toBe(0)
    expect(out.latest).toEqual([])
    expect(out.conflicts).toHaveLength(1)
    expect(out.conflicts[0]).toMatchObject({ kind: 'seq_reused', seq: 100, existing: { observedAtMs: first.observedAtMs, seq: 100 } })
    expect((await partitionOf(id)).map((r) => r.p)).toEqual([`traffic_reading_p${day(TOMORROW)}`])
    const latest = await t.db.query<{ ms: number }>(`SELECT (extract(epoch FROM observed_at) * 1000)::float8 AS ms FROM latest_state WHERE device_id = $1`, [id])
    expect(latest.rows[0]?.ms).toBe(first.observedAtMs)
  })

  it('lets a late, honest reading through the order guard (older time, smaller seq) without moving the latest state', async () => {
    const id = 'loop-p5'
    await write({ readings: [trafficReading({ deviceId: id, seq: 50, observedAtMs: TOMORROW + DAY_MS })] })
    const late = await write({ readings: [trafficReading({ deviceId: id, seq: 49, observedAtMs: TOMORROW + 23 * 3_600_000 })] })
    expect(late.inserted).toBe(1)
    expect(late.conflicts).toEqual([])
    expect((await partitionOf(id)).map((r) => r.seq)).toEqual([49, 50])
  })

  it('enqueues one rollup row per batch and table, with the distinct 1-min buckets of the rows actually stored', async () => {
    await t.db.exec('DELETE FROM rollup_queue')
    const base = TOMORROW + 6 * 3_600_000
    const a = trafficReading({ deviceId: 'loop-q1', seq: 1, observedAtMs: base + 5_000 })
    const b = trafficReading({ deviceId: 'loop-q1', seq: 2, observedAtMs: base + 35_000 }) // same minute as a
    const c = trafficReading({ deviceId: 'loop-q1', seq: 3, observedAtMs: base + 65_000 })
    const d = trafficReading({ deviceId: 'loop-q2', seq: 1, observedAtMs: base + 5_000 })
    const skewed = trafficReading({ deviceId: 'loop-q2', seq: 2, observedAtMs: base + 30 * 60_000, quality: 'clock_skew_future' })
    const aq = airReading({ seq: 7, observedAtMs: base + 120_000 })
    await write({ readings: [a, b, c, d, skewed, aq] })
    const rows = await queueRows()
    expect(rows.map((r) => r.shape).sort()).toEqual(['air-quality', 'traffic'])
    const traffic = rows.find((r) => r.shape === 'traffic')!
    const keys = traffic.keys.map((k) => `${k.d}@${k.b * 1000 - base}`).sort()
    expect(keys).toEqual(['loop-q1@0', 'loop-q1@60000', 'loop-q2@0'])
    expect(traffic.min_ms).toBe(base)
    expect(rows.find((r) => r.shape === 'air-quality')?.keys).toEqual([{ d: 'aq-p1', s: 'no2', b: (base + 120_000) / 1000 }])

    // Redelivered: nothing stored, nothing enqueued.
    await t.db.exec('DELETE FROM rollup_queue')
    const again = await write({ readings: [a, b, c, d, aq] })
    expect(again.inserted).toBe(0)
    expect(again.duplicates).toBe(5)
    expect(await queueRows()).toEqual([])
  })

  it('rolls the queue row back with the readings when the batch fails', async () => {
    await t.db.exec('DELETE FROM rollup_queue')
    await expect(
      t.db.transaction(async (tx) => {
        await writeBatch(tx, { readings: [trafficReading({ deviceId: 'loop-q3', seq: 1, observedAtMs: TOMORROW + 60_000 })], quarantine: [], registrations: [] })
        await tx.query('SELECT 1/0')
      }),
    ).rejects.toThrow()
    expect(await queueRows()).toEqual([])
  })
})
