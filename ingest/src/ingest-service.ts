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
import { INGEST_SUBSCRIPTIONS } from '../../contracts/events'
import type { QuarantineReason } from '../../contracts/schemas/quarantine'
import { BatchAckConsumer, type InboundMessage } from './batch-ack-consumer'
import { DeviceRegistry } from './device-registry'
import { parseFiware } from './fiware/fiware'
import { parseMessage, quarantine, type Inbound, type Parsed } from './parse-message'

export interface IngestOptions {
  db: Db
  mqttUrl: string
  protocolVersion: 4 | 5
  clientId: string
  maxBatch: number
  lingerMs: number
  maxPending: number
  /** Called after each commit with the readings that became the latest state. */
  onCommitted?(latest: ValidReading[], outcome: BatchOutcome): void
  /** Called when devices are registered or changed. */
  onDevicesChanged?(ids: string[]): void
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void }
}

interface Pending {
  msg: InboundMessage
  parsed: Parsed
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

export function isDbUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  if (e?.code && (DB_DOWN_CODES.has(e.code) || e.code.startsWith('08'))) return true
  return /Connection terminated|connection ended|Client has encountered a connection error|not queryable|timeout exceeded when trying to connect/i.test(e?.message ?? '')
}

export class IngestService {
  readonly registry: DeviceRegistry
  private readonly consumer: BatchAckConsumer
  private buffer: Pending[] = []
  private flushing = false
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
    this.registry = new DeviceRegistry(o.db)
    this.consumer = new BatchAckConsumer({
      url: o.mqttUrl,
      clientId: o.clientId,
      protocolVersion: o.protocolVersion,
      subscriptions: INGEST_SUBSCRIPTIONS,
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
    // Let a running flush finish so its acks are not lost halfway; un-acked messages stay with the broker.
    while (this.flushing) await new Promise((r) => setTimeout(r, 10))
  }

  stats(): IngestStats {
    return { ...this.s, brokerConnected: this.consumer.connected, pending: this.buffer.length + this.consumer.pending, quarantineByReason: { ...this.s.quarantineByReason } }
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

  private schedule(): void {
    if (this.flushing || this.stopped || this.recovering) return
    if (this.buffer.length >= this.o.maxBatch) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      void this.flush()
    } else if (!this.timer && this.buffer.length > 0) {
      this.timer = setTimeout(() => {
        this.timer = null
        void this.flush()
      }, this.o.lingerMs)
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.buffer.length === 0) return
    this.flushing = true
    const batch = this.buffer.splice(0, this.o.maxBatch)
    try {
      await this.writeAndAck(batch)
    } catch (err) {
      if (isDbUnavailable(err)) await this.onDbDown(batch, err)
      else await this.bisect(batch, err)
    } finally {
      this.flushing = false
      this.schedule()
    }
  }

  private async writeAndAck(batch: Pending[]): Promise<void> {
    await this.verifyUnknownDevices(batch)
    const input = toBatchInput(batch)
    const outcome = await this.o.db.transaction((tx) => writeBatch(tx, input))
    for (const p of batch) p.msg.ack()
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

  /** A data error somewhere in the batch: split it until the culprit is alone, quarantine it, keep the rest. */
  private async bisect(batch: Pending[], err: unknown): Promise<void> {
    if (batch.length === 1) {
      const p = batch[0]!
      const inbound: Inbound = { topic: p.msg.topic, payload: p.msg.payload, clientId: null, receivedAtMs: p.msg.receivedAtMs }
      const single: Pending = { msg: p.msg, parsed: quarantine(inbound, 'db_rejected', (err as Error).message ?? String(err)) }
      try {
        await this.writeAndAck([single])
      } catch (again) {
        if (isDbUnavailable(again)) await this.onDbDown([p], again)
        else {
          this.o.log?.error({ err: (again as Error).message }, 'cannot even quarantine a message; it stays un-acked for redelivery')
          p.msg.discard()
        }
      }
      return
    }
    this.o.log?.warn({ err: (err as Error).message, size: batch.length }, 'batch refused by the database; splitting it')
    const half = Math.ceil(batch.length / 2)
    for (const part of [batch.slice(0, half), batch.slice(half)]) {
      try {
        await this.writeAndAck(part)
      } catch (e) {
        if (isDbUnavailable(e)) {
          await this.onDbDown(part, e)
          return
        }
        await this.bisect(part, e)
      }
    }
  }

  /**
   * The database is gone. Nothing of this batch or the buffer is acknowledged: drop the broker
   * connection (the broker keeps the session and everything un-acked), wait for the database,
   * then reconnect and let the broker redeliver.
   */
  private async onDbDown(batch: Pending[], err: unknown): Promise<void> {
    this.s.dbHealthy = false
    this.recovering = true
    this.o.log?.error({ err: (err as Error).message }, 'database unavailable: pausing ingest, nothing acknowledged')
    const dropped = [...batch, ...this.buffer.splice(0)]
    await this.consumer.stop()
    for (const p of dropped) p.msg.discard()
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
    this.recovering = false
    await this.registry.load()
    await this.consumer.start()
  }

  private countQuarantine(q: QuarantineRow): void {
    this.s.quarantined++
    this.s.quarantineByReason[q.reason] = (this.s.quarantineByReason[q.reason] ?? 0) + 1
    this.s.lastQuarantine = { reason: q.reason, atMs: q.receivedAtMs }
  }
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
