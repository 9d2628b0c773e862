/**
 * Prometheus metrics of one Gemello process, served at GET /metrics (text exposition format):
 * ingest throughput and outcomes (rate() of the *_total counters), back-pressure (messages not yet
 * acknowledged), write batches (size and transaction time), quarantine by reason, live clients, and
 * Node's own (event-loop lag, heap, CPU, GC) from prom-client's defaults. Labels never carry a
 * device id, a topic or a payload: cardinality stays bounded and nothing personal is exported.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { IngestStats } from '../../../ingest/src/ingest-service'
import type { JobStats } from '../jobs/job-loop'

/** What this process runs decides what it reports: a server-only process has no ingest, and so on. */
export interface MetricsSources {
  ingest?: () => IngestStats
  live?: {
    socketClients(): number
    liveDevices(): number
    /** 1 when this server hears the ingest through the live feed. */
    feedUp(): boolean
    resyncs(): Record<string, number>
    ingestWorkersAlive(): number
    /** Delta frames built and the sockets they went to (one frame serves every socket at one cursor with one filter). */
    frames(): { groups: number; sockets: number }
  }
  /** Entries this process put on / took from the live feed between processes. */
  liveBus?: () => { published: number; dropped: number; received: number }
  /** Periodic database jobs of this process (partitions, rollups, retention, gap scan). */
  jobs?: () => JobStats[]
  /** History storage, read from the database at scrape time (ingest processes). */
  history?: () => Promise<{ partitionsAheadDays: number; rollupQueueRows: number; seqGapsOpen: number }>
}

export interface GemelloMetrics {
  registry: Registry
  /** Called by the ingest after each committed write transaction. */
  observeBatch(messages: number, durationMs: number): void
  render(): Promise<string>
  contentType: string
}

/** A counter whose value is read from a running total at scrape time. */
function totalFrom(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset()
      this.inc(read())
    },
  })
}

/**
 * `parts` says which groups to register; their sources may be filled in later (the composition root
 * creates the metrics before the roles that feed them), and are read at scrape time.
 */
export function createMetrics(sources: MetricsSources, parts: { ingest: boolean; live: boolean } = { ingest: !!sources.ingest, live: !!sources.live }): GemelloMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })

  if (parts.ingest) {
    const ingest = () => sources.ingest!()
    totalFrom(registry, 'gemello_ingest_readings_stored_total', 'Readings written to history (new rows).', () => ingest().stored)
    totalFrom(registry, 'gemello_ingest_duplicates_total', 'Readings received again and ignored (same device, stream and time or seq).', () => ingest().duplicates)
    totalFrom(registry, 'gemello_ingest_conflicts_total', 'Duplicates with different values, recorded in ingest_conflict.', () => ingest().conflicts)
    totalFrom(registry, 'gemello_ingest_batches_total', 'Write transactions committed by the ingest.', () => ingest().committedBatches)
    new Counter({
      name: 'gemello_ingest_quarantined_total',
      help: 'Messages refused by the ingest and kept in the quarantine, by reason.',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset()
        for (const [reason, n] of Object.entries(ingest().quarantineByReason)) if (n) this.inc({ reason }, n)
      },
    })
    new Gauge({
      name: 'gemello_ingest_pending_messages',
      help: 'Messages delivered by the broker and not yet acknowledged (buffered or being written): the ingest lag.',
      registers: [registry],
      collect() {
        this.set(ingest().pending)
      },
    })
    new Gauge({
      name: 'gemello_ingest_last_commit_age_seconds',
      help: 'Seconds since the last committed write (-1 before the first).',
      registers: [registry],
      collect() {
        const at = ingest().lastCommitAtMs
        this.set(at === null ? -1 : (Date.now() - at) / 1000)
      },
    })
    new Gauge({
      name: 'gemello_ingest_up',
      help: 'Ingest health by part: broker (connected) and database (writes succeed), 1 or 0.',
      labelNames: ['part'],
      registers: [registry],
      collect() {
        const s = ingest()
        this.set({ part: 'broker' }, s.brokerConnected ? 1 : 0)
        this.set({ part: 'database' }, s.dbHealthy ? 1 : 0)
      },
    })
  }
  if (parts.live) {
    const live = {
      socketClients: () => sources.live!.socketClients(),
      liveDevices: () => sources.live!.liveDevices(),
      feedUp: () => sources.live!.feedUp(),
      resyncs: () => sources.live!.resyncs(),
      ingestWorkersAlive: () => sources.live!.ingestWorkersAlive(),
      frames: () => sources.live!.frames(),
    }
    new Gauge({
      name: 'gemello_socket_clients',
      help: 'Socket.IO clients connected to this process.',
      registers: [registry],
      collect() {
        this.set(live.socketClients())
      },
    })
    new Gauge({
      name: 'gemello_live_devices',
      help: 'Devices in the live mirror of this process.',
      registers: [registry],
      collect() {
        this.set(live.liveDevices())
      },
    })
    new Gauge({
      name: 'gemello_live_feed_up',
      help: 'Whether this server hears the ingest through the live feed (1) or refreshes from the database every 2 s (0).',
      registers: [registry],
      collect() {
        this.set(live.feedUp() ? 1 : 0)
      },
    })
    new Gauge({
      name: 'gemello_ingest_workers_alive',
      help: 'Ingest workers this server heard from in the last 5 s.',
      registers: [registry],
      collect() {
        this.set(live.ingestWorkersAlive())
      },
    })
    new Counter({
      name: 'gemello_live_frames_total',
      help: 'Delta frames: built (collected and encoded once) and sent (one per socket); sent ÷ built is how many screens share a frame.',
      labelNames: ['what'],
      registers: [registry],
      collect() {
        this.reset()
        const f = live.frames()
        this.inc({ what: 'built' }, f.groups)
        this.inc({ what: 'sent' }, f.sockets)
      },
    })
    new Counter({
      name: 'gemello_live_resyncs_total',
      help: 'Times the live mirror was re-read from the database, by why (reconnect, entries_lost, lag, periodic, feed_down).',
      labelNames: ['why'],
      registers: [registry],
      collect() {
        this.reset()
        for (const [why, n] of Object.entries(live.resyncs())) this.inc({ why }, n)
      },
    })
  }
  new Counter({
    name: 'gemello_job_runs_total',
    help: 'Periodic database jobs by job and outcome: ran, skipped (another process held the lock), failed.',
    labelNames: ['job', 'outcome'],
    registers: [registry],
    collect() {
      this.reset()
      for (const j of sources.jobs?.() ?? []) {
        this.inc({ job: j.name, outcome: 'ran' }, j.runs)
        this.inc({ job: j.name, outcome: 'skipped' }, j.skipped)
        this.inc({ job: j.name, outcome: 'failed' }, j.failures)
      }
    },
  })
  for (const [name, help, key] of [
    ['gemello_partitions_ahead_days', 'Days ahead for which every history table has its partition (the partition job keeps 3; below 2 is an alarm).', 'partitionsAheadDays'],
    ['gemello_rollup_queue_rows', 'Batches waiting for the rollup job (1-min and 1-h aggregates lag by these).', 'rollupQueueRows'],
    ['gemello_seq_gaps_open', 'Gaps in outbox devices\' sequences still open (asked for, not yet filled, or waiting for an operator).', 'seqGapsOpen'],
  ] as const) {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const h = await sources.history?.().catch(() => null)
        if (h) this.set(h[key])
      },
    })
  }
  if (sources.liveBus) {
    const bus = sources.liveBus
    new Counter({
      name: 'gemello_live_feed_entries_total',
      help: 'Live feed entries by outcome: published (sent by this process), dropped (could not be sent; readers resync), received.',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        this.reset()
        const c = bus()
        this.inc({ outcome: 'published' }, c.published)
        this.inc({ outcome: 'dropped' }, c.dropped)
        this.inc({ outcome: 'received' }, c.received)
      },
    })
  }
  const batchSize = new Histogram({
    name: 'gemello_ingest_batch_messages',
    help: 'Messages per committed write transaction.',
    buckets: [1, 5, 10, 50, 100, 500, 1000, 2500, 5000],
    registers: [registry],
  })
  const batchSeconds = new Histogram({
    name: 'gemello_db_batch_write_seconds',
    help: 'Duration of the ingest write transactions (database latency as the ingest sees it).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })

  return {
    registry,
    observeBatch(messages, durationMs) {
      batchSize.observe(messages)
      batchSeconds.observe(durationMs / 1000)
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  }
}
