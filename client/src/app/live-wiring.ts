import { connectLive, type LiveConnection, type LiveConnectionOptions } from '../api/live-connection'
import type { RestClient } from '../api/rest-client'
import type { AppState, AppStore } from '../state/app-state'
import { applyAlarmChanges, applyIncident, replaceAlarms, replaceIncidents, type ControlRoomState } from '../state/alarm-reducers'
import { applyDelta, applyHeartbeat, applySnapshot, setConnectionError, setSocketConnected, tickConnection } from '../state/live-reducers'

export interface LiveWiring {
  connection: LiveConnection
  /** Fetches the open alarms and incidents again (after a reconnection, or on demand). */
  refreshControlRoom(): Promise<void>
  stop(): void
}

const withControlRoom = (s: AppState, f: (c: ControlRoomState) => ControlRoomState): AppState => ({ ...s, controlRoom: f(s.controlRoom) })

/**
 * Connects the live channel to the store: frames go through the pure reducers, a 1 s tick re-derives
 * the connection status so "DISCONNECTED — data frozen" appears even when nothing arrives at all.
 * At every (re)connection the open alarms and incidents are fetched whole (changes missed while
 * disconnected are not replayed on the socket); pushes keep them current in between.
 */
export function wireLive(store: AppStore, options: LiveConnectionOptions & { api?: RestClient } = {}): LiveWiring {
  const { api } = options
  let fetching: Promise<void> | null = null
  const refreshControlRoom = (): Promise<void> => {
    if (!api) return Promise.resolve()
    if (fetching) return fetching
    const requestedAt = Date.now() + store.get().clockOffsetMs
    fetching = Promise.all([api.listAlarms({ view: 'open', limit: 5000 }), api.listIncidents({ status: 'open', limit: 1000 })])
      .then(([list, incidents]) =>
        store.set((s) => withControlRoom(s, (c) => replaceIncidents(replaceAlarms(c, list.alarms, list.flood, requestedAt, Date.now()), incidents, requestedAt))),
      )
      .catch((err: unknown) => store.set((s) => withControlRoom(s, (c) => ({ ...c, alarmsError: err instanceof Error ? err.message : String(err) }))))
      .finally(() => {
        fetching = null
      })
    return fetching
  }
  const connection = connectLive(
    {
      snapshot: (s) => store.set((state) => applySnapshot(state, s, Date.now())),
      delta: (d) => store.set((state) => applyDelta(state, d, Date.now())),
      heartbeat: (h) => store.set((state) => applyHeartbeat(state, h, Date.now())),
      socketConnected: (c) => {
        store.set((state) => setSocketConnected(state, c, Date.now()))
        if (c) void refreshControlRoom()
      },
      error: (message) => store.set((state) => setConnectionError(state, message, Date.now())),
      alarms: (e) => store.set((s) => withControlRoom(s, (c) => applyAlarmChanges(c, e.alarms, e.flood))),
      incident: (i) => store.set((s) => withControlRoom(s, (c) => applyIncident(c, i))),
      wallFocus: (f) => store.set((s) => withControlRoom(s, (c) => ({ ...c, wallFocus: f }))),
    },
    options,
  )
  const tick = setInterval(() => store.set((state) => tickConnection(state, Date.now())), 1000)
  return {
    connection,
    refreshControlRoom,
    stop() {
      clearInterval(tick)
      connection.close()
    },
  }
}

/**
 * The live channel of a user who may not see the live map (a PMO officer: pmo:read without live:read):
 * no socket is opened — its handshake asks for live:read and would be refused — nothing is subscribed,
 * no alarm is fetched; the page draws no live layer.
 */
export function withoutLive(): LiveWiring {
  const connection: LiveConnection = {
    setSubscription: () => undefined,
    cursor: () => null,
    pushToWall: () => Promise.resolve({ ok: false, error: { code: 'FORBIDDEN', message: 'This account does not see the live map.' } }),
    onSignalDeployment: () => () => undefined,
    onCaseChanged: () => () => undefined,
    close: () => undefined,
  }
  return { connection, refreshControlRoom: () => Promise.resolve(), stop: () => undefined }
}
