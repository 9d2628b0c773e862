/**
 * Several Gemello processes on the real engines (ADR 0004, docs/scale-out.md): two server processes
 * and two ingest workers on one PostgreSQL, Mosquitto (MQTT 5 shared subscription) and Redis (live
 * feed + Socket.IO adapter). Services only: embedded mode is one process by design (aedes has no
 * shared subscriptions, PGlite is in-process), which the config test checks.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import mqtt from 'mqtt'
import pino from 'pino'
import { createClient } from 'redis'
import { io as connect, type Socket } from 'socket.io-client'
import { signInAdmin, TEST_ADMIN_ENV } from '../helpers/staff-session'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm } from '../../contracts/alarm-api'
import { PROTOCOL_VERSION, HeartbeatSchema, type Heartbeat, type Snapshot, type Delta } from '../../contracts/events'
import { loadConfig } from '../../server/src/config/config'
import { startGemello, type Gemello } from '../../server/src/app/gemello'
import { liveStreamKey } from '../../server/src/realtime/redis-live-bus'
import { takeWorkerLease, WorkerIdTakenError } from '../../ingest/src/worker-lease'
import { createTestDb, type TestDb } from '../helpers/test-db'
import { dropSessions } from '../helpers/test-broker'
import { TEST_MQTT_URL, TEST_TARGET } from '../helpers/test-env'
import { waitFor } from '../helpers/wait-for'
import { TEST_DEVICE_KEY } from '../helpers/test-mqtt-identity'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const run = randomBytes(3).toString('hex')
const DEVICES = 100
const devId = (i: number) => `so-${run}-${String(i).padStart(3, '0')}`

interface Watcher {
  socket: Socket
  /** deviceId → newest observedAtMs seen (snapshot + deltas). */
  latest: Map<string, number>
  heartbeats: Heartbeat[]
  events: unknown[]
}

describe.skipIf(TEST_TARGET !== 'services')('Gemello as several processes (2 servers, 2 ingest workers)', () => {
  let testDb: TestDb
  let dataDir: string
  const procs: Gemello[] = []
  let serverA: Gemello
  let serverB: Gemello
  let ingest1: Gemello
  let ingest2: Gemello | null
  let device: mqtt.MqttClient
  const watchers: Watcher[] = []
  let nextSeq = 1

  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    PORT: '0',
    DATA_DIR: dataDir,
    CITY_DATA_DIR: path.join(dataDir, 'no-city'),
    SIMULATOR: 'off',
    LOG_LEVEL: 'error',
    DATABASE_URL: testDb.url!,
    MQTT_URL: TEST_MQTT_URL,
    DEVICE_KEY: TEST_DEVICE_KEY,
    ...TEST_ADMIN_ENV,
    REDIS_URL,
    REDIS_KEY_PREFIX: `t-so-${run}`,
    INGEST_SHARE_GROUP: `so-${run}`,
    ...extra,
  })
  const start = async (extra: Record<string, string>) => {
    const g = await startGemello(loadConfig(env(extra)), { log: pino({ level: 'error' }), clientDir: null })
    procs.push(g)
    return g
  }
  const watch = async (g: Gemello): Promise<Watcher> => {
    const cookie = await signInAdmin(g.url)
    const w: Watcher = { socket: connect(`${g.url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], extraHeaders: { cookie } }), latest: new Map(), heartbeats: [], events: [] }
    const take = (states: Array<{ deviceId: string; observedAtMs: number }>) => {
      for (const s of states) if ((w.latest.get(s.deviceId) ?? 0) < s.observedAtMs) w.latest.set(s.deviceId, s.observedAtMs)
    }
    w.socket.on('live:snapshot', (s: Snapshot) => take(s.states))
    w.socket.on('live:delta', (d: Delta) => take(d.states))
    w.socket.on('live:heartbeat', (h: Heartbeat) => w.heartbeats.push(HeartbeatSchema.parse(h)))
    w.socket.on('ops:test' as never, (x: unknown) => {
      w.events.push(x)
    })
    await new Promise<void>((resolve) => w.socket.on('connect', () => resolve()))
    await new Promise<void>((resolve) => w.socket.emit('live:subscribe', { layers: ['traffic-loop'] }, () => resolve()))
    watchers.push(w)
    return w
  }
  /** Publishes one reading per device, all at one new time; returns that time. */
  const publishRound = async (): Promise<number> => {
    const observedAt = Date.now()
    const seq = nextSeq++
    await Promise.all(
      Array.from({ length: DEVICES }, (_, i) =>
        device.publishAsync(`gemello/v1/traffic-loop/${devId(i)}/traffic`, JSON.stringify({ seq, observedAt, values: { flowVehH: 100 + i, occupancyPct: 5, speedKmh: 40, intervalS: 60 } }), { qos: 1 }),
      ),
    )
    return observedAt
  }
  const stored = async () => Number((await testDb.db.query<{ n: string }>(`SELECT count(*) AS n FROM traffic_reading WHERE device_id LIKE $1`, [`so-${run}-%`])).rows[0]!.n)

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'gemello-so-'))
    testDb = await createTestDb()
    await testDb.db.query(
      `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset)
       SELECT $1 || lpad(i::text, 3, '0'), 'traffic-loop', 'Scale-out loop ' || i,
              ST_SetSRID(ST_MakePoint(11.30 + i * 0.0005, 44.49), 4326), 60, 'generated', 'test'
       FROM generate_series(0, $2) AS i`,
      [`so-${run}-`, DEVICES],
    )
    serverA = await start({ GEMELLO_ROLES: 'server' })
    serverB = await start({ GEMELLO_ROLES: 'server' })
    ingest1 = await start({ GEMELLO_ROLES: 'ingest', INGEST_CLIENT_ID: `so-${run}-1` })
    ingest2 = await start({ GEMELLO_ROLES: 'ingest', INGEST_CLIENT_ID: `so-${run}-2` })
    device = await mqtt.connectAsync(TEST_MQTT_URL, { protocolVersion: 5, clientId: `so-${run}-device` })
  }, 120_000)

  afterAll(async () => {
    for (const w of watchers) w.socket.close()
    await device?.endAsync()
    for (const g of procs.reverse()) await g.stop()
    // Drop the workers' persistent sessions so the broker stops queueing for them.
    await dropSessions(TEST_MQTT_URL, [`so-${run}-1`, `so-${run}-2`])
    const r = createClient({ url: REDIS_URL })
    await r.connect()
    await r.del(liveStreamKey(`t-so-${run}`))
    r.destroy()
    await testDb?.drop().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  }, 60_000)

  it('stores every reading once with two workers sharing the load, and both servers show what the database holds', async () => {
    const a = await watch(serverA)
    const b = await watch(serverB)
    let last = 0
    for (let round = 0; round < 10; round++) last = await publishRound()
    await waitFor(async () => (await stored()) === 10 * DEVICES, `${10 * DEVICES} readings stored`)
    const s1 = ingest1.ingest!.stats()
    const s2 = ingest2!.ingest!.stats()
    // Both took a share (the broker splits a shared subscription), and no reading was written twice.
    expect(s1.stored).toBeGreaterThan(0)
    expect(s2.stored).toBeGreaterThan(0)
    expect(s1.stored + s2.stored).toBe(10 * DEVICES)
    expect(s1.duplicates + s2.duplicates).toBe(0)
    // Each server's clients converge on the latest state in the database, whichever worker wrote it.
    for (const w of [a, b]) await waitFor(() => [...Array(DEVICES).keys()].every((i) => w.latest.get(devId(i)) === last), 'every device at its last reading on this server')
  })

  it('keeps heartbeats per process and says how many workers it hears; the Redis adapter carries broadcasts across processes', async () => {
    const [a, b] = watchers as [Watcher, Watcher]
    await waitFor(() => a.heartbeats.some((h) => h.ingest.workers === 2) && b.heartbeats.some((h) => h.ingest.workers === 2), 'heartbeats naming two workers', 15_000)
    // Every heartbeat a client gets carries its own server's cursor: none leaks through the adapter.
    expect(a.heartbeats.every((h) => h.cursor.epoch === serverA.mirror!.epoch)).toBe(true)
    expect(b.heartbeats.every((h) => h.cursor.epoch === serverB.mirror!.epoch)).toBe(true)
    const hb = b.heartbeats.at(-1)!
    expect(hb).toMatchObject({ liveFeed: 'up', rootCause: null, ingest: { brokerConnected: true, dbHealthy: true } })
    // A namespace-wide broadcast on A reaches B's client (the adapter), as alarms and notices will.
    ;(serverA.realtime!.io.of('/live') as unknown as { emit(e: string, x: unknown): void }).emit('ops:test', { from: 'A' })
    await waitFor(() => b.events.length === 1 && a.events.length === 1, 'the broadcast on both servers')
  })

  it('repairs a server mirror from the database when feed entries were lost', async () => {
    const [a] = watchers as [Watcher]
    // A reading that reached the database but whose feed entry never came (ingest killed between
    // COMMIT and XADD): written directly, then the feed shows a numbering gap.
    // (A device the other tests do not publish for.)
    const observedAt = Date.now()
    await testDb.db.query(
      `INSERT INTO latest_state (device_id, stream, seq, observed_at, received_at, quality, vals)
       VALUES ($1, 'traffic', 999999, to_timestamp($2 / 1000.0), now(), 'good', '{"flowVehH": 7, "occupancyPct": 1, "speedKmh": 50, "intervalS": 60}')
       ON CONFLICT (device_id, stream) DO UPDATE SET seq = EXCLUDED.seq, observed_at = EXCLUDED.observed_at, vals = EXCLUDED.vals`,
      [devId(DEVICES), observedAt],
    )
    const r = createClient({ url: REDIS_URL })
    await r.connect()
    const key = liveStreamKey(`t-so-${run}`)
    await r.sendCommand(['XADD', key, '*', 't', 'r', 'w', 'ghost', 'p', '1', 'd', '[]'])
    await r.sendCommand(['XADD', key, '*', 't', 'r', 'w', 'ghost', 'p', '3', 'd', '[]'])
    r.destroy()
    await waitFor(() => a.latest.get(devId(DEVICES)) === observedAt, 'the database-only reading on the live map', 10_000)
    const metrics = await (await fetch(`${serverA.url}/metrics`)).text()
    expect(metrics).toMatch(/gemello_live_resyncs_total\{why="entries_lost"\} [1-9]/)
  })

  it('evaluates alarms in one server process; an alarm reaches the clients of both servers once; the other server takes over', async () => {
    const [a, b] = watchers as [Watcher, Watcher]
    const alarmsOn = (w: Watcher) => w.events.filter((e): e is Alarm => typeof e === 'object' && e !== null && 'ruleId' in e && (e as Alarm).ruleId === 'so-flow')
    for (const w of [a, b]) w.socket.on('alarm:changed', (e: { alarms: Alarm[] }) => w.events.push(...e.alarms))
    const evaluators = [serverA.server!.alarms, serverB.server!.alarms]
    await waitFor(() => evaluators.filter((e) => e.isLeader()).length === 1, 'one leader')
    expect(evaluators.filter((e) => e.isLeader())).toHaveLength(1)
    const leader = evaluators.find((e) => e.isLeader())!
    const standby = evaluators.find((e) => !e.isLeader())!
    const rulesBefore = leader.stats.rules
    // A rule created through either server is picked up by the leader.
    const cookie = await signInAdmin(serverB.url)
    const rule = { id: 'so-flow', name: 'Scale-out flow', type: 'threshold', metric: 'flowVehH', above: 5000, priority: 'medium', scope: { deviceIds: [devId(0)] }, cause: 'A generated cause for the test rule.', consequence: 'A generated consequence for the test rule.', response: 'A generated operator response for the test rule.' }
    const put = await fetch(`${serverB.url}/api/alarm-rules/so-flow`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ rule }) })
    expect(put.status).toBe(200)
    await waitFor(() => leader.stats.rules === rulesBefore + 1, 'the leader to load the new rule', 15_000)
    await device.publishAsync(`gemello/v1/traffic-loop/${devId(0)}/traffic`, JSON.stringify({ seq: nextSeq++, observedAt: Date.now(), values: { flowVehH: 6000, occupancyPct: 5, speedKmh: 40, intervalS: 60 } }), { qos: 1 })
    await waitFor(() => alarmsOn(a).some((x) => x.active) && alarmsOn(b).some((x) => x.active), 'the alarm on the clients of both servers')
    await new Promise((r) => setTimeout(r, 500))
    // Once per client: one emit, carried to the other server by the Redis adapter.
    expect(alarmsOn(a).filter((x) => x.active)).toHaveLength(1)
    expect(alarmsOn(b).filter((x) => x.active)).toHaveLength(1)
    expect((await testDb.db.query(`SELECT count(*)::int AS n FROM alarm WHERE rule_id = 'so-flow'`)).rows[0]).toEqual({ n: 1 })

    await leader.stop()
    await waitFor(() => standby.isLeader(), 'the other server to take over the evaluation', 15_000)
    await standby.settled()
    await device.publishAsync(`gemello/v1/traffic-loop/${devId(0)}/traffic`, JSON.stringify({ seq: nextSeq++, observedAt: Date.now(), values: { flowVehH: 100, occupancyPct: 5, speedKmh: 40, intervalS: 60 } }), { qos: 1 })
    await waitFor(() => alarmsOn(a).some((x) => !x.active), 'the alarm cleared by the new leader')
    expect((await testDb.db.query(`SELECT count(*)::int AS n FROM alarm WHERE rule_id = 'so-flow'`)).rows[0]).toEqual({ n: 1 })
  }, 60_000)

  it('refuses a second live worker with the same client id, saying what to do', async () => {
    const err = await takeWorkerLease(REDIS_URL, `so-${run}-1`, { prefix: `t-so-${run}`, waitMs: 300 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkerIdTakenError)
    expect((err as Error).message).toMatch(/in use by another running ingest.*INGEST_CLIENT_ID/)
  })

  it("keeps a stopped worker's share in its session and delivers it when the worker comes back; no worker at all is one root cause", async () => {
    const before = await stored()
    await ingest2!.stop()
    ingest2 = null
    const [a] = watchers as [Watcher]
    const hbCount = a.heartbeats.length
    await waitFor(() => a.heartbeats.slice(hbCount).some((h) => h.ingest.workers === 1), 'heartbeat with one worker', 15_000)
    for (let round = 0; round < 4; round++) await publishRound()
    // Worker 1 writes its share; worker 2's share waits in its persistent session (nothing is lost).
    await waitFor(async () => (await stored()) > before, 'worker 1 storing its share')
    await new Promise((r) => setTimeout(r, 1000))
    expect(await stored()).toBeLessThan(before + 4 * DEVICES)
    ingest2 = await start({ GEMELLO_ROLES: 'ingest', INGEST_CLIENT_ID: `so-${run}-2` })
    await waitFor(async () => (await stored()) === before + 4 * DEVICES, 'every reading stored after the restart', 30_000)

    await ingest1.stop()
    await ingest2.stop()
    const n = a.heartbeats.length
    await waitFor(() => a.heartbeats.slice(n).some((h) => h.rootCause?.code === 'INGEST_DOWN' && h.ingest.workers === 0), 'one INGEST_DOWN root cause', 15_000)
  }, 90_000)
})
