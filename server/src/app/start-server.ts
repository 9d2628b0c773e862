/**
 * The server role: city data, the live mirror fed from the live bus, the HTTP API, tiles, styles,
 * 3D tiles and scenes, and Socket.IO `/live` (with the Redis adapter when several server processes
 * share clients). The caller listens on the returned HTTP server.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import path from 'node:path'
import type { AboutResponse } from '../../../contracts/api'
import type { Config } from '../config/config'
import type { Db } from '../db/adapter'
import { cityExtent, readCity, readDatasets } from '../db/city'
import { quarantineTotals } from '../db/quarantine'
import type { BrokerHandle } from '../broker/broker'
import { createApp } from '../http/app'
import type { LiveBus } from '../realtime/live-bus'
import { LiveFeed } from '../realtime/live-feed'
import { LiveMirror } from '../realtime/live-mirror'
import { IngestStatusBoard } from '../realtime/ingest-status'
import { RealtimeServer } from '../realtime/realtime-server'
import { createRedisAdapter, type RedisAdapterHandle } from '../realtime/redis-adapter'
import { Identity } from '../identity/identity'
import { mountAuthRoutes } from '../routes/auth/auth-routes'
import { mountTokenRoutes } from '../routes/auth/token-routes'
import { mountDeviceRoutes } from '../routes/devices/device-routes'
import { mountIngestRoutes } from '../routes/ingest/ingest-routes'
import { BasemapCache, mountBasemapRoutes } from '../routes/map/basemap-routes'
import { mountOpsRoutes } from '../routes/ops/ops-routes'
import type { GemelloMetrics, MetricsSources } from '../metrics/metrics'
import { TileService } from '../tiles/tile-service'
import { mountTileRoutes, withTileFastPath } from '../tiles/tile-routes'
import { BuildingTilesCache } from '../tiles3d/building-tiles-cache'
import { mountTiles3dRoutes } from '../tiles3d/tiles3d-routes'
import { mountStyleRoutes } from '../style/style-routes'
import { loadSceneCatalog } from '../routes/scenes/scene-catalog'
import { mountSceneRoutes } from '../routes/scenes/scene-routes'
import { importCity } from '../../../geodata/src/import-city'
import { datasetById } from '../../../geodata/src/manifest'
import { AlarmEvaluator } from '../alarms/alarm-evaluator'
import { DEFAULT_RULES } from '../alarms/default-rules'
import { alarmsByIds, floodState, seedDefaultRules } from '../db/alarms'
import { mountAlarmRoutes } from '../routes/alarms/alarm-routes'
import { mountIncidentRoutes } from '../routes/incidents/incident-routes'
import { mountCameraRoutes } from '../routes/cameras/camera-routes'
import { mountConnectivityRoutes } from '../routes/connectivity/connectivity-routes'
import { mountDashboardRoutes } from '../routes/dashboards/dashboard-routes'
import { loadWallLayouts } from '../routes/wall/wall-layouts'
import { mountWallRoutes } from '../routes/wall/wall-routes'
import { mountSignalRoutes } from '../routes/signals/signal-routes'
import { mountSignalGeometryRoutes } from '../routes/signals/signal-geometry-routes'
import { mountSumoRunRoutes } from '../routes/signals/sumo-run-routes'
import { mountCensusRoutes } from '../routes/census/census-routes'
import { mountScenarioRoutes } from '../routes/scenarios/scenario-routes'
import { ScenarioEstimator } from '../scenarios/scenario-estimator'
import { mountOgcRoutes } from '../ogc/ogc-routes'
import { seedCensus } from '../db/census-seed'
import { seedCaseCatalogue } from '../db/cases'
import { mountOpen311Routes } from '../open311/open311-routes'
import { mountCaseRoutes } from '../routes/cases/case-routes'
import { caseJobs } from '../cases/case-jobs'
import { CitizenIdentity } from '../citizens/citizen-identity'
import { CasePlatforms } from '../platforms/case-platforms'
import { OutboxWorker } from '../platforms/outbox/outbox-worker'
import { platformPolls } from '../platforms/platform-polls'
import { mountMyRoutes } from '../routes/my/my-routes'
import { mountOpenDataRoutes } from '../routes/opendata/opendata-routes'
import { mountPmoRoutes } from '../routes/pmo/pmo-routes'
import { mountThemeDashboardRoutes } from '../routes/dashboards/theme-dashboard-routes'
import { openDataRefreshJob } from '../opendata/opendata-refresh'
import { requestRefresh } from '../db/opendata'
import { JobLoop } from '../jobs/job-loop'
import { SumoRunner } from '../signals/sumo-runner'
import { mountScenarioSumoRoutes } from '../routes/scenarios/scenario-sumo-routes'
import { ScenarioSumoRunner } from '../scenarios/sumo-verification/scenario-sumo-runner'
import type { Logger, Phase, Readiness } from './gemello'
import type { Express } from 'express'
import type { MqttClient } from 'mqtt'
import { LIVE_NAMESPACE } from '../../../contracts/events'
import { DeployAlarms } from '../signals/deploy-alarms'
import { connectDeployMqtt, SignalDeployManager } from '../signals/deploy-manager'

const STALE_SWEEP_MS = 1000

export interface ServerRoleDeps {
  config: Config
  db: Db
  bus: LiveBus
  log: Logger
  phase: Phase
  metrics: GemelloMetrics
  metricsSources: MetricsSources
  readiness(): Promise<Readiness>
  clientDir: string | null
  root: string
  version: string
}

export interface ServerRole {
  mirror: LiveMirror
  feed: LiveFeed
  board: IngestStatusBoard
  realtime: RealtimeServer
  /** Evaluates the alarm rules when this process holds the lease (ADR 0006). */
  alarms: AlarmEvaluator
  /** Sends signal plans to controllers (the signal routes' deployer); sends once startSignals ran. */
  signals: SignalDeployManager
  /** Connects the deploy manager to the broker (its own service connection) and starts it. */
  startSignals(broker: BrokerHandle): Promise<void>
  identity: Identity
  http: HttpServer
  /** The Express app (the route inventory test walks its router). */
  app: Express
  setBroker(broker: BrokerHandle): void
  about(): Promise<AboutResponse>
  readiness(): Promise<Readiness>
  closeRealtime(): Promise<void>
  stop(): Promise<void>
}

export async function startServerRole(d: ServerRoleDeps): Promise<ServerRole> {
  const { config, db, bus, log, phase } = d
  const serverBootAtMs = Date.now()
  const cityReport = await importCity(db, config.cityDataDir, { log: (line: string) => log.info({}, line) })
  phase(`city data (${cityReport.city.data}: ${cityReport.city.label})`)
  const census = await seedCensus(db)
  const censusSeeded = Object.entries(census.seeded).map(([c, n]) => `${n} ${c}`).join(', ')
  phase(`census (extent: ${census.extent ?? 'none'}${censusSeeded ? `; seeded ${censusSeeded}` : ''})`)
  const cases = await seedCaseCatalogue(db)
  phase(`citizen cases (${cases.services > 0 ? `seeded ${cases.services} services, ${cases.offices} offices` : 'catalogue in place'})`)
  const accentInsensitive = (await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'unaccent'`)).rows.length > 0

  const mirror = new LiveMirror({ retainEntries: 20_000 })
  // The bus was started before this load (its reader starts at the stream's end): nothing committed
  // meanwhile is missed, and what is applied twice is harmless (forward-only).
  await mirror.load(db)
  const feed = new LiveFeed({ bus, mirror, db, log })
  feed.start()
  const board = new IngestStatusBoard({ quarantineAtBoot: await quarantineTotals(db), serverBootAtMs, feedUp: () => bus.up() })
  const offStatus = bus.onStatus((s) => board.update(s))

  let broker: BrokerHandle | null = null
  const about = () => buildAbout(db, d.version, broker)

  const basemap = new BasemapCache(db)
  const tiles = new TileService(db)
  const scenes = loadSceneCatalog(path.join(d.root, 'scenes'))
  for (const p of scenes.problems) log.error(`scene ${p.file} left out: ${p.problem}`)
  const wallLayouts = loadWallLayouts(path.join(d.root, 'scenes', 'walls'))
  for (const p of wallLayouts.problems) log.error(`wall layout ${p.file} left out: ${p.problem}`)
  const seeded = await seedDefaultRules(db, DEFAULT_RULES, Date.now())
  if (seeded > 0) log.info({ rules: seeded }, 'alarm rules: the default rules were installed')
  // Alarm changes go to the screens in the order they were made (the sockets are created below).
  let realtimeRef: RealtimeServer | null = null
  let publishing: Promise<void> = Promise.resolve()
  const publishAlarms = (ids: string[]) => {
    publishing = publishing
      .then(async () => {
        const t = Date.now()
        const [alarms, flood] = await Promise.all([alarmsByIds(db, ids), floodState(db, t)])
        realtimeRef?.emitAlarms({ serverTimeMs: t, alarms, flood })
      })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not push alarm changes to the screens; they refetch on reconnect'))
  }
  const evaluator = new AlarmEvaluator({ db, bus, log, rootCause: () => board.heartbeat().rootCause?.code ?? null, publish: publishAlarms })
  // Signal plan deployments: pushed to SIGNAL_ROOM on /live, the "signal plan not deployed" alarm through publishAlarms.
  const signals = new SignalDeployManager({
    db,
    log,
    alarms: new DeployAlarms({ db, publish: publishAlarms, log }),
    io: { to: (room) => realtimeRef?.io.of(LIVE_NAMESPACE).to(room) ?? { emit: () => false } },
  })
  // SUMO verification runs: every server process may run one; a lease makes each run run once.
  const sumoRunner = new SumoRunner({ db, log, cityDataDir: config.cityDataDir })
  // One fast-estimate model per process: the scenario routes and the SUMO verifications share its caches.
  const scenarioEstimator = new ScenarioEstimator(db)
  const scenarioSumoRunner = new ScenarioSumoRunner({ db, log, cityDataDir: config.cityDataDir, estimator: scenarioEstimator })
  // Citizen cases: the SLA timers (pushed to the screens) and the personal-data retention purge.
  const caseTimers = caseJobs({ db, log, onBreach: (list) => list.forEach((c) => realtimeRef?.emitCase(c)) })
  // Open data: the datasets regenerated and the catalogue validated every OPENDATA_REFRESH_MINUTES, and once
  // soon after each start (a new version may publish other columns); one process per period does it.
  await requestRefresh(db)
  const openDataRefresh = new JobLoop({ db, log, job: openDataRefreshJob({ db, config: config.opendata, log }) })
  openDataRefresh.start(5_000)
  let signalMqtt: MqttClient | null = null
  const identity = new Identity(db, config.identity, log)
  const host = ['0.0.0.0', '::'].includes(config.http.host) ? '127.0.0.1' : config.http.host
  const publicUrl = config.http.port === 0 ? '<the address below>' : `http://${host}:${config.http.port}`
  await identity.start(publicUrl)
  // Citizens: their own sign-in (the SPID/CIE gateway), and what their cases ask of the national platforms through the outbox.
  const citizens = new CitizenIdentity(db, config.identity.citizenOidc ?? null, { idleMs: config.identity.idleMs, absoluteMs: config.identity.absoluteMs, cookieSecure: config.identity.cookieSecure })
  const platforms = new CasePlatforms({ config: config.platforms, followUrl: `${publicUrl}/cittadini/` })
  const outboxHandlers = platforms.handlers()
  const outbox = outboxHandlers.length > 0 ? new OutboxWorker({ db, handlers: outboxHandlers, log }) : null
  outbox?.start()
  // Then what the platforms hold is followed: a fee to its payment (GPD), a legal notice to its delivery (SEND).
  const polls = platformPolls({ db, log, gpd: config.platforms.gpd, send: config.platforms.send, onChange: (list) => list.forEach((c) => realtimeRef?.emitCase(c)) })
  const app = createApp({
    clientDir: d.clientDir,
    log,
    sessions: identity.sessions,
    allowedOrigins: config.identity.allowedOrigins,
    trustProxy: config.http.trustProxy,
    publicRateLimit: config.http.publicRateLimit,
    dashboardEmbedOrigins: config.http.dashboardEmbedOrigins,
    mountRoutes: (a) => {
      mountAuthRoutes(a, identity)
      mountTokenRoutes(a, identity.tokens)
      mountDeviceRoutes(a, db, () => Date.now())
      mountIngestRoutes(a, db)
      mountBasemapRoutes(a, basemap)
      mountTileRoutes(a, tiles)
      mountStyleRoutes(a, basemap)
      mountSceneRoutes(a, scenes)
      mountAlarmRoutes(a, { db, publish: publishAlarms, rulesChanged: () => evaluator.rulesChanged() })
      mountIncidentRoutes(a, { db, onChange: (incident) => realtimeRef?.emitIncident(incident) })
      mountCameraRoutes(a, { db })
      mountConnectivityRoutes(a, { db })
      mountDashboardRoutes(a, { db })
      mountWallRoutes(a, wallLayouts)
      mountSignalRoutes(a, { db, deployer: signals })
      mountSignalGeometryRoutes(a, { db })
      mountSumoRunRoutes(a, { db, runner: sumoRunner })
      mountScenarioSumoRoutes(a, { db, runner: scenarioSumoRunner })
      mountCensusRoutes(a, { db })
      mountOgcRoutes(a, { db, accentInsensitive })
      mountOpen311Routes(a, { db, jurisdictionId: config.open311JurisdictionId })
      mountCaseRoutes(a, { db, personalRetentionDays: config.casePersonalRetentionDays, platforms, onChange: (c) => realtimeRef?.emitCase(c), onStatusChange: (tx, c, at) => platforms.statusChanged(tx, c, at) })
      mountMyRoutes(a, { db, citizens, platforms, creditorFiscalCode: config.platforms.creditorFiscalCode, personalRetentionDays: config.casePersonalRetentionDays })
      mountScenarioRoutes(a, { db, estimator: scenarioEstimator, attributions: async () => (await about()).attributions })
      mountOpenDataRoutes(a, { db, config: config.opendata })
      mountPmoRoutes(a, { db, publisher: config.opendata.publisherName })
      mountThemeDashboardRoutes(a, { db, cacheMs: 60_000 })
      // Last: its /api/{*rest} answers every unknown API path with NOT_FOUND.
      mountOpsRoutes(a, { version: d.version, readiness: d.readiness, about, metrics: d.metrics })
      mountTiles3dRoutes(a, new BuildingTilesCache(db, { log: (o, m) => log.info(o, m) }))
    },
  })
  const http = createServer(withTileFastPath(tiles, app))
  http.keepAliveTimeout = 65_000

  let adapter: RedisAdapterHandle | null = null
  if (config.redisUrl) {
    adapter = await createRedisAdapter(config.redisUrl, config.redisPrefix, log)
  }
  const realtime = new RealtimeServer(http, {
    mirror,
    defaultCadenceMs: config.live.cadenceMs,
    heartbeat: () => board.heartbeat(),
    sessions: identity.sessions,
    allowedOrigins: config.identity.allowedOrigins,
    ...(adapter ? { adapter: adapter.adapter } : {}),
  })
  realtimeRef = realtime
  await evaluator.start()
  sumoRunner.start()
  scenarioSumoRunner.start()
  caseTimers.start()
  polls.start()
  d.metricsSources.live = {
    socketClients: () => realtime.clients(),
    liveDevices: () => mirror.deviceCount(),
    feedUp: () => bus.up(),
    resyncs: () => ({ ...feed.resyncs }),
    ingestWorkersAlive: () => board.alive().length,
    frames: () => ({ ...realtime.frames }),
  }
  const sweeper = setInterval(() => mirror.sweep(), STALE_SWEEP_MS)
  sweeper.unref()

  let realtimeClosed = false
  const closeRealtime = async () => {
    if (realtimeClosed) return
    realtimeClosed = true
    await realtime.close()
  }
  return {
    mirror,
    feed,
    board,
    realtime,
    alarms: evaluator,
    signals,
    startSignals: async (b) => {
      signalMqtt = connectDeployMqtt(b)
      const c = signalMqtt
      // A moment for the connection, so that the first deployment is not refused as NOT_READY; it keeps trying after.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000)
        c.once('connect', () => {
          clearTimeout(t)
          resolve()
        })
      })
      await signals.start({ mqtt: c, keys: b.auth.keyring })
    },
    identity,
    http,
    app,
    setBroker: (b) => {
      broker = b
    },
    about,
    // Redis away is degraded, not unready: every server would drop out of the load balancer at once,
    // while each can still serve the map (refreshed from the database every 2 s).
    readiness: async () => ({
      city: { ok: true, detail: cityReport.city.label },
      liveFeed: { ok: true, detail: bus.up() ? `${bus.kind} live feed connected` : 'degraded: live feed (Redis) not reachable; the live map is refreshed from the database every 2 s' },
      ...(adapter ? { socketAdapter: { ok: true, detail: adapter.connected() ? 'Socket.IO Redis adapter connected' : 'degraded: Socket.IO Redis adapter cannot reach Redis; broadcasts reach this process only' } } : {}),
    }),
    closeRealtime,
    stop: async () => {
      clearInterval(sweeper)
      await sumoRunner.stop()
      await scenarioSumoRunner.stop()
      await caseTimers.stop()
      await openDataRefresh.stop()
      await polls.stop()
      await outbox?.stop()
      await scenarioEstimator.close()
      await signals.stop()
      await signalMqtt?.endAsync(true).catch(() => undefined)
      await evaluator.stop()
      identity.stop()
      offStatus()
      await closeRealtime()
      await feed.stop()
      await adapter?.close()
    },
  }
}


/** What /api/about says: the city, the run mode and every loaded dataset with its licence and attribution. */
export async function buildAbout(db: Db, version: string, broker: BrokerHandle | null): Promise<AboutResponse> {
  const [city, extent, datasets] = await Promise.all([readCity(db), cityExtent(db), readDatasets(db)])
  const bbox = extent ?? [11.3, 44.47, 11.38, 44.52]
  const seen = new Set<string>()
  return {
    product: 'Gemello',
    version,
    city: {
      name: city?.name ?? 'Unknown',
      data: city?.data ?? 'generated',
      label: city?.label ?? 'No city data',
      center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
      bbox,
    },
    mode: { database: db.mode, broker: broker?.kind ?? 'external', mqttUrl: broker?.url ?? '' },
    datasets,
    attributions: datasets
      .filter((x) => (seen.has(x.attribution) ? false : (seen.add(x.attribution), true)))
      .map((x) => ({ text: x.attribution, licence: x.licence, url: datasetById(x.id)?.attributionUrl ?? null })),
  }
}
