/**
 * The live bus between processes (ADR 0004 §1): ingest workers append one entry per committed
 * batch to the Redis stream `gemello:live`; every server process reads the whole stream (no
 * consumer group: each server needs every entry) into its own mirror.
 *
 * Best effort by design. Publishing never waits and never queues while Redis is away (the ingest's
 * durability does not depend on Redis); each publisher numbers its entries (`p`), so a reader sees a
 * jump when entries were dropped or trimmed, and reports a gap: the server then re-reads the
 * latest state from the database. A reader that reconnects, or falls 30 s behind, reports a gap too.
 * The stream is trimmed to the last 60 s (MINID), so Redis memory stays bounded by the traffic rate.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { EventEmitter } from 'node:events'
import { createClient } from 'redis'
import type { ValidReading } from '../db/readings'
import type { GapReason, LiveBus, WorkerStatus } from './live-bus'

/** The stream's key under the deployment's prefix (REDIS_KEY_PREFIX). */
export const liveStreamKey = (prefix: string) => `${prefix}:live`
const RETAIN_MS = 60_000
const MAX_LAG_MS = 30_000

type RedisClient = ReturnType<typeof createClient>

export interface RedisLiveBusOptions {
  url: string
  /** Read the stream (server role). Publishers only (ingest-only processes) do not. */
  read: boolean
  /** REDIS_KEY_PREFIX */
  prefix: string
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void }
  now?: () => number
}

type EntryType = 'r' | 'd' | 's'

function newClient(url: string): RedisClient {
  return createClient({
    url,
    // A command issued while Redis is away fails at once instead of piling up in memory.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 + retries * 100, 1000) },
  })
}

export class RedisLiveBus implements LiveBus {
  readonly kind = 'redis' as const
  private readonly ee = new EventEmitter()
  private readonly key: string
  /** This publisher's name in the stream: new at every start, so a restart is not taken for a gap. */
  private readonly publisherId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  private p = 0
  private readonly pub: RedisClient
  private readonly sub: RedisClient | null
  private lastId = '0-0'
  private readonly lastP = new Map<string, number>()
  private reading = false
  private closed = false
  private feedUp = false
  private loop: Promise<void> | null = null
  private readonly n = { published: 0, dropped: 0, received: 0 }
  private readonly now: () => number

  constructor(private readonly o: RedisLiveBusOptions) {
    this.key = liveStreamKey(o.prefix)
    this.now = o.now ?? Date.now
    this.pub = newClient(o.url)
    this.sub = o.read ? newClient(o.url) : null
    let pubWasReady = true
    this.pub.on('error', (err: Error) => {
      if (pubWasReady) o.log?.warn({ err: err.message }, 'live feed: Redis unavailable; live updates reach other processes again when it is back')
      pubWasReady = false
    })
    this.pub.on('ready', () => {
      if (!pubWasReady) o.log?.info({}, 'live feed: Redis is back')
      pubWasReady = true
    })
    this.sub?.on('error', () => undefined)
  }

  async start(): Promise<void> {
    // Not awaited to the end when Redis is down: the process runs degraded and the clients retry.
    const connect = (c: RedisClient) =>
      Promise.race([c.connect().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref())]).catch(() => false)
    const [pubOk] = await Promise.all([connect(this.pub), this.sub ? connect(this.sub) : Promise.resolve(true)])
    if (!pubOk) this.o.log?.warn({}, 'live feed: Redis not reachable at start; running without the live feed until it is')
    if (this.sub) {
      // The reader starts at the current end of the stream; the caller loads the mirror *after*
      // start(), so an entry committed during the load is applied twice — harmlessly.
      if (this.sub.isReady) {
        this.lastId = await this.tailId()
        this.feedUp = true
      }
      this.reading = true
      this.loop = this.readLoop()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.reading = false
    // destroy(), not close(): a blocked XREAD would hold close() for up to a second.
    for (const c of [this.pub, this.sub]) {
      if (c?.isOpen) c.destroy()
    }
    await this.loop?.catch(() => undefined)
    this.ee.removeAllListeners()
  }

  publishReadings(readings: ValidReading[]): void {
    if (readings.length > 0) this.publish('r', readings)
  }
  publishDevicesChanged(ids: string[]): void {
    if (ids.length > 0) this.publish('d', ids)
  }
  publishStatus(status: WorkerStatus): void {
    this.publish('s', status)
  }
  onReadings(fn: (readings: ValidReading[]) => void): () => void {
    return this.on('r', fn)
  }
  onDevicesChanged(fn: (ids: string[]) => void): () => void {
    return this.on('d', fn)
  }
  onStatus(fn: (status: WorkerStatus) => void): () => void {
    return this.on('s', fn)
  }
  onGap(fn: (why: GapReason) => void): () => void {
    return this.on('gap', fn)
  }
  up(): boolean {
    return this.sub ? this.feedUp : this.pub.isReady
  }
  counters(): { published: number; dropped: number; received: number } {
    return { ...this.n }
  }

  private publish(type: EntryType, data: unknown): void {
    // Numbered even when it cannot be sent: readers see the jump and resync.
    const p = ++this.p
    if (this.closed || !this.pub.isReady) {
      this.n.dropped++
      return
    }
    const args = ['XADD', this.key, 'MINID', '~', String(this.now() - RETAIN_MS), '*', 't', type, 'w', this.publisherId, 'p', String(p), 'd', JSON.stringify(data)]
    this.pub.sendCommand(args).then(
      () => void this.n.published++,
      () => void this.n.dropped++,
    )
  }

  private async tailId(): Promise<string> {
    const last = (await this.sub!.sendCommand(['XREVRANGE', this.key, '+', '-', 'COUNT', '1'])) as Array<[string, string[]]> | null
    return last?.[0]?.[0] ?? '0-0'
  }

  private async readLoop(): Promise<void> {
    const sub = this.sub!
    while (this.reading) {
      if (!sub.isReady) {
        this.setUp(false)
        await sleep(200)
        continue
      }
      if (!this.feedUp) {
        // Back after an outage: whatever was published meanwhile may be trimmed or never sent.
        try {
          this.lastId = await this.tailId()
        } catch {
          await sleep(200)
          continue
        }
        this.lastP.clear()
        this.setUp(true)
        this.ee.emit('gap', 'reconnect' satisfies GapReason)
      }
      let reply: Array<[string, Array<[string, string[]]>]> | null
      try {
        reply = (await sub.sendCommand(['XREAD', 'COUNT', '500', 'BLOCK', '1000', 'STREAMS', this.key, this.lastId])) as typeof reply
      } catch {
        if (this.reading) this.setUp(false)
        await sleep(200)
        continue
      }
      const entries = reply?.[0]?.[1] ?? []
      for (const [id, fields] of entries) {
        this.lastId = id
        this.apply(fields)
      }
      const newest = entries.at(-1)
      if (newest && this.now() - Number(newest[0].split('-')[0]) > MAX_LAG_MS) {
        // Far behind: skip to the end and let the database say what the present is.
        this.lastId = '$'
        try {
          this.lastId = await this.tailId()
        } catch {
          /* next round */
        }
        this.lastP.clear()
        this.ee.emit('gap', 'lag' satisfies GapReason)
      }
    }
  }

  private apply(fields: string[]): void {
    const f: Record<string, string> = {}
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!
    const p = Number(f.p)
    const w = f.w ?? ''
    const prev = this.lastP.get(w)
    this.lastP.set(w, p)
    if (prev !== undefined && p !== prev + 1) this.ee.emit('gap', 'entries_lost' satisfies GapReason)
    let data: unknown
    try {
      data = JSON.parse(f.d ?? 'null')
    } catch {
      this.ee.emit('gap', 'entries_lost' satisfies GapReason)
      return
    }
    this.n.received++
    if (f.t === 'r' || f.t === 'd' || f.t === 's') this.ee.emit(f.t, data)
  }

  private setUp(up: boolean): void {
    if (this.feedUp === up) return
    this.feedUp = up
    if (!up) this.o.log?.warn({}, 'live feed: lost Redis; the live map is refreshed from the database every 2 s until it is back')
  }

  private on<T>(event: string, fn: (arg: T) => void): () => void {
    this.ee.on(event, fn)
    return () => this.ee.off(event, fn)
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
