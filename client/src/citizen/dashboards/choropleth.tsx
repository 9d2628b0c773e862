/**
 * A choropleth panel drawn as SVG from the level's areas (GET /api/public/dashboard-areas/<level>):
 * five quantile classes on a sequential ramp, areas without data hatched, a legend with the classes'
 * bounds and the unit. Every area is a focusable button (Tab moves through them by name, Enter or
 * Space selects one, as a click does); hovering or focusing one shows its name and value. A level
 * switch when the panel has both levels, a measure switch when it has several; the table
 * alternative lists every area. Level, measure and selection live in the address (url-state.ts).
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { AREA_LEVELS, type ChoroplethPanel, type Measure } from '../../../../contracts/theme-dashboard-api'
import { projectAreas } from './area-projection'
import { colourOf, classOf, quantileBreaks } from './class-breaks'
import { ChoroplethLegend, legendItems } from './choropleth-legend'
import { choroplethCsv } from './csv-export'
import type { DashboardsClient } from './dashboards-client'
import { formatValue, measureHeading, measureOf, type DashboardLang } from './format-value'
import { domId, PanelFrame } from './panel-frame'
import { useAreas } from './use-dashboard'
import { resolveView, type ChoroplethView } from './url-state'

export interface ChoroplethProps {
  dashboardId: string
  panel: ChoroplethPanel
  measures: readonly Measure[]
  lang: DashboardLang
  view: ChoroplethView | undefined
  onView(view: ChoroplethView): void
  client: DashboardsClient
  footer: string
  /** The <iframe> code of this panel alone; null inside an embedded view. */
  embedCode: string | null
}

const SELECTED_STROKE = '#d1344c'

export function Choropleth({ dashboardId, panel, measures, lang, view, onView, client, footer, embedCode }: ChoroplethProps) {
  const { t } = useTranslation()
  const { level, measure: measureId, area: selected } = resolveView(panel, view)
  const measure = measureOf(measures, measureId)
  const panelMeasures = panel.measureIds.map((id) => measureOf(measures, id))
  const rows = useMemo(() => panel.levels[level] ?? [], [panel, level])
  const byId = useMemo(() => new Map(rows.map((r) => [r.areaId, r])), [rows])
  const breaks = useMemo(() => quantileBreaks(rows.map((r) => r.values[measureId] ?? null)), [rows, measureId])
  const areas = useAreas(client, level)
  const map = useMemo(() => (areas.data ? projectAreas(areas.data) : null), [areas.data])
  const ordered = useMemo(() => (map ? [...map.areas].sort((a, b) => a.name.localeCompare(b.name, lang)) : []), [map, lang])
  const [pointed, setPointed] = useState<string | null>(null)
  const svgRef = useRef<SVGSVGElement>(null)
  const offered = AREA_LEVELS.filter((l) => panel.levels[l] !== undefined)
  const patternId = domId('nodata', `${dashboardId}-${panel.id}`)
  const noData = t('dashboards.noData')
  const levelName = t(`dashboards.levels.${level}`)
  const selectedRow = selected ? byId.get(selected) : undefined
  const pointedArea = pointed ? map?.areas.find((a) => a.id === pointed) : undefined
  const valueText = (areaId: string) => formatValue(byId.get(areaId)?.values[measureId] ?? null, measure, lang, noData)

  const select = (areaId: string | null) => onView({ ...view, area: areaId === null || areaId === selected ? undefined : areaId })
  const onKey = (e: KeyboardEvent<SVGPathElement>, areaId: string) => {
    if (e.key !== 'Enter' && e.key !== ' ') return
    e.preventDefault()
    select(areaId)
  }

  const controls = (
    <>
      {offered.length > 1 && (
        <div className="btn-group" role="group" aria-label={t('dashboards.level')}>
          {offered.map((l) => (
            <button key={l} type="button" className={`btn btn-sm ${l === level ? 'btn-primary' : 'btn-outline-primary'}`} aria-pressed={l === level} onClick={() => onView({ ...view, level: l, area: undefined })}>
              {t(`dashboards.levels.${l}`)}
            </button>
          ))}
        </div>
      )}
      {panel.measureIds.length > 1 && (
        <div className="dashboard-measure">
          <label htmlFor={domId('measure', panel.id)}>{t('dashboards.measure')}</label>
          <select id={domId('measure', panel.id)} className="form-select form-select-sm" value={measureId} onChange={(e) => onView({ ...view, measure: e.target.value })}>
            {panelMeasures.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label[lang]}
              </option>
            ))}
          </select>
        </div>
      )}
    </>
  )

  const table = () => (
    <div className="table-responsive">
      <table className="table table-sm dashboard-table" data-testid="choropleth-table">
        <caption>{t('dashboards.tableCaption', { title: panel.title[lang], what: levelName })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboards.code')}</th>
            <th scope="col">{t('dashboards.name')}</th>
            {panelMeasures.map((m) => (
              <th key={m.id} scope="col" className="text-end">
                {measureHeading(m, lang)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.areaId} className={r.areaId === selected ? 'table-active' : undefined}>
              <td>{r.code}</td>
              <th scope="row">{r.name}</th>
              {panelMeasures.map((m) => (
                <td key={m.id} className="text-end">
                  {formatValue(r.values[m.id] ?? null, m, lang, noData)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )

  return (
    <PanelFrame
      dashboardId={dashboardId}
      panel={panel}
      lang={lang}
      controls={controls}
      table={table}
      csv={() => choroplethCsv(rows, panelMeasures, lang, { code: t('dashboards.code'), name: t('dashboards.name') })}
      image={() => (svgRef.current && map ? { svg: svgRef.current, legendTitle: `${measureHeading(measure, lang)} — ${levelName}`, legend: legendItems(breaks, measure, lang, t('dashboards.noDataLegend')) } : null)}
      footer={footer}
      embedCode={embedCode}
    >
      <div className="dashboard-map-row">
        <div className="dashboard-map">
          {areas.error && (
            <div className="alert alert-warning" role="alert">
              {t('dashboards.mapFailed', { message: areas.error.message })}
            </div>
          )}
          {!map && !areas.error && <p role="status">{t('dashboards.mapLoading')}</p>}
          {map && (
            <svg
              ref={svgRef}
              viewBox={`0 0 ${map.width} ${map.height}`}
              className="dashboard-map-svg"
              role="group"
              aria-label={t('dashboards.mapLabel', { title: panel.title[lang], what: levelName, measure: measure.label[lang] })}
              data-testid="choropleth-map"
              data-level={level}
              data-measure={measureId}
              data-state={areas.loading ? 'loading' : 'ready'}
            >
              <defs>
                <pattern id={patternId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                  <rect width="6" height="6" fill="#ffffff" />
                  <line x1="0" y1="0" x2="0" y2="6" stroke="#5c6f82" strokeWidth="1.5" />
                </pattern>
              </defs>
              {ordered.map((a) => {
                const value = byId.get(a.id)?.values[measureId] ?? null
                const fill = breaks ? colourOf(breaks, value) : null
                return (
                  <path
                    key={a.id}
                    d={a.d}
                    fill={fill ?? `url(#${patternId})`}
                    fillRule="evenodd"
                    stroke="#455b71"
                    strokeWidth="0.6"
                    strokeLinejoin="round"
                    className="dashboard-area"
                    tabIndex={0}
                    role="button"
                    aria-pressed={a.id === selected}
                    aria-label={`${a.name}: ${valueText(a.id)}`}
                    data-area-id={a.id}
                    data-class={breaks ? (classOf(breaks, value) ?? 'nodata') : 'nodata'}
                    onMouseEnter={() => setPointed(a.id)}
                    onMouseLeave={() => setPointed((p) => (p === a.id ? null : p))}
                    onFocus={() => setPointed(a.id)}
                    onBlur={() => setPointed((p) => (p === a.id ? null : p))}
                    onClick={() => select(a.id)}
                    onKeyDown={(e) => onKey(e, a.id)}
                  />
                )
              })}
              {selected && map.areas.find((a) => a.id === selected) && <path d={map.areas.find((a) => a.id === selected)!.d} fill="none" stroke={SELECTED_STROKE} strokeWidth="3" strokeLinejoin="round" pointerEvents="none" aria-hidden="true" data-testid="choropleth-selection" />}
            </svg>
          )}
          {map && pointedArea && (
            <div className="dashboard-tooltip" aria-hidden="true" data-testid="choropleth-tooltip" style={{ left: `${(pointedArea.anchor[0] / map.width) * 100}%`, top: `${(pointedArea.anchor[1] / map.height) * 100}%` }}>
              <strong>{pointedArea.name}</strong>
              <br />
              {measure.label[lang]}: {valueText(pointedArea.id)}
            </div>
          )}
        </div>
        <ChoroplethLegend breaks={breaks} measure={measure} lang={lang} />
      </div>
      <p className="dashboard-selected" aria-live="polite" data-testid="choropleth-selected">
        {selectedRow && (
          <>
            {t('dashboards.selected', { name: selectedRow.name })}{' '}
            {panelMeasures.map((m) => `${m.label[lang]}: ${formatValue(selectedRow.values[m.id] ?? null, m, lang, noData)}`).join(' · ')}{' '}
            <button type="button" className="btn btn-link btn-sm p-0 align-baseline" onClick={() => select(null)}>
              {t('dashboards.clearSelection')}
            </button>
          </>
        )}
      </p>
    </PanelFrame>
  )
}
