/**
 * Fixed-window counters per key (sign-in attempts per user and address, public API calls per
 * address). In memory, per server process: with N processes behind the balancer (ip_hash, so one
 * address reaches one process) a key gets at most N times its limit; nginx's limit_req in front
 * (deploy/nginx/gemello.conf) bounds the total.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { start: number; n: number }>()
  private lastSweep = 0

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; returns 0 when allowed, else the seconds until the window ends. */
  hit(key: string): number {
    const now = this.now()
    if (now - this.lastSweep > this.windowMs) this.sweep(now)
    const e = this.hits.get(key)
    if (!e || now - e.start >= this.windowMs) {
      this.hits.set(key, { start: now, n: 1 })
      return 0
    }
    e.n++
    return e.n > this.limit ? Math.max(1, Math.ceil((e.start + this.windowMs - now) / 1000)) : 0
  }

  /** Without counting a hit: 0 when `key` may go on, else the seconds until its window ends (it used up its limit). */
  wait(key: string): number {
    const now = this.now()
    const e = this.hits.get(key)
    if (!e || now - e.start >= this.windowMs || e.n < this.limit) return 0
    return Math.max(1, Math.ceil((e.start + this.windowMs - now) / 1000))
  }

  /** Forgets a key (a successful sign-in clears its failures). */
  reset(key: string): void {
    this.hits.delete(key)
  }

  private sweep(now: number): void {
    this.lastSweep = now
    for (const [k, e] of this.hits) if (now - e.start >= this.windowMs) this.hits.delete(k)
  }
}
