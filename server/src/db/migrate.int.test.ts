/**
 * Migrations 0003 (history → daily partitions) and 0004 (rollups) on a database that already holds
 * history: the rows survive where they were, every query answers as before, the rollups of the old
 * history are built by the rollup job, and TypeScript migrations are checksummed like SQL ones.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_DATABASE_URL, TEST_TARGET } from '../../../tests/helpers/test-env'
import { trafficReading } from '../../../tests/helpers/factories'
import type { Aggregation } from '../../../contracts/api'
import { runRollups } from '../jobs/rollup-job'
import { openDb, type Db } from './adapter'
import { readHistory, type HistoryWindow } from './history'
import { migrate } from './migrate'
import { DAY_MS, listPartitions, unitStart } from './partitions'
import { writeBatch } from './readings'

/** A database with no migration applied (the shared helper gives a fully migrated one). */
async function openBareDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  if (TEST_TARGET === 'embedded') {
    const db = await openDb({ kind: 'embedded', dataDir: null })
    return { db, drop: () => db.close() }
  }
  const name = `gemello_t_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const db = await openDb({ kind: 'server', url: url.toString() })
  return {
    db,
    drop: async () => {
      await db.close()
      const a = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

const HOUR = 3_600_000
const TODAY = unitStart('day', Date.now())
const TOMORROW = TODAY + DAY_MS
/** Three days of history before the upgrade: two loops every minute, one air-quality station every hour, and a few 2023 rows. */
const START = TODAY - 3 * DAY_MS

let bare: Awaited<ReturnType<typeof openBareDb>>
let db: Db
const dump = async () => (await db.query('SELECT * FROM traffic_reading ORDER BY device_id, stream, observed_at')).rows
const windows: HistoryWindow[] = (['raw', '1m', '15m', '1h'] as Aggregation[]).flatMap((agg) => [
  { deviceId: 'loop-m1', stream: 'traffic', shape: 'traffic' as const, fromMs: START + 5 * HOUR + 7 * 60_000 + 30_000, toMs: START + 9 * HOUR + 3 * 60_000, agg },
  { deviceId: 'loop-m2', stream: 'traffic', shape: 'traffic' as const, fromMs: START + DAY_MS - 2 * HOUR, toMs: START + DAY_MS + 2 * HOUR + 1, agg },
  { deviceId: 'aq-m1', stream: 'no2', shape: 'air-quality' as const, fromMs: START, toMs: START + 2 * DAY_MS, agg },
])
const answers = async (source: 'auto' | 'raw') => Promise.all(windows.map((w) => readHistory(db, w, { source })))
let before: Awaited<ReturnType<typeof answers>>
let rowsBefore: Awaited<ReturnType<typeof dump>>

beforeAll(async () => {
  bare = await openBareDb()
  db = bare.db
  await migrate(db, { through: '0002_city_layers' })
  await db.query(
    `INSERT INTO traffic_reading (device_id, stream, observed_at, seq, received_at, quality, flow_veh_h, occupancy_pct, speed_kmh, interval_s, lane)
     SELECT d, 'traffic', to_timestamp($1 / 1000.0) + make_interval(mins => i), i, to_timestamp($1 / 1000.0) + make_interval(mins => i, secs => 2),
            CASE WHEN i % 97 = 0 THEN 'clock_skew_future' ELSE 'good' END,
            100 + (i % 13) * 0.5, (i % 7) * 1.25, CASE WHEN i % 5 = 0 THEN NULL ELSE 30 + i % 11 END, 60, CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 END
     FROM unnest(ARRAY['loop-m1', 'loop-m2']) AS d, generate_series(0, 3 * 24 * 60 - 1) AS i`,
    [START],
  )
  await db.query(
    `INSERT INTO traffic_reading (device_id, stream, observed_at, seq, received_at, quality, flow_veh_h, occupancy_pct, speed_kmh, interval_s, lane)
     VALUES ('loop-m1', 'traffic', '2023-11-14 22:13:20Z', 9000001, '2023-11-14 22:13:21Z', 'good', 50, 1, 20, 60, 0)`,
  )
  await db.query(
    `INSERT INTO air_quality_reading (device_id, stream, observed_at, seq, received_at, quality, value, unit, validity, averaging_s)
     SELECT 'aq-m1', 'no2', to_timestamp($1 / 1000.0) + make_interval(hours => i), i, to_timestamp($1 / 1000.0) + make_interval(hours => i), 'good',
            20 + (i % 9) * 0.25, 'ug/m3', CASE WHEN i % 10 = 0 THEN 'provisional' ELSE 'valid' END, 3600
     FROM generate_series(0, 3 * 24 - 1) AS i`,
    [START],
  )
  rowsBefore = await dump()
  before = await answers('raw')
  await migrate(db)
})
afterAll(async () => {
  await bare?.drop()
})

describe('migration 0003: history becomes daily partitions', () => {
  it('turns every history table into a range-partitioned parent with the old table as its legacy partition', async () => {
    const kinds = await db.query<{ relname: string; relkind: string }>(
      `SELECT relname, relkind::text FROM pg_class WHERE relname IN ('traffic_reading', 'air_quality_reading', 'gate_reading', 'link_reading', 'signal_stage_reading', 'bike_count_reading') ORDER BY 1`,
    )
    expect(kinds.rows.map((r) => r.relkind)).toEqual(['p', 'p', 'p', 'p', 'p', 'p'])
    const parts = await listPartitions(db, 'traffic_reading')
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')
    expect(parts).toEqual([
      { name: 'traffic_reading_legacy', fromMs: null, toMs: TOMORROW, detachPending: false },
      ...[0, 1, 2].map((d) => ({ name: `traffic_reading_p${day(TOMORROW + d * DAY_MS)}`, fromMs: TOMORROW + d * DAY_MS, toMs: TOMORROW + (d + 1) * DAY_MS, detachPending: false })),
    ])
    const legacyIndexes = await db.query<{ i: string }>(`SELECT indexrelid::regclass::text AS i FROM pg_index WHERE indrelid = 'traffic_reading_legacy'::regclass ORDER BY 1`)
    expect(legacyIndexes.rows.map((r) => r.i)).toEqual(['traffic_reading_legacy_pkey', 'traffic_reading_legacy_seq_key'])
  })

  it('keeps every row, in the legacy partition', async () => {
    expect(await dump()).toEqual(rowsBefore)
    const where = await db.query<{ p: string; n: number }>(`SELECT tableoid::regclass::text AS p, count(*)::int AS n FROM traffic_reading GROUP BY 1`)
    expect(where.rows).toEqual([{ p: 'traffic_reading_legacy', n: rowsBefore.length }])
  })

  it('answers history queries as before, while the rollups of the old rows are still being built', async () => {
    expect(await answers('raw')).toEqual(before)
    expect(await answers('auto')).toEqual(before)
  })

  it('keeps the old table`s seq index working for its days, and routes new days to their partitions', async () => {
    const reuse = await db.transaction((tx) =>
      writeBatch(tx, { readings: [trafficReading({ deviceId: 'loop-m1', seq: 10, observedAtMs: START + 10 * 60_000 + 30_000 })], quarantine: [], registrations: [] }),
    )
    expect(reuse.conflicts.map((c) => c.kind)).toEqual(['seq_reused'])
    const fresh = await db.transaction((tx) =>
      writeBatch(tx, { readings: [trafficReading({ deviceId: 'loop-m3', seq: 1, observedAtMs: TOMORROW + HOUR })], quarantine: [], registrations: [] }),
    )
    expect(fresh.inserted).toBe(1)
    const p = await db.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM traffic_reading WHERE device_id = 'loop-m3'`)
    expect(p.rows[0]?.p).toMatch(/^traffic_reading_p\d{8}$/)
  })
})

describe('migration 0004: rollups, queue, gaps', () => {
  it('asks the rollup job to build the rollups of the tables that hold history, and only those', async () => {
    const q = await db.query<{ shape: string; range_from: unknown; range_to: unknown }>(`SELECT shape, range_from, range_to FROM rollup_queue WHERE is_range ORDER BY id`)
    expect(q.rows).toEqual([
      { shape: 'traffic', range_from: null, range_to: null },
      { shape: 'air-quality', range_from: null, range_to: null },
    ])
  })

  it('once the rollup job has run, answers history from the rollups exactly as before', async () => {
    for (let i = 0; i < 10; i++) if ((await db.transaction((tx) => runRollups(tx))).queueRows === 0) break
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rollup_queue')).rows[0]?.n).toBe(0)
    const minutes = await db.query<{ rolled: number; direct: number }>(
      `SELECT (SELECT count(*)::int FROM traffic_1m) AS rolled,
              (SELECT count(DISTINCT (device_id, stream, date_bin('1 minute', observed_at, TIMESTAMPTZ '2000-01-01Z')))::int FROM traffic_reading WHERE quality <> 'clock_skew_future') AS direct`,
    )
    expect(minutes.rows[0]?.rolled).toBe(minutes.rows[0]?.direct)
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM air_quality_1h')).rows[0]?.n).toBe(72)
    expect(await answers('auto')).toEqual(before)
  })

  it('adds the sequence-gap tables and the quarantine columns', async () => {
    await db.query(`INSERT INTO seq_gap (device_id, stream, from_seq, to_seq) VALUES ('loop-m1', 'traffic', 5, 9)`)
    await db.query(`INSERT INTO stream_watermark (device_id, stream, contiguous_seq, max_seq) VALUES ('loop-m1', 'traffic', 4, 12)`)
    await expect(db.query(`INSERT INTO seq_gap (device_id, stream, from_seq, to_seq) VALUES ('loop-m1', 'traffic', 9, 5)`)).rejects.toThrow()
    const cols = await db.query<{ column_name: string; is_nullable: string }>(
      `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 'ingest_quarantine' AND column_name IN ('device_id', 'stream', 'seq', 'resolved_at') ORDER BY 1`,
    )
    expect(cols.rows).toEqual(['device_id', 'resolved_at', 'seq', 'stream'].map((c) => ({ column_name: c, is_nullable: 'YES' })))
  })
})

describe('TypeScript migrations', () => {
  it('are recorded once and not applied again', async () => {
    expect((await migrate(db)).applied).toEqual([])
    const v = await db.query<{ version: string }>(`SELECT version FROM schema_migration WHERE version >= '0003' AND version < '0007' ORDER BY 1`)
    expect(v.rows.map((r) => r.version)).toEqual(['0003_partition_history', '0004_rollups_and_gaps', '0005_audit_log', '0006_identity'])
  })

  it('are checksummed: one changed after it was applied stops the boot', async () => {
    const old = await db.query<{ checksum: string }>(`SELECT checksum FROM schema_migration WHERE version = '0003_partition_history'`)
    await db.query(`UPDATE schema_migration SET checksum = 'edited' WHERE version = '0003_partition_history'`)
    try {
      await expect(migrate(db)).rejects.toMatchObject({ code: 'MIGRATION_CHANGED' })
    } finally {
      await db.query(`UPDATE schema_migration SET checksum = $1 WHERE version = '0003_partition_history'`, [old.rows[0]?.checksum])
    }
  })
})
