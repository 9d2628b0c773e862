/**
 * An MQTT subscriber that acknowledges a QoS 1 message only when the application says so —
 * after the database commit — without processing messages one at a time.
 *
 * mqtt.js hands packets to the application one by one and sends the PUBACK when `handleMessage`
 * calls back; holding that callback until commit would serialise the whole pipeline (one message
 * per transaction). Instead the callback returns at once and the PUBACK packet itself is held
 * back here until `ack()` — so many messages are in flight while their batch commits, and none is
 * acknowledged before it is durable. PUBACKs go out in arrival order (MQTT 4.6.0-2) because
 * batches commit in arrival order.
 *
 * Back-pressure: when `maxInFlight` messages are delivered but not yet acknowledged, the pump
 * stops taking packets from the socket, TCP pushes back, and the broker's in-flight window
 * (Receive Maximum) holds the rest. Memory stays bounded.
 *
 * A connection that drops takes its un-acked messages with it: their `ack()` becomes a no-op and
 * the broker redelivers them (persistent session, DUP) on reconnect; idempotent writes absorb the
 * copies.
 */
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt'
import type { MqttCredentials } from '../../contracts/mqtt-identity'

export interface InboundMessage {
  topic: string
  payload: Buffer
  receivedAtMs: number
  qos: 0 | 1 | 2
  /** Sends the PUBACK if the connection that delivered the message is still up. Idempotent. */
  ack(): void
  /** Gives the message up without acknowledging it: the broker will redeliver it after a reconnect. */
  discard(): void
}

export interface ConsumerOptions {
  url: string
  clientId: string
  /** Username and password (the Gemello service identity); null = anonymous. */
  credentials?: MqttCredentials | null
  /** 5 for external brokers; 4 (3.1.1) for the embedded aedes, which does not speak MQTT 5. */
  protocolVersion: 4 | 5
  subscriptions: readonly string[]
  /** Filters this client must no longer hold (a session made by an older version keeps them otherwise). */
  unsubscribe?: readonly string[]
  maxInFlight: number
  onMessage(message: InboundMessage): void
  onStatus?(status: { connected: boolean; sessionPresent?: boolean; error?: string }): void
}

interface Held {
  gen: number
  puback: Record<string, unknown> | null
  acked: boolean
  done: boolean
}

type SendPacket = (packet: Record<string, unknown>, cb?: (err?: Error) => void, cbStorePut?: unknown, noStore?: boolean) => void

export class BatchAckConsumer {
  private client: MqttClient | null = null
  private gen = 0
  private inFlight = 0
  private readonly awaitingPuback = new Map<number, Held>()
  private readonly paused: Array<() => void> = []
  private stopped = false

  constructor(private readonly opts: ConsumerOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false
  }
  get pending(): number {
    return this.inFlight
  }

  start(): Promise<void> {
    this.stopped = false
    const o = this.opts
    const options: IClientOptions = {
      clientId: o.clientId,
      ...(o.credentials ? { username: o.credentials.username, password: o.credentials.password } : {}),
      clean: false,
      protocolVersion: o.protocolVersion,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      keepalive: 30,
      manualConnect: true,
      resubscribe: true,
      // mqtt.js calls its logger on every packet; the default one (debug) costs ~3 % of the ingest's CPU.
      log: () => undefined,
      ...(o.protocolVersion === 5 ? { properties: { sessionExpiryInterval: 14 * 86_400, receiveMaximum: Math.min(65_535, o.maxInFlight) } } : {}),
    }
    const client = mqtt.connect(o.url, options)
    this.client = client
    this.patchPuback(client)
    // Handlers exist before the first CONNECT: a resumed session may deliver at once (MQTT.js #1124).
    client.handleMessage = (_packet: IPublishPacket, callback: (err?: Error) => void) => {
      if (this.inFlight >= this.opts.maxInFlight) this.paused.push(() => callback())
      else callback()
    }
    client.on('message', (topic, payload, packet) => this.deliver(topic, payload, packet))
    const first = new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        client.removeListener('connect', onConnect)
        reject(err)
      }
      const onConnect = () => {
        client.removeListener('error', onError)
        resolve()
      }
      client.once('connect', onConnect)
      client.once('error', onError)
    })
    client.on('connect', (connack) => {
      this.gen++
      // Nagle's algorithm delays small writes (our PUBACKs) by up to ~40 ms: off (perf-anchors T7).
      ;(client.stream as unknown as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
      this.opts.onStatus?.({ connected: true, sessionPresent: connack.sessionPresent })
      // A session kept from before the switch to shared subscriptions still holds the plain filters:
      // with both, every message would arrive twice (once for the share, once for the plain filter).
      if (connack.sessionPresent && this.opts.unsubscribe && this.opts.unsubscribe.length > 0) {
        client.unsubscribe([...this.opts.unsubscribe], () => undefined)
      }
      // SUBSCRIBE on every connect, really sent: mqtt.js skips a topic it already tracks, and a
      // Mosquitto restarted from its persistence file restores the session (sessionPresent) with its
      // shared subscriptions no longer routed to it — a fresh SUBSCRIBE repairs that (found by the
      // chaos suite; tests/chaos/broker-kill.chaos.ts). Re-subscribing keeps what is queued.
      const all = { ...Object.fromEntries(this.opts.subscriptions.map((t) => [t, { qos: 1 as const }])), resubscribe: true }
      client.subscribe(all as unknown as Record<string, { qos: 1 }>, (err) => {
        if (err && !this.stopped) this.opts.onStatus?.({ connected: true, error: `subscribe failed: ${err.message}` })
      })
    })
    client.on('close', () => this.dropConnection())
    client.on('error', (err) => this.opts.onStatus?.({ connected: client.connected, error: err.message }))
    client.on('offline', () => this.opts.onStatus?.({ connected: false }))
    client.connect()
    return first
  }

  /** Closes the connection without acknowledging what is pending: the broker keeps it for the session. */
  async stop(): Promise<void> {
    this.stopped = true
    const c = this.client
    this.client = null
    this.dropConnection()
    if (c) await c.endAsync(true)
  }

  /** Drops the connection and opens a new one: the broker redelivers every un-acked message. */
  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }

  private deliver(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const qos = packet.qos
    const receivedAtMs = Date.now()
    if (qos === 0 || packet.messageId === undefined) {
      this.opts.onMessage({ topic, payload, qos, receivedAtMs, ack: () => undefined, discard: () => undefined })
      return
    }
    const held: Held = { gen: this.gen, puback: null, acked: false, done: false }
    this.awaitingPuback.set(packet.messageId, held)
    this.inFlight++
    this.opts.onMessage({ topic, payload, qos, receivedAtMs, ack: () => this.ackHeld(held), discard: () => this.settle(held) })
  }

  private ackHeld(held: Held): void {
    if (held.acked) return
    held.acked = true
    if (held.puback && held.gen === this.gen && this.client?.connected) this.send(held.puback)
    this.settle(held)
  }

  private settle(held: Held): void {
    if (held.done) return
    held.done = true
    this.inFlight--
    while (this.paused.length > 0 && this.inFlight < this.opts.maxInFlight) this.paused.shift()?.()
  }

  private send!: SendPacket

  /** Holds back the PUBACK that mqtt.js sends after handleMessage, until the message is acked. */
  private patchPuback(client: MqttClient): void {
    const c = client as unknown as { _sendPacket: SendPacket }
    const original = c._sendPacket.bind(client)
    this.send = (packet) => original(packet)
    c._sendPacket = (packet, cb, cbStorePut, noStore) => {
      if (packet.cmd === 'puback' && typeof packet.messageId === 'number') {
        const held = this.awaitingPuback.get(packet.messageId)
        if (held) {
          this.awaitingPuback.delete(packet.messageId)
          if (held.acked) {
            if (held.gen === this.gen) original(packet, cb, cbStorePut, noStore)
            else cb?.()
          } else {
            held.puback = packet
            cb?.()
          }
          return
        }
        // Every QoS 1 delivery is held above; a PUBACK without a holder belongs to a connection
        // that is gone, and its message id may already name another message: never send it.
        cb?.()
        return
      }
      original(packet, cb, cbStorePut, noStore)
    }
  }

  /** The connection is gone: pending acks can no longer be sent; release the pump. */
  private dropConnection(): void {
    this.gen++
    this.awaitingPuback.clear()
    // Messages delivered on the old connection stay owned by the application until it acks or
    // discards them; their PUBACKs will not be sent (gen changed). Packets paused by back-pressure
    // belong to the dead connection's pump: drop them unprocessed (the broker redelivers them).
    this.paused.length = 0
  }
}
