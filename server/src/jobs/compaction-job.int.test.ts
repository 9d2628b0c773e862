import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trafficReading } from '../../../tests/helpers/factories'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { readHistory } from '../db/history'
import { DAY_MS, ensurePartitions, listPartitions, unitStart } from '../db/partitions'
import { writeBatch, type ValidReading } from '../db/readings'
import { compactionJob } from './compaction-job'
import { JobLoop, type JobLogger } from './job-loop'
import { DEFAULT_RETENTION_POLICY } from './retention-job'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
  await t.db.transaction((tx) => ensurePartitions(tx, Date.now()))
}, 240_000)
afterAll(async () => {
  await t?.drop()
})

const TODAY = unitStart('day', Date.now())
/** The day the readings are on: tomorrow, its own daily partition (today and before are the legacy one on a fresh database). */
const DAY = TODAY + DAY_MS
const PART = `traffic_reading_p${new Date(DAY).toISOString().slice(0, 10).replaceAll('-', '')}`
const DEVICES = 40
const MINUTES = 90
const logs: string[] = []
const log: JobLogger = { info: (_o, m) => logs.push(`info ${m}`), warn: (_o, m) => logs.push(`warn ${m}`), error: (_o, m) => logs.push(`error ${m}`) }
/** The job's clock: `days` after today, noon. */
const tick = (days: number) => new JobLoop({ db: t.db, log, clock: () => TODAY + days * DAY_MS + 12 * 3_600_000, job: compactionJob({ db: t.db, policy: DEFAULT_RETENTION_POLICY }) }).runOnce()
const comment = async (name: string) => (await t.db.query<{ c: string | null }>(`SELECT obj_description($1::regclass, 'pg_class') AS c`, [name])).rows[0]?.c ?? null
/** Heap pages holding one device's rows: what a device-day query has to read. */
const pagesOf = async (deviceId: string) =>
  (await t.db.query<{ n: number }>(`SELECT count(DISTINCT (ctid::text::point)[0])::int AS n FROM ${PART} WHERE device_id = $1`, [deviceId])).rows[0]!.n
const everything = async () =>
  (await t.db.query<Record<string, unknown>>(`SELECT device_id, stream, observed_at, seq, received_at, quality, flow_veh_h, occupancy_pct, speed_kmh FROM traffic_reading ORDER BY device_id, stream, observed_at`)).rows
const dayOf = (deviceId: string) => readHistory(t.db, { deviceId, stream: 'traffic', shape: 'traffic', fromMs: DAY, toMs: DAY + DAY_MS, agg: 'raw' })

describe('compaction of closed history days', () => {
  let before: Record<string, unknown>[]
  beforeAll(async () => {
    // As the ingest writes them: a batch per minute, every device in each (a batch is written in key order).
    let seq = 1
    for (let k = 0; k < MINUTES; k++) {
      const batch: ValidReading[] = []
      for (let d = 0; d < DEVICES; d++)
        batch.push(trafficReading({ deviceId: `loop-c${String(d).padStart(3, '0')}`, seq: seq++, observedAtMs: DAY + k * 60_000, receivedAtMs: DAY + k * 60_000 + 500, values: { flowVehH: (d * 37 + k) % 900 } }))
      await t.db.transaction((tx) => writeBatch(tx, { readings: batch, quarantine: [], registrations: [] }))
    }
    // One reading in the legacy partition (today and before on a fresh database).
    await t.db.transaction((tx) => writeBatch(tx, { readings: [trafficReading({ deviceId: 'loop-c000', seq: 0, observedAtMs: TODAY - DAY_MS })], quarantine: [], registrations: [] }))
    before = await everything()
  }, 120_000)

  it('leaves a day alone while a reading can still arrive for it (7 days late is accepted)', async () => {
    // The partition of day 1 ends on day 2: closed once that is 8 days before the clock's day, on day 10.
    // On day 9 only the legacy partition (up to day 1) is closed: its one row is rewritten, the empty ones marked.
    expect(await tick(9)).toBe('ran')
    expect(await comment(PART)).toBeNull()
    expect(await pagesOf('loop-c007')).toBeGreaterThan(MINUTES / 3)
    expect(await comment('traffic_reading_legacy')).toMatch(/^gemello:compacted .*"rows":1/)
    expect(await comment('gate_reading_legacy')).toMatch(/^gemello:compacted .*"rows":0/)
    expect(await everything()).toEqual(before)
  })

  it.runIf(TEST_TARGET === 'services')('gives up the swap after lock_timeout while a reader holds the table, and leaves the day as it was', async () => {
    const reader = new pg.Client({ connectionString: t.url! })
    await reader.connect()
    try {
      await reader.query('BEGIN')
      await reader.query('SELECT count(*) FROM traffic_reading')
      expect(await tick(10)).toBe('failed')
    } finally {
      await reader.query('COMMIT')
      await reader.end()
    }
    expect(logs.at(-1)).toMatch(/history job compaction failed.*runs again/)
    expect(await comment(PART)).toBeNull()
    expect((await t.db.query<{ r: string | null }>(`SELECT to_regclass($1)::text AS r`, [`${PART}_compacting`])).rows[0]?.r).toBeNull()
    expect(await everything()).toEqual(before)
  })

  it('rewrites the newest closed day in key order: the same rows, one device on a few pages instead of one per reading', async () => {
    const spreadBefore = await pagesOf('loop-c007')
    const historyBefore = await dayOf('loop-c007')
    expect(await tick(10)).toBe('ran')
    expect(logs.some((l) => l.startsWith(`info compaction: rewrote ${PART} in key order (${DEVICES * MINUTES} rows`))).toBe(true)
    expect(await comment(PART)).toMatch(/^gemello:compacted /)
    expect(await everything()).toEqual(before)
    expect(await dayOf('loop-c007')).toEqual(historyBefore)
    expect(await pagesOf('loop-c007')).toBeLessThanOrEqual(3)
    expect(spreadBefore).toBeGreaterThan(MINUTES / 3)
    // Still the same partition of the same parent, with the bounds and keys of one.
    const p = (await listPartitions(t.db, 'traffic_reading')).find((x) => x.name === PART)
    expect(p).toMatchObject({ fromMs: DAY, toMs: DAY + DAY_MS, detachPending: false })
    const idx = await t.db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY 1`, [PART])
    expect(idx.rows.map((r) => r.indexname), JSON.stringify(idx.rows)).toEqual([`${PART}_pkey`, `${PART}_seq_key`])
  })

  it('still refuses a second row under a stored key or seq of the compacted day', async () => {
    const first = (await t.db.query<{ seq: string }>(`SELECT seq FROM ${PART} WHERE device_id = 'loop-c007' ORDER BY observed_at LIMIT 1`)).rows[0]!
    const sameKey = trafficReading({ deviceId: 'loop-c007', seq: 999_999, observedAtMs: DAY + 60_000, values: { flowVehH: 1 } })
    const sameSeq = trafficReading({ deviceId: 'loop-c007', seq: Number(first.seq), observedAtMs: DAY + 30_000 })
    const r = await t.db.transaction((tx) => writeBatch(tx, { readings: [sameKey, sameSeq], quarantine: [], registrations: [] }))
    expect(r.inserted).toBe(0)
    expect(r.conflicts.map((c) => c.kind).sort()).toEqual(['seq_reused', 'value_mismatch'])
    expect(await everything()).toEqual(before)
  })

  it('has nothing left to do on the next tick', async () => {
    expect(await comment(`gate_reading_p${PART.slice(-8)}`)).toMatch(/^gemello:compacted .*"rows":0/)
    const n = logs.length
    expect(await tick(10)).toBe('ran')
    expect(logs.length).toBe(n)
    expect(await everything()).toEqual(before)
  })
})
