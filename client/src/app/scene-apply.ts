/**
 * What opening a scene changes, as pure functions: the app state (scene, visible device kinds,
 * selection), the base-map layer groups and the camera pose both views share.
 */
import type { Scene } from '../../../contracts/schemas/scene'
import type { MapPose } from '../globe3d/camera-pose'
import { TOGGLE_GROUPS, type MapPreferences } from '../map2d/map-preferences'
import type { AppState } from '../state/app-state'

export function withScene(s: AppState, scene: Scene): AppState {
  return { ...s, scene, visibleLayers: scene.layers.devices, selection: null }
}

/** The scene's layer groups on, the others off; the theme stays the operator's. */
export function sceneGroups(prefs: MapPreferences, scene: Scene): MapPreferences {
  const on = new Set(scene.layers.groups)
  return { ...prefs, groups: Object.fromEntries(TOGGLE_GROUPS.map((g) => [g, on.has(g)])) as MapPreferences['groups'] }
}

export function scenePose(scene: Scene): MapPose {
  const c = scene.camera
  return { center: [c.target[0], c.target[1]], zoom: c.zoom, bearing: c.bearingDeg, pitch: c.pitchDeg }
}

/** The page URL with the scene (and its view) in it, so that the address opens the same scene. */
export function sceneUrl(href: string, scene: Scene): string {
  const url = new URL(href)
  url.searchParams.set('scene', scene.id)
  if (scene.view === '3d') url.searchParams.set('view', '3d')
  else url.searchParams.delete('view')
  return url.toString()
}
