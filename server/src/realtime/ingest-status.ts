/**
 * What the control room is told about the ingest, built from every worker's status (ADR 0004 §1):
 * in-process workers are read directly, remote ones from their status entries on the live bus.
 *
 * A broker, database or ingest outage is ONE root cause with a start time — not a stale alarm per
 * device. The devices still turn stale on their own clocks (that is true), and the client shows them
 * under the root cause instead of as separate problems.
 */
import type { Heartbeat } from '../../../contracts/events'
import type { QuarantineReason } from '../../../contracts/schemas/quarantine'
import type { WorkerStatus } from './live-bus'

/** A worker not heard from for this long counts as down. */
export const WORKER_SILENT_MS = 5000

export type RootCauseCode = NonNullable<Heartbeat['rootCause']>['code']

interface Seen {
  status: WorkerStatus
  seenAtMs: number
  /** Quarantined count at the first status of this boot that the server saw (already in the boot total). */
  baseline: number
}

export interface BoardOptions {
  /** Quarantine totals read from the database when the server started. */
  quarantineAtBoot: { total: number; last: { reason: QuarantineReason; atMs: number } | null }
  serverBootAtMs: number
  /** Whether this server hears the ingest workers (the live bus is up). */
  feedUp(): boolean
  now?: () => number
}

export class IngestStatusBoard {
  private readonly workers = new Map<string, Seen>()
  private readonly local = new Map<string, () => WorkerStatus>()
  private cause: { code: RootCauseCode; sinceMs: number } | null = null
  private readonly now: () => number

  constructor(private readonly o: BoardOptions) {
    this.now = o.now ?? Date.now
  }

  /** An ingest in this process: read live at every question. */
  addLocal(workerId: string, read: () => WorkerStatus): void {
    this.local.set(workerId, read)
  }

  update(s: WorkerStatus): void {
    if (this.local.has(s.workerId)) return
    const cur = this.workers.get(s.workerId)
    const sameBoot = cur?.status.bootId === s.bootId
    const baseline = sameBoot ? cur.baseline : s.bootAtMs >= this.o.serverBootAtMs ? 0 : s.quarantined
    // A restarted worker's earlier quarantines were already counted (by its previous boot).
    const carried = cur && !sameBoot ? cur.status.quarantined - cur.baseline : 0
    this.workers.set(s.workerId, { status: s, seenAtMs: this.now(), baseline: baseline - carried })
  }

  /** Live workers (heard within 5 s), in-process ones included. */
  alive(): WorkerStatus[] {
    const now = this.now()
    const out = [...this.local.values()].map((read) => read())
    for (const w of this.workers.values()) if (now - w.seenAtMs <= WORKER_SILENT_MS) out.push(w.status)
    return out
  }

  heartbeat(): Omit<Heartbeat, 'serverTimeMs' | 'cursor'> {
    const alive = this.alive()
    const all = [...[...this.local.values()].map((read) => ({ status: read(), baseline: 0 })), ...this.workers.values()]
    let quarantined = this.o.quarantineAtBoot.total
    let last = this.o.quarantineAtBoot.last
    for (const w of all) {
      quarantined += w.status.quarantined - w.baseline
      const l = w.status.lastQuarantine
      if (l && (!last || l.atMs > last.atMs)) last = l
    }
    const feedUp = this.o.feedUp()
    const brokerConnected = alive.length > 0 && alive.every((w) => w.brokerConnected)
    const dbHealthy = alive.every((w) => w.dbHealthy)
    let code: RootCauseCode | null = null
    if (!feedUp && this.local.size === 0) code = 'LIVE_FEED_DOWN'
    else if (alive.length === 0) code = 'INGEST_DOWN'
    else if (alive.every((w) => !w.brokerConnected)) code = 'BROKER_DOWN'
    else if (!dbHealthy) code = 'DB_DOWN'
    if (code === null) this.cause = null
    else if (this.cause?.code !== code) this.cause = { code, sinceMs: this.now() }
    const commits = alive.map((w) => w.lastCommitAtMs).filter((t): t is number => t !== null)
    return {
      ingest: {
        brokerConnected,
        dbHealthy,
        pending: alive.reduce((n, w) => n + w.pending, 0),
        lastCommitAtMs: commits.length > 0 ? Math.max(...commits) : null,
        workers: alive.length,
      },
      quarantine: { total: quarantined, lastReason: last?.reason ?? null, lastAtMs: last?.atMs ?? null },
      liveFeed: feedUp ? 'up' : 'down',
      rootCause: this.cause,
    }
  }
}
