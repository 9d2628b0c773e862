/**
 * Devices for the chaos suite: traffic loops that publish readings with seqs 1, 2, 3… (QoS 1) over a few
 * MQTT 5 connections, keep them in an outbox (simulator/src/outbox.ts), obey Gemello's backfill
 * commands, and re-publish what stays unconfirmed. `published` is the ground truth the reconciliation
 * compares with the database: what each device believes it sent.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { BACKFILL_SUBSCRIPTION, readingTopic } from '../../../contracts/events'
import { BackfillRequestSchema } from '../../../contracts/schemas/backfill'
import { Outbox, type OutboxMode } from '../../../simulator/src/outbox'

export interface FleetOptions {
  url: string
  deviceIds: string[]
  connections: number
  mode: OutboxMode
  /** Re-publish an unconfirmed reading after this long. */
  retryAfterMs: number
  /** observedAt of seq s = t0 + s × stepMs. */
  stepMs: number
  /** Publish every reading this many times (a duplicate storm); default 1. */
  copies?: number
  /** observedAt of seq s = t0 + s × stepMs, with t0 = now − this (late, replayed history). */
  startInPastMs?: number
}

interface Conn {
  client: MqttClient
  pending: number
}

export class DeviceFleet {
  /** deviceId → highest seq published (seqs are 1…n). */
  readonly published = new Map<string, number>()
  readonly outboxes = new Map<string, Outbox>()
  /** Backfill commands received, and readings re-sent because of them or of the retry rule. */
  commands = 0
  private readonly conns: Conn[] = []
  private readonly owner = new Map<string, Conn>()
  private timer: NodeJS.Timeout | null = null
  private readonly t0: number
  /** Every reading as first published, for a replay. */
  readonly sent: Array<{ topic: string; payload: string }> = []

  constructor(private readonly o: FleetOptions) {
    this.t0 = Date.now() - (o.startInPastMs ?? 0)
    for (const id of o.deviceIds) {
      this.published.set(id, 0)
      this.outboxes.set(id, new Outbox(o.mode))
    }
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.o.connections; i++) {
      const client = mqtt.connect(this.o.url, { protocolVersion: 5, clientId: `chaos-fleet-${process.pid}-${i}`, clean: true, reconnectPeriod: 300, connectTimeout: 3000, log: () => undefined })
      client.on('error', () => undefined)
      // Subscribed again on every connect: a clean session forgets subscriptions.
      client.on('connect', () => client.subscribe(BACKFILL_SUBSCRIPTION, { qos: 1 }))
      client.on('message', (topic, payload) => this.onCommand(topic, payload))
      this.conns.push({ client, pending: 0 })
    }
    this.o.deviceIds.forEach((id, i) => this.owner.set(id, this.conns[i % this.conns.length]!))
    await Promise.all(this.conns.map((c) => new Promise<void>((r) => (c.client.connected ? r() : c.client.once('connect', () => r())))))
    this.timer = setInterval(() => this.retryDue(), 1000)
  }

  /** Publishes `total` readings round-robin over the devices at `ratePerS`; resolves when all were handed to MQTT. */
  async stream(total: number, ratePerS: number, onProgress?: (sent: number) => void): Promise<void> {
    const ids = this.o.deviceIds
    const start = Date.now()
    for (let k = 0; k < total; k++) {
      const due = start + (k * 1000) / ratePerS
      const wait = due - Date.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      this.publishNext(ids[k % ids.length]!)
      onProgress?.(k + 1)
    }
  }

  /** Unconfirmed readings left in all outboxes. */
  unconfirmed(): number {
    let n = 0
    for (const o of this.outboxes.values()) n += o.size()
    return n
  }
  resent(): number {
    let n = 0
    for (const o of this.outboxes.values()) n += o.resent
    return n
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await Promise.all(this.conns.map((c) => c.client.endAsync(true)))
  }

  private publishNext(id: string): void {
    const seq = this.published.get(id)! + 1
    this.published.set(id, seq)
    const payload = JSON.stringify({ seq, observedAt: this.t0 + seq * this.o.stepMs, values: { flowVehH: 300 + (seq % 700), occupancyPct: 5 + (seq % 30), speedKmh: 40, intervalS: 60 } })
    const entry = { stream: 'traffic', seq, topic: readingTopic('traffic-loop', id, 'traffic'), payload, sentAtMs: Date.now() }
    this.outboxes.get(id)!.add(entry)
    this.sent.push({ topic: entry.topic, payload })
    for (let c = 0; c < (this.o.copies ?? 1); c++) this.send(id, entry.topic, payload, seq)
  }

  /** Publishes readings again exactly as they were first sent (a gateway replaying its log). */
  replay(entries: ReadonlyArray<{ topic: string; payload: string }>): Promise<void> {
    const conn = this.conns[0]!
    return Promise.all(entries.map((e) => conn.client.publishAsync(e.topic, e.payload, { qos: 1 }))).then(() => undefined)
  }

  private send(id: string, topic: string, payload: string, seq: number): void {
    const conn = this.owner.get(id)!
    conn.pending++
    conn.client.publish(topic, payload, { qos: 1 }, (err) => {
      conn.pending--
      if (!err) this.outboxes.get(id)!.acked('traffic', seq)
    })
  }

  private onCommand(topic: string, payload: Buffer): void {
    const id = topic.split('/')[3]
    const outbox = id ? this.outboxes.get(id) : undefined
    if (!id || !outbox) return
    let req
    try {
      req = BackfillRequestSchema.parse(JSON.parse(payload.toString()))
    } catch {
      return
    }
    this.commands++
    if (req.confirmedThroughSeq !== null) outbox.confirm(req.stream, req.confirmedThroughSeq)
    if (req.heldThroughSeq !== null) outbox.held(req.stream, req.confirmedThroughSeq ?? -1, req.heldThroughSeq, req.ranges)
    for (const e of outbox.take(req.stream, req.ranges, Date.now())) this.send(id, e.topic, e.payload, e.seq)
  }

  private retryDue(): void {
    const now = Date.now()
    for (const [id, outbox] of this.outboxes) {
      // Rate-limited: the unconfirmed tail, a few at a time, never a storm.
      for (const e of outbox.due(now, this.o.retryAfterMs, 20)) this.send(id, e.topic, e.payload, e.seq)
    }
  }
}
