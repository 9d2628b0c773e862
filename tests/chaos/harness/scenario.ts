/**
 * One chaos scenario's world: our own Mosquitto and Redis, a throwaway PostgreSQL database with the
 * fleet's devices (outbox devices: props.backfill), Gemello processes by role, the device fleet.
 * Fast backfill settings so a scenario converges in seconds, not minutes.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GemelloProcess } from '../../helpers/gemello-process'
import { freePort } from '../../helpers/free-port'
import { createTestDb, type TestDb } from '../../helpers/test-db'
import { waitFor } from '../../helpers/wait-for'
import { DeviceFleet } from './device-fleet'
import { reconcile, type Reconciliation } from './reconcile'
import { ROOT, startMosquitto, startRedis, type MosquittoOptions, type ServiceProcess } from './services'
import type { OutboxMode } from '../../../simulator/src/outbox'
import { startPostgres, type Cluster } from '../../../bench/lib/postgres-cluster'
import { openDb } from '../../../server/src/db/adapter'
import { migrate } from '../../../server/src/db/migrate'
import { mulberry32 } from '../../../simulator/src/prng'
import { TEST_DEVICE_KEY } from '../../helpers/test-mqtt-identity'

export interface WorldOptions {
  devices: number
  mode: OutboxMode
  copies?: number
  startInPastMs?: number
  /** Our own PostgreSQL cluster (to crash it), instead of a database on the local server. */
  ownPostgres?: boolean
  mosquitto?: MosquittoOptions
}

export class World {
  mq!: ServiceProcess & { url: string }
  redis!: ServiceProcess & { url: string }
  testDb!: TestDb
  fleet!: DeviceFleet
  dir!: string
  readonly procs: GemelloProcess[] = []
  pg: Cluster | null = null
  readonly ids: string[]

  constructor(readonly o: WorldOptions) {
    this.ids = Array.from({ length: o.devices }, (_, i) => `cx-${String(i).padStart(4, '0')}`)
  }

  async start(): Promise<void> {
    this.dir = mkdtempSync(path.join(tmpdir(), 'gemello-chaos-'))
    ;[this.mq, this.redis, this.testDb] = await Promise.all([startMosquitto(this.o.mosquitto), startRedis(), this.o.ownPostgres ? this.ownDb() : createTestDb()])
    await this.testDb.db.query(
      `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props)
       SELECT id, 'traffic-loop', 'Chaos loop ' || id, ST_SetSRID(ST_MakePoint(11.30 + n * 0.0002, 44.49), 4326), 60, 'generated', 'chaos', '{"backfill": true}'
       FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n)`,
      [this.ids],
    )
    this.fleet = new DeviceFleet({ url: this.mq.url, deviceIds: this.ids, connections: 4, mode: this.o.mode, retryAfterMs: 15_000, stepMs: 100, copies: this.o.copies ?? 1, startInPastMs: this.o.startInPastMs ?? 0 })
  }

  private async ownDb(): Promise<TestDb> {
    const pg = startPostgres(await freePort())
    if (!pg) throw new Error('PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin) are needed to crash a database on purpose')
    this.pg = pg
    const db = await openDb({ kind: 'server', url: pg.url })
    await migrate(db)
    return { db, url: pg.url, drop: async () => (await db.close(), pg.stop()) }
  }

  /** A Gemello process with these roles (not started). */
  async gemello(roles: string, extra: Record<string, string> = {}): Promise<GemelloProcess> {
    mkdirSync(path.join(this.dir, 'no-city'), { recursive: true })
    const p = new GemelloProcess({
      PORT: String(await freePort()),
      DATA_DIR: this.dir,
      CITY_DATA_DIR: path.join(this.dir, 'no-city'),
      DATABASE_URL: this.testDb.url!,
      MQTT_URL: this.mq.url,
      DEVICE_KEY: TEST_DEVICE_KEY,
      REDIS_URL: this.redis.url,
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
      GEMELLO_ROLES: roles,
      INGEST_BACKFILL_SCAN_MS: '2000',
      INGEST_BACKFILL_GRACE_MS: '3000',
      INGEST_BACKFILL_CONFIRM_MS: '5000',
      INGEST_BACKFILL_RETRY_MS: '5000',
      ...extra,
    })
    this.procs.push(p)
    return p
  }

  reconcile(): Promise<Reconciliation> {
    return reconcile(this.testDb.db, this.fleet.published)
  }

  /** Waits until nothing is lost and every outbox is confirmed empty (or the time is up); returns the last report. */
  async settle(timeoutMs: number): Promise<Reconciliation> {
    let rep = await this.reconcile()
    await waitFor(
      async () => {
        rep = await this.reconcile()
        return rep.lost === 0 && this.fleet.unconfirmed() === 0
      },
      'the reconciliation to settle',
      timeoutMs,
      1000,
    ).catch(() => undefined)
    return rep
  }

  async stop(name: string, report: Record<string, unknown>): Promise<void> {
    // The processes' own last words, for a failed scenario's report.
    const q = async (sql: string) => (await this.testDb.db.query(sql).catch((e: Error) => ({ rows: [{ error: e.message }] }))).rows
    report.db = {
      watermarks: await q(`SELECT count(*) AS n, min(contiguous_seq) AS min, max(contiguous_seq) AS max FROM stream_watermark`),
      gaps: await q(`SELECT closed_as, count(*) AS n, sum(requests) AS requests FROM seq_gap GROUP BY 1`),
    }
    report.metrics = Object.fromEntries(
      await Promise.all(
        this.procs.map(async (p, i) => {
          const text = p.running ? await fetch(`${p.url}/metrics`).then((r) => r.text(), () => '') : ''
          return [`${p.env.GEMELLO_ROLES}#${i}`, text.split('\n').filter((l) => /^gemello_(ingest|live)/.test(l) && !/_bucket/.test(l))]
        }),
      ),
    )
    report.logs = Object.fromEntries(this.procs.map((p, i) => [`${p.env.GEMELLO_ROLES}#${i}`, p.output.slice(-3000)]))
    await this.fleet?.stop()
    for (const p of this.procs.reverse()) await p.stop()
    await Promise.all([this.mq?.stop(), this.redis?.stop()])
    await this.testDb?.drop().catch(() => undefined)
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
    const out = path.join(ROOT, 'tests/chaos/reports')
    mkdirSync(out, { recursive: true })
    writeFileSync(path.join(out, `${name}.json`), JSON.stringify(report, null, 2))
    console.log(`${name} report ${JSON.stringify(report)}`)
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Readings the process's ingest recognised as duplicates so far (its /metrics): a replay is through when this has grown by its size. */
export async function ingestDuplicates(p: GemelloProcess): Promise<number> {
  const metrics = await (await fetch(`${p.url}/metrics`)).text()
  return Number(/^gemello_ingest_duplicates_total (\d+)/m.exec(metrics)?.[1] ?? 0)
}

/**
 * A scenario file's world, registered with vitest: before all, the engines, the devices, one Gemello
 * process with every role but the simulator (or what `setup` starts instead) and the fleet; after all,
 * the world stopped and the report written to tests/chaos/reports/<name>.json.
 */
export function chaosWorld(
  name: string,
  o: WorldOptions,
  report: Record<string, unknown>,
  setup: (world: World) => Promise<void> = async (w) => {
    await (await w.gemello('server,ingest')).start()
  },
): { world: World; gemello: () => GemelloProcess } {
  const world = new World(o)
  beforeAll(async () => {
    await world.start()
    await setup(world)
    await world.fleet.start()
  })
  afterAll(async () => {
    await world.stop(name, report)
  })
  return { world, gemello: () => world.procs[0]! }
}

/** The outcome a durability scenario asserts on: the reconciliation once settled, and how long it took. */
export interface FaultRun {
  reconciliation: Reconciliation
  streamMs: number
  settledAfterStreamMs: number
}

/**
 * Streams `total` readings at `rate` per second while a fault strikes `faults` times: instants spread
 * over the stream's first 90 %, each down for 0.5–5 s (seeded). Then waits for the reconciliation to
 * settle. The plan and the figures go into `report` under `key`.
 */
export async function streamWithFaults(
  world: World,
  o: { total: number; rate: number; faults: number; seed: number; key: string; down: () => unknown; up: () => unknown; report: Record<string, unknown> },
): Promise<FaultRun> {
  const rng = mulberry32(o.seed)
  const durationMs = (o.total / o.rate) * 1000
  const plan = Array.from({ length: o.faults }, (_, i) => ({ atMs: ((i + rng()) / o.faults) * durationMs * 0.9, downMs: 500 + rng() * 4500 }))
  o.report[o.key] = plan.map((k) => ({ atMs: Math.round(k.atMs), downMs: Math.round(k.downMs) }))
  const t0 = Date.now()
  const streaming = world.fleet.stream(o.total, o.rate)
  for (const k of plan) {
    const wait = t0 + k.atMs - Date.now()
    if (wait > 0) await sleep(wait)
    await o.down()
    await sleep(k.downMs)
    await o.up()
  }
  await streaming
  const streamMs = Date.now() - t0
  const reconciliation = await world.settle(180_000)
  const run = { reconciliation, streamMs, settledAfterStreamMs: Date.now() - t0 - streamMs }
  Object.assign(o.report, run, { resent: world.fleet.resent() })
  return run
}
