import { useEffect, useRef } from 'react'
import type { AboutResponse } from '../../../contracts/api'
import type { Bbox } from '../../../contracts/events'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import type { AppState, AppStore } from '../state/app-state'
import type { CensusMapStore } from '../state/census-map'
import type { ScenarioMapState, ScenarioMapStore } from '../state/scenario-map'
import type { CaseMapState, CaseMapStore, CasePoint } from '../state/case-map'
import { createCitizenCaseLayers, isCitizenCaseLayer } from './layers/citizen-cases/citizen-cases-layer'
import { siteCenter, type PmoMapState, type PmoMapStore, type PmoSite } from '../state/pmo-map'
import { createPmoSiteLayers, isPmoSiteLayer, pickedSite } from './layers/pmo-sites/pmo-sites-layer'
import { conditionsByDevice, serverNowMs } from '../state/derived'
import { selectDevice } from '../state/live-reducers'
import { junctionFocus, junctionStripPx } from '../state/signal-junction'
import { AnnotationMarkers } from './annotation-markers'
import { syncCensusMap, type CensusMapSync } from './census-map-sync'
import { DeviceLayers } from './device-layers'
import { MapController, type OtherLayers } from './map-controller'
import { ScenarioLayers } from './layers/scenario-links/scenario-links-layer'
import { syncScenarioMap, type ScenarioMapSync } from './scenario-map-sync'
import { mapPreferences } from './map-preferences'

export interface LiveMapProps {
  store: AppStore
  about: AboutResponse
  wall: boolean
  /**
   * The user sees the live devices (live:read; default). Without them (a PMO officer) no snapshot comes:
   * the map is ready once the base map is drawn.
   */
  live?: boolean
  attribution: string
  /** Tooltip lines of a hovered device. */
  describeDevice(device: LiveDevice): string[]
  onViewport(bbox: Bbox): void
  /** The census editor's map state: its features, drawing and picking (census-map-sync.ts). */
  census?: CensusMapStore
  /**
   * The scenario explorer's map state: while it is open the map draws its delta layer and loops
   * instead of the live devices, and clicks pick streets or points for it (scenario-map-sync.ts).
   */
  scenario?: ScenarioMapStore
  /** Hover tooltip lines of the scenario layers' objects (links, loops). */
  scenarioLayers?: OtherLayers
  /** The citizen cases' layer state (state/case-map.ts): drawn over the devices while shown; a click on a case sets `clicked`. */
  cases?: CaseMapStore
  /** Tooltip lines of a hovered case point. */
  describeCase?(c: CasePoint): string[]
  /** The PMO sites' layer state (state/pmo-map.ts): drawn while shown; a click on a site sets `clicked`; the selected project is flown to. */
  pmo?: PmoMapStore
  /** Tooltip lines of a hovered PMO site. */
  describePmoSite?(site: PmoSite): string[]
  onController?(controller: MapController | null): void
  onReadyChange?(ready: boolean): void
}

/** Zoom the map flies to for a PMO project's site. */
const SITE_ZOOM = 16

/** Zoom the map flies to for a junction opened in the signal workbench: its lanes and group labels apart. */
const JUNCTION_ZOOM = 18.5

function needsRender(prev: AppState | null, next: AppState): boolean {
  return (
    !prev ||
    prev.liveVersion !== next.liveVersion ||
    prev.visibleLayers !== next.visibleLayers ||
    prev.selection !== next.selection ||
    prev.controlRoom.alarms !== next.controlRoom.alarms ||
    prev.controlRoom.incidents !== next.controlRoom.incidents ||
    prev.signalJunction !== next.signalJunction
  )
}

/** Mounts the map and keeps the device layers in step with the store (at most once per frame). */
export function LiveMap(props: LiveMapProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const propsRef = useRef(props)
  propsRef.current = props
  const { store, about, wall, attribution, census, scenario, cases, pmo } = props
  const live = props.live ?? true

  useEffect(() => {
    const container = containerRef.current
    if (!container) return
    const preferences = mapPreferences()
    const controller = new MapController({
      container,
      center: about.city.center,
      bbox: about.city.bbox,
      attribution,
      preferences: preferences.get(),
      interactive: !wall,
      onViewportChange: (bbox) => propsRef.current.onViewport(bbox),
      // While the census editor or the scenario explorer is open, a click on the map is its own.
      onDeviceClick: (device) => !census?.get().active && !scenario?.get().active && store.set((s) => selectDevice(s, device?.id ?? null)),
      deviceTooltip: (device) => propsRef.current.describeDevice(device),
      otherLayers: {
        owns: (layerId) => isCitizenCaseLayer(layerId) || isPmoSiteLayer(layerId) || (propsRef.current.scenarioLayers?.owns(layerId) ?? false),
        tooltip: (layerId, object) => {
          if (isCitizenCaseLayer(layerId)) return propsRef.current.describeCase?.(object as CasePoint) ?? null
          if (isPmoSiteLayer(layerId)) {
            const site = pickedSite(object)
            return site ? (propsRef.current.describePmoSite?.(site) ?? null) : null
          }
          return propsRef.current.scenarioLayers?.tooltip(layerId, object) ?? null
        },
        click: (layerId, object) => {
          if (census?.get().active) return
          if (isCitizenCaseLayer(layerId)) cases?.set((s) => ({ ...s, clicked: (object as { id: number }).id }))
          const site = isPmoSiteLayer(layerId) ? pickedSite(object) : null
          if (site) pmo?.set((s) => ({ ...s, clicked: site.id }))
        },
      },
    })
    propsRef.current.onController?.(controller)

    const layers = new DeviceLayers()
    const scenarioLayers = new ScenarioLayers()
    const annotations = new AnnotationMarkers(controller.map)
    const showAnnotations = () => annotations.set(store.get().scene?.annotations ?? [], document.documentElement.lang)
    let frame = 0
    let rendered: AppState | null = null
    let styleLoaded = false
    let layersLive = !live
    let ready = false
    let disposed = false
    let censusSync: CensusMapSync | null = null
    let scenarioSync: ScenarioMapSync | null = null

    const checkReady = () => {
      if (ready || disposed || !styleLoaded || !layersLive) return
      void controller.idle().then(() => {
        if (disposed || ready) return
        ready = true
        propsRef.current.onReadyChange?.(true)
      })
    }
    // The scenario state last drawn: its layers are rebuilt only when what they show changes.
    let drawnScenario: ScenarioMapState | null = null
    // The case points last drawn, and their array (kept while the points are the same map).
    let drawnCases: CaseMapState | null = null
    let casePoints: { of: CaseMapState['points'] | null; list: CasePoint[] } = { of: null, list: [] }
    const caseLayers = (cs: CaseMapState) => {
      if (casePoints.of !== cs.points) casePoints = { of: cs.points, list: [...cs.points.values()] }
      return createCitizenCaseLayers(casePoints.list, cs.selected !== null ? (cs.points.get(cs.selected) ?? null) : null, wall ? 2 : 1)
    }
    let drawnPmo: PmoMapState | null = null
    const scenarioActive = () => scenario?.get().active === true
    const render = () => {
      frame = 0
      const s = store.get()
      rendered = s
      const sc = scenario?.get() ?? null
      drawnScenario = sc
      // The scenario explorer's layers replace the live devices while it is open (a planner's analysis view).
      if (sc?.active) controller.setLayers(scenarioLayers.build(sc.data, { shown: 'delta', highlighted: sc.highlighted, points: sc.points, sumo: sc.sumo ? { data: sc.sumo, show: 'difference' } : null }))
      else {
        const deviceLayers = layers.build(s, conditionsByDevice(s.devices, s.states, serverNowMs(s, Date.now())), wall ? 2 : 1)
        const cs = cases?.get() ?? null
        drawnCases = cs
        const ps = pmo?.get() ?? null
        drawnPmo = ps
        const pmoLayers = ps?.shown ? createPmoSiteLayers(ps.sites, ps.selected, wall ? 2 : 1) : []
        controller.setLayers([...pmoLayers, ...deviceLayers, ...(cs?.shown ? caseLayers(cs) : [])])
      }
      if (s.connection.everLive) {
        layersLive = true
        checkReady()
      }
    }
    const schedule = () => {
      if (!frame && !disposed) frame = requestAnimationFrame(render)
    }
    let selected: string | null = store.get().selection
    // The junction the signal workbench opened: flown to once, as soon as its place is known.
    let flownTo: string | null = null
    const followJunction = (s: AppState) => {
      const junction = s.signalJunction
      if (!junction) flownTo = null
      else if (junction.controllerId !== flownTo && !wall) {
        const at = junctionFocus(junction)
        if (at) {
          flownTo = junction.controllerId
          controller.flyTo(at, JUNCTION_ZOOM, junctionStripPx(window.innerWidth))
        }
      }
    }
    const unsubscribe = store.subscribe(() => {
      const s = store.get()
      if (!scenarioActive() && needsRender(rendered, s)) schedule()
      showAnnotations()
      followJunction(s)
      if (s.selection !== selected) {
        selected = s.selection
        const device = selected ? s.devices.get(selected) : undefined
        // The device panel covers the right of the map (about 34rem): keep the device in sight.
        if (device && !wall) controller.reveal(device.position, Math.min(580, container.clientWidth - 400))
      }
    })
    const unsubscribeScenario = scenario?.subscribe(() => {
      const sc = scenario.get()
      const d = drawnScenario
      if (!d || d.active !== sc.active || d.data !== sc.data || d.sumo !== sc.sumo || d.highlighted !== sc.highlighted || d.points !== sc.points) schedule()
    })
    const unsubscribeCases = cases?.subscribe(() => {
      const cs = cases.get()
      const d = drawnCases
      if (!scenarioActive() && (!d || d.shown !== cs.shown || d.points !== cs.points || d.selected !== cs.selected)) schedule()
    })
    // The project the PMO sheet opens is flown to (once per selection), its site kept clear of the sheet.
    let flownToProject: string | null = null
    const followProject = (ps: PmoMapState) => {
      if (ps.selected === flownToProject) return
      const site = ps.sites.find((x) => x.id === ps.selected)
      if (!ps.selected) flownToProject = null
      else if (site && !wall) {
        flownToProject = ps.selected
        controller.flyTo(siteCenter(site), SITE_ZOOM, Math.max(320, container.clientWidth - 880))
      }
    }
    const unsubscribePmo = pmo?.subscribe(() => {
      const ps = pmo.get()
      const d = drawnPmo
      if (!scenarioActive() && (!d || d.shown !== ps.shown || d.sites !== ps.sites || d.selected !== ps.selected)) schedule()
      followProject(ps)
    })
    // Values age with time even when nothing arrives: restyle every second (not while the scenario explorer draws instead).
    const ageing = setInterval(() => !scenarioActive() && schedule(), 1000)

    void controller.loaded.then(() => {
      if (disposed) return
      propsRef.current.onViewport(controller.viewportBbox())
      schedule()
      showAnnotations()
      followJunction(store.get())
      if (census && !wall) censusSync = syncCensusMap(controller.map, census)
      if (scenario && !wall) scenarioSync = syncScenarioMap(controller, scenario)
      styleLoaded = true
      checkReady()
    })
    const unsubscribePreferences = preferences.subscribe(() => controller.setPreferences(preferences.get()))

    return () => {
      disposed = true
      cancelAnimationFrame(frame)
      clearInterval(ageing)
      unsubscribe()
      unsubscribePreferences()
      annotations.clear()
      censusSync?.stop()
      scenarioSync?.stop()
      unsubscribeScenario?.()
      unsubscribeCases?.()
      unsubscribePmo?.()
      propsRef.current.onReadyChange?.(false)
      propsRef.current.onController?.(null)
      controller.destroy()
    }
  }, [store, about, wall, live, attribution, census, scenario, cases, pmo])

  return <div ref={containerRef} className="live-map" aria-label={about.city.name} role="application" />
}
