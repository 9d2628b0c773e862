/**
 * The simulated clock: `startAt + elapsed wall time × speed`, never ahead of the real clock (a real
 * device never reports the future). With speed > 1 it catches up from a past start, then runs in
 * real time. `clock` gives the real "now" (injectable); elapsed time is measured monotonically.
 */
export interface SimClockOptions {
  speed: number
  /** Simulated start, epoch ms; default real now − (speed > 1 ? catchUpMs : 0). */
  startAtMs?: number
  catchUpMs?: number
  clock?: () => number
  /** Monotonic milliseconds (default performance.now); injectable for unit tests. */
  monotonic?: () => number
}

export class SimClock {
  readonly speed: number
  readonly startAtMs: number
  private readonly real: () => number
  private readonly mono: () => number
  private readonly mono0: number

  constructor(opts: SimClockOptions) {
    if (!(opts.speed > 0) || !Number.isFinite(opts.speed)) throw new Error(`speed must be a positive number, got ${opts.speed}`)
    const catchUpMs = opts.catchUpMs ?? 0
    if (!(catchUpMs >= 0)) throw new Error(`catchUpMs must be ≥ 0, got ${catchUpMs}`)
    this.speed = opts.speed
    this.real = opts.clock ?? Date.now
    this.mono = opts.monotonic ?? (() => performance.now())
    const now = this.real()
    this.startAtMs = opts.startAtMs ?? now - (opts.speed > 1 ? catchUpMs : 0)
    if (this.startAtMs > now) throw new Error(`startAt ${new Date(this.startAtMs).toISOString()} is in the future; a device cannot report the future`)
    this.mono0 = this.mono()
  }

  /** Simulated time before the cap. */
  private uncapped(): number {
    return this.startAtMs + (this.mono() - this.mono0) * this.speed
  }

  realNow(): number {
    return this.real()
  }

  /** Simulated now, epoch ms (never after the real now). */
  now(): number {
    return Math.min(this.uncapped(), this.real())
  }

  /** True once the simulated clock has reached the real one. */
  caughtUp(): boolean {
    return this.uncapped() >= this.real()
  }

  /** Wall milliseconds until simulated time reaches `t` (0 if it already has). */
  wallMsUntil(t: number): number {
    const sim = this.uncapped()
    const real = this.real()
    return Math.max(0, (t - sim) / this.speed, t - real)
  }
}
