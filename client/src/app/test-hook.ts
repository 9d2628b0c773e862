import type { StreamCursor } from '../../../contracts/events'
import type { DeviceKind } from '../../../contracts/schemas/device'
import type { LiveConnection } from '../api/live-connection'
import type { AppStore, ConnectionStatus } from '../state/app-state'
import { countByKind, countStates } from '../state/derived'
import { selectDevice } from '../state/live-reducers'

/**
 * The test API on `window.__gemello`, for browser tests and page objects (docs/ui.md, "Test API").
 * Read-only except `select`, which does what a click on a marker does.
 */
export interface GemelloTestApi {
  /** True once the base map is drawn, a live snapshot was applied and the device layers were drawn (without live:read: once the base map is drawn). */
  readonly ready: boolean
  /** Page pixel position (CSS px from the page's top-left) of a coordinate, e.g. to click a device. */
  project(lon: number, lat: number): [number, number]
  counts(): { devices: number; states: number; byKind: Record<DeviceKind, number> }
  /** Last applied position in the live stream. */
  cursor(): StreamCursor | null
  connection(): ConnectionStatus
  /** Centres the map on a coordinate at a zoom (and pitch, bearing in degrees) and resolves when the map has drawn it. */
  view(lon: number, lat: number, zoom: number, pitch?: number, bearing?: number): Promise<void>
  /** Properties of the features a base-map style layer draws in the viewport (e.g. 'roads-label'). */
  renderedFeatures(layerId: string): Array<Record<string, unknown>>
  /** True when the device is in the client's live set (inside the subscribed area). */
  hasDevice(deviceId: string): boolean
  /** Selects a device as a click would (null closes the device panel). */
  select(deviceId: string | null): void
  selected(): string | null
  /** Device kinds shown (the layer panel's choice, or the scene's). */
  visibleLayers(): readonly DeviceKind[]
  /** Visibility of a base-map style layer: 'visible', 'none', or 'missing' when the style has no such layer. */
  layerVisibility(layerId: string): string
  /** Id of the scene opened, if any. */
  scene(): string | null
}

declare global {
  interface Window {
    __gemello?: GemelloTestApi
  }
}

export interface TestHookSources {
  store: AppStore
  live: LiveConnection
  project(lon: number, lat: number): [number, number] | null
  view(lon: number, lat: number, zoom: number, pitch?: number, bearing?: number): Promise<void>
  renderedFeatures(layerId: string): Array<Record<string, unknown>>
  layerVisibility(layerId: string): string
  isReady(): boolean
}

export function installTestHook({ store, live, project, view, renderedFeatures, layerVisibility, isReady }: TestHookSources): GemelloTestApi {
  const api: GemelloTestApi = {
    get ready() {
      return isReady()
    },
    project(lon, lat) {
      const p = project(lon, lat)
      if (!p) throw new Error('__gemello.project: the map is not mounted yet (wait for __gemello.ready)')
      return p
    },
    counts() {
      const s = store.get()
      return { devices: s.devices.size, states: countStates(s.states), byKind: countByKind(s.devices) }
    },
    view,
    renderedFeatures,
    hasDevice: (deviceId) => store.get().devices.has(deviceId),
    cursor: () => live.cursor(),
    connection: () => store.get().connection.status,
    select: (deviceId) => store.set((s) => selectDevice(s, deviceId)),
    selected: () => store.get().selection,
    visibleLayers: () => store.get().visibleLayers,
    layerVisibility,
    scene: () => store.get().scene?.id ?? null,
  }
  window.__gemello = api
  return api
}
