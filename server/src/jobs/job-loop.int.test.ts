import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { waitFor } from '../../../tests/helpers/wait-for'
import { listPartitions } from '../db/partitions'
import { startHistoryJobs } from './history-jobs'
import { JobLoop, type Job, type JobLogger } from './job-loop'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
  await t.db.exec('CREATE TABLE job_probe (id serial PRIMARY KEY, note text NOT NULL)')
})
afterAll(async () => {
  await t?.drop()
})

const KEY = 74_299_999
const lines: Array<{ level: string; obj: object; msg: string | undefined }> = []
const log: JobLogger = {
  info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
  warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
  error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
}
const notes = async () => (await t.db.query<{ note: string }>('SELECT note FROM job_probe ORDER BY id')).rows.map((r) => r.note)
const probeJob = (o: Partial<Job<string>> & { run: Job<string>['run'] }): Job<string> => ({ name: 'probe', intervalMs: 60_000, lockKey: KEY, ...o })

describe('JobLoop', () => {
  it('runs each tick in one transaction holding its advisory lock', async () => {
    const loop = new JobLoop({
      db: t.db,
      log,
      job: probeJob({
        run: async (tx) => {
          const held = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted AND pid = pg_backend_pid()`, [KEY])
          await tx.query(`INSERT INTO job_probe (note) VALUES ($1)`, [`lock held ${held.rows[0]?.n}`])
          return 'ok'
        },
      }),
    })
    expect(await loop.runOnce()).toBe('ran')
    expect(await notes()).toEqual(['lock held 1'])
    const after = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1`, [KEY])
    expect(after.rows[0]?.n).toBe(0)
    expect(loop.stats()).toMatchObject({ runs: 1, skipped: 0, failures: 0 })
  })

  it('rolls back a failing tick, logs it, and runs again next time', async () => {
    await t.db.exec('DELETE FROM job_probe')
    let calls = 0
    const loop = new JobLoop({
      db: t.db,
      log,
      job: probeJob({
        run: async (tx) => {
          calls++
          await tx.query(`INSERT INTO job_probe (note) VALUES ($1)`, [`call ${calls}`])
          if (calls === 1) throw new Error('disk on fire')
          return 'ok'
        },
      }),
    })
    expect(await loop.runOnce()).toBe('failed')
    expect(lines.at(-1)).toMatchObject({ level: 'error', obj: { job: 'probe', err: 'disk on fire' } })
    expect(await loop.runOnce()).toBe('ran')
    expect(await notes()).toEqual(['call 2'])
    expect(loop.stats()).toMatchObject({ runs: 1, failures: 1, lastError: null })
  })

  it.runIf(TEST_TARGET === 'services')('skips the tick while another process holds the lock', async () => {
    const other = new pg.Client({ connectionString: t.url! })
    await other.connect()
    let ran = 0
    const loop = new JobLoop({ db: t.db, log, job: probeJob({ run: async () => String(++ran) }) })
    try {
      await other.query('BEGIN')
      await other.query('SELECT pg_advisory_xact_lock($1)', [KEY])
      expect(await loop.runOnce()).toBe('skipped')
      expect(ran).toBe(0)
    } finally {
      await other.query('COMMIT')
      await other.end()
    }
    expect(await loop.runOnce()).toBe('ran')
    expect(loop.stats()).toMatchObject({ runs: 1, skipped: 1 })
  })

  it('runs afterCommit once the transaction has committed', async () => {
    await t.db.exec('DELETE FROM job_probe')
    let seen: string[] = []
    const loop = new JobLoop({
      db: t.db,
      log,
      job: probeJob({
        run: async (tx) => {
          await tx.query(`INSERT INTO job_probe (note) VALUES ('committed')`)
          return 'x'
        },
        afterCommit: async () => {
          seen = await notes()
        },
      }),
    })
    expect(await loop.runOnce()).toBe('ran')
    expect(seen).toEqual(['committed'])
  })

  it('ticks every interval until stop(), which waits for the tick in progress', async () => {
    let ticks = 0
    let inTick = false
    const loop = new JobLoop({
      db: t.db,
      log,
      job: probeJob({
        intervalMs: 5,
        run: async () => {
          inTick = true
          await new Promise((r) => setTimeout(r, 30))
          ticks++
          inTick = false
          return 'ok'
        },
      }),
    })
    loop.start()
    await waitFor(() => ticks >= 3, 'three ticks')
    await waitFor(() => inTick, 'a tick in progress')
    await loop.stop()
    expect(inTick).toBe(false)
    const stoppedAt = ticks
    await new Promise((r) => setTimeout(r, 100))
    expect(ticks).toBe(stoppedAt)
  })

  it('runs the next tick at once while a run says it left work behind, then waits the interval again', async () => {
    let backlog = 5
    const at: number[] = []
    const loop = new JobLoop({
      db: t.db,
      log,
      job: probeJob({
        intervalMs: 60_000,
        run: async () => {
          at.push(Date.now())
          backlog = Math.max(0, backlog - 2)
          return String(backlog)
        },
        more: (left) => Number(left) > 0,
      }),
    })
    loop.start()
    await waitFor(() => at.length >= 3, 'the backlog worked off')
    await new Promise((r) => setTimeout(r, 200))
    await loop.stop()
    // 5 → 3 → 1 → 0: three ticks back to back, then the 60-s interval.
    expect(at).toHaveLength(3)
    expect(at[2]! - at[0]!).toBeLessThan(30_000)
  })
})

describe('startHistoryJobs', () => {
  it('refuses a raw retention shorter than the 8 days a late reading may reach back, naming the setting', () => {
    expect(() => startHistoryJobs({ db: t.db, log, policy: { rawDays: 7 } })).toThrow(/HISTORY_RAW_DAYS.*at least 8/)
    expect(() => startHistoryJobs({ db: t.db, log, policy: { rawDays: 30, oneMinuteDays: 10 } })).toThrow(/HISTORY_1M_DAYS/)
  })

  it('creates the partitions before it reports ready, runs the rollups, and stops', async () => {
    await t.db.exec('DROP TABLE IF EXISTS traffic_1m_p' + new Date().toISOString().slice(0, 7).replace('-', ''))
    const jobs = startHistoryJobs({ db: t.db, log, intervalsMs: { rollups: 50 } })
    await jobs.ready
    expect((await listPartitions(t.db, 'traffic_1m')).length).toBeGreaterThan(0)
    await waitFor(() => (jobs.stats().find((s) => s.name === 'rollups')?.runs ?? 0) >= 2, 'two rollup runs')
    await jobs.stop()
    const names = jobs.stats().map((s) => s.name)
    expect(names).toEqual(['partitions', 'rollups', 'retention', 'compaction'])
    expect(jobs.stats().every((s) => s.failures === 0)).toBe(true)
  })
})
