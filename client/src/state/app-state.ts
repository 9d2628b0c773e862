import { DEVICE_KINDS, type DeviceKind } from '../../../contracts/schemas/device'
import type { LiveDevice, LiveState } from '../../../contracts/schemas/live-state'
import type { Heartbeat, StreamCursor } from '../../../contracts/events'
import type { AboutResponse } from '../../../contracts/api'
import type { Scene } from '../../../contracts/schemas/scene'
import { createStore, type Store } from './store'
import { INITIAL_CONTROL_ROOM, type ControlRoomState } from './alarm-reducers'
import type { SignalJunctionView } from './signal-junction'

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline'

export interface ConnectionState {
  status: ConnectionStatus
  socketConnected: boolean
  /** A snapshot was applied at least once since the page loaded. */
  everLive: boolean
  /** Client clock (Date.now) when the connection attempt started. */
  startedAtMs: number
  /** Client clock of the last heartbeat, and of the last snapshot or delta. */
  lastHeartbeatAtMs: number | null
  lastFrameAtMs: number | null
  heartbeat: Heartbeat | null
  cursor: StreamCursor | null
  /** A refusal that retrying will not fix (protocol mismatch, subscription refused). */
  error: string | null
}

/** Latest state per device and stream. */
export type StatesByDevice = ReadonlyMap<string, ReadonlyMap<string, LiveState>>

export interface AppState {
  about: AboutResponse | null
  devices: ReadonlyMap<string, LiveDevice>
  states: StatesByDevice
  /** Bumped whenever devices or states change: the map layers' update trigger. */
  liveVersion: number
  selection: string | null
  visibleLayers: readonly DeviceKind[]
  connection: ConnectionState
  /** serverTimeMs − Date.now(), from the last frame or heartbeat. */
  clockOffsetMs: number
  /** The scene opened (`?scene=` or the scene picker): its annotations show in both views. */
  scene: Scene | null
  /** Alarms, incidents and the wall focus (ADR 0006). */
  controlRoom: ControlRoomState
  /** The junction open in the signal workbench, drawn on the map with its groups' states; null when none is open. */
  signalJunction: SignalJunctionView | null
}

/** Kinds drawn on the live map at start; signal controllers belong to the signal workbench. */
export const DEFAULT_LAYERS: readonly DeviceKind[] = DEVICE_KINDS.filter((k) => k !== 'signal-controller')

export function initialAppState(nowMs: number): AppState {
  return {
    about: null,
    devices: new Map(),
    states: new Map(),
    liveVersion: 0,
    selection: null,
    visibleLayers: DEFAULT_LAYERS,
    connection: {
      status: 'connecting',
      socketConnected: false,
      everLive: false,
      startedAtMs: nowMs,
      lastHeartbeatAtMs: null,
      lastFrameAtMs: null,
      heartbeat: null,
      cursor: null,
      error: null,
    },
    clockOffsetMs: 0,
    scene: null,
    controlRoom: INITIAL_CONTROL_ROOM,
    signalJunction: null,
  }
}

export type AppStore = Store<AppState>

export function createAppStore(nowMs = Date.now()): AppStore {
  return createStore(initialAppState(nowMs))
}
