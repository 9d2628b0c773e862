import type { ConnectionState, ConnectionStatus } from './app-state'

/**
 * Heartbeats come every 5 s. After two missed ones (+1 s margin) the data is declared frozen, so the
 * "DISCONNECTED — data frozen" banner shows within 12 s of the last sign of life (the rule is ≤ 15 s).
 */
export const HEARTBEAT_TIMEOUT_MS = 11_000

export function deriveConnectionStatus(c: Pick<ConnectionState, 'socketConnected' | 'everLive' | 'startedAtMs' | 'lastHeartbeatAtMs' | 'lastFrameAtMs'>, nowMs: number): ConnectionStatus {
  const lastSign = Math.max(c.lastHeartbeatAtMs ?? -Infinity, c.lastFrameAtMs ?? -Infinity)
  const since = Number.isFinite(lastSign) ? lastSign : c.startedAtMs
  const silent = nowMs - since > HEARTBEAT_TIMEOUT_MS
  if (!c.everLive) return silent ? 'offline' : 'connecting'
  if (silent) return 'offline'
  return c.socketConnected ? 'live' : 'reconnecting'
}

/** Milliseconds since the server last spoke (heartbeat or frame), null before it ever did. */
export function silenceMs(c: Pick<ConnectionState, 'lastHeartbeatAtMs' | 'lastFrameAtMs'>, nowMs: number): number | null {
  const lastSign = Math.max(c.lastHeartbeatAtMs ?? -Infinity, c.lastFrameAtMs ?? -Infinity)
  return Number.isFinite(lastSign) ? nowMs - lastSign : null
}
