/**
 * The 3D part of the test API on `window.__gemello` (docs/3d.md, "Test API"): view mode, 3D
 * readiness, camera in both views, picking at a page position, the building a click identified.
 */
import type { MapPose } from '../globe3d/camera-pose'
import type { GlobeController, GlobePick } from '../globe3d/globe-controller'

export interface GemelloTestApi3d {
  viewMode(): '2d' | '3d'
  /** Switches view as the toggle button does; resolves when the new view is ready. */
  setViewMode(mode: '2d' | '3d'): Promise<void>
  /** True once the 3D view shows the ground, the live devices and the loaded building tiles. */
  readonly ready3d: boolean
  /** The camera of the view shown, as the 2D map describes it. */
  camera(): MapPose | null
  /** Moves the camera of the view shown and resolves when it has drawn (3D: building tiles loaded). */
  setCamera(pose: MapPose): Promise<void>
  /** What a click at this page position would pick in the 3D view. */
  pick3d(x: number, y: number): GlobePick
  /** Id of the building the last click in 3D identified (null: none). */
  selectedBuilding(): string | null
  /** Building tileset: 'loading' | 'ready' | 'none' | 'error', the loaded tiles, and timings (performance.now ms). */
  buildings(): { state: string; tiles: number; tilesetRequestedMs: number | null; tilesLoadedMs: number | null } | null
}

// Optional on the base type: present once the app shell has installed them.
declare module './test-hook' {
  interface GemelloTestApi extends Partial<GemelloTestApi3d> {}
}

export interface TestHook3dSources {
  viewMode(): '2d' | '3d'
  setViewMode(mode: '2d' | '3d'): void
  ready3d(): boolean
  ready2d(): boolean
  camera(): MapPose | null
  setCamera(pose: MapPose): Promise<void>
  globe(): GlobeController | null
  building(): string | null
}

function until(predicate: () => boolean, timeoutMs = 120_000): Promise<void> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate()) resolve()
      else if (performance.now() - t0 > timeoutMs) reject(new Error('timed out waiting for the view'))
      else setTimeout(check, 50)
    }
    check()
  })
}

/** Adds the 3D functions to `window.__gemello` (created by installTestHook; they are added when it exists). */
export function installTestHook3d(s: TestHook3dSources): void {
  const api = window.__gemello as Partial<GemelloTestApi3d> | undefined
  if (!api) return
  Object.defineProperty(api, 'ready3d', { configurable: true, get: () => s.ready3d() })
  Object.assign(api, {
    viewMode: s.viewMode,
    setViewMode: async (mode: '2d' | '3d') => {
      s.setViewMode(mode)
      await until(() => (mode === '3d' ? s.ready3d() : s.ready2d()))
    },
    camera: s.camera,
    setCamera: s.setCamera,
    pick3d: (x: number, y: number) => {
      const g = s.globe()
      if (!g) throw new Error('__gemello.pick3d: the 3D view is not shown')
      const r = g.scene.canvas.getBoundingClientRect()
      return g.pickAt(x - r.left, y - r.top)
    },
    selectedBuilding: s.building,
    buildings: () => {
      const g = s.globe()
      return g ? { state: g.buildings, tiles: g.loadedBuildingTiles(), ...g.timings } : null
    },
  } satisfies Omit<GemelloTestApi3d, 'ready3d'>)
}
