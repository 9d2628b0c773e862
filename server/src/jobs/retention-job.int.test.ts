import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { trafficReading } from '../../../tests/helpers/factories'
import { DAY_MS, ensurePartitions, listPartitions, unitStart } from '../db/partitions'
import { writeBatch, type ValidReading } from '../db/readings'
import { JobLoop, type JobLogger } from './job-loop'
import { retentionJob, type RetentionPolicy } from './retention-job'
import { runRollups } from './rollup-job'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t?.drop()
})

const TODAY = unitStart('day', Date.now())
/** The clock of this test: two months from now. */
const LATER = TODAY + 60 * DAY_MS + 12 * 3_600_000
const POLICY: RetentionPolicy = { rawDays: 30, oneMinuteDays: 45, oneHourDays: 400 }
const logs: string[] = []
const log: JobLogger = { info: (_o, m) => logs.push(`info ${m}`), warn: (_o, m) => logs.push(`warn ${m}`), error: (_o, m) => logs.push(`error ${m}`) }
const retention = () => new JobLoop({ db: t.db, log, clock: () => LATER, job: retentionJob({ db: t.db, policy: POLICY }) }).runOnce()
const write = (readings: ValidReading[]) => t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
const names = async (parent: string) => (await listPartitions(t.db, parent)).map((p) => p.name)
const exists = async (table: string) => (await t.db.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [table])).rows[0]?.r !== null
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')

describe('retention by DROP', () => {
  beforeAll(async () => {
    // Today's partitions, and the ones two months on (as the partition job will have made them).
    await t.db.transaction((tx) => ensurePartitions(tx, Date.now()))
    await t.db.transaction((tx) => ensurePartitions(tx, LATER))
    await write([
      trafficReading({ deviceId: 'loop-x1', seq: 1, observedAtMs: TODAY - 2 * DAY_MS }),
      trafficReading({ deviceId: 'loop-x1', seq: 2, observedAtMs: TODAY + DAY_MS + 60_000 }),
      trafficReading({ deviceId: 'loop-x1', seq: 3, observedAtMs: LATER - 3_600_000 }),
    ])
  })

  it('keeps a history day the rollup queue still has to read, and drops the old days of the other tables', async () => {
    expect(await retention()).toBe('ran')
    expect(await exists('traffic_reading_legacy')).toBe(true)
    expect(await exists('gate_reading_legacy')).toBe(false)
    expect(await names('gate_reading')).toEqual([52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63].map((d) => `gate_reading_p${day(TODAY + d * DAY_MS)}`))
  })

  it('drops every partition older than the policy once the queue is empty, detached and gone, and keeps the rest with its rows', async () => {
    await t.db.transaction((tx) => runRollups(tx))
    expect(await retention()).toBe('ran')
    const raw = (await listPartitions(t.db, 'traffic_reading')).map((p) => p.name)
    expect(raw).toEqual([52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63].map((d) => `traffic_reading_p${day(TODAY + d * DAY_MS)}`))
    for (const gone of ['traffic_reading_legacy', `traffic_reading_p${day(TODAY + DAY_MS)}`]) expect(await exists(gone), gone).toBe(false)
    const rows = await t.db.query<{ seq: number }>(`SELECT seq FROM traffic_reading WHERE device_id = 'loop-x1'`)
    expect(rows.rows).toEqual([{ seq: 3 }])
    // 1-min rollups: months ending 45 days before LATER or earlier go; 1-h rollups (400 days) stay.
    const cutoff1m = unitStart('day', LATER) - POLICY.oneMinuteDays * DAY_MS
    const monthEnd = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth() + 1, 1)
    for (const p of await listPartitions(t.db, 'traffic_1m')) expect(p.toMs!, p.name).toBeGreaterThan(cutoff1m)
    expect(await names('traffic_1m')).toContain(`traffic_1m_p${day(LATER).slice(0, 6)}`)
    if (monthEnd(TODAY - 2 * DAY_MS) <= cutoff1m) expect(await exists(`traffic_1m_p${day(TODAY - 2 * DAY_MS).slice(0, 6)}`)).toBe(false)
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM traffic_1h')).rows[0]?.n).toBe(3)
    expect(logs.some((l) => l.startsWith('info retention: dropped') && l.includes('traffic_reading_legacy'))).toBe(true)
  })

  it('drops nothing more when run again', async () => {
    const before = await names('traffic_reading')
    expect(await retention()).toBe('ran')
    expect(await names('traffic_reading')).toEqual(before)
  })

  it.runIf(TEST_TARGET === 'services')('finishes a concurrent detach that was interrupted, and drops the partition', async () => {
    const victim = `link_reading_p${day(TODAY + 52 * DAY_MS)}`
    const reader = new pg.Client({ connectionString: t.url! })
    const detacher = new pg.Client({ connectionString: t.url! })
    await reader.connect()
    await detacher.connect()
    try {
      // A reader's snapshot makes DETACH … CONCURRENTLY wait in its second phase; cancelling it there
      // leaves the partition "detach pending", as a crash would.
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
      await reader.query('SELECT count(*) FROM link_reading')
      const pid = (await detacher.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
      const detaching = detacher.query(`ALTER TABLE link_reading DETACH PARTITION ${victim} CONCURRENTLY`).catch((e: Error) => e)
      for (let i = 0; i < 100; i++) {
        const w = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhdetachpending AND inhrelid = $1::regclass`, [victim])
        if (w.rows[0]?.n === 1) break
        await new Promise((r) => setTimeout(r, 50))
      }
      await t.db.query('SELECT pg_cancel_backend($1)', [pid])
      expect(String(await detaching)).toMatch(/cancel/)
    } finally {
      await reader.query('COMMIT')
      await reader.end()
      await detacher.end()
    }
    expect((await listPartitions(t.db, 'link_reading')).find((p) => p.name === victim)?.detachPending).toBe(true)
    const clock = TODAY + 95 * DAY_MS
    await new JobLoop({ db: t.db, log, clock: () => clock, job: retentionJob({ db: t.db, policy: { rawDays: 44, oneMinuteDays: 400, oneHourDays: 400 } }) }).runOnce()
    expect(await exists(victim)).toBe(false)
    expect(await exists(`link_reading_p${day(TODAY + 53 * DAY_MS)}`)).toBe(true)
  })
})
