import { useMemo, type ReactElement } from 'react'
import { useTranslation } from 'react-i18next'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { allowed, useServices } from '../app/services'
import { KIND_LAYERS, MARKER_SPECS } from '../map2d/device-layers'
import { MAP_THEMES, TOGGLE_GROUPS, mapPreferences, type MapPreferences } from '../map2d/map-preferences'
import { PALETTE } from '../map2d/palette'
import type { AppState } from '../state/app-state'
import { conditionsByDevice, layerCounts, serverNowMs } from '../state/derived'
import { toggleLayer } from '../state/live-reducers'
import { useStore } from '../state/store'
import { useNow } from '../state/use-now'
import type { CaseMapState, CaseMapStore } from '../state/case-map'
import type { PmoMapState, PmoMapStore } from '../state/pmo-map'
import { ShapeGlyph } from './shape-glyph'
import './panels.css'
import { useFormatters } from './use-formatters'

const selectDevices = (s: AppState) => s.devices
const selectStates = (s: AppState) => s.states
const selectVisible = (s: AppState) => s.visibleLayers
const selectOffset = (s: AppState) => s.clockOffsetMs

/** Top of the list = top of the map: the drawing order reversed. */
const PANEL_ORDER: DeviceKind[] = KIND_LAYERS.map(([kind]) => kind).reverse()

/**
 * Toggles per device kind with counts (in view, stale, abnormal), the citizen cases (offices), the PMO sites, and the legend of every style.
 * Without live:read (a PMO officer) there are no device kinds and no device legend: only the layers the user may read and the base map.
 */
export function LayerPanel({ cases, pmo }: { cases?: CaseMapStore | undefined; pmo?: PmoMapStore | undefined } = {}) {
  const { t } = useTranslation()
  const { store, session } = useServices()
  const live = allowed(session, 'live:read')
  const fmt = useFormatters()
  const devices = useStore(store, selectDevices)
  const states = useStore(store, selectStates)
  const visible = useStore(store, selectVisible)
  const offset = useStore(store, selectOffset)
  const now = useNow(2000)
  const counts = useMemo(
    () => layerCounts(devices, conditionsByDevice(devices, states, serverNowMs({ clockOffsetMs: offset }, now))),
    [devices, states, offset, now],
  )

  return (
    <section className="layer-panel" aria-labelledby="layer-panel-title">
      <h2 id="layer-panel-title">{t('layers.title')}</h2>
      <ul className="layer-list">
        {(live ? PANEL_ORDER : []).map((kind) => {
          const shown = visible.includes(kind)
          const c = counts[kind]
          return (
            <li key={kind} className={shown ? '' : 'is-hidden'}>
              <label className="layer-toggle">
                <input type="checkbox" checked={shown} onChange={() => store.set((s) => toggleLayer(s, kind))} />
                <ShapeGlyph shape={MARKER_SPECS[kind].shape} fill={PALETTE.neutral} stroke={PALETTE.neutralOutline} />
                <span className="layer-name">{t(`kind.${kind}`)}</span>
              </label>
              <span className="layer-counts">
                {shown ? (
                  <>
                    <span>{t('layers.counts', { devices: fmt.number(c.devices) })}</span>
                    {c.stale > 0 && <span className="count-stale">{t('layers.stale', { count: c.stale })}</span>}
                    {c.abnormal > 0 && <span className="count-abnormal">{t('layers.abnormal', { count: c.abnormal })}</span>}
                  </>
                ) : (
                  <span>{t('layers.hidden')}</span>
                )}
              </span>
            </li>
          )
        })}
        {cases && <CaseLayerToggle cases={cases} />}
        {pmo && <PmoLayerToggle pmo={pmo} />}
      </ul>
      <BaseMapSettings />
      {live && <Legend />}
    </section>
  )
}

const selectCaseShown = (s: CaseMapState) => s.shown
const selectCasePoints = (s: CaseMapState) => s.points

/** The citizen cases' layer (users who may read cases): how many are open, how many past their SLA. */
function CaseLayerToggle({ cases }: { cases: CaseMapStore }) {
  const { t } = useTranslation()
  const shown = useStore(cases, selectCaseShown)
  const points = useStore(cases, selectCasePoints)
  const overdue = useMemo(() => [...points.values()].filter((p) => p.overdue).length, [points])
  return (
    <li className={shown ? '' : 'is-hidden'}>
      <label className="layer-toggle">
        <input type="checkbox" name="layer-citizen-cases" checked={shown} onChange={() => cases.set((s) => ({ ...s, shown: !s.shown }))} />
        <ShapeGlyph shape="circle" fill={PALETTE.surface} stroke={PALETTE.neutral} />
        <span className="layer-name">{t('cases.layer')}</span>
      </label>
      <span className="layer-counts">
        {shown ? (
          <>
            <span>{t('cases.layerCounts', { count: points.size })}</span>
            {overdue > 0 && <span className="count-abnormal">{t('cases.layerOverdue', { count: overdue })}</span>}
          </>
        ) : (
          <span>{t('layers.hidden')}</span>
        )}
      </span>
    </li>
  )
}

const selectPmoShown = (s: PmoMapState) => s.shown
const selectPmoSites = (s: PmoMapState) => s.sites

/** The PMO projects' sites (who may read the portfolio): how many, how many close a road. */
function PmoLayerToggle({ pmo }: { pmo: PmoMapStore }) {
  const { t } = useTranslation()
  const shown = useStore(pmo, selectPmoShown)
  const sites = useStore(pmo, selectPmoSites)
  const closing = sites.filter((s) => s.closesRoad).length
  return (
    <li className={shown ? '' : 'is-hidden'}>
      <label className="layer-toggle">
        <input type="checkbox" name="layer-pmo-sites" checked={shown} onChange={() => pmo.set((s) => ({ ...s, shown: !s.shown }))} />
        <ShapeGlyph shape="square" fill={PALETTE.surface} stroke={PALETTE.neutral} />
        <span className="layer-name">{t('pmo.layer')}</span>
      </label>
      <span className="layer-counts">
        {shown ? (
          <>
            <span>{t('pmo.layerCounts', { count: sites.length })}</span>
            {closing > 0 && <span>{t('pmo.layerClosing', { count: closing })}</span>}
          </>
        ) : (
          <span>{t('layers.hidden')}</span>
        )}
      </span>
    </li>
  )
}

const selectPreferences = (p: MapPreferences) => p

/** Theme of the base map and its switchable layer groups; remembered by this browser. */
export function BaseMapSettings() {
  const { t } = useTranslation()
  const store = mapPreferences()
  const prefs = useStore(store, selectPreferences)
  return (
    <fieldset className="basemap-settings">
      <legend>{t('layers.basemap')}</legend>
      <div className="theme-switch" role="radiogroup" aria-label={t('layers.theme')}>
        {MAP_THEMES.map((theme) => (
          <label key={theme} className={prefs.theme === theme ? 'is-active' : ''}>
            <input type="radio" name="map-theme" value={theme} checked={prefs.theme === theme} onChange={() => store.set((p) => ({ ...p, theme }))} />
            {t(theme === 'dark' ? 'layers.themeDark' : 'layers.themeLight')}
          </label>
        ))}
      </div>
      <ul className="layer-list">
        {TOGGLE_GROUPS.map((group) => (
          <li key={group} className={prefs.groups[group] ? '' : 'is-hidden'}>
            <label className="layer-toggle">
              <input
                type="checkbox"
                name={`map-group-${group}`}
                checked={prefs.groups[group]}
                onChange={() => store.set((p) => ({ ...p, groups: { ...p.groups, [group]: !p.groups[group] } }))}
              />
              <span className="layer-name">{t(`layers.group.${group}`)}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}

export function Legend() {
  const { t } = useTranslation()
  const rows: Array<{ key: string; glyph: ReactElement }> = [
    { key: 'critical', glyph: <ShapeGlyph shape="circle" fill={PALETTE.critical} stroke={PALETTE.neutralOutline} /> },
    { key: 'high', glyph: <ShapeGlyph shape="circle" fill={PALETTE.high} stroke={PALETTE.neutralOutline} /> },
    { key: 'medium', glyph: <ShapeGlyph shape="circle" fill={PALETTE.medium} stroke={PALETTE.neutralOutline} /> },
    { key: 'diagnostic', glyph: <ShapeGlyph shape="circle" fill={PALETTE.diagnostic} stroke={PALETTE.neutralOutline} /> },
    { key: 'normal', glyph: <ShapeGlyph shape="circle" fill={PALETTE.neutral} stroke={PALETTE.neutralOutline} /> },
    { key: 'stale', glyph: <ShapeGlyph shape="circle" fill={PALETTE.stale} stroke={PALETTE.stale} hatched /> },
    { key: 'noComm', glyph: <ShapeGlyph shape="cross" fill="none" stroke={PALETTE.noComm} /> },
    { key: 'noData', glyph: <ShapeGlyph shape="circle" fill="none" stroke={PALETTE.noComm} /> },
  ]
  return (
    <details className="legend" open>
      <summary>{t('layers.legend')}</summary>
      <ul>
        {rows.map((row) => (
          <li key={row.key}>
            {row.glyph}
            <span>{t(`legend.${row.key}`)}</span>
          </li>
        ))}
      </ul>
    </details>
  )
}
