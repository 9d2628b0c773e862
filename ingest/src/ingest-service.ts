/**
 * The ingest: MQTT → parse → batch → one transaction → PUBACK → live bus.
 *
 * Messages are parsed as they arrive and buffered. A flush starts when nothing is being written
 * and either `lingerMs` passed or `maxBatch` messages wait (group commit: at low rates a batch is
 * a few messages and latency is a few ms; under load batches grow and throughput follows).
 * After COMMIT every message of the batch is acknowledged, then the readings that moved the
 * latest state are published to the live bus. A batch that fails because the database is gone
 * is not acknowledged: the consumer reconnects when the database is back and the broker
 * redelivers. A batch that fails because of its data is split until the bad message is found;
 * that message is quarantined (db_rejected) and the rest is written. Nothing crashes the process.
 */
import type { Db } from '../../server/src/db/adapter'
import { writeBatch, type BatchInput, type BatchOutcome, type QuarantineRow, type ValidReading } from '../../server/src/db/readings'
import { ingestSharedSubscriptions, INGEST_SUBSCRIPTIONS } from '../../contracts/events'
import type { QuarantineReason } from '../../contracts/schemas/quarantine'
import type { MqttCredentials } from '../../contracts/mqtt-identity'
import { BatchAckConsumer, type InboundMessage } from './batch-ack-consumer'
import { DeviceRegistry } from './device-registry'
import { parseFiware } from './fiware/fiware'
import { parseMessage, quarantine, type Inbound, type Parsed } from './parse-message'

export interface IngestOptions {
  db: Db
  mqttUrl: string
  protocolVersion: 4 | 5
  clientId: string
  /** The service identity (contracts/mqtt-identity.ts); null/absent = anonymous, for a broker that allows it. */
  credentials?: MqttCredentials | null
  /** MQTT 5 shared-subscription group (default `gemello`): workers of one group split the messages. */
  shareGroup?: string
  maxBatch: number
  lingerMs: number
  maxPending: number
  /** Concurrent write transactions (default: what the database adapter supports). */
  writers?: number
  /** Called after each commit with the readings that became the latest state. */
  onCommitted?(latest: ValidReading[], outcome: BatchOutcome): void
  /** Called when devices are registered or changed. */
  onDevicesChanged?(ids: string[]): void
  /** Called after each write transaction that committed: messages in it and how long it took (metrics). */
  onBatchWritten?(messages: number, durationMs: number): void
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void }
}

interface Pending {
  msg: InboundMessage
  parsed: Parsed
}

interface Flight {
  batch: Pending[]
  committed: boolean
  /** What was written: the whole batch, or its pieces after a split. */
  parts: Array<{ batch: Pending[]; input: BatchInput; outcome: BatchOutcome | null; discard?: Pending[] }>
}

export interface IngestStats {
  brokerConnected: boolean
  dbHealthy: boolean
  pending: number
  lastCommitAtMs: number | null
  committedBatches: number
  stored: number
  duplicates: number
  conflicts: number
  quarantined: number
  quarantineByReason: Partial<Record<QuarantineReason, number>>
  lastQuarantine: { reason: QuarantineReason; atMs: number } | null
}

const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300'])

/** Lock conflicts between concurrent writers: the transaction can simply run again. */
export function isTransient(err: unknown): boolean {
  const code = (err as { code?: string })?.code
  return code === '40P01' || code === '40001'
}

export function isDbUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  if (e?.code && (DB_DOWN_CODES.has(e.code) || e.code.startsWith('08'))) return true
  return /Connection terminated|connection ended|Client has encountered a connection error|not queryable|timeout exceeded when trying to connect/i.test(e?.message ?? '')
}

export class IngestService {
  readonly registry: DeviceRegistry
  private readonly consumer: BatchAckConsumer
  private buffer: Pending[] = []
  /** Batches being written or waiting to be acknowledged, in arrival order. */
  private readonly flights: Flight[] = []
  private active = 0
  private readonly writers: number
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private recovering = false
  private readonly s: IngestStats = {
    brokerConnected: false,
    dbHealthy: true,
    pending: 0,
    lastCommitAtMs: null,
    committedBatches: 0,
    stored: 0,
    duplicates: 0,
    conflicts: 0,
    quarantined: 0,
    quarantineByReason: {},
    lastQuarantine: null,
  }

  constructor(private readonly o: IngestOptions) {
    this.writers = Math.max(1, o.writers ?? o.db.capabilities.concurrentWriters)
    this.registry = new DeviceRegistry(o.db)
    this.consumer = new BatchAckConsumer({
      url: o.mqttUrl,
      clientId: o.clientId,
      credentials: o.credentials ?? null,
      protocolVersion: o.protocolVersion,
      // MQTT 5 brokers: shared subscriptions, so any number of workers split the messages (ADR 0004 §2).
      // The embedded aedes speaks 3.1.1 only — one process, one ingest, plain filters.
      subscriptions: o.protocolVersion === 5 ? ingestSharedSubscriptions(o.shareGroup) : INGEST_SUBSCRIPTIONS,
      ...(o.protocolVersion === 5 ? { unsubscribe: INGEST_SUBSCRIPTIONS } : {}),
      maxInFlight: o.maxPending,
      onMessage: (m) => this.onMessage(m),
      onStatus: (st) => {
        this.s.brokerConnected = st.connected
        if (st.error) o.log?.warn({ err: st.error }, 'mqtt')
        if (st.connected && st.sessionPresent === false) o.log?.info({}, 'mqtt session is new (no queued messages kept by the broker)')
      },
    })
  }

  async start(): Promise<void> {
    await this.registry.load()
    await this.consumer.start()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.consumer.stop()
    // Let running batches finish so their acks are not lost halfway; un-acked messages stay with the broker.
    while (this.active > 0) await new Promise((r) => setTimeout(r, 10))
  }

  stats(): IngestStats {
    // Every message the consumer delivered and nobody acknowledged yet: buffered, or in a batch being written.
    return { ...this.s, brokerConnected: this.consumer.connected, pending: this.consumer.pending, quarantineByReason: { ...this.s.quarantineByReason } }
  }

  private onMessage(msg: InboundMessage): void {
    const inbound: Inbound = { topic: msg.topic, payload: msg.payload, clientId: null, receivedAtMs: msg.receivedAtMs }
    let parsed: Parsed
    try {
      parsed = parseMessage(inbound, this.registry.known)
      if (parsed.type === 'fiware') parsed = parseFiware(inbound, parsed.entityType, parsed.body, this.registry.known)
    } catch (err) {
      // A parser bug must not cost the message: keep it, with the reason, for a person to look at.
      parsed = quarantine(inbound, 'schema_violation', `internal parser error: ${(err as Error).message}`)
    }
    if (parsed.type === 'register') this.registry.remember(parsed.registration.deviceId, parsed.registration.kind, parsed.registration.expectedIntervalS)
    this.buffer.push({ msg, parsed })
    this.schedule()
  }

  /**
   * Starts batches while writers are free: at once when a full batch waits, else after the linger.
   * Up to `writers` transactions run at once; their messages are still acknowledged in arrival order.
   */
  private schedule(): void {
    if (this.stopped || this.recovering) return
    while (this.active < this.writers && this.buffer.length >= this.o.maxBatch) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      this.startFlight()
    }
    if (this.active < this.writers && this.buffer.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null
        if (this.active < this.writers && this.buffer.length > 0 && !this.recovering && !this.stopped) this.startFlight()
        this.schedule()
      }, this.o.lingerMs)
    }
  }

  private startFlight(): void {
    const flight: Flight = { batch: this.buffer.splice(0, this.o.maxBatch), committed: false, parts: [] }
    this.flights.push(flight)
    this.active++
    void this.fly(flight).finally(() => {
      this.active--
      this.schedule()
    })
  }

  private async fly(flight: Flight): Promise<void> {
    try {
      await this.write(flight, flight.batch)
      flight.committed = true
      this.land()
    } catch (err) {
      await this.onDbDown(err)
    }
  }

  /**
   * Writes a batch (one transaction). A data error splits it in halves, each tried again, until the
   * message the database refuses is alone; that one is then written as a quarantine row
   * (`refusal` = why). A lost database throws to the caller.
   */
  private async write(flight: Flight, batch: Pending[], refusal?: unknown): Promise<void> {
    const original = batch
    if (refusal !== undefined) {
      const p = batch[0]!
      const inbound: Inbound = { topic: p.msg.topic, payload: p.msg.payload, clientId: null, receivedAtMs: p.msg.receivedAtMs }
      batch = [{ msg: p.msg, parsed: quarantine(inbound, 'db_rejected', (refusal as Error).message ?? String(refusal)) }]
    }
    try {
      await this.verifyUnknownDevices(batch)
      const input = toBatchInput(batch)
      let outcome: BatchOutcome | undefined
      for (let attempt = 1; ; attempt++) {
        try {
          const t0 = performance.now()
          outcome = await this.o.db.transaction((tx) => writeBatch(tx, input))
          this.o.onBatchWritten?.(batch.length, performance.now() - t0)
          break
        } catch (err) {
          // Two writers can still meet on a lock (a message redelivered into both batches): retry.
          if (!isTransient(err) || attempt >= 5) throw err
        }
      }
      flight.parts.push({ batch, input, outcome })
    } catch (err) {
      if (isDbUnavailable(err)) throw err
      if (refusal !== undefined) {
        // Even its quarantine row was refused: leave the message to the broker (redelivered later).
        this.o.log?.error({ err: (err as Error).message }, 'cannot even quarantine a message; it stays un-acked for redelivery')
        flight.parts.push({ batch: [], input: emptyInput(), outcome: null, discard: original })
        return
      }
      if (batch.length === 1) return this.write(flight, batch, err)
      this.o.log?.warn({ err: (err as Error).message, size: batch.length }, 'batch refused by the database; splitting it')
      const half = Math.ceil(batch.length / 2)
      await this.write(flight, batch.slice(0, half))
      await this.write(flight, batch.slice(half))
    }
  }

  /** Acknowledges committed flights, oldest first: a later batch never overtakes an earlier one. */
  private land(): void {
    while (this.flights[0]?.committed) {
      const flight = this.flights.shift()!
      for (const part of flight.parts) {
        for (const p of part.discard ?? []) p.msg.discard()
        if (!part.outcome) continue
        for (const p of part.batch) p.msg.ack()
        this.account(part.input, part.outcome)
      }
    }
  }

  private account(input: BatchInput, outcome: BatchOutcome): void {
    this.s.dbHealthy = true
    this.s.lastCommitAtMs = Date.now()
    this.s.committedBatches++
    this.s.stored += outcome.inserted
    this.s.duplicates += outcome.duplicates
    this.s.conflicts += outcome.conflicts.length
    for (const q of input.quarantine) this.countQuarantine(q)
    if (input.registrations.length > 0) this.o.onDevicesChanged?.(input.registrations.map((r) => r.deviceId))
    if (outcome.latest.length > 0 || outcome.inserted > 0) this.o.onCommitted?.(outcome.latest, outcome)
  }

  /** Readings from devices the cache does not know are checked against the database before judging. */
  private async verifyUnknownDevices(batch: Pending[]): Promise<void> {
    const unknown = new Set<string>()
    for (const p of batch) if (p.parsed.type === 'reading' && p.parsed.unverifiedDevice && !this.registry.known.has(p.parsed.reading.deviceId)) unknown.add(p.parsed.reading.deviceId)
    if (unknown.size > 0) await this.registry.lookup([...unknown])
    for (const p of batch) {
      if (p.parsed.type !== 'reading' || !p.parsed.unverifiedDevice) continue
      const r = p.parsed.reading
      const known = this.registry.known.get(r.deviceId)
      const inbound: Inbound = { topic: p.msg.topic, payload: p.msg.payload, clientId: null, receivedAtMs: p.msg.receivedAtMs }
      if (!known) p.parsed = quarantine(inbound, 'unknown_device', `no device "${r.deviceId}" is registered; publish gemello/v1/${r.kind}/${r.deviceId}/register first`)
      else if (known.kind !== r.kind) p.parsed = quarantine(inbound, 'kind_mismatch', `device ${r.deviceId} is registered as ${known.kind}, not ${r.kind}`)
      else p.parsed.unverifiedDevice = false
    }
  }

  /**
   * The database is gone. Nothing that is not yet acknowledged will be: drop the broker connection
   * (the broker keeps the session and everything un-acked), wait for the database, then reconnect
   * and let the broker redeliver. Committed-but-unacked messages come back too; idempotent writes
   * absorb them.
   */
  private async onDbDown(err: unknown): Promise<void> {
    if (this.recovering) return
    this.s.dbHealthy = false
    this.recovering = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.o.log?.error({ err: (err as Error).message }, 'database unavailable: pausing ingest, nothing more acknowledged')
    await this.consumer.stop()
    // Other writers in flight fail or finish on their own; wait for them, then give everything up.
    while (this.active > 1) await new Promise((r) => setTimeout(r, 20))
    for (const f of this.flights.splice(0)) for (const p of f.batch) p.msg.discard()
    for (const p of this.buffer.splice(0)) p.msg.discard()
    let delay = 250
    while (!this.stopped) {
      try {
        await this.o.db.query('SELECT 1')
        break
      } catch {
        await new Promise((r) => setTimeout(r, delay))
        delay = Math.min(delay * 2, 5000)
      }
    }
    if (this.stopped) return
    this.o.log?.info({}, 'database back: reconnecting to the broker for redelivery')
    this.s.dbHealthy = true
    await this.registry.load()
    this.recovering = false
    await this.consumer.start()
  }

  private countQuarantine(q: QuarantineRow): void {
    this.s.quarantined++
    this.s.quarantineByReason[q.reason] = (this.s.quarantineByReason[q.reason] ?? 0) + 1
    this.s.lastQuarantine = { reason: q.reason, atMs: q.receivedAtMs }
  }
}

function emptyInput(): BatchInput {
  return { readings: [], quarantine: [], registrations: [] }
}

function toBatchInput(batch: Pending[]): BatchInput {
  const input: BatchInput = { readings: [], quarantine: [], registrations: [] }
  for (const { parsed } of batch) {
    if (parsed.type === 'reading') input.readings.push(parsed.reading)
    else if (parsed.type === 'quarantine') input.quarantine.push(parsed.row)
    else if (parsed.type === 'register') input.registrations.push(parsed.registration)
  }
  return input
}
