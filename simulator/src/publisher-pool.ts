/**
 * A few MQTT publisher connections with a hard bound on un-acknowledged publishes per connection.
 * mqtt.js queues without limit; once a pipeline pushes back an unbounded queue degenerates (see the
 * note in perf-anchors.md §2d), so callers must wait for `whenWritable` when `tryPublish` says no.
 *
 * With `identities`, connection i authenticates as identities[i] — one connection per device, as
 * real devices connect: a broker with Gemello's ACL lets a device publish only its own topics.
 */
import type { Socket } from 'node:net'
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt'
import type { MqttCredentials } from '../../contracts/mqtt-identity'

export interface PublisherPoolOptions {
  mqttUrl: string
  protocolVersion: 4 | 5
  /** Anonymous connections (a broker that allows them); ignored with `identities`. */
  connections: number
  /** One connection per entry, authenticated as it (username and password). */
  identities?: readonly MqttCredentials[]
  /** Connections opened at once (default 200): a big fleet does not open thousands of sockets in one burst. */
  connectConcurrency?: number
  /** Un-acknowledged QoS 1 publishes allowed per connection before callers must wait. */
  maxPending: number
  clientIdPrefix: string
  connectTimeoutMs?: number
  log?: (msg: string) => void
}

export interface PoolStats {
  connections: number
  /** Publishes handed to mqtt.js. */
  sent: number
  /** PUBACKs received. */
  acked: number
  /** Publishes that failed (connection closed before the ack, broker refusal). */
  errors: number
  /** Un-acknowledged now, all connections. */
  pending: number
  /** Highest un-acknowledged count seen on any one connection. */
  maxPendingSeen: number
  /** The per-connection bound in force (maxPending, lowered to the broker's Receive Maximum on MQTT 5). */
  bound: number
  /** Times a caller found its connection full and had to wait for acks. */
  waits: number
  /** Wall time spent waiting for acks, ms. */
  waitMs: number
  /** performance.now() of the first wait, null if the bound was never reached. */
  firstWaitAt: number | null
  reconnects: number
}

interface Conn {
  client: MqttClient
  pending: number
  bound: number
  waiters: Array<() => void>
}

export type AckCallback = (err: Error | undefined) => void

export class PublisherPool {
  private readonly conns: Conn[] = []
  private readonly counters = { sent: 0, acked: 0, errors: 0, maxPendingSeen: 0, waits: 0, waitMs: 0, reconnects: 0, firstWaitAt: null as number | null }
  private closed = false
  private closing: Promise<void> | null = null

  private constructor(private readonly opts: PublisherPoolOptions) {}

  static async connect(opts: PublisherPoolOptions): Promise<PublisherPool> {
    const n = opts.identities ? opts.identities.length : opts.connections
    if (!(n >= 1)) throw new Error(opts.identities ? 'identities must not be empty' : `connections must be ≥ 1, got ${opts.connections}`)
    if (!(opts.maxPending >= 1)) throw new Error(`maxPending must be ≥ 1, got ${opts.maxPending}`)
    const pool = new PublisherPool(opts)
    try {
      const step = Math.max(1, opts.connectConcurrency ?? 200)
      for (let from = 0; from < n; from += step) await Promise.all(Array.from({ length: Math.min(step, n - from) }, (_, i) => pool.open(from + i)))
    } catch (err) {
      await pool.close(0)
      throw err
    }
    return pool
  }

  private open(index: number): Promise<void> {
    const { opts } = this
    const identity = opts.identities?.[index]
    const client = mqtt.connect(opts.mqttUrl, {
      protocolVersion: opts.protocolVersion,
      clientId: `${opts.clientIdPrefix.slice(0, 56)}-${index}`,
      ...(identity ? { username: identity.username, password: identity.password } : {}),
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: opts.connectTimeoutMs ?? 10_000,
      // Our own bound replaces mqtt.js' unbounded offline queue for QoS 0; QoS 1 is stored and resent.
      queueQoSZero: false,
      // mqtt.js otherwise calls `debug` on every packet (a few % of CPU at high rates).
      log: () => {},
    })
    const conn: Conn = { client, pending: 0, bound: opts.maxPending, waiters: [] }
    this.conns[index] = conn
    let first = true
    client.on('connect', (connack) => {
      // TCP_NODELAY: without it Nagle + delayed ACK add ~40 ms to the tail (perf-anchors.md T7).
      ;(client.stream as Partial<Socket>).setNoDelay?.(true)
      const receiveMaximum = connack.properties?.receiveMaximum
      conn.bound = receiveMaximum ? Math.min(opts.maxPending, receiveMaximum) : opts.maxPending
      if (receiveMaximum && receiveMaximum < opts.maxPending && first) {
        opts.log?.(`connection ${index}: broker Receive Maximum ${receiveMaximum} < maxPending ${opts.maxPending}; bounding in-flight publishes at ${receiveMaximum}`)
      }
      if (!first) this.counters.reconnects++
      first = false
      this.release(conn)
    })
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        cleanup()
        reject(new Error(`MQTT connection to ${opts.mqttUrl} failed: ${err.message}`))
      }
      const timer = setTimeout(() => onError(new Error(`no CONNACK within ${opts.connectTimeoutMs ?? 10_000} ms`)), opts.connectTimeoutMs ?? 10_000)
      const onConnect = () => {
        cleanup()
        client.on('error', (err) => opts.log?.(`connection ${index}: ${err.message}`))
        resolve()
      }
      const cleanup = () => {
        clearTimeout(timer)
        client.off('error', onError)
        client.off('connect', onConnect)
      }
      client.once('connect', onConnect)
      client.once('error', onError)
    })
  }

  get size(): number {
    return this.conns.length
  }

  /** True when connection `index` can take another publish now. */
  writable(index: number): boolean {
    const conn = this.conn(index)
    return conn.pending < conn.bound
  }

  /** Resolves when connection `index` can take another publish. */
  async whenWritable(index: number): Promise<void> {
    const conn = this.conn(index)
    if (conn.pending < conn.bound) return
    this.counters.waits++
    const started = performance.now()
    this.counters.firstWaitAt ??= started
    while (conn.pending >= conn.bound && !this.closed) await new Promise<void>((resolve) => conn.waiters.push(resolve))
    this.counters.waitMs += performance.now() - started
  }

  /**
   * Publishes at QoS 1 if the connection is below its bound; returns false (and sends nothing) otherwise.
   * `onAck` runs when the PUBACK arrives or the publish fails.
   */
  tryPublish(index: number, topic: string, payload: Buffer | string, onAck?: AckCallback, properties?: IClientPublishOptions['properties']): boolean {
    if (this.closed) throw new Error('the publisher pool is closed')
    const conn = this.conn(index)
    if (conn.pending >= conn.bound) return false
    conn.pending++
    if (conn.pending > this.counters.maxPendingSeen) this.counters.maxPendingSeen = conn.pending
    this.counters.sent++
    const options: IClientPublishOptions = properties ? { qos: 1, properties } : { qos: 1 }
    conn.client.publish(topic, payload, options, (err) => {
      conn.pending--
      if (err) this.counters.errors++
      else this.counters.acked++
      onAck?.(err ?? undefined)
      this.release(conn)
    })
    return true
  }

  /** Waits for room, then publishes. */
  async publish(index: number, topic: string, payload: Buffer | string, onAck?: AckCallback, properties?: IClientPublishOptions['properties']): Promise<void> {
    while (!this.tryPublish(index, topic, payload, onAck, properties)) await this.whenWritable(index)
  }

  /**
   * Subscribes connection `index` to the topic `topic` (QoS 1) and hands it the messages published
   * there: a device reading its own commands. mqtt.js renews it after a reconnection (`resubscribe`).
   */
  async subscribe(index: number, topic: string, onMessage: (payload: Buffer) => void): Promise<void> {
    const { client } = this.conn(index)
    client.on('message', (t, payload) => {
      if (t === topic) onMessage(payload)
    })
    await client.subscribeAsync(topic, { qos: 1 })
  }

  /** Resolves when every publish so far is acknowledged (or failed), or after `timeoutMs`. */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const deadline = performance.now() + timeoutMs
    while (this.pending() > 0 && !this.closed && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    return this.pending() === 0
  }

  pending(): number {
    let n = 0
    for (const c of this.conns) n += c.pending
    return n
  }

  stats(): PoolStats {
    const bound = this.conns.reduce((m, c) => Math.min(m, c.bound), this.opts.maxPending)
    return { connections: this.conns.length, ...this.counters, pending: this.pending(), bound }
  }

  /** Waits up to `drainMs` for outstanding acks, then disconnects every client. Idempotent. */
  close(drainMs = 5000): Promise<void> {
    this.closing ??= (async () => {
      if (drainMs > 0) await this.drain(drainMs)
      this.closed = true
      for (const c of this.conns) if (c) this.release(c, true)
      await Promise.all(this.conns.map((c) => (c ? c.client.endAsync(this.pending() > 0) : undefined)))
    })()
    return this.closing
  }

  private conn(index: number): Conn {
    const conn = this.conns[index]
    if (!conn) throw new Error(`no publisher connection ${index} (pool has ${this.conns.length})`)
    return conn
  }

  private release(conn: Conn, all = false): void {
    while (conn.waiters.length > 0 && (all || conn.pending < conn.bound)) conn.waiters.shift()?.()
  }
}
