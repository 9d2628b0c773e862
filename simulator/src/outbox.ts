/**
 * A device's outbox (ADR 0004 §5): every reading stays here until Gemello confirms it is durable —
 * not until the broker's PUBACK, which only says the broker has it in memory. Gemello's backfill
 * command (contracts/schemas/backfill.ts) confirms a seq watermark and asks for missing ranges; an
 * entry nobody confirmed for `retryAfterMs` is published again (the tail after the last confirmation
 * is invisible to Gemello's gap scan). Re-sent readings are the originals (same seq, same observedAt):
 * the ingest's ordinary idempotent path absorbs any copy.
 *
 * `drop-on-puback` mode forgets an entry at PUBACK — how most devices behave, and what the chaos
 * suite's negative control uses to show that the harness does see loss.
 */
export type OutboxMode = 'keep' | 'drop-on-puback'

export interface OutboxEntry {
  stream: string
  seq: number
  topic: string
  payload: string
  sentAtMs: number
}

export class Outbox {
  private readonly byStream = new Map<string, Map<number, OutboxEntry>>()
  /** Readings published again because Gemello asked or nobody confirmed them. */
  resent = 0

  constructor(readonly mode: OutboxMode) {}

  add(e: OutboxEntry): void {
    let m = this.byStream.get(e.stream)
    if (!m) this.byStream.set(e.stream, (m = new Map()))
    m.set(e.seq, e)
  }

  /** The broker acknowledged it. Only `drop-on-puback` forgets it now. */
  acked(stream: string, seq: number): void {
    if (this.mode === 'drop-on-puback') this.byStream.get(stream)?.delete(seq)
  }

  /** Gemello has every seq ≤ `through`: those entries go. Returns how many. */
  confirm(stream: string, through: number): number {
    const m = this.byStream.get(stream)
    if (!m) return 0
    let n = 0
    for (const seq of m.keys()) {
      if (seq <= through) {
        m.delete(seq)
        n++
      }
    }
    return n
  }

  /**
   * Gemello holds every seq in (from, through] except those in `missing`: the others go too.
   * Returns how many.
   */
  held(stream: string, from: number, through: number, missing: ReadonlyArray<readonly [number, number]>): number {
    const m = this.byStream.get(stream)
    if (!m) return 0
    let n = 0
    for (const seq of m.keys()) {
      if (seq > from && seq <= through && !missing.some(([a, b]) => seq >= a && seq <= b)) {
        m.delete(seq)
        n++
      }
    }
    return n
  }

  /** Entries in the ranges Gemello asked for, marked as sent now. */
  take(stream: string, ranges: ReadonlyArray<readonly [number, number]>, nowMs: number): OutboxEntry[] {
    const m = this.byStream.get(stream)
    if (!m) return []
    const out: OutboxEntry[] = []
    for (const [a, b] of ranges) {
      for (let s = a; s <= b; s++) {
        const e = m.get(s)
        if (e) out.push(e)
      }
    }
    return this.mark(out, nowMs)
  }

  /** Entries sent more than `retryAfterMs` ago and still unconfirmed, oldest first, at most `limit`. */
  due(nowMs: number, retryAfterMs: number, limit: number): OutboxEntry[] {
    const out: OutboxEntry[] = []
    for (const m of this.byStream.values()) {
      for (const e of m.values()) {
        if (nowMs - e.sentAtMs >= retryAfterMs) out.push(e)
        if (out.length >= limit) return this.mark(out, nowMs)
      }
    }
    return this.mark(out, nowMs)
  }

  size(): number {
    let n = 0
    for (const m of this.byStream.values()) n += m.size
    return n
  }

  private mark(entries: OutboxEntry[], nowMs: number): OutboxEntry[] {
    for (const e of entries) e.sentAtMs = nowMs
    this.resent += entries.length
    return entries
  }
}
