/**
 * A chart panel drawn as SVG: bars side by side, stacked bars, or lines, on a value axis from zero
 * with round ticks and gridlines; categories, hours 0–23 or days (ticked by day, week or month) on
 * the other. Missing values are gaps, never zeros. Reference lines (legal limits, targets) are
 * dashed and labelled with their value. Colours and text are attributes, so the image export looks
 * the same; the table alternative lists every value.
 */
import { useMemo, useRef, type ReactElement } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChartPanel, Measure } from '../../../../contracts/theme-dashboard-api'
import { HOUR_TICKS, niceTicks, seriesValues, timeTicks, xDomain, yExtent, type XEntry } from './chart-model'
import { chartCsv } from './csv-export'
import { formatNumber, formatValue, measureHeading, type DashboardLang } from './format-value'
import { PanelFrame } from './panel-frame'

/** Series colours: each ≥ 3:1 against white (WCAG 1.4.11), told apart also by the legend's order. */
export const SERIES_COLOURS = ['#0066cc', '#b35900', '#008055', '#7a3db8', '#a3143d', '#455b71', '#b3006b', '#004d99']
const REFERENCE = '#a3143d'
const AXIS = '#455b71'
const FONT = "'Titillium Web', Geneva, Tahoma, sans-serif"
const W = 640
const PLOT_H = 240

export interface ChartProps {
  dashboardId: string
  panel: ChartPanel
  measure: Measure
  lang: DashboardLang
  footer: string
  /** The <iframe> code of this panel alone; null inside an embedded view. */
  embedCode: string | null
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** Which x entries get a label on the axis. */
function tickedKeys(panel: ChartPanel, domain: readonly XEntry[]): Set<string> {
  if (panel.xKind === 'hour') return new Set(HOUR_TICKS.map(String))
  if (panel.xKind === 'time') return new Set(timeTicks(domain.map((x) => x.key as number)).map(String))
  const step = Math.max(1, Math.ceil(domain.length / 16))
  return new Set(domain.filter((_, i) => i % step === 0).map((x) => String(x.key)))
}

export function Chart({ dashboardId, panel, measure, lang, footer, embedCode }: ChartProps) {
  const { t } = useTranslation()
  const svgRef = useRef<SVGSVGElement>(null)
  const domain = useMemo(() => xDomain(panel), [panel])
  const values = useMemo(() => seriesValues(panel, domain), [panel, domain])
  const noData = t('dashboards.noData')
  const colour = (i: number) => SERIES_COLOURS[i % SERIES_COLOURS.length]!

  const rotate = panel.xKind === 'category' && domain.some((x) => x.label[lang].length > 6)
  const m = { left: 64, right: 16, top: 28, bottom: rotate ? 96 : 44 }
  const H = m.top + PLOT_H + m.bottom
  const plotW = W - m.left - m.right
  const ext = yExtent(panel, values)
  const ticks = niceTicks(ext.min, ext.max, { integer: measure.format === 'integer' })
  const y0 = ticks[0]!
  const y1 = ticks[ticks.length - 1]!
  const y = (v: number) => m.top + PLOT_H - ((v - y0) / (y1 - y0)) * PLOT_H
  const band = plotW / Math.max(1, domain.length)
  const times = panel.xKind === 'time' && panel.chart === 'line' ? domain.map((x) => x.key as number) : null
  const tMin = times?.[0] ?? 0
  const tMax = times?.[times.length - 1] ?? 0
  /** The centre of an x entry: time-proportional for lines over time, else the middle of its band. */
  const xc = (i: number) => (times && tMax > tMin ? m.left + ((times[i]! - tMin) / (tMax - tMin)) * plotW : m.left + band * (i + 0.5))
  const ticked = tickedKeys(panel, domain)
  const xLabel = (x: XEntry) => (panel.xKind === 'hour' ? String(x.key) : x.label[lang])

  const marks: ReactElement[] = []
  if (panel.chart === 'line') {
    values.forEach((s, si) => {
      let d = ''
      let pen = false
      s.forEach((v, i) => {
        if (v === null) pen = false
        else {
          d += `${pen ? 'L' : 'M'}${xc(i).toFixed(1)},${y(v).toFixed(1)}`
          pen = true
        }
      })
      marks.push(<path key={`l${si}`} d={d} fill="none" stroke={colour(si)} strokeWidth="2" strokeLinejoin="round" />)
      s.forEach((v, i) => {
        const alone = v !== null && (s[i - 1] ?? null) === null && (s[i + 1] ?? null) === null
        if (v !== null && (alone || domain.length <= 31))
          marks.push(
            <circle key={`p${si}-${i}`} cx={xc(i).toFixed(1)} cy={y(v).toFixed(1)} r="3" fill={colour(si)}>
              <title>{`${panel.series[si]!.label[lang]} — ${xLabel(domain[i]!)}: ${formatValue(v, measure, lang)}`}</title>
            </circle>,
          )
      })
    })
  } else {
    const stacked = panel.chart === 'stacked'
    const inner = band * 0.8
    const barW = stacked ? inner : inner / Math.max(1, values.length)
    domain.forEach((x, i) => {
      let up = 0
      let down = 0
      values.forEach((s, si) => {
        const v = s[i] ?? null
        if (v === null) return
        const base = stacked ? (v >= 0 ? up : down) : 0
        const top = base + v
        if (stacked && v >= 0) up = top
        else if (stacked) down = top
        const bx = m.left + band * i + band * 0.1 + (stacked ? 0 : barW * si)
        marks.push(
          <rect key={`b${si}-${i}`} x={bx.toFixed(1)} y={Math.min(y(base), y(top)).toFixed(1)} width={Math.max(0.5, barW - (stacked ? 0 : 1)).toFixed(1)} height={Math.abs(y(top) - y(base)).toFixed(1)} fill={colour(si)} stroke={stacked ? '#ffffff' : 'none'} strokeWidth="0.5">
            <title>{`${panel.series[si]!.label[lang]} — ${xLabel(x)}: ${formatValue(v, measure, lang)}`}</title>
          </rect>,
        )
      })
    })
  }

  const table = () => (
    <div className="table-responsive">
      <table className="table table-sm dashboard-table" data-testid="chart-table">
        <caption>{panel.title[lang]}</caption>
        <thead>
          <tr>
            <th scope="col">{panel.xLabel[lang]}</th>
            {panel.series.map((s) => (
              <th key={s.id} scope="col" className="text-end">
                {s.label[lang]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {domain.map((x, i) => (
            <tr key={String(x.key)}>
              <th scope="row">{xLabel(x)}</th>
              {values.map((s, si) => (
                <td key={panel.series[si]!.id} className="text-end">
                  {formatValue(s[i] ?? null, measure, lang, noData)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {panel.references.length > 0 && (
        <p>
          {panel.references.map((r) => `${r.label[lang]}: ${formatValue(r.value, measure, lang)}`).join(' · ')}
        </p>
      )}
    </div>
  )

  return (
    <PanelFrame
      dashboardId={dashboardId}
      panel={panel}
      lang={lang}
      table={table}
      csv={() => chartCsv(panel, measure, lang)}
      image={() => (svgRef.current ? { svg: svgRef.current, legend: panel.series.length > 1 ? panel.series.map((s, i) => ({ swatch: colour(i), label: s.label[lang] })) : [] } : null)}
      footer={footer}
      embedCode={embedCode}
    >
      <svg ref={svgRef} viewBox={`0 0 ${W} ${H}`} className="dashboard-chart-svg" role="img" aria-label={t('dashboards.chartLabel', { title: panel.title[lang] })} data-testid="chart" data-chart={panel.chart} fontFamily={FONT} fontSize="12">
        <text x="0" y="14" fill="#1a1a1a" fontWeight="700">
          {measureHeading(measure, lang)}
        </text>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={m.left} x2={W - m.right} y1={y(v)} y2={y(v)} stroke={v === 0 ? AXIS : '#d9dadb'} strokeWidth="1" />
            <text x={m.left - 6} y={y(v) + 4} textAnchor="end" fill={AXIS}>
              {formatNumber(v, measure.format, lang)}
            </text>
          </g>
        ))}
        {marks}
        {values.every((s) => s.every((v) => v === null)) && (
          <text x={m.left + plotW / 2} y={m.top + PLOT_H / 2} textAnchor="middle" fill={AXIS} fontSize="14" data-testid="chart-empty">
            {t('dashboards.noDataPeriod')}
          </text>
        )}
        <line x1={m.left} x2={W - m.right} y1={m.top + PLOT_H} y2={m.top + PLOT_H} stroke={AXIS} strokeWidth="1" />
        {domain.map((x, i) =>
          ticked.has(String(x.key)) ? (
            <g key={String(x.key)} transform={`translate(${xc(i).toFixed(1)},${m.top + PLOT_H})`}>
              <line y2="4" stroke={AXIS} />
              <text y="16" transform={rotate ? 'rotate(-35)' : undefined} textAnchor={rotate ? 'end' : 'middle'} fill={AXIS}>
                {truncate(xLabel(x), 18)}
              </text>
            </g>
          ) : null,
        )}
        <text x={m.left + plotW / 2} y={H - 6} textAnchor="middle" fill={AXIS}>
          {panel.xLabel[lang]}
        </text>
        {panel.references.map((r) => (
          <g key={`${r.label.en}-${r.value}`} data-testid="chart-reference">
            <line x1={m.left} x2={W - m.right} y1={y(r.value)} y2={y(r.value)} stroke={REFERENCE} strokeWidth="1.5" strokeDasharray="6 4" />
            <text x={W - m.right} y={y(r.value) - 4} textAnchor="end" fill={REFERENCE} fontWeight="700">
              {`${r.label[lang]}: ${formatValue(r.value, measure, lang)}`}
            </text>
          </g>
        ))}
      </svg>
      {panel.series.length > 1 && (
        <ul className="list-inline dashboard-series-legend">
          {panel.series.map((s, i) => (
            <li key={s.id} className="list-inline-item">
              <span className="dashboard-swatch" style={{ backgroundColor: colour(i) }} aria-hidden="true" />
              {s.label[lang]}
            </li>
          ))}
        </ul>
      )}
    </PanelFrame>
  )
}
