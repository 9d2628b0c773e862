import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { ScenarioDetail, ScenarioVersion, VersionKey } from '../api/scenario-client'
import { errorMessage } from '../panels/action-error'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { linksBbox, requestScenarioFocus, type LonLat, type PickedEdge, type ScenarioPick } from '../state/scenario-map'
import { CompareTab } from './compare-tab'
import { edgesOf } from './edit-form'
import { EditsTab } from './edits-tab'
import { HistoryTab } from './history-tab'
import { hourText } from './hour-text'
import { edgeNames, mapData } from './map-data'
import { MapBar } from './map-bar'
import { ScenarioHeader } from './scenario-header'
import { draftReducer, isDirty, loadDraft } from './scenario-draft'
import type { ScenarioRef } from './scenario-link'
import type { ScenarioScreen } from './scenario-panel'
import { useScenarioServices } from './scenario-services'
import { SumoTab } from './sumo-tab'
import { useEstimate } from './use-estimate'

export const SCENARIO_TABS = ['edits', 'compare', 'sumo', 'history'] as const
export type ScenarioTab = (typeof SCENARIO_TABS)[number]

/** What the edits tab wants the map to do: pick streets or a point, outline edges, mark points. */
export interface EditsMapState {
  pick: ScenarioPick
  highlighted: readonly string[]
  points: ReadonlyArray<{ position: LonLat; label: string }>
}

export interface ScenarioViewProps {
  screen: Extract<ScenarioScreen, { kind: 'open' }>
  /** Where the map bar (time slider, compare modes, legend) goes: over the map, outside the sheet. */
  barSlot: HTMLElement | null
  view: '2d' | '3d'
  onView(view: '2d' | '3d'): void
  onDirtyChange(dirty: boolean): void
  onChange(patch: Partial<Pick<ScenarioScreen & { kind: 'open' }, 'ref' | 'tab' | 'hour' | 'compare'>>): void
  onOpen(ref: ScenarioRef, tab?: ScenarioTab): void
}

/**
 * One scenario: its header (status, version, actions), and the tabs — edits (the document being
 * edited, saved as a new version), compare (the estimate against the base or another scenario),
 * SUMO verification and history. Publishes the estimate's links and loops to the maps.
 */
export function ScenarioView({ screen, barSlot, view, onView, onDirtyChange, onChange, onOpen }: ScenarioViewProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client, channel } = useScenarioServices()
  const id = screen.ref.id
  const fetchDetail = useCallback((signal?: AbortSignal) => client.get(id, signal), [client, id])
  const detail = useFetched<ScenarioDetail>(fetchDetail)
  const version = screen.ref.version ?? detail.data?.latestVersion ?? null
  const [versionDoc, setVersionDoc] = useState<ScenarioVersion | null>(null)
  const [versionError, setVersionError] = useState<string | null>(null)

  // The document of the version on screen: the latest comes with the detail, an older one is fetched.
  useEffect(() => {
    const d = detail.data
    if (!d || version === null) return
    if (d.latest.version === version) {
      setVersionDoc((v) => (v?.version === version && v.createdAtMs === d.latest.createdAtMs ? v : d.latest))
      return
    }
    const ac = new AbortController()
    client.getVersion({ id, version }, ac.signal).then(
      (v) => {
        setVersionDoc(v)
        setVersionError(null)
      },
      (err: unknown) => !ac.signal.aborted && setVersionError(errorMessage(err)),
    )
    return () => ac.abort()
  }, [client, id, version, detail.data])

  const latestVersion = detail.data?.latestVersion ?? 1
  const [draft, dispatch] = useReducer(draftReducer, null, () => loadDraft({ id, title: '', network: 'city', base: { kind: 'observed', date: '2024-03-15', hour: 8 }, edits: [], assumptions: [], parent: null }, 0, 0))
  const loadedRef = useRef<string>('')
  useEffect(() => {
    if (!versionDoc) return
    const key = `${versionDoc.version}@${versionDoc.createdAtMs}`
    if (loadedRef.current === key) return
    loadedRef.current = key
    dispatch({ type: 'load', document: versionDoc.document, version: versionDoc.version, latestVersion })
    // The latest version known when it was loaded is what a save builds on.
  }, [versionDoc]) // latestVersion is read as it is then
  const dirty = versionDoc !== null && isDirty(draft)
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange])

  // The estimate: asked once the compare tab is opened (it can take tens of seconds), then kept for every tab.
  const [estimating, setEstimating] = useState(screen.tab === 'compare')
  useEffect(() => {
    if (screen.tab === 'compare') setEstimating(true)
  }, [screen.tab])
  const key: VersionKey | null = version !== null ? { id, version } : null
  const compareKey: VersionKey | null = screen.compare && screen.compare.version !== null ? { id: screen.compare.id, version: screen.compare.version } : null
  const estimate = useEstimate({ version: key, compare: compareKey, initialHour: screen.hour, enabled: estimating && versionDoc !== null })
  const shown = estimate.state.shown
  const baseHour = versionDoc?.document.base.hour ?? 8

  // The slider's hour goes into the address (the base's own hour is left out).
  useEffect(() => {
    const h = estimate.state.hour
    if (h !== screen.hour) onChange({ hour: h })
  }, [estimate.state.hour]) // screen.hour follows

  // Edge names for the edits: from the links of the estimate, and from the streets clicked.
  const [clickedNames, setClickedNames] = useState<ReadonlyMap<string, string>>(new Map())
  const names = useMemo(() => {
    const m = new Map(shown ? edgeNames(shown.links.features.map((f) => f.properties)) : [])
    for (const [k, v] of clickedNames) if (!m.has(k)) m.set(k, v)
    return m
  }, [shown, clickedNames])
  const rememberNames = useCallback((edges: readonly PickedEdge[]) => {
    setClickedNames((m) => {
      const next = new Map(m)
      for (const e of edges) if (e.name) next.set(e.edgeId, e.name)
      return next
    })
  }, [])

  // The maps: the shown estimate's links and loops, the left and right sides named.
  const title = versionDoc?.document.title ?? id
  useEffect(() => {
    if (!shown) {
      channel.set((s) => (s.data ? { ...s, data: null } : s))
      return
    }
    const h = hourText(shown.hour)
    const leftLabel = shown.compare ? t('scenarios.map.sideScenario', { title, v: shown.estimate.scenario.version ?? '—', hour: h }) : t('scenarios.map.sideBase', { hour: h })
    const rightLabel = shown.compare
      ? t('scenarios.map.sideScenario', { title: shown.compare.estimate.scenario.title, v: shown.compare.estimate.scenario.version ?? '—', hour: h })
      : t('scenarios.map.sideScenario', { title, v: shown.estimate.scenario.version ?? '—', hour: h })
    channel.set((s) => ({ ...s, data: mapData({ estimate: shown.estimate, links: shown.links, compareLinks: shown.compare?.links ?? null, leftLabel, rightLabel }) }))
  }, [channel, shown, title, t])
  useEffect(() => channel.set((s) => (s.loading === (estimate.state.pending !== null) ? s : { ...s, loading: estimate.state.pending !== null })), [channel, estimate.state.pending])
  useEffect(() => () => channel.set((s) => ({ ...s, data: null, sumo: null, loading: false, pick: 'none', highlighted: [], points: [] })), [channel])

  // The first estimate of a version brings its edited streets into view.
  const focusedFor = useRef<string>('')
  useEffect(() => {
    if (!shown || !versionDoc) return
    const k = `${versionDoc.version}`
    if (focusedFor.current === k) return
    focusedFor.current = k
    const edited = new Set(versionDoc.document.edits.flatMap(edgesOf))
    const bbox = linksBbox(shown.links.features.filter((f) => edited.has(f.properties.edgeId)).map((f) => ({ path: f.geometry.coordinates as LonLat[] })))
    if (bbox) channel.set((s) => requestScenarioFocus(s, bbox))
  }, [channel, shown, versionDoc])

  // Outlines and picking: the edits tab's own while it is open; elsewhere, the edges the version edits.
  const [editsMap, setEditsMap] = useState<EditsMapState>({ pick: 'none', highlighted: [], points: [] })
  const savedEdges = useMemo(() => [...new Set((versionDoc?.document.edits ?? []).flatMap(edgesOf))], [versionDoc])
  const savedPoints = useMemo(() => (versionDoc?.document.edits ?? []).flatMap((e) => (e.kind === 'generator' ? [{ position: e.position, label: e.name }] : [])), [versionDoc])
  const mapState = screen.tab === 'edits' ? editsMap : { pick: 'none' as const, highlighted: savedEdges, points: savedPoints }
  useEffect(() => {
    channel.set((s) => ({ ...s, pick: mapState.pick, highlighted: mapState.highlighted, points: mapState.points }))
  }, [channel, mapState.pick, mapState.highlighted, mapState.points])

  // A SUMO run drawn on the map wants the estimate beside it, at the hour it simulated (the map bar comes with it).
  const setEstimateHour = estimate.setHour
  const showSumoOnMap = useCallback(
    (h: number | null) => {
      setEstimating(true)
      if (h !== null) setEstimateHour(h)
    },
    [setEstimateHour],
  )

  const d = detail.data
  if (!d || !versionDoc) {
    return (
      <div className="scenario-view" data-testid="scenario-view">
        {detail.error || versionError ? <p className="error-text">{t('scenarios.loadFailed', { message: detail.error ?? versionError })}</p> : <p className="muted">{t('scenarios.loading')}</p>}
      </div>
    )
  }
  const archived = d.status === 'archived'
  const setTab = (tab: ScenarioTab) => onChange({ tab })

  return (
    <div className="scenario-view" data-testid="scenario-view" data-id={d.id} data-version={versionDoc.version} data-latest={d.latestVersion} data-dirty={dirty || undefined}>
      <ScenarioHeader
        detail={d}
        version={versionDoc}
        onReload={detail.reload}
        onDetail={(next) => detail.setData(next)}
        onOpen={onOpen}
        onOpenVersion={(v) => onChange({ ref: { id, version: v } })}
        canLeave={() => !dirty || window.confirm(t('scenarios.discard'))}
      />
      <div className="tabs" role="tablist" aria-label={t('scenarios.tabs.label')}>
        {SCENARIO_TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`scenario-tab-${tab}`}
            aria-selected={screen.tab === tab}
            aria-controls={`scenario-tabpanel-${tab}`}
            tabIndex={screen.tab === tab ? 0 : -1}
            onClick={() => setTab(tab)}
            onKeyDown={(e) => {
              const i = SCENARIO_TABS.indexOf(tab)
              const next = e.key === 'ArrowRight' ? SCENARIO_TABS[(i + 1) % SCENARIO_TABS.length] : e.key === 'ArrowLeft' ? SCENARIO_TABS[(i + SCENARIO_TABS.length - 1) % SCENARIO_TABS.length] : null
              if (!next) return
              e.preventDefault()
              setTab(next)
              document.getElementById(`scenario-tab-${next}`)?.focus()
            }}
            data-testid={`scenario-tab-${tab}`}
          >
            {t(`scenarios.tabs.${tab}`)}
            {tab === 'edits' && dirty && <span className="scenario-dirty-mark"> · {t('scenarios.editor.unsaved')}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`scenario-tabpanel-${screen.tab}`} aria-labelledby={`scenario-tab-${screen.tab}`} className="scenario-tabpanel">
        {screen.tab === 'edits' && (
          <EditsTab
            detail={d}
            draft={draft}
            dispatch={dispatch}
            dirty={dirty}
            readOnly={archived}
            names={names}
            onNames={rememberNames}
            onMapState={setEditsMap}
            onSaved={(next) => {
              detail.setData(next)
              loadedRef.current = ''
              onChange({ ref: { id, version: next.latestVersion } })
            }}
            onReloadLatest={(next) => {
              detail.setData(next)
              loadedRef.current = ''
              onChange({ ref: { id, version: next.latestVersion } })
            }}
            roads={shown?.links.features ?? null}
            roadsLoading={estimating && estimate.state.pending !== null}
            roadsError={estimating ? estimate.state.error : null}
            onNeedRoads={() => setEstimating(true)}
          />
        )}
        {screen.tab === 'compare' && (
          <CompareTab
            detail={d}
            version={versionDoc}
            estimate={estimate}
            baseHour={baseHour}
            compare={screen.compare}
            onCompare={(compare) => onChange({ compare })}
            dirty={dirty}
            names={names}
          />
        )}
        {screen.tab === 'sumo' && <SumoTab detail={d} version={versionDoc} hour={estimate.state.hour ?? baseHour} estimate={shown?.estimate ?? null} onShowOnMap={showSumoOnMap} />}
        {screen.tab === 'history' && <HistoryTab detail={d} shownVersion={versionDoc.version} onOpenVersion={(v) => onChange({ ref: { id, version: v } })} onOpen={onOpen} />}
      </div>
      <p className="muted small scenario-footnote">{t('scenarios.view.updated', { by: d.updatedBy, at: fmt.dateTime(d.updatedAtMs) })}</p>
      {barSlot &&
        estimating &&
        createPortal(
          <MapBar
            hour={estimate.state.hour ?? shown?.hour ?? baseHour}
            baseHour={baseHour}
            onHour={estimate.setHour}
            loading={estimate.state.pending !== null}
            error={estimate.state.error}
            hasData={shown !== null}
            compared={shown?.compare != null}
            view={view}
            onView={onView}
          />,
          barSlot,
        )}
    </div>
  )
}
