/**
 * The data age every wall tile shows (ADR 0006, "The wall"): how long since the tile's data was last
 * confirmed current, and whether that is too long.
 */

export type AgeState = 'none' | 'fresh' | 'stale'

export interface DataAge {
  state: AgeState
  /** null before the first successful update. */
  ageMs: number | null
}

/** `asOfMs`: client clock of the last successful update (null: none yet). Stale strictly after `staleAfterMs`. */
export function dataAge(asOfMs: number | null, nowMs: number, staleAfterMs: number): DataAge {
  if (asOfMs === null) return { state: 'none', ageMs: null }
  const ageMs = Math.max(0, nowMs - asOfMs)
  return { state: ageMs > staleAfterMs ? 'stale' : 'fresh', ageMs }
}

/**
 * When the live feed last confirmed what a socket-fed tile shows: the last sign of the server
 * (heartbeat or frame), but never before the tile's own data first arrived.
 */
export function liveAsOf(loadedAtMs: number | null, lastHeartbeatAtMs: number | null, lastFrameAtMs: number | null): number | null {
  if (loadedAtMs === null) return null
  return Math.max(loadedAtMs, lastHeartbeatAtMs ?? -Infinity, lastFrameAtMs ?? -Infinity)
}
