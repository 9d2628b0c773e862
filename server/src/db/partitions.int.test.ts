import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { trafficReading } from '../../../tests/helpers/factories'
import { DAY_MS, ensurePartitions, listPartitions, partitionsAheadDays, unitStart } from './partitions'
import { writeBatch } from './readings'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t?.drop()
})

const NOW = Date.now()
const TODAY = unitStart('day', NOW)
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')
const ensure = (nowMs: number) => t.db.transaction((tx) => ensurePartitions(tx, nowMs))
const names = async (parent: string) => (await listPartitions(t.db, parent)).map((p) => p.name)
const seqIndexes = async () =>
  (await t.db.query<{ t: string }>(
    `SELECT indrelid::regclass::text AS t FROM pg_index WHERE indisunique AND indrelid::regclass::text LIKE 'traffic_reading_p%' AND indexrelid::regclass::text LIKE '%_seq_key'`,
  )).rows.map((r) => r.t)

describe('ensurePartitions', () => {
  it('creates no history partition the legacy one or the migration already covers, and the rollup partitions of those days', async () => {
    const first = await ensure(NOW)
    expect(first.failed).toEqual([])
    expect(first.created.filter((n) => n.includes('_reading_'))).toEqual([])
    const month = (ms: number) => new Date(ms).toISOString().slice(0, 7).replace('-', '')
    const months = [...new Set([month(TODAY - 8 * DAY_MS), month(TODAY + 3 * DAY_MS)])]
    expect(await names('traffic_1m')).toEqual(months.map((m) => `traffic_1m_p${m}`))
    expect((await names('traffic_1h')).length).toBeGreaterThanOrEqual(1)
    expect((await ensure(NOW)).created).toEqual([])
  })

  it('adds each new day ahead with its local seq index as time passes, and readings go there', async () => {
    const later = NOW + 5 * DAY_MS
    const r = await ensure(later)
    expect(r.failed).toEqual([])
    const expected = [4, 5, 6, 7, 8].map((d) => `traffic_reading_p${day(TODAY + d * DAY_MS)}`)
    expect(r.created.filter((n) => n.startsWith('traffic_reading_'))).toEqual(expected)
    expect((await names('traffic_reading')).slice(-5)).toEqual(expected)
    expect(await seqIndexes()).toEqual(expect.arrayContaining(expected))
    const at = TODAY + 8 * DAY_MS + 3_600_000
    const out = await t.db.transaction((tx) =>
      writeBatch(tx, { readings: [trafficReading({ deviceId: 'loop-e1', seq: 7, observedAtMs: at }), trafficReading({ deviceId: 'loop-e1', seq: 7, observedAtMs: at - 60_000 })], quarantine: [], registrations: [] }),
    )
    expect(out.inserted).toBe(1)
    expect(out.conflicts.map((c) => c.kind)).toEqual(['seq_reused'])
    const where = await t.db.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM traffic_reading WHERE device_id = 'loop-e1'`)
    expect(where.rows).toEqual([{ p: `traffic_reading_p${day(TODAY + 8 * DAY_MS)}` }])
  })

  it('reports the days of partitions ahead of now (the alarm metric), 0 when now has none', async () => {
    const ahead = await partitionsAheadDays(t.db, NOW)
    expect(ahead).toBeCloseTo((TODAY + 9 * DAY_MS - NOW) / DAY_MS, 6)
    expect(await partitionsAheadDays(t.db, TODAY + 7 * DAY_MS)).toBe(2)
    expect(await partitionsAheadDays(t.db, TODAY + 40 * DAY_MS)).toBe(0)
  })

  it.runIf(TEST_TARGET === 'services')('creates a partition while a writer holds its transaction open on the parent', async () => {
    const writer = new pg.Client({ connectionString: t.url! })
    await writer.connect()
    try {
      await writer.query('BEGIN')
      await writer.query(
        `INSERT INTO traffic_reading (device_id, stream, observed_at, seq, received_at, quality, flow_veh_h, occupancy_pct, interval_s)
         VALUES ('loop-e2', 'traffic', now() - interval '1 hour', 1, now(), 'good', 1, 1, 60)`,
      )
      const t0 = Date.now()
      const r = await ensure(NOW + 6 * DAY_MS)
      expect(r.failed).toEqual([])
      expect(r.created).toContain(`traffic_reading_p${day(TODAY + 9 * DAY_MS)}`)
      expect(Date.now() - t0).toBeLessThan(1500)
    } finally {
      await writer.query('COMMIT')
      await writer.end()
    }
  })

  it.runIf(TEST_TARGET === 'services')('gives up on a table it cannot lock within lock_timeout, creates the others, and succeeds on the next run', async () => {
    const blocker = new pg.Client({ connectionString: t.url! })
    await blocker.connect()
    const target = `traffic_reading_p${day(TODAY + 10 * DAY_MS)}`
    try {
      await blocker.query('BEGIN')
      await blocker.query('LOCK TABLE traffic_reading IN ACCESS EXCLUSIVE MODE')
      const r = await ensure(NOW + 7 * DAY_MS)
      expect(r.failed.map((f) => f.name)).toEqual(['traffic_reading'])
      expect(r.failed[0]?.error).toMatch(/lock timeout/)
      expect(r.created).toContain(`gate_reading_p${day(TODAY + 10 * DAY_MS)}`)
    } finally {
      await blocker.query('COMMIT')
      await blocker.end()
    }
    expect((await ensure(NOW + 7 * DAY_MS)).created).toEqual([target])
  })
})
