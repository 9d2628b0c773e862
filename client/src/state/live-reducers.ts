import type { Delta, Heartbeat, Snapshot } from '../../../contracts/events'
import type { LiveDevice, LiveState } from '../../../contracts/schemas/live-state'
import type { DeviceKind } from '../../../contracts/schemas/device'
import type { AppState, ConnectionState } from './app-state'
import { deriveConnectionStatus } from './connection-status'

/**
 * Within a stream a state replaces the held one only if it was observed later, or at the same time
 * with a changed quality (the server re-judging age). Late and duplicate frames change nothing.
 */
export function shouldReplace(held: LiveState | undefined, incoming: LiveState): boolean {
  if (!held) return true
  if (incoming.observedAtMs > held.observedAtMs) return true
  return incoming.observedAtMs === held.observedAtMs && incoming.quality !== held.quality
}

/** Merges states into a copy of `byDevice`; returns the same object when nothing changed. */
export function mergeStates(
  byDevice: ReadonlyMap<string, ReadonlyMap<string, LiveState>>,
  incoming: readonly LiveState[],
): ReadonlyMap<string, ReadonlyMap<string, LiveState>> {
  let next: Map<string, ReadonlyMap<string, LiveState>> | null = null
  for (const state of incoming) {
    const current = (next ?? byDevice).get(state.deviceId)
    if (!shouldReplace(current?.get(state.stream), state)) continue
    next ??= new Map(byDevice)
    const streams = new Map(current ?? [])
    streams.set(state.stream, state)
    next.set(state.deviceId, streams)
  }
  return next ?? byDevice
}

function withConnection(state: AppState, patch: Partial<ConnectionState>, nowMs: number): AppState {
  const connection = { ...state.connection, ...patch }
  connection.status = deriveConnectionStatus(connection, nowMs)
  return { ...state, connection }
}

/** A snapshot is the whole truth for the subscription: devices and states are replaced. */
export function applySnapshot(state: AppState, snapshot: Snapshot, nowMs: number): AppState {
  const devices = new Map<string, LiveDevice>(snapshot.devices.map((d) => [d.id, d]))
  const states = mergeStates(new Map(), snapshot.states)
  const next: AppState = {
    ...state,
    devices,
    states,
    liveVersion: state.liveVersion + 1,
    clockOffsetMs: snapshot.serverTimeMs - nowMs,
  }
  return withConnection(next, { everLive: true, lastFrameAtMs: nowMs, cursor: snapshot.cursor, error: null }, nowMs)
}

/** A delta in order: upserts devices, merges states by observation time. */
export function applyDelta(state: AppState, delta: Delta, nowMs: number): AppState {
  let devices = state.devices
  if (delta.devices.length > 0) {
    const copy = new Map(devices)
    for (const d of delta.devices) copy.set(d.id, d)
    devices = copy
  }
  const states = mergeStates(state.states, delta.states)
  const changed = devices !== state.devices || states !== state.states
  const next: AppState = {
    ...state,
    devices,
    states,
    liveVersion: changed ? state.liveVersion + 1 : state.liveVersion,
    clockOffsetMs: delta.serverTimeMs - nowMs,
  }
  return withConnection(next, { lastFrameAtMs: nowMs, cursor: delta.cursor }, nowMs)
}

export function applyHeartbeat(state: AppState, heartbeat: Heartbeat, nowMs: number): AppState {
  const next = { ...state, clockOffsetMs: heartbeat.serverTimeMs - nowMs }
  return withConnection(next, { heartbeat, lastHeartbeatAtMs: nowMs }, nowMs)
}

export function setSocketConnected(state: AppState, socketConnected: boolean, nowMs: number): AppState {
  if (state.connection.socketConnected === socketConnected) return state
  return withConnection(state, { socketConnected }, nowMs)
}

export function setConnectionError(state: AppState, error: string | null, nowMs: number): AppState {
  if (state.connection.error === error) return state
  return withConnection(state, { error }, nowMs)
}

/** Re-derives the connection status as time passes; the same state object when nothing changed. */
export function tickConnection(state: AppState, nowMs: number): AppState {
  const status = deriveConnectionStatus(state.connection, nowMs)
  return status === state.connection.status ? state : { ...state, connection: { ...state.connection, status } }
}

export function toggleLayer(state: AppState, kind: DeviceKind): AppState {
  const visible = state.visibleLayers.includes(kind)
  const visibleLayers = visible ? state.visibleLayers.filter((k) => k !== kind) : [...state.visibleLayers, kind]
  const selected = state.selection ? state.devices.get(state.selection) : undefined
  const selection = visible && selected?.kind === kind ? null : state.selection
  return { ...state, visibleLayers, selection }
}

export function selectDevice(state: AppState, deviceId: string | null): AppState {
  return state.selection === deviceId ? state : { ...state, selection: deviceId }
}
