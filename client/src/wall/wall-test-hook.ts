import type { WallFocus, WallLayout, WallPush, WallPushAck } from '../../../contracts/wall'
import type { LiveConnection } from '../api/live-connection'
import type { AppStore, ConnectionStatus } from '../state/app-state'
import { operatorList } from '../state/alarm-reducers'
import type { TileReport, TileRegistry, TileView } from './tile-registry'

/**
 * The wall's test API on `window.__gemelloWall`, for browser tests and their page objects
 * (tests/e2e/pages/wall-page.ts). Wait for `ready`, never sleep.
 */
export interface GemelloWallTestApi {
  /** The layout is loaded and every tile has drawn its first data (the map and the 3D view: drawn). */
  readonly ready: boolean
  layout(): WallLayout | null
  /** What each tile reported: ready, data age state, last update, last error. */
  tiles(): Record<string, TileReport>
  connection(): ConnectionStatus
  /** Ids of the alarms on the operator's list, in list order. */
  alarmIds(): number[]
  /** Where each map and 3D tile looks now, by tile id. */
  views(): Record<string, TileView>
  /** The last push received, or null. */
  focus(): WallFocus | null
  /** Pushes to every wall as this screen's user would from the operator's screen (needs alarm:act). */
  push(push: WallPush): Promise<WallPushAck>
}

declare global {
  interface Window {
    __gemelloWall?: GemelloWallTestApi
  }
}

export function installWallTestHook(o: { store: AppStore; live: LiveConnection; registry: TileRegistry; layout(): WallLayout | null }): GemelloWallTestApi {
  const api: GemelloWallTestApi = {
    get ready() {
      const layout = o.layout()
      return layout !== null && o.registry.allReady(layout.tiles.map((t) => t.id))
    },
    layout: o.layout,
    tiles: () => o.registry.snapshot(),
    connection: () => o.store.get().connection.status,
    alarmIds: () => operatorList(o.store.get().controlRoom.alarms).map((a) => a.id),
    views: () => o.registry.viewsNow(),
    focus: () => o.store.get().controlRoom.wallFocus,
    push: (p) => o.live.pushToWall(p),
  }
  window.__gemelloWall = api
  return api
}
