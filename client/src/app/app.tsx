import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Bbox } from '../../../contracts/events'
import type { LiveConnection } from '../api/live-connection'
import { LiveMap } from '../map2d/live-map'
import type { MapController } from '../map2d/map-controller'
import { AboutPanel } from '../panels/about-panel'
import { DevicePanel } from '../panels/device-panel'
import { FrozenBanner } from '../panels/frozen-banner'
import { LayerPanel } from '../panels/layer-panel'
import { QuarantinePanel } from '../panels/quarantine-panel'
import { StatusBar } from '../panels/status-bar'
import { useFormatters } from '../panels/use-formatters'
import type { AppState } from '../state/app-state'
import { useStore } from '../state/store'
import { deviceTooltipLines } from './device-tooltip'
import { allowed, useServices } from './services'
import { installTestHook } from './test-hook'
import { parseUrlFlags } from './url-flags'
import { ViewSwitch, useViewSwitch } from './view-switch'
import { useScene } from './use-scene'
import { ScenePicker } from '../panels/scene-picker'
import { AuditPanel } from '../panels/audit-panel'
import { UsersPanel } from '../panels/users-panel'
import type { Alarm } from '../../../contracts/alarm-api'
import { AlarmPanel } from '../panels/alarm-panel'
import { AlarmKpiPanel } from '../panels/alarm-kpi-panel'
import { IncidentsPanel } from '../panels/incidents-panel'
import { ShiftLogPanel } from '../panels/shift-log-panel'
import { CamerasPanel } from '../panels/cameras-panel'
import { ConnectivityPanel } from '../panels/connectivity-panel'
import { AlarmRulesPanel } from '../panels/alarm-rules-panel'
import { SignalWorkbenchPanel } from '../signals/signal-workbench-panel'
import { CensusPanel } from '../census/census-panel'
import { createCensusMapStore } from '../state/census-map'
import { ScenarioPanel } from '../scenarios/scenario-panel'
import { parseScenarioLink } from '../scenarios/scenario-link'
import { compareTooltipLines, scenarioOtherLayers } from '../scenarios/scenario-tooltip'
import { createScenarioMapStore, type ScenarioMapState } from '../state/scenario-map'
import { ScenarioCompareMap } from '../map2d/scenario-compare-map'
import type { CompareMaps } from '../map2d/compare-maps'
import type { ScenarioWalls } from '../globe3d/scenario-walls'
import { installScenarioTestHook } from './test-hook-scenario'
import { mapPoseOf } from './view-switch'
import { CasesPanel } from '../cases/cases-panel'
import { useCaseFeed } from '../cases/use-case-feed'
import { createCaseClient } from '../api/case-client'
import { createCaseMapStore, type CasePoint } from '../state/case-map'
import { PmoPanel } from '../pmo/pmo-panel'
import { usePmoSites } from '../pmo/use-pmo-sites'
import { createPmoClient } from '../api/pmo-client'
import { createPmoMapStore, type PmoSite } from '../state/pmo-map'

// Cesium is loaded with the 3D view only: the 2D start does not pay for it.
const GlobeView = lazy(() => import('./globe-view').then((m) => ({ default: m.GlobeView })))

const selectAbout = (s: AppState) => s.about
const selectSelection = (s: AppState) => s.selection
const selectVisible = (s: AppState) => s.visibleLayers
const selectFrozen = (s: AppState) => s.connection.status === 'offline'
const selectScene = (s: AppState) => s.scene
const selectScenarioMode = (s: ScenarioMapState) => s.mode

type Sheet = 'none' | 'about' | 'quarantine' | 'users' | 'audit' | 'incidents' | 'kpi' | 'shift-log' | 'cameras' | 'connectivity' | 'alarm-rules' | 'signal-workbench' | 'census' | 'scenarios' | 'cases' | 'pmo'

/** Zoom at which "locate on map" shows an alarm's device. */
const LOCATE_ZOOM = 17
/** The scenario's 3D view: tilted to see the walls of the flows, and far enough to see a district. */
const SCENARIO_3D_PITCH = 55
const SCENARIO_3D_MAX_ZOOM = 15

/** Layout of the live map screen: status bar, map with the banner and panels over it. */
export function App({ live }: { live: LiveConnection }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { api, store, wall, session } = useServices()
  const about = useStore(store, selectAbout)
  const selection = useStore(store, selectSelection)
  const visible = useStore(store, selectVisible)
  const frozen = useStore(store, selectFrozen)
  const openScene = useStore(store, selectScene)
  const [aboutError, setAboutError] = useState<string | null>(null)
  const [aboutAttempt, setAboutAttempt] = useState(0)
  const flags = useMemo(() => parseUrlFlags(window.location.search), [])
  // `?census=poles/12` (the OGC API's HTML pages link there) opens the census editor on that feature.
  // `?scenario=<id>[/<v>]&hour=&compare=` opens the scenario explorer there (a planner's shared link).
  const scenarioLink = useMemo(() => parseScenarioLink(window.location.search), [])
  const [sheet, setSheet] = useState<Sheet>(
    flags.census && !wall && allowed(session, 'census:read') ? 'census' : scenarioLink && !wall && allowed(session, 'scenario:read') ? 'scenarios' : 'none',
  )
  const [censusLink, setCensusLink] = useState(flags.census)
  const [scenarioInitial, setScenarioInitial] = useState(scenarioLink)
  const censusMap = useMemo(() => createCensusMapStore(), [])
  const scenarioMap = useMemo(() => createScenarioMapStore(), [])
  const caseMap = useMemo(() => createCaseMapStore(), [])
  const caseClient = useMemo(() => createCaseClient(), [])
  const mayReadCases = allowed(session, 'case:read-all') && !wall
  useCaseFeed(caseClient, caseMap, live, mayReadCases)
  // Without live:read (a PMO officer, main.tsx) the map has no live devices, scenes or alarms: the PMO sites are its layer, shown from the start.
  const mayReadLive = allowed(session, 'live:read')
  const pmoMap = useMemo(() => createPmoMapStore({ shown: !mayReadLive }), [mayReadLive])
  const pmoClient = useMemo(() => createPmoClient(), [])
  const mayReadPmo = allowed(session, 'pmo:read') && !wall
  usePmoSites(pmoClient, pmoMap, mayReadPmo)
  const scenarioMode = useStore(scenarioMap, selectScenarioMode)
  const compareRef = useRef<CompareMaps | null>(null)
  const wallsRef = useRef<ScenarioWalls | null>(null)
  const [layersOpen, setLayersOpen] = useState(true)
  // The alarm list is docked on the left, beside the map: it stays open while a device or a sheet is shown.
  const [alarmsOpen, setAlarmsOpen] = useState(false)
  const [incidentDraft, setIncidentDraft] = useState<Alarm[] | null>(null)
  const bboxRef = useRef<Bbox | undefined>(undefined)
  const controllerRef = useRef<MapController | null>(null)
  const readyRef = useRef(false)
  const deploymentFeed = useMemo(() => ({ subscribe: (l: Parameters<LiveConnection['onSignalDeployment']>[0]) => live.onSignalDeployment(l) }), [live])
  const views = useViewSwitch({ initial: flags.view, about, store, mapRef: controllerRef, mapReady: () => readyRef.current })
  const { installHook } = views
  const scene = useScene({ api, store, views, ready: about !== null, initial: flags.scene, enabled: mayReadLive })

  useEffect(() => {
    installTestHook({
      store,
      live,
      project: (lon, lat) => views.project(lon, lat),
      view: async (lon, lat, zoom, pitch, bearing) => controllerRef.current?.view(lon, lat, zoom, pitch, bearing),
      renderedFeatures: (layerId) => controllerRef.current?.renderedFeatures(layerId) ?? [],
      layerVisibility: (layerId) => controllerRef.current?.layerVisibility(layerId) ?? 'missing',
      isReady: () => readyRef.current,
    })
    installHook()
    installScenarioTestHook({ channel: scenarioMap, map: () => controllerRef.current, compare: () => compareRef.current, walls: () => wallsRef.current })
  }, [store, live, installHook, scenarioMap])

  useEffect(() => {
    const controller = new AbortController()
    api
      .about(controller.signal)
      .then((about) => {
        store.set((s) => ({ ...s, about }))
        setAboutError(null)
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setAboutError(err instanceof Error ? err.message : String(err))
      })
    return () => controller.abort()
  }, [api, store, aboutAttempt])

  // The live subscription follows the visible layers and the viewport.
  useEffect(() => {
    live.setSubscription({ layers: visible, bbox: bboxRef.current })
  }, [live, visible])
  const onViewport = useCallback(
    (bbox: Bbox) => {
      bboxRef.current = bbox
      live.setSubscription({ layers: store.get().visibleLayers, bbox })
    },
    [live, store],
  )

  // The selected device's panel replaces the other sheets.
  useEffect(() => {
    if (selection) setSheet('none')
  }, [selection])

  const describeDevice = useCallback(
    (device: Parameters<typeof deviceTooltipLines>[3]) => deviceTooltipLines(t, fmt, store.get(), device, Date.now()),
    [t, fmt, store],
  )
  const describeCase = useCallback(
    (c: CasePoint) => [t('cases.tooltip.title', { id: c.id }), c.serviceCode, t('cases.tooltip.status', { status: t(`cases.status.${c.status}`), ago: fmt.ago(Date.now() - c.requestedAtMs) }), ...(c.overdue ? [`▲ ${t('cases.tooltip.overdue')}`] : [])],
    [t, fmt],
  )
  const describePmoSite = useCallback(
    (site: PmoSite) => [site.title, t(`pmo.health.${site.health}`), ...(site.closesRoad ? [`▬ ${t('pmo.tooltip.closes', { from: site.closedFrom ?? '…', to: site.closedTo ?? '…' })}`] : [])],
    [t],
  )
  const attribution = useMemo(() => (about ? about.attributions.map((a) => a.text).join(' · ') || 'Gemello' : 'Gemello'), [about])
  const scenarioLayers = useMemo(() => scenarioOtherLayers(t, fmt, () => scenarioMap.get().data), [t, fmt, scenarioMap])
  const compareTooltip = useCallback((side: 'left' | 'right', layerId: string, object: unknown) => compareTooltipLines(t, fmt, side, layerId, object, scenarioMap.get()), [t, fmt, scenarioMap])
  const listDistricts = useCallback(
    (signal?: AbortSignal) => api.basemap('quartieri', signal).then((fc) => [...new Set(fc.features.map((f) => String((f.properties as Record<string, unknown> | null)?.name ?? '')).filter(Boolean))].sort((a, b) => a.localeCompare(b))),
    [api],
  )
  // The scenario's 3D view looks at the flows' walls from the side: the 2D camera tilted (walls seen from above are lines).
  const scenarioView = useCallback(
    (next: '2d' | '3d') => {
      if (next === '2d' || !controllerRef.current) return views.switchTo(next)
      const pose = mapPoseOf(controllerRef.current)
      views.switchTo('3d')
      views.goTo('3d', { ...pose, zoom: Math.min(pose.zoom, SCENARIO_3D_MAX_ZOOM), pitch: Math.max(pose.pitch, SCENARIO_3D_PITCH) })
    },
    [views],
  )
  const showCompareMaps = sheet === 'scenarios' && views.view === '2d' && (scenarioMode === 'split' || scenarioMode === 'swipe') && !wall

  const listSignalControllers = useCallback(
    () => (mayReadLive ? api.listDevices({ kind: 'signal-controller', limit: 10_000 }).then((r) => r.devices) : Promise.resolve([])),
    [api, mayReadLive],
  )

  const openSheet = (next: Sheet) => {
    store.set((s) => ({ ...s, selection: null }))
    setSheet(next)
  }

  // "Locate on map": select the alarm's device (its panel opens) and bring it into view.
  const locateAlarm = useCallback(
    (alarm: Alarm) => {
      if (!alarm.deviceId) return
      store.set((s) => ({ ...s, selection: alarm.deviceId }))
      const at = alarm.position
      if (!at) return
      if (views.view === '2d') void controllerRef.current?.view(at[0], at[1], Math.max(LOCATE_ZOOM, controllerRef.current.map.getZoom()))
      else views.goTo('3d', { center: at, zoom: LOCATE_ZOOM, bearing: 0, pitch: 55 })
    },
    [store, views],
  )

  return (
    <div className="app">
      <a className="skip-link" href="#map">
        {t('app.skipToMap')}
      </a>
      <StatusBar
        layersOpen={layersOpen}
        onToggleLayers={() => setLayersOpen((o) => !o)}
        onOpenQuarantine={() => openSheet('quarantine')}
        onOpenAbout={() => openSheet('about')}
        onOpenUsers={() => openSheet('users')}
        onOpenAudit={() => openSheet('audit')}
        alarmsOpen={alarmsOpen}
        onToggleAlarms={() => setAlarmsOpen((o) => !o)}
        sheet={sheet}
        onOpenControlRoom={openSheet}
      />
      <main id="map" className={`map-area${frozen ? ' is-frozen' : ''}`} tabIndex={-1}>
        {about && views.view === '3d' ? (
          <Suspense fallback={<div className="map-placeholder"><p>{t('globe.loading')}</p></div>}>
            <GlobeView
              store={store}
              about={about}
              wall={wall}
              pose={views.pose() ?? { center: about.city.center, zoom: 15, bearing: 0, pitch: 55 }}
              loadBasemap={api.basemap}
              listSignalControllers={listSignalControllers}
              onViewport={onViewport}
              onController={views.onGlobe}
              onReadyChange={views.onGlobeReady}
              onBuildingPick={(b) => views.onBuildingPick(b?.id ?? null)}
              scenario={scenarioMap}
              onScenarioWalls={(w) => {
                wallsRef.current = w
              }}
            />
          </Suspense>
        ) : about ? (
          <LiveMap
            store={store}
            about={about}
            wall={wall}
            live={mayReadLive}
            attribution={attribution}
            describeDevice={describeDevice}
            onViewport={onViewport}
            census={censusMap}
            scenario={scenarioMap}
            scenarioLayers={scenarioLayers}
            cases={mayReadCases ? caseMap : undefined}
            describeCase={describeCase}
            pmo={mayReadPmo ? pmoMap : undefined}
            describePmoSite={describePmoSite}
            onController={(c) => {
              controllerRef.current = c
              views.on2dController(c)
            }}
            onReadyChange={(ready) => {
              readyRef.current = ready
            }}
          />
        ) : (
          <div className="map-placeholder">
            {aboutError ? (
              <p role="alert">
                {t('app.aboutFailed', { message: aboutError })}{' '}
                <button type="button" className="text-button" onClick={() => setAboutAttempt((n) => n + 1)}>
                  {t('app.retry')}
                </button>
              </p>
            ) : (
              <p>{t('app.loading')}</p>
            )}
          </div>
        )}
        {about && !wall && (
          <div className="view-bar">
            <ViewSwitch value={views.view} onChange={views.switchTo} />
            <ScenePicker scenes={scene.scenes} current={scene.current} onOpen={scene.open} />
          </div>
        )}
        {openScene?.time.mode === 'at' && (
          <p className="scene-error" role="status">
            {t('scene.historic', { time: fmt.dateTime(Date.parse(openScene.time.at)) })}
          </p>
        )}
        {scene.error && (
          <p className="scene-error" role="alert">
            {t('scene.failed', { message: scene.error })}{' '}
            <button type="button" className="text-button" onClick={scene.dismissError}>
              {t('scene.dismiss')}
            </button>
          </p>
        )}
        {showCompareMaps && about && (
          <ScenarioCompareMap
            channel={scenarioMap}
            pose={controllerRef.current ? mapPoseOf(controllerRef.current) : { center: about.city.center, zoom: 13, bearing: 0, pitch: 0 }}
            attribution={attribution}
            tooltip={compareTooltip}
            onMaps={(m) => {
              compareRef.current = m
            }}
          />
        )}
        <FrozenBanner />
        {!wall && layersOpen && !alarmsOpen && sheet !== 'scenarios' && <LayerPanel cases={mayReadCases ? caseMap : undefined} pmo={mayReadPmo ? pmoMap : undefined} />}
        {!wall && alarmsOpen && (
          <AlarmPanel
            onClose={() => setAlarmsOpen(false)}
            onLocate={locateAlarm}
            pushToWall={(push) => live.pushToWall(push)}
            onCreateIncident={(alarms) => {
              setIncidentDraft(alarms)
              openSheet('incidents')
            }}
          />
        )}
        {!wall && selection && <DevicePanel deviceId={selection} />}
        {!wall && sheet === 'quarantine' && <QuarantinePanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'about' && about && <AboutPanel about={about} onClose={() => setSheet('none')} />}
        {!wall && sheet === 'users' && <UsersPanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'audit' && <AuditPanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'incidents' && about && (
          <IncidentsPanel
            onClose={() => {
              setIncidentDraft(null)
              setSheet('none')
            }}
            draftFrom={incidentDraft}
            defaultPosition={about.city.center}
            onDraftDone={() => setIncidentDraft(null)}
          />
        )}
        {!wall && sheet === 'cases' && <CasesPanel onClose={() => setSheet('none')} map={caseMap} live={live} client={caseClient} />}
        {!wall && sheet === 'pmo' && <PmoPanel onClose={() => setSheet('none')} map={pmoMap} client={pmoClient} />}
        {!wall && sheet === 'kpi' && <AlarmKpiPanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'shift-log' && <ShiftLogPanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'cameras' && <CamerasPanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'connectivity' && <ConnectivityPanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'alarm-rules' && <AlarmRulesPanel onClose={() => setSheet('none')} />}
        {!wall && sheet === 'signal-workbench' && <SignalWorkbenchPanel onClose={() => setSheet('none')} deployments={deploymentFeed} />}
        {!wall && sheet === 'scenarios' && (
          <ScenarioPanel
            channel={scenarioMap}
            initial={scenarioInitial}
            view={views.view}
            onView={scenarioView}
            districts={listDistricts}
            onClose={() => {
              setSheet('none')
              setScenarioInitial(null)
            }}
          />
        )}
        {!wall && sheet === 'census' && (
          <CensusPanel
            channel={censusMap}
            initial={censusLink}
            onClose={() => {
              setSheet('none')
              if (censusLink) {
                setCensusLink(null)
                const params = new URLSearchParams(window.location.search)
                params.delete('census')
                window.history.replaceState(null, '', `${window.location.pathname}${params.size ? `?${params.toString()}` : ''}`)
              }
            }}
          />
        )}
      </main>
    </div>
  )
}
