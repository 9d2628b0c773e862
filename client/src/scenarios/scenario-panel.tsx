import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { createScenarioClient, type ScenarioClient } from '../api/scenario-client'
import { createSignalClient, type SignalClient } from '../api/signal-client'
import { MapCoverSheet } from '../panels/map-cover-sheet'
import { closeScenarioMap, type ScenarioMapStore } from '../state/scenario-map'
import '../panels/panels.css'
import '../panels/control-room.css'
import './scenarios.css'
import { ScenarioCreate } from './scenario-create'
import { ScenarioList } from './scenario-list'
import { withScenarioLink, type ScenarioLink, type ScenarioRef } from './scenario-link'
import { ScenarioServicesProvider, type ScenarioServices } from './scenario-services'
import { ScenarioView, type ScenarioTab } from './scenario-view'

export interface ScenarioPanelProps {
  onClose(): void
  /** The scenario map state the maps follow. */
  channel: ScenarioMapStore
  /** `?scenario=<id>[/<v>]&hour=&compare=` from the page address. */
  initial?: ScenarioLink | null
  /** The view shown (the 3D button of the map bar switches to the 3D twin). */
  view: '2d' | '3d'
  onView(view: '2d' | '3d'): void
  /** District (quartiere) names for demand scaled by district. */
  districts(signal?: AbortSignal): Promise<string[]>
  client?: ScenarioClient
  signals?: SignalClient
}

/** Where the explorer is: the list, a new scenario, or one scenario (a version, a tab, an hour, a comparison). */
export type ScenarioScreen = { kind: 'list' } | { kind: 'new' } | { kind: 'open'; ref: ScenarioRef; tab: ScenarioTab; hour: number | null; compare: ScenarioRef | null; session: number }

/**
 * The planner's scenario explorer (ADR 0009, docs/ui.md "Scenario explorer") in a sheet on the right
 * that leaves the map usable: the scenarios, one scenario's edits (streets picked on the map), its
 * versions, its estimate against the base (KPI cards, the calibration's fit, the delta layer, split
 * and swipe maps, the time slider, the 3D view), its SUMO verification and its briefing. Needs
 * scenario:read; writing follows scenario:write. The page's address follows what it shows.
 */
export function ScenarioPanel({ onClose, channel, initial = null, view, onView, districts, client, signals }: ScenarioPanelProps) {
  const services = useMemo<ScenarioServices>(() => ({ client: client ?? createScenarioClient(), signals: signals ?? createSignalClient(), channel, districts }), [client, signals, channel, districts])
  const sessions = useRef(1)
  const [screen, setScreen] = useState<ScenarioScreen>(() => (initial ? { kind: 'open', ref: { id: initial.id, version: initial.version }, tab: 'compare', hour: initial.hour, compare: initial.compare, session: 0 } : { kind: 'list' }))
  const [slot, setSlot] = useState<HTMLDivElement | null>(null)
  const dirty = useRef(false)
  const { t } = useTranslation()

  useEffect(() => {
    channel.set((s) => ({ ...s, active: true }))
    return () => channel.set(closeScenarioMap)
  }, [channel])

  // The address says what is open, so that it can be sent (and reloaded).
  const link = screen.kind === 'open' ? { ...screen.ref, hour: screen.hour, compare: screen.compare } : null
  const linkText = JSON.stringify(link)
  useEffect(() => {
    const search = withScenarioLink(window.location.search, link)
    if (search !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`)
  }, [linkText]) // the link is read through its text: an equal link is no change
  useEffect(() => () => window.history.replaceState(window.history.state, '', `${window.location.pathname}${withScenarioLink(window.location.search, null)}${window.location.hash}`), [])

  const mayLeave = useCallback(() => {
    if (dirty.current && !window.confirm(t('scenarios.discard'))) return false
    dirty.current = false
    return true
  }, [t])
  const go = useCallback(
    (next: ScenarioScreen) => {
      if (!mayLeave()) return
      setScreen(next)
    },
    [mayLeave],
  )
  const open = useCallback((ref: ScenarioRef, tab: ScenarioTab = 'compare') => go({ kind: 'open', ref, tab, hour: null, compare: null, session: sessions.current++ }), [go])
  const onDirtyChange = useCallback((d: boolean) => {
    dirty.current = d
  }, [])

  const title =
    screen.kind === 'list' ? (
      t('scenarios.title')
    ) : (
      <>
        <button type="button" className="text-button" onClick={() => go({ kind: 'list' })} data-testid="scenario-back">
          ← {t('scenarios.list.back')}
        </button>{' '}
        {screen.kind === 'new' ? t('scenarios.create.title') : screen.ref.id}
      </>
    )

  return (
    <ScenarioServicesProvider services={services}>
      <MapCoverSheet title={title} closeLabel={t('scenarios.close')} onClose={onClose} mayLeave={mayLeave} channel={channel} className="scenario-panel" testId="scenario-panel" closeTestId="scenario-close">
        {screen.kind === 'list' && <ScenarioList onOpen={(id) => open({ id, version: null })} onNew={() => go({ kind: 'new' })} />}
        {screen.kind === 'new' && <ScenarioCreate onCreated={(id) => go({ kind: 'open', ref: { id, version: 1 }, tab: 'edits', hour: null, compare: null, session: sessions.current++ })} onCancel={() => go({ kind: 'list' })} />}
        {screen.kind === 'open' && (
          <ScenarioView
            key={`${screen.session}:${screen.ref.id}`}
            screen={screen}
            barSlot={slot}
            view={view}
            onView={onView}
            onDirtyChange={onDirtyChange}
            onChange={(patch) => setScreen((s) => (s.kind === 'open' ? { ...s, ...patch } : s))}
            onOpen={open}
          />
        )}
      </MapCoverSheet>
      <div ref={setSlot} className="scenario-bar-slot" />
    </ScenarioServicesProvider>
  )
}
