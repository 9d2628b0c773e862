/**
 * Composition root: config → database → (server: city data, mirror, HTTP + realtime) → broker →
 * (ingest) → (simulator), by the roles this process runs (GEMELLO_ROLES, default all; ADR 0004 §3).
 * One code path for both run modes; the adapters (db/adapter.ts, broker/broker.ts) hold the
 * differences. Used by `npm start`, by the tests (in process) and by the benchmarks.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import type { Config } from '../config/config'
import { openDb, type Db } from '../db/adapter'
import { migrate } from '../db/migrate'
import { readCity } from '../db/city'
import { loadDevices } from '../db/devices'
import { externalBroker, startEmbeddedBroker, type BrokerHandle } from '../broker/broker'
import { resolveMqttAuth } from '../broker/device-key'
import { createApp } from '../http/app'
import { LocalLiveBus, type LiveBus } from '../realtime/live-bus'
import { RedisLiveBus } from '../realtime/redis-live-bus'
import type { LiveMirror } from '../realtime/live-mirror'
import type { RealtimeServer } from '../realtime/realtime-server'
import { mountOpsRoutes } from '../routes/ops/ops-routes'
import { createMetrics, type MetricsSources } from '../metrics/metrics'
import type { IngestService } from '../../../ingest/src/ingest-service'
import { startSimulator, type Simulator } from '../../../simulator/src/simulator'
import { startIngestRole } from './start-ingest'
import { buildAbout, startServerRole, type ServerRole } from './start-server'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const VERSION: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

export type Logger = pino.Logger

export interface Gemello {
  config: Config
  db: Db
  broker: BrokerHandle
  /** The live bus this process publishes to and/or reads from (local in one process, Redis otherwise). */
  bus: LiveBus
  /** Null when this process does not run the ingest role. */
  ingest: IngestService | null
  /** Null when this process does not run the server role. */
  mirror: LiveMirror | null
  realtime: RealtimeServer | null
  server: ServerRole | null
  http: HttpServer
  simulator: Simulator | null
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8080 */
  url: string
  log: Logger
  stop(): Promise<void>
}

export interface StartOptions {
  log?: Logger
  /** Serve the built client from here (default client/dist). */
  clientDir?: string | null
  /** Boot timings, for the first-run report. */
  onPhase?(phase: string, ms: number): void
}

export type Phase = (name: string) => void
export type Readiness = Record<string, { ok: boolean; detail: string }>

export async function startGemello(config: Config, opts: StartOptions = {}): Promise<Gemello> {
  const roles = config.roles
  const log = opts.log ?? pino({ level: config.logLevel }).child({ roles: [...roles].join(',') })
  const t0 = Date.now()
  let tPhase = t0
  const phase: Phase = (name) => {
    const now = Date.now()
    opts.onPhase?.(name, now - tPhase)
    log.info({ phase: name, ms: now - tPhase }, `boot: ${name}`)
    tPhase = now
  }

  const db = await openDb(config.db.kind === 'embedded' ? { kind: 'embedded', dataDir: config.db.dataDir } : config.db)
  const cleanup: Array<() => Promise<void>> = [() => db.close()]
  const fail = async (err: unknown) => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined)
    throw err
  }
  try {
    phase(`database open (${db.describe()})`)
    // Serialised across processes by an advisory lock: any number may start at once.
    const m = await migrate(db)
    phase(`migrations (${m.applied.length} applied, PostGIS ${m.postgis})`)

    // One bus for every role in this process. With Redis, an `all` process reads its own entries
    // back like any other server: one path whether the parts share a process or not.
    const bus: LiveBus = config.redisUrl ? new RedisLiveBus({ url: config.redisUrl, prefix: config.redisPrefix, read: roles.has('server'), log }) : new LocalLiveBus()
    await bus.start()
    cleanup.push(() => bus.close())
    phase(`live bus (${bus.kind}${bus.kind === 'redis' && !bus.up() ? ', Redis not reachable yet' : ''})`)

    const metricsSources: MetricsSources = { liveBus: () => bus.counters() }
    const metrics = createMetrics(metricsSources, { ingest: roles.has('ingest'), live: roles.has('server') })
    const readinessChecks: Array<() => Promise<Readiness> | Readiness> = [
      async () => {
        try {
          await db.query('SELECT 1')
          return { database: { ok: true, detail: db.describe() } }
        } catch (err) {
          return { database: { ok: false, detail: (err as Error).message } }
        }
      },
    ]
    const readiness = async (): Promise<Readiness> => Object.assign({}, ...(await Promise.all(readinessChecks.map((c) => c()))))

    // Server first: it imports the city, which the ingest and the simulator wait for.
    let server: ServerRole | null = null
    if (roles.has('server')) {
      server = await startServerRole({ config, db, bus, log, phase, metrics, metricsSources, readiness, clientDir: opts.clientDir === undefined ? path.join(ROOT, 'client/dist') : opts.clientDir, root: ROOT, version: VERSION })
      cleanup.push(() => server!.stop())
      readinessChecks.push(() => server!.readiness())
    }

    const mqttAuth = await resolveMqttAuth(config.mqttAuth, { dataDir: config.dataDir, embedded: config.mqtt.kind === 'embedded', log })
    const broker =
      config.mqtt.kind === 'embedded'
        ? await startEmbeddedBroker({ host: config.mqtt.host, port: config.mqtt.port, keyring: mqttAuth.keyring!, log })
        : externalBroker(config.mqtt.url, mqttAuth)
    cleanup.push(() => broker.close())
    phase(`broker (${broker.kind} ${broker.url})`)
    server?.setBroker(broker)
    // Signal plan deployments: the server role's own MQTT connection as the service identity.
    if (server) await server.startSignals(broker)

    let ingest: IngestService | null = null
    if (roles.has('ingest')) {
      if (!server) await waitForCity(db, log)
      const role = await startIngestRole({ config, db, bus, broker, log, metrics, metricsSources })
      ingest = role.ingest
      cleanup.push(() => role.stop())
      readinessChecks.push(() => role.readiness())
      server?.board.addLocal(role.workerId, () => role.status())
      phase('ingest connected')
    }

    // Every role answers /healthz, /readyz and /metrics; the server role serves everything else.
    let http: HttpServer
    if (server) http = server.http
    else {
      const app = createApp({ clientDir: null, log, mountRoutes: (a) => mountOpsRoutes(a, { version: VERSION, readiness, about: () => buildAbout(db, VERSION, broker), metrics }) })
      http = createServer(app)
    }
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(config.http.port, config.http.host, () => resolve())
    })
    http.on('connection', (socket) => socket.setNoDelay(true))
    cleanup.push(async () => {
      const closed = new Promise<void>((r) => http.close(() => r()))
      // Socket.IO closes its clients and the HTTP server; keep-alive connections are cut too.
      await server?.closeRealtime()
      http.closeAllConnections()
      await closed
    })
    const addr = http.address() as AddressInfo
    const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${addr.port}`
    phase(`http ${url}`)

    let simulator: Simulator | null = null
    if (roles.has('simulator') && config.simulator.enabled) {
      if (!server) await waitForCity(db, log)
      const devices = await loadDevices(db)
      const city = await readCity(db)
      simulator = await startSimulator({
        mqttUrl: broker.url,
        protocolVersion: broker.protocolVersion,
        devices: devices.map((d) => ({ id: d.id, kind: d.kind, position: d.position, expectedIntervalS: d.expectedIntervalS, props: d.props })),
        cityDataDir: city?.data === 'real' ? config.cityDataDir : null,
        seed: config.simulator.seed,
        speed: config.simulator.speed,
        // Each device connects as itself (the broker's ACL lets it publish only its own topics).
        keyring: broker.auth.keyring,
        log: { info: (m: string) => log.info({}, m), warn: (m: string) => log.warn({}, m) },
      })
      const sim = simulator
      cleanup.push(() => sim.stop())
      phase(`simulator (${devices.length} devices)`)
    }
    log.info({ ms: Date.now() - t0 }, 'boot complete')

    let stopped = false
    return {
      config,
      db,
      broker,
      bus,
      ingest,
      mirror: server?.mirror ?? null,
      realtime: server?.realtime ?? null,
      server,
      http,
      simulator,
      url,
      log,
      stop: async () => {
        if (stopped) return
        stopped = true
        for (const c of cleanup.reverse()) await c().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'error while stopping'))
      },
    }
  } catch (err) {
    return fail(err)
  }
}

/** Ingest and simulator processes start after a server process has imported the city (compose starts them together). */
async function waitForCity(db: Db, log: Logger): Promise<void> {
  let said = 0
  for (;;) {
    if (await readCity(db)) return
    if (Date.now() - said > 10_000) {
      log.info({}, 'waiting for a server process to import the city data (GEMELLO_ROLES=server)')
      said = Date.now()
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
}
