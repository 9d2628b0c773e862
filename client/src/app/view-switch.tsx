/**
 * The 2D ↔ 3D switch of the app shell. The place travels with the switch: the 2D camera (centre,
 * zoom, bearing, pitch) becomes the Cesium camera and back (globe3d/camera-pose.ts); the selection
 * lives in the shared store and simply stays. `?view=3d` opens the 3D view; the URL follows the switch.
 */
import { useCallback, useRef, useState, type MutableRefObject } from 'react'
import { useTranslation } from 'react-i18next'
import type { AboutResponse } from '../../../contracts/api'
import type { MapPose } from '../globe3d/camera-pose'
import type { GlobeController } from '../globe3d/globe-controller'
import type { MapController } from '../map2d/map-controller'
import { installTestHook3d } from './test-hook-3d'
import type { AppStore } from '../state/app-state'

export type ViewMode = '2d' | '3d'

/** The 2D map's maximum pitch (map2d/map-controller.ts). */
const MAP_MAX_PITCH = 70
/** Opening straight into 3D: the city centre, tilted so that buildings read as buildings. */
const DEFAULT_3D_ZOOM = 15.5
const DEFAULT_3D_PITCH = 55

export function mapPoseOf(controller: MapController): MapPose {
  const m = controller.map
  const c = m.getCenter()
  return { center: [c.lng, c.lat], zoom: m.getZoom(), bearing: m.getBearing(), pitch: m.getPitch() }
}

export interface ViewSwitchState {
  view: ViewMode
  switchTo(next: ViewMode): void
  /** Shows `next` looking at `pose` (a scene): moves the camera, or mounts the other view there. */
  goTo(next: ViewMode, pose: MapPose): void
  /** The pose the view being mounted starts from (null: the 2D map's own initial fit). */
  pose(): MapPose | null
  on2dController(controller: MapController | null): void
  onGlobe(controller: GlobeController | null): void
  onGlobeReady(ready: boolean): void
  /** Page position of a coordinate in whichever view is shown. */
  project(lon: number, lat: number): [number, number] | null
  onBuildingPick(id: string | null): void
  /** Adds the 3D functions to window.__gemello (after installTestHook). */
  installHook(): void
}

export function useViewSwitch(o: {
  initial: ViewMode
  about: AboutResponse | null
  store: AppStore
  mapRef: MutableRefObject<MapController | null>
  mapReady: () => boolean
}): ViewSwitchState {
  const [view, setView] = useState<ViewMode>(o.initial)
  const viewRef = useRef(view)
  viewRef.current = view
  const poseRef = useRef<MapPose | null>(null)
  const globeRef = useRef<GlobeController | null>(null)
  const globeReadyRef = useRef(false)
  const buildingRef = useRef<string | null>(null)
  const aboutRef = useRef(o.about)
  aboutRef.current = o.about

  const currentPose = useCallback((): MapPose | null => {
    if (viewRef.current === '3d') return globeRef.current?.pose() ?? poseRef.current
    return o.mapRef.current ? mapPoseOf(o.mapRef.current) : poseRef.current
  }, [o.mapRef])

  const switchTo = useCallback(
    (next: ViewMode) => {
      if (next === viewRef.current) return
      const pose = currentPose()
      poseRef.current = pose ? { ...pose, pitch: next === '2d' ? Math.min(pose.pitch, MAP_MAX_PITCH) : pose.pitch } : null
      viewRef.current = next
      setView(next)
      const url = new URL(window.location.href)
      if (next === '3d') url.searchParams.set('view', '3d')
      else url.searchParams.delete('view')
      window.history.replaceState(window.history.state, '', url)
    },
    [currentPose],
  )

  const pose = useCallback((): MapPose | null => {
    if (poseRef.current) return poseRef.current
    const about = aboutRef.current
    if (viewRef.current === '3d' && about) return { center: about.city.center, zoom: DEFAULT_3D_ZOOM, bearing: 0, pitch: DEFAULT_3D_PITCH }
    return null
  }, [])

  const goTo = useCallback(
    (next: ViewMode, target: MapPose) => {
      const p = { ...target, pitch: next === '2d' ? Math.min(target.pitch, MAP_MAX_PITCH) : target.pitch }
      poseRef.current = p
      if (next !== viewRef.current) {
        viewRef.current = next
        setView(next)
      } else if (next === '2d') o.mapRef.current?.map.jumpTo({ center: p.center, zoom: p.zoom, bearing: p.bearing, pitch: p.pitch })
      else globeRef.current?.setPose(p)
    },
    [o.mapRef],
  )

  const state: Omit<ViewSwitchState, 'installHook' | 'onBuildingPick'> = {
    view,
    switchTo,
    goTo,
    pose,
    on2dController: (controller) => {
      const p = poseRef.current
      if (controller && p) controller.map.jumpTo({ center: p.center, zoom: p.zoom, bearing: p.bearing, pitch: p.pitch })
    },
    onGlobe: (controller) => {
      globeRef.current = controller
    },
    onGlobeReady: (ready) => {
      globeReadyRef.current = ready
    },
    project: (lon, lat) => {
      if (viewRef.current === '3d') {
        const g = globeRef.current
        const p = g?.project(lon, lat)
        if (!g || !p) return null
        const r = g.scene.canvas.getBoundingClientRect()
        return [r.left + p[0], r.top + p[1]]
      }
      return o.mapRef.current?.project(lon, lat) ?? null
    },
  }

  const mapReadyRef = useRef(o.mapReady)
  mapReadyRef.current = o.mapReady
  const { mapRef } = o
  const installHook = useCallback(
    () =>
      installTestHook3d({
      viewMode: () => viewRef.current,
      setViewMode: switchTo,
      ready3d: () => viewRef.current === '3d' && globeReadyRef.current,
      ready2d: () => viewRef.current === '2d' && mapReadyRef.current(),
      camera: () => currentPose(),
      setCamera: async (p) => {
        if (viewRef.current === '3d') {
          globeRef.current?.setPose(p)
          await globeRef.current?.idle()
        } else await mapRef.current?.view(p.center[0], p.center[1], p.zoom, p.pitch, p.bearing)
      },
      globe: () => globeRef.current,
      building: () => buildingRef.current,
    }),
    [switchTo, currentPose, mapRef],
  )
  return {
    ...state,
    installHook,
    onBuildingPick: (id) => {
      buildingRef.current = id
    },
  }
}

export function ViewSwitch({ value, onChange }: { value: ViewMode; onChange(next: ViewMode): void }) {
  const { t } = useTranslation()
  return (
    <div className="view-switch" role="group" aria-label={t('view.label')}>
      {(['2d', '3d'] as const).map((mode) => (
        <button key={mode} type="button" className={value === mode ? 'is-active' : ''} aria-pressed={value === mode} onClick={() => onChange(mode)}>
          {t(`view.${mode}`)}
        </button>
      ))}
    </div>
  )
}
