/**
 * The ingest role: MQTT (a shared subscription on MQTT 5, so any number of workers split the load)
 * → batches → PostgreSQL → PUBACK → the live bus. With Redis the worker first takes a lease on its
 * client id (two live workers with one id would take the broker session from each other), and says
 * how it is every second on the bus, which is what the servers' heartbeat is built from.
 */
import { randomBytes } from 'node:crypto'
import type { Config } from '../config/config'
import type { Db } from '../db/adapter'
import type { BrokerHandle } from '../broker/broker'
import type { LiveBus, WorkerStatus } from '../realtime/live-bus'
import type { GemelloMetrics, MetricsSources } from '../metrics/metrics'
import { IngestService } from '../../../ingest/src/ingest-service'
import { takeWorkerLease, type WorkerLease } from '../../../ingest/src/worker-lease'
import { gapJob } from '../../../ingest/src/backfill/gap-job'
import { BackfillPublisher } from '../../../ingest/src/backfill/backfill-publisher'
import { JobLoop } from '../jobs/job-loop'
import { startHistoryJobs } from '../jobs/history-jobs'
import { partitionsAheadDays } from '../db/partitions'
import { rollupQueueRows } from '../db/rollups'
import type { Logger, Readiness } from './gemello'

const STATUS_MS = 1000

export interface IngestRoleDeps {
  config: Config
  db: Db
  bus: LiveBus
  broker: BrokerHandle
  log: Logger
  metrics: GemelloMetrics
  metricsSources: MetricsSources
}

export interface IngestRole {
  ingest: IngestService
  workerId: string
  status(): WorkerStatus
  readiness(): Promise<Readiness>
  stop(): Promise<void>
}

export async function startIngestRole(d: IngestRoleDeps): Promise<IngestRole> {
  const { config, db, bus, broker, log } = d
  const workerId = config.ingest.clientId
  let lease: WorkerLease | null = null
  if (config.redisUrl && broker.kind === 'external') {
    lease = await takeWorkerLease(config.redisUrl, workerId, { prefix: config.redisPrefix, log })
    log.info({ clientId: workerId }, 'ingest client id leased')
  }
  const bf = config.ingest.backfill
  let backfill: { loop: JobLoop<unknown>; publisher: BackfillPublisher } | null = null
  const bootId = randomBytes(4).toString('hex')
  const bootAtMs = Date.now()
  const ingest = new IngestService({
    db,
    mqttUrl: broker.url,
    protocolVersion: broker.protocolVersion,
    clientId: workerId,
    credentials: broker.auth.service,
    shareGroup: config.ingest.shareGroup,
    maxBatch: config.ingest.maxBatch,
    lingerMs: config.ingest.lingerMs,
    maxPending: config.ingest.maxPending,
    ...(config.ingest.writers ? { writers: config.ingest.writers } : {}),
    onCommitted: (latest) => bus.publishReadings(latest),
    onDevicesChanged: (ids) => bus.publishDevicesChanged(ids),
    onBatchWritten: (messages, ms) => d.metrics.observeBatch(messages, ms),
    log,
  })
  d.metricsSources.ingest = () => ingest.stats()
  // Partitions, rollups and retention (docs/history.md): partitions exist before the first write.
  const history = startHistoryJobs({ db, log, policy: config.history })
  await history.ready
  d.metricsSources.history = async () => ({
    partitionsAheadDays: await partitionsAheadDays(db),
    rollupQueueRows: await rollupQueueRows(db),
    seqGapsOpen: Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM seq_gap WHERE closed_at IS NULL')).rows[0]?.n ?? 0),
  })
  d.metricsSources.jobs = () => [...history.stats(), ...(backfill ? [backfill.loop.stats()] : [])]
  try {
    await ingest.start()
  } catch (err) {
    await history.stop()
    await lease?.release()
    throw err
  }
  const status = (): WorkerStatus => {
    const st = ingest.stats()
    return {
      workerId,
      bootId,
      bootAtMs,
      atMs: Date.now(),
      brokerConnected: st.brokerConnected,
      dbHealthy: st.dbHealthy,
      pending: st.pending,
      lastCommitAtMs: st.lastCommitAtMs,
      quarantined: st.quarantined,
      lastQuarantine: st.lastQuarantine,
    }
  }
  // Devices with an outbox are told what is durable and what to send again (docs/chaos.md).
  if (bf.scanMs > 0) {
    const publisher = new BackfillPublisher({ url: broker.url, clientId: workerId, protocolVersion: broker.protocolVersion, credentials: broker.auth.service })
    publisher.start()
    const loop = new JobLoop({
      db,
      log,
      job: gapJob({ intervalMs: bf.scanMs, graceMs: bf.graceMs, confirmEveryMs: bf.confirmMs, retryMs: bf.retryMs, publish: (out) => publisher.publish(out) }),
    }) as JobLoop<unknown>
    loop.start(bf.scanMs)
    backfill = { loop, publisher }
  }
  // In one process the server reads the ingest directly; the entries are for servers elsewhere.
  const timer = bus.kind === 'redis' ? setInterval(() => bus.publishStatus(status()), STATUS_MS) : null
  timer?.unref()
  return {
    ingest,
    workerId,
    status,
    readiness: async () => {
      const st = ingest.stats()
      const ahead = await partitionsAheadDays(db).catch(() => -1)
      return {
        partitions: { ok: ahead >= 2, detail: ahead >= 2 ? `history partitions ready ${ahead} days ahead` : `history partitions only ${ahead} days ahead (the partition job keeps 3): readings of later days would be refused` },
        broker: { ok: st.brokerConnected, detail: st.brokerConnected ? `ingest connected to ${broker.url}` : `ingest not connected to ${broker.url}` },
        ingest: { ok: st.dbHealthy, detail: st.dbHealthy ? `${st.pending} pending` : 'paused: database unavailable' },
      }
    },
    stop: async () => {
      if (timer) clearInterval(timer)
      await backfill?.loop.stop()
      await backfill?.publisher.stop()
      await history.stop()
      await ingest.stop()
      await lease?.release()
    },
  }
}
