import { describe, expect, it } from 'vitest'
import { HEARTBEAT_TIMEOUT_MS, deriveConnectionStatus } from './connection-status'

const base = { socketConnected: true, everLive: true, startedAtMs: 0, lastHeartbeatAtMs: 10_000, lastFrameAtMs: null }

describe('deriveConnectionStatus', () => {
  it('is connecting before the first snapshot', () => {
    expect(deriveConnectionStatus({ ...base, everLive: false, lastHeartbeatAtMs: null }, 5000)).toBe('connecting')
  })
  it('is live while heartbeats arrive', () => {
    expect(deriveConnectionStatus(base, 15_000)).toBe('live')
  })
  it('is reconnecting right after the socket dropped', () => {
    expect(deriveConnectionStatus({ ...base, socketConnected: false }, 12_000)).toBe('reconnecting')
  })
  it('declares the data frozen within 15 s of the last heartbeat', () => {
    expect(HEARTBEAT_TIMEOUT_MS).toBeLessThanOrEqual(14_000)
    expect(deriveConnectionStatus({ ...base, socketConnected: false }, 10_000 + HEARTBEAT_TIMEOUT_MS + 1)).toBe('offline')
  })
  it('declares the data frozen when heartbeats stop even if the socket looks connected', () => {
    expect(deriveConnectionStatus(base, 10_000 + HEARTBEAT_TIMEOUT_MS + 1)).toBe('offline')
  })
  it('counts a delta frame as a sign of life', () => {
    expect(deriveConnectionStatus({ ...base, lastFrameAtMs: 20_000 }, 25_000)).toBe('live')
  })
  it('is offline when the server never answered', () => {
    expect(deriveConnectionStatus({ ...base, everLive: false, lastHeartbeatAtMs: null }, HEARTBEAT_TIMEOUT_MS + 1)).toBe('offline')
  })
})
