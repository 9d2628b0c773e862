/**
 * Feeds a server's live mirror from the live bus (ADR 0004 §1), and repairs it from the database
 * whenever the bus may have missed something: the feed is best effort, `latest_state` is the truth.
 *
 * - Device changes and readings are applied through one queue, in the order they arrive, so a
 *   reading never overtakes the registration of its device.
 * - A reading for a device this mirror does not know (registered through another ingest worker
 *   whose entry has not arrived yet) loads that device first, instead of being dropped.
 * - On a gap (bus reconnect, entries lost, reader far behind) and every 60 s: `mirror.resync(db)`.
 * - While the bus is down: a resync every 2 s, so the map moves in 2-s steps instead of freezing.
 */
import type { Db } from '../db/adapter'
import { loadDevices } from '../db/devices'
import type { ValidReading } from '../db/readings'
import type { GapReason, LiveBus } from './live-bus'
import type { LiveMirror } from './live-mirror'

export type ResyncReason = GapReason | 'periodic' | 'feed_down'

export interface LiveFeedOptions {
  bus: LiveBus
  mirror: LiveMirror
  db: Db
  log?: { warn(o: object, m?: string): void; error(o: object, m?: string): void; info(o: object, m?: string): void }
  periodicMs?: number
  downPollMs?: number
}

export class LiveFeed {
  private chain: Promise<void> = Promise.resolve()
  private readonly offs: Array<() => void> = []
  private readonly timers: NodeJS.Timeout[] = []
  private resyncing: Promise<void> | null = null
  private stopped = false
  readonly resyncs: Record<ResyncReason, number> = { reconnect: 0, entries_lost: 0, lag: 0, periodic: 0, feed_down: 0 }

  constructor(private readonly o: LiveFeedOptions) {}

  start(): void {
    const { bus, mirror, db } = this.o
    this.offs.push(
      bus.onDevicesChanged((ids) => this.enqueue(async () => mirror.upsertDevices(await loadDevices(db, ids)))),
      bus.onReadings((readings) => this.enqueue(() => this.applyReadings(readings))),
      bus.onGap((why) => void this.resync(why)),
    )
    if (bus.kind === 'local') return
    const periodic = setInterval(() => void this.resync('periodic'), this.o.periodicMs ?? 60_000)
    const downPoll = setInterval(() => {
      if (!bus.up()) void this.resync('feed_down')
    }, this.o.downPollMs ?? 2000)
    for (const t of [periodic, downPoll]) {
      t.unref()
      this.timers.push(t)
    }
  }

  stop(): Promise<void> {
    this.stopped = true
    for (const off of this.offs) off()
    for (const t of this.timers) clearInterval(t)
    return this.chain
  }

  /** Re-reads the database into the mirror; concurrent requests share one run. */
  resync(why: ResyncReason): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.resyncing) return this.resyncing
    this.resyncs[why]++
    const run = new Promise<void>((resolve) => {
      this.enqueue(async () => {
        try {
          const changed = await this.o.mirror.resync(this.o.db)
          if (why !== 'periodic' && why !== 'feed_down') this.o.log?.info({ why, ...changed }, 'live mirror resynchronised from the database')
          else if (changed.devices + changed.states > 0 && why === 'periodic') this.o.log?.warn({ why, ...changed }, 'live mirror had missed changes; resynchronised')
        } finally {
          resolve()
        }
      })
    })
    this.resyncing = run.finally(() => {
      this.resyncing = null
    })
    return this.resyncing
  }

  /** Resolves when everything received so far is applied. */
  settled(): Promise<void> {
    return this.chain
  }

  private async applyReadings(readings: ValidReading[]): Promise<void> {
    const { mirror, db } = this.o
    const unknown = [...new Set(readings.filter((r) => !mirror.hasDevice(r.deviceId)).map((r) => r.deviceId))]
    if (unknown.length > 0) mirror.upsertDevices(await loadDevices(db, unknown))
    mirror.applyReadings(readings)
  }

  private enqueue(fn: () => Promise<void> | void): void {
    this.chain = this.chain.then(fn).catch((err: unknown) => this.o.log?.error({ err: (err as Error).message }, 'live update failed'))
  }
}
