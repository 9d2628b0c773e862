import { connectLive, type LiveConnection, type LiveConnectionOptions } from '../api/live-connection'
import type { AppStore } from '../state/app-state'
import { applyDelta, applyHeartbeat, applySnapshot, setConnectionError, setSocketConnected, tickConnection } from '../state/live-reducers'

export interface LiveWiring {
  connection: LiveConnection
  stop(): void
}

/**
 * Connects the live channel to the store: frames go through the pure reducers, a 1 s tick re-derives
 * the connection status so "DISCONNECTED — data frozen" appears even when nothing arrives at all.
 */
export function wireLive(store: AppStore, options: LiveConnectionOptions = {}): LiveWiring {
  const connection = connectLive(
    {
      snapshot: (s) => store.set((state) => applySnapshot(state, s, Date.now())),
      delta: (d) => store.set((state) => applyDelta(state, d, Date.now())),
      heartbeat: (h) => store.set((state) => applyHeartbeat(state, h, Date.now())),
      socketConnected: (c) => store.set((state) => setSocketConnected(state, c, Date.now())),
      error: (message) => store.set((state) => setConnectionError(state, message, Date.now())),
    },
    options,
  )
  const tick = setInterval(() => store.set((state) => tickConnection(state, Date.now())), 1000)
  return {
    connection,
    stop() {
      clearInterval(tick)
      connection.close()
    },
  }
}
