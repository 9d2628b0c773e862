/**
 * Composition root: config → database → city data → broker → ingest → HTTP + realtime → simulator.
 * One code path for both run modes; the adapters (db/adapter.ts, broker/broker.ts) hold the
 * differences. Used by `npm start`, by the tests (in process) and by the benchmarks.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import type { AboutResponse } from '../../../contracts/api'
import type { Config } from '../config/config'
import { openDb, type Db } from '../db/adapter'
import { migrate } from '../db/migrate'
import { cityExtent, readCity, readDatasets } from '../db/city'
import { loadDevices } from '../db/devices'
import { quarantineTotals } from '../db/quarantine'
import { externalBroker, startEmbeddedBroker, type BrokerHandle } from '../broker/broker'
import { createApp } from '../http/app'
import { LiveBus } from '../realtime/live-bus'
import { LiveMirror } from '../realtime/live-mirror'
import { RealtimeServer } from '../realtime/realtime-server'
import { mountDeviceRoutes } from '../routes/devices/device-routes'
import { mountIngestRoutes } from '../routes/ingest/ingest-routes'
import { BasemapCache, mountBasemapRoutes } from '../routes/map/basemap-routes'
import { mountOpsRoutes } from '../routes/ops/ops-routes'
import { createMetrics } from '../metrics/metrics'
import { TileService } from '../tiles/tile-service'
import { mountTileRoutes, withTileFastPath } from '../tiles/tile-routes'
import { BuildingTilesCache } from '../tiles3d/building-tiles-cache'
import { mountTiles3dRoutes } from '../tiles3d/tiles3d-routes'
import { mountStyleRoutes } from '../style/style-routes'
import { loadSceneCatalog } from '../routes/scenes/scene-catalog'
import { mountSceneRoutes } from '../routes/scenes/scene-routes'
import { IngestService } from '../../../ingest/src/ingest-service'
import { importCity } from '../../../geodata/src/import-city'
import { datasetById } from '../../../geodata/src/manifest'
import { startSimulator, type Simulator } from '../../../simulator/src/simulator'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const VERSION: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

export type Logger = pino.Logger

export interface Gemello {
  config: Config
  db: Db
  broker: BrokerHandle
  ingest: IngestService
  mirror: LiveMirror
  realtime: RealtimeServer
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

const STALE_SWEEP_MS = 1000

export async function startGemello(config: Config, opts: StartOptions = {}): Promise<Gemello> {
  const log = opts.log ?? pino({ level: config.logLevel })
  const t0 = Date.now()
  let tPhase = t0
  const phase = (name: string) => {
    const now = Date.now()
    opts.onPhase?.(name, now - tPhase)
    log.info({ phase: name, ms: now - tPhase }, `boot: ${name}`)
    tPhase = now
  }

  if (config.redisUrl) {
    log.warn({}, 'REDIS_URL is set, but this version runs the server as one process and does not use Redis yet; live clients are served by this process alone.')
  }
  const db = await openDb(config.db.kind === 'embedded' ? { kind: 'embedded', dataDir: config.db.dataDir } : config.db)
  const cleanup: Array<() => Promise<void>> = [() => db.close()]
  const fail = async (err: unknown) => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined)
    throw err
  }
  try {
    phase(`database open (${db.describe()})`)
    const m = await migrate(db)
    phase(`migrations (${m.applied.length} applied, PostGIS ${m.postgis})`)
    const cityReport = await importCity(db, config.cityDataDir, { log: (line: string) => log.info({}, line) })
    phase(`city data (${cityReport.city.data}: ${cityReport.city.label})`)

    const broker =
      config.mqtt.kind === 'embedded' ? await startEmbeddedBroker({ host: config.mqtt.host, port: config.mqtt.port, log }) : externalBroker(config.mqtt.url)
    cleanup.push(() => broker.close())
    phase(`broker (${broker.kind} ${broker.url})`)

    const mirror = new LiveMirror({ retainEntries: 20_000 })
    await mirror.load(db)
    const bus = new LiveBus()
    // Device changes need a query; readings must not overtake them: one queue, in commit order.
    let chain: Promise<void> = Promise.resolve()
    const enqueue = (fn: () => Promise<void> | void) => {
      chain = chain.then(fn).catch((err: unknown) => log.error({ err: (err as Error).message }, 'live update failed'))
    }
    bus.onDevicesChanged((ids) => enqueue(async () => mirror.upsertDevices(await loadDevices(db, ids))))
    bus.onReadings((readings) => enqueue(() => mirror.applyReadings(readings)))

    const quarantineAtBoot = await quarantineTotals(db)
    // Read at scrape time; the realtime server exists once HTTP is up.
    let socketClients = () => 0
    const metrics = createMetrics({ ingest: () => ingest.stats(), socketClients: () => socketClients(), liveDevices: () => mirror.deviceCount() })
    const ingest = new IngestService({
      db,
      mqttUrl: broker.url,
      protocolVersion: broker.protocolVersion,
      clientId: config.ingest.clientId,
      maxBatch: config.ingest.maxBatch,
      lingerMs: config.ingest.lingerMs,
      maxPending: config.ingest.maxPending,
      ...(config.ingest.writers ? { writers: config.ingest.writers } : {}),
      onCommitted: (latest) => bus.publishReadings(latest),
      onDevicesChanged: (ids) => bus.publishDevicesChanged(ids),
      onBatchWritten: (messages, ms) => metrics.observeBatch(messages, ms),
      log,
    })
    await ingest.start()
    cleanup.push(() => ingest.stop())
    phase('ingest connected')

    const basemap = new BasemapCache(db)
    const tiles = new TileService(db)
    const about = async (): Promise<AboutResponse> => {
      const [city, extent, datasets] = await Promise.all([readCity(db), cityExtent(db), readDatasets(db)])
      const bbox = extent ?? [11.3, 44.47, 11.38, 44.52]
      const seen = new Set<string>()
      return {
        product: 'Gemello',
        version: VERSION,
        city: {
          name: city?.name ?? 'Unknown',
          data: city?.data ?? 'generated',
          label: city?.label ?? 'No city data',
          center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
          bbox,
        },
        mode: { database: db.mode, broker: broker.kind, mqttUrl: broker.url },
        datasets,
        attributions: datasets
          .filter((d) => (seen.has(d.attribution) ? false : (seen.add(d.attribution), true)))
          .map((d) => ({ text: d.attribution, licence: d.licence, url: datasetById(d.id)?.attributionUrl ?? null })),
      }
    }
    const readiness = async () => {
      const checks: Record<string, { ok: boolean; detail: string }> = {}
      try {
        await db.query('SELECT 1')
        checks.database = { ok: true, detail: db.describe() }
      } catch (err) {
        checks.database = { ok: false, detail: (err as Error).message }
      }
      const st = ingest.stats()
      checks.broker = { ok: st.brokerConnected, detail: st.brokerConnected ? `ingest connected to ${broker.url}` : `ingest not connected to ${broker.url}` }
      checks.ingest = { ok: st.dbHealthy, detail: st.dbHealthy ? `${st.pending} pending` : 'paused: database unavailable' }
      checks.city = { ok: true, detail: cityReport.city.label }
      return checks
    }

    const scenes = loadSceneCatalog(path.join(ROOT, 'scenes'))
    for (const p of scenes.problems) log.error(`scene ${p.file} left out: ${p.problem}`)
    const app = createApp({
      clientDir: opts.clientDir === undefined ? path.join(ROOT, 'client/dist') : opts.clientDir,
      log,
      mountRoutes: (a) => {
        mountDeviceRoutes(a, db, () => Date.now())
        mountIngestRoutes(a, db)
        mountBasemapRoutes(a, basemap)
        mountTileRoutes(a, tiles)
        mountStyleRoutes(a, basemap)
        mountSceneRoutes(a, scenes)
        mountOpsRoutes(a, { version: VERSION, readiness, about, metrics })
        mountTiles3dRoutes(a, new BuildingTilesCache(db, { log: (o, m) => log.info(o, m) }))
      },
    })
    const http = createServer(withTileFastPath(tiles, app))
    http.keepAliveTimeout = 65_000
    const realtime = new RealtimeServer(http, {
      mirror,
      defaultCadenceMs: config.live.cadenceMs,
      heartbeat: () => {
        const st = ingest.stats()
        return {
          ingest: { brokerConnected: st.brokerConnected, dbHealthy: st.dbHealthy, pending: st.pending, lastCommitAtMs: st.lastCommitAtMs },
          quarantine: {
            total: quarantineAtBoot.total + st.quarantined,
            lastReason: st.lastQuarantine?.reason ?? quarantineAtBoot.last?.reason ?? null,
            lastAtMs: st.lastQuarantine?.atMs ?? quarantineAtBoot.last?.atMs ?? null,
          },
        }
      },
    })
    socketClients = () => realtime.clients()
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(config.http.port, config.http.host, () => resolve())
    })
    http.on('connection', (socket) => socket.setNoDelay(true))
    cleanup.push(async () => {
      // Socket.IO closes its clients and the HTTP server; keep-alive connections are cut too.
      const closed = new Promise<void>((r) => http.close(() => r()))
      await realtime.close()
      http.closeAllConnections()
      await closed
    })
    const addr = http.address() as AddressInfo
    const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${addr.port}`
    phase(`http ${url}`)

    const sweeper = setInterval(() => mirror.sweep(), STALE_SWEEP_MS)
    sweeper.unref()
    cleanup.push(async () => clearInterval(sweeper))

    let simulator: Simulator | null = null
    if (config.simulator.enabled) {
      const devices = await loadDevices(db)
      simulator = await startSimulator({
        mqttUrl: broker.url,
        protocolVersion: broker.protocolVersion,
        devices: devices.map((d) => ({ id: d.id, kind: d.kind, position: d.position, expectedIntervalS: d.expectedIntervalS, props: d.props })),
        cityDataDir: cityReport.city.data === 'real' ? config.cityDataDir : null,
        seed: config.simulator.seed,
        speed: config.simulator.speed,
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
      ingest,
      mirror,
      realtime,
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
