import { describe, expect, it } from 'vitest'
import type { Delta, Snapshot } from '../../../contracts/events'
import { initialAppState } from './app-state'
import { applyDelta, applyHeartbeat, applySnapshot, mergeStates, setSocketConnected, shouldReplace, toggleLayer } from './live-reducers'
import { T0, liveDevice, liveState } from './test-factories'

const snapshot = (overrides: Partial<Snapshot> = {}): Snapshot => ({
  cursor: { epoch: 'e1', seq: 5 },
  serverTimeMs: T0 + 5000,
  devices: [liveDevice()],
  states: [liveState()],
  ...overrides,
})
const delta = (overrides: Partial<Delta> = {}): Delta => ({
  cursor: { epoch: 'e1', seq: 6 },
  from: { epoch: 'e1', seq: 5 },
  serverTimeMs: T0 + 6000,
  states: [],
  devices: [],
  ...overrides,
})

describe('shouldReplace', () => {
  it('takes a newer observation', () => expect(shouldReplace(liveState(), liveState({ observedAtMs: T0 + 1 }))).toBe(true))
  it('refuses an older observation', () => expect(shouldReplace(liveState(), liveState({ observedAtMs: T0 - 1 }))).toBe(false))
  it('refuses the same observation again', () => expect(shouldReplace(liveState(), liveState({ seq: 9 }))).toBe(false))
  it('takes the same observation with a changed quality', () => {
    expect(shouldReplace(liveState(), liveState({ quality: 'uncertain_stale' }))).toBe(true)
  })
})

describe('mergeStates', () => {
  it('returns the same map when nothing is newer', () => {
    const held = mergeStates(new Map(), [liveState()])
    expect(mergeStates(held, [liveState({ observedAtMs: T0 - 10 })])).toBe(held)
  })
  it('keeps other streams of the device', () => {
    const held = mergeStates(new Map(), [liveState({ stream: 'a' }), liveState({ stream: 'b' })])
    const next = mergeStates(held, [liveState({ stream: 'a', observedAtMs: T0 + 1 })])
    expect([...(next.get('loop-1')?.keys() ?? [])]).toEqual(['a', 'b'])
  })
})

describe('applySnapshot / applyDelta', () => {
  it('replaces devices and states and measures the clock offset', () => {
    const s = applySnapshot(setSocketConnected(initialAppState(T0), true, T0), snapshot(), T0 + 4000)
    expect(s.devices.size).toBe(1)
    expect(s.clockOffsetMs).toBe(1000)
    expect(s.connection).toMatchObject({ status: 'live', everLive: true, cursor: { epoch: 'e1', seq: 5 } })
  })
  it('a later snapshot drops devices it does not list', () => {
    const s1 = applySnapshot(initialAppState(T0), snapshot(), T0)
    const s2 = applySnapshot(s1, snapshot({ devices: [liveDevice({ id: 'loop-2' })], states: [] }), T0)
    expect([...s2.devices.keys()]).toEqual(['loop-2'])
  })
  it('merges delta states by observation time and bumps the version only on change', () => {
    const s1 = applySnapshot(initialAppState(T0), snapshot(), T0)
    const stale = applyDelta(s1, delta({ states: [liveState({ observedAtMs: T0 - 60_000 })] }), T0)
    expect(stale.liveVersion).toBe(s1.liveVersion)
    expect(stale.connection.cursor).toEqual({ epoch: 'e1', seq: 6 })
    const newer = applyDelta(s1, delta({ states: [liveState({ observedAtMs: T0 + 60_000 })] }), T0)
    expect(newer.liveVersion).toBe(s1.liveVersion + 1)
    expect(newer.states.get('loop-1')?.get('traffic')?.observedAtMs).toBe(T0 + 60_000)
  })
  it('upserts devices from a delta', () => {
    const s1 = applySnapshot(initialAppState(T0), snapshot(), T0)
    const s2 = applyDelta(s1, delta({ devices: [liveDevice({ id: 'loop-2' })] }), T0)
    expect(s2.devices.size).toBe(2)
  })
  it('records the heartbeat time and server offset', () => {
    const hb = { serverTimeMs: T0 + 2000, cursor: { epoch: 'e1', seq: 5 }, ingest: { brokerConnected: true, dbHealthy: true, pending: 0, lastCommitAtMs: null, workers: 1 }, quarantine: { total: 3, lastReason: null, lastAtMs: null }, liveFeed: 'up' as const, rootCause: null }
    const s = applyHeartbeat(initialAppState(T0), hb, T0 + 1000)
    expect(s.clockOffsetMs).toBe(1000)
    expect(s.connection.lastHeartbeatAtMs).toBe(T0 + 1000)
  })
})

describe('toggleLayer', () => {
  it('hides a layer and clears a selection on it', () => {
    const s1 = { ...applySnapshot(initialAppState(T0), snapshot(), T0), selection: 'loop-1' }
    const s2 = toggleLayer(s1, 'traffic-loop')
    expect(s2.visibleLayers).not.toContain('traffic-loop')
    expect(s2.selection).toBeNull()
    expect(toggleLayer(s2, 'traffic-loop').visibleLayers).toContain('traffic-loop')
  })
})
