/**
 * A fleet of operator screens, each running the browser client's own live code: `connectLive`
 * (handshake, subscription, resume by cursor, snapshot on gaps, Socket.IO's jittered reconnection)
 * feeding the client's reducers. What a screen shows is what these states hold.
 */
import { io } from 'socket.io-client'
import { connectLive, type LiveConnection } from '../../../client/src/api/live-connection'
import { applyDelta, applyHeartbeat, applySnapshot, setSocketConnected, tickConnection } from '../../../client/src/state/live-reducers'
import { DEFAULT_LAYERS, initialAppState, type AppState } from '../../../client/src/state/app-state'
import type { Snapshot } from '../../../contracts/events'

export interface Screen {
  i: number
  state: AppState
  live: LiveConnection
  /** Times (ms) the socket connected, and disconnected. */
  connects: number[]
  disconnects: number[]
  /** Epochs of the snapshots received, with their time. */
  snapshots: Array<{ atMs: number; epoch: string }>
}

/** `n` screens signed in with `cookie` (the Cookie header a browser would send). */
export function openScreens(url: string, n: number, cookie: string): Screen[] {
  const screens: Screen[] = []
  for (let i = 0; i < n; i++) {
    const screen: Screen = { i, state: initialAppState(Date.now()), live: null as unknown as LiveConnection, connects: [], disconnects: [], snapshots: [] }
    screen.live = connectLive(
      {
        snapshot: (s) => {
          screen.state = applySnapshot(screen.state, s, Date.now())
          screen.snapshots.push({ atMs: Date.now(), epoch: s.cursor.epoch })
        },
        delta: (d) => (screen.state = applyDelta(screen.state, d, Date.now())),
        heartbeat: (h) => (screen.state = applyHeartbeat(screen.state, h, Date.now())),
        socketConnected: (c) => {
          screen.state = setSocketConnected(screen.state, c, Date.now())
          ;(c ? screen.connects : screen.disconnects).push(Date.now())
        },
        error: () => undefined,
      },
      { url, socketFactory: (uri, opts) => io(uri, { ...opts, extraHeaders: { cookie } }) },
    )
    screen.live.setSubscription({ layers: DEFAULT_LAYERS })
    screens.push(screen)
  }
  return screens
}

/** What the screen shows now, by the client's own rule (live / reconnecting / offline = the frozen banner). */
export function statusAt(screen: Screen, nowMs: number): AppState['connection']['status'] {
  return tickConnection(screen.state, nowMs).connection.status
}

/** A comparable digest of what a screen shows: every device, and every stream's seq and time. */
export function digest(devices: Iterable<{ id: string }>, states: Iterable<{ deviceId: string; stream: string; seq: number | null; observedAtMs: number }>): string {
  const d = [...devices].map((x) => x.id).sort()
  const s = [...states].map((x) => `${x.deviceId}/${x.stream}@${x.observedAtMs}#${x.seq}`).sort()
  return `${d.length} devices ${d.join(',')}\n${s.length} states ${s.join(',')}`
}

export function screenDigest(screen: Screen): string {
  const states = [...screen.state.states.values()].flatMap((m) => [...m.values()])
  return digest(screen.state.devices.values(), states)
}

export function snapshotDigest(s: Snapshot): string {
  return digest(s.devices, s.states)
}

export function closeScreens(screens: Screen[]): void {
  for (const s of screens) s.live.close()
}
