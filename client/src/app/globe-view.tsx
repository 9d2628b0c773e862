/**
 * The 3D view in the app shell: mounts the Cesium GlobeController (loaded lazily, with Cesium, only
 * when the 3D view opens) and keeps it in step with the same store the 2D map uses.
 */
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AboutResponse, BasemapLayer } from '../../../contracts/api'
import type { Bbox } from '../../../contracts/events'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import type { FeatureCollection } from '../api/rest-client'
import type { MapPose } from '../globe3d/camera-pose'
import { DevicePoints } from '../globe3d/device-points'
import { AnnotationLabels } from '../globe3d/annotation-labels'
import { GlobeController, type GlobePick } from '../globe3d/globe-controller'
import { GroundLayers } from '../globe3d/ground-layers'
import { ScenarioWalls } from '../globe3d/scenario-walls'
import type { ScenarioMapStore } from '../state/scenario-map'
import type { AppState, AppStore } from '../state/app-state'
import { conditionsByDevice, serverNowMs } from '../state/derived'
import { selectDevice } from '../state/live-reducers'

export const BUILDINGS_TILESET_URL = '/3dtiles/buildings/tileset.json'
const GROUND_LAYERS: readonly BasemapLayer[] = ['zone', 'quartieri', 'ztl', 'streets', 'lanes']

export interface GlobeViewProps {
  store: AppStore
  about: AboutResponse
  wall: boolean
  pose: MapPose
  loadBasemap(layer: BasemapLayer): Promise<FeatureCollection>
  listSignalControllers(): Promise<LiveDevice[]>
  onViewport(bbox: Bbox): void
  onController?(controller: GlobeController | null): void
  onReadyChange?(ready: boolean): void
  onBuildingPick?(pick: Extract<GlobePick, { kind: 'building' }> | null): void
  /** The scenario explorer's estimate: its flows stand as walls while it is open. */
  scenario?: ScenarioMapStore
  onScenarioWalls?(walls: ScenarioWalls | null): void
}

const needsRender = (prev: AppState | null, next: AppState) =>
  !prev || prev.liveVersion !== next.liveVersion || prev.visibleLayers !== next.visibleLayers || prev.selection !== next.selection

export function GlobeView(props: GlobeViewProps) {
  const { t } = useTranslation()
  const containerRef = useRef<HTMLDivElement>(null)
  const propsRef = useRef(props)
  propsRef.current = props
  const [building, setBuilding] = useState<Extract<GlobePick, { kind: 'building' }> | null>(null)
  const [buildingsState, setBuildingsState] = useState<string>('loading')
  const { store, about, wall, scenario } = props

  useEffect(() => {
    const container = containerRef.current
    if (!container) return
    let disposed = false
    const controller = new GlobeController({
      container,
      tilesetUrl: BUILDINGS_TILESET_URL,
      pose: propsRef.current.pose,
      interactive: !wall,
      onPick: (pick) => {
        const b = pick?.kind === 'building' ? pick : null
        setBuilding(b)
        propsRef.current.onBuildingPick?.(b)
        store.set((s) => selectDevice(s, pick?.kind === 'device' ? pick.id : null))
      },
      onViewportChange: (bbox) => propsRef.current.onViewport(bbox),
    })
    propsRef.current.onController?.(controller)
    const ground = new GroundLayers(controller.scene)
    const points = new DevicePoints(controller.scene)
    const annotations = new AnnotationLabels(controller.scene)
    const walls = new ScenarioWalls(controller.scene)
    const showWalls = () => {
      const sc = scenario?.get()
      walls.set(sc?.active ? sc.data : null)
    }
    showWalls()
    const unsubscribeScenario = scenario?.subscribe(showWalls)
    propsRef.current.onScenarioWalls?.(walls)
    const showAnnotations = () => annotations.set(store.get().scene?.annotations ?? [], document.documentElement.lang)
    showAnnotations()
    let signals: LiveDevice[] = []
    let rendered: AppState | null = null
    let frame = 0
    const render = () => {
      frame = 0
      if (disposed) return
      const s = store.get()
      rendered = s
      points.update(s.devices, conditionsByDevice(s.devices, s.states, serverNowMs(s, Date.now())), new Set(s.visibleLayers), s.selection, signals)
    }
    const schedule = () => {
      if (!frame && !disposed) frame = requestAnimationFrame(render)
    }
    const unsubscribe = store.subscribe(() => {
      if (needsRender(rendered, store.get())) schedule()
      showAnnotations()
    })
    // Values age without news; the 3D view redraws on demand only, so restyle every few seconds.
    const ageing = setInterval(schedule, 5000)
    schedule()
    propsRef.current.onViewport(controller.viewportBbox())

    const groundLoaded = Promise.all(
      GROUND_LAYERS.map((layer) =>
        propsRef.current
          .loadBasemap(layer)
          .then((fc) => !disposed && ground.set(layer, fc.features as never))
          .catch((err: unknown) => console.warn(`3D ground layer ${layer} not loaded`, err)),
      ),
    )
    const signalsLoaded = propsRef.current
      .listSignalControllers()
      .then((list) => {
        signals = list
        schedule()
      })
      .catch((err: unknown) => console.warn('signal controllers not loaded', err))
    const liveOnce = new Promise<void>((resolve) => {
      if (store.get().connection.everLive) return resolve()
      const off = store.subscribe(() => {
        if (store.get().connection.everLive) {
          off()
          resolve()
        }
      })
    })
    void controller.buildingsSettled.then((state) => !disposed && setBuildingsState(state))
    void Promise.all([controller.buildingsSettled, groundLoaded, signalsLoaded, liveOnce])
      .then(() => {
        render()
        return controller.idle()
      })
      .then(() => {
        if (!disposed) propsRef.current.onReadyChange?.(true)
      })

    return () => {
      disposed = true
      cancelAnimationFrame(frame)
      clearInterval(ageing)
      unsubscribe()
      unsubscribeScenario?.()
      propsRef.current.onScenarioWalls?.(null)
      propsRef.current.onReadyChange?.(false)
      propsRef.current.onController?.(null)
      controller.destroy()
    }
  }, [store, about, wall, scenario])

  return (
    <>
      <div ref={containerRef} className="globe-view" aria-label={t('globe.label', { city: about.city.name })} role="application" />
      {buildingsState === 'none' && !wall && <p className="globe-note">{t('globe.noBuildings')}</p>}
      {buildingsState === 'error' && !wall && <p className="globe-note" role="alert">{t('globe.buildingsFailed')}</p>}
      {building && !wall && (
        <div className="building-card" role="status" aria-live="polite">
          <div className="building-card-title">{t('globe.building', { id: building.id })}</div>
          {building.heightM !== null && <div>{t(building.estimated ? 'globe.heightEstimated' : 'globe.height', { height: building.heightM.toFixed(1) })}</div>}
        </div>
      )}
    </>
  )
}
