/**
 * Prometheus metrics of one Gemello process, served at GET /metrics (text exposition format):
 * ingest throughput and outcomes (rate() of the *_total counters), back-pressure (messages not yet
 * acknowledged), write batches (size and transaction time), quarantine by reason, live clients, and
 * Node's own (event-loop lag, heap, CPU, GC) from prom-client's defaults. Labels never carry a
 * device id, a topic or a payload: cardinality stays bounded and nothing personal is exported.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { IngestStats } from '../../../ingest/src/ingest-service'

export interface MetricsSources {
  ingest(): IngestStats
  socketClients(): number
  liveDevices(): number
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

export function createMetrics(sources: MetricsSources): GemelloMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })

  totalFrom(registry, 'gemello_ingest_readings_stored_total', 'Readings written to history (new rows).', () => sources.ingest().stored)
  totalFrom(registry, 'gemello_ingest_duplicates_total', 'Readings received again and ignored (same device, stream and time or seq).', () => sources.ingest().duplicates)
  totalFrom(registry, 'gemello_ingest_conflicts_total', 'Duplicates with different values, recorded in ingest_conflict.', () => sources.ingest().conflicts)
  totalFrom(registry, 'gemello_ingest_batches_total', 'Write transactions committed by the ingest.', () => sources.ingest().committedBatches)
  new Counter({
    name: 'gemello_ingest_quarantined_total',
    help: 'Messages refused by the ingest and kept in the quarantine, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset()
      for (const [reason, n] of Object.entries(sources.ingest().quarantineByReason)) if (n) this.inc({ reason }, n)
    },
  })
  new Gauge({
    name: 'gemello_ingest_pending_messages',
    help: 'Messages delivered by the broker and not yet acknowledged (buffered or being written): the ingest lag.',
    registers: [registry],
    collect() {
      this.set(sources.ingest().pending)
    },
  })
  new Gauge({
    name: 'gemello_ingest_last_commit_age_seconds',
    help: 'Seconds since the last committed write (-1 before the first).',
    registers: [registry],
    collect() {
      const at = sources.ingest().lastCommitAtMs
      this.set(at === null ? -1 : (Date.now() - at) / 1000)
    },
  })
  new Gauge({
    name: 'gemello_ingest_up',
    help: 'Ingest health by part: broker (connected) and database (writes succeed), 1 or 0.',
    labelNames: ['part'],
    registers: [registry],
    collect() {
      const s = sources.ingest()
      this.set({ part: 'broker' }, s.brokerConnected ? 1 : 0)
      this.set({ part: 'database' }, s.dbHealthy ? 1 : 0)
    },
  })
  new Gauge({
    name: 'gemello_socket_clients',
    help: 'Socket.IO clients connected to this process.',
    registers: [registry],
    collect() {
      this.set(sources.socketClients())
    },
  })
  new Gauge({
    name: 'gemello_live_devices',
    help: 'Devices in the live mirror of this process.',
    registers: [registry],
    collect() {
      this.set(sources.liveDevices())
    },
  })
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
