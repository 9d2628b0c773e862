/**
 * Retry delays of the wall's REST polling: exponential from `baseMs`, capped at `maxMs`, spread
 * ±`jitter` so that a room of wall screens does not retry in step after a server restart.
 */
export interface BackoffOptions {
  baseMs: number
  maxMs: number
  /** 0..1: share of the delay spread at random either way. */
  jitter: number
}

export const POLL_BACKOFF: BackoffOptions = { baseMs: 2000, maxMs: 60_000, jitter: 0.3 }

/** Delay before retry number `failures` (1 after the first failure); `random` is in [0, 1). */
export function backoffDelayMs(failures: number, o: BackoffOptions = POLL_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, failures - 1))
  return Math.round(exp * (1 - o.jitter + 2 * o.jitter * random()))
}
