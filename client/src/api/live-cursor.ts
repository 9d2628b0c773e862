import type { StreamCursor } from '../../../contracts/events'

export type DeltaVerdict = 'apply' | 'ignore' | 'resync'

/**
 * Keeps the position in the server's delta stream and decides what to do with each frame:
 * a snapshot starts over, a delta applies only if it continues exactly from the last cursor.
 */
export class LiveCursor {
  private last: StreamCursor | null = null
  private awaitingSnapshot = true

  /** The last applied position, null before the first snapshot. */
  get cursor(): StreamCursor | null {
    return this.last
  }

  get waitingForSnapshot(): boolean {
    return this.awaitingSnapshot
  }

  /** A subscription without resume was sent: deltas are ignored until its snapshot arrives. */
  expectSnapshot(): void {
    this.awaitingSnapshot = true
  }

  /** What to send as `resume` on (re)subscribing: the last cursor, unless the held state is being replaced. */
  resumeFrom(): StreamCursor | undefined {
    return this.awaitingSnapshot || !this.last ? undefined : this.last
  }

  /** A snapshot applies unless it is older than what is held in the same epoch (a late reply). */
  onSnapshot(cursor: StreamCursor): 'apply' | 'ignore' {
    const last = this.last
    if (!this.awaitingSnapshot && last && last.epoch === cursor.epoch && cursor.seq < last.seq) return 'ignore'
    this.last = cursor
    this.awaitingSnapshot = false
    return 'apply'
  }

  onDelta(cursor: StreamCursor, from: StreamCursor): DeltaVerdict {
    const last = this.last
    if (this.awaitingSnapshot || !last) return 'ignore'
    if (cursor.epoch === last.epoch && cursor.seq <= last.seq) return 'ignore'
    if (from.epoch !== last.epoch || from.seq !== last.seq) return 'resync'
    this.last = cursor
    return 'apply'
  }
}
