import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import type { SafetyProfile, SignalGroup, SignalPlan } from '../../../contracts/schemas/signal-plan'
import { DEFAULT_LAYOUT, barGeometry, barStyle, secondsAt, type BarChartGeometry } from './bar-geometry'
import { GroupIcon } from './group-icon'
import { cycleCell, dragBoundary, stateCycle } from './plan-edit'
import { cellKey, type Highlights, type Severity } from './violation-highlights'

export interface PlanBarChartProps {
  plan: SignalPlan
  groups: readonly SignalGroup[]
  profile: SafetyProfile
  highlights: Highlights
  /** The finding clicked in the list: its place is outlined more strongly. */
  focus: Highlights | null
  selectedInterval: number | null
  onSelectInterval(k: number): void
  editable: boolean
  onEdit(f: (p: SignalPlan) => SignalPlan): void
  /** A boundary drag in progress (null cancels it), and its end. */
  onPreview(p: SignalPlan | null): void
  onCommit(): void
  /** Cycle second the controller is at, when this is the plan it runs. */
  nowS: number | null
}

function useWidth(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback)
  useEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(([entry]) => entry && setWidth(Math.round(entry.contentRect.width)))
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref])
  return width
}

const sevClass = (s: Severity | null | undefined) => (s ? ` has-${s}` : '')
const MARK: Record<Severity, string> = { reject: '▲', warn: '◆' }

/**
 * The plan as a bar chart (Signalzeitenplan): a row per signal group, green full bars, amber full,
 * red thin, red+amber split, flashing striped; interval boundaries numbered from 1. Click a cell to
 * change the group's state (Shift: backwards, Alt: every state); drag a boundary (Shift: 0.1 s steps)
 * or focus it and use the arrow keys. Findings of the validator outline the cells and rows they name.
 */
export function PlanBarChart(props: PlanBarChartProps) {
  const { plan, groups, profile, highlights, focus, selectedInterval, onSelectInterval, editable, onEdit, onPreview, onCommit, nowS } = props
  const { t } = useTranslation()
  const wrap = useRef<HTMLDivElement>(null)
  const svgRef = useRef<SVGSVGElement>(null)
  const width = Math.max(560, useWidth(wrap, 960))
  const layout = useMemo(() => ({ ...DEFAULT_LAYOUT, width }), [width])
  const geom = useMemo(() => barGeometry(plan.intervals, groups.length, layout), [plan.intervals, groups.length, layout])
  const drag = useRef<{ b: number; start: SignalPlan; geom: BarChartGeometry } | null>(null)

  const svgX = (clientX: number) => {
    const svg = svgRef.current
    const m = svg?.getScreenCTM()
    if (!svg || !m) return clientX
    const pt = svg.createSVGPoint()
    pt.x = clientX
    pt.y = 0
    return pt.matrixTransform(m.inverse()).x
  }

  const onBoundaryDown = (e: PointerEvent<SVGRectElement>, b: number) => {
    if (!editable) return
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = { b, start: plan, geom }
  }
  const onBoundaryMove = (e: PointerEvent<SVGRectElement>) => {
    const d = drag.current
    if (!d) return
    const x = svgX(e.clientX)
    // The end of the cycle may be dragged past the chart's right edge (the cycle grows); inner ones stay inside.
    const s = d.b === d.start.intervals.length ? ((x - d.geom.plotLeft) / d.geom.plotWidth) * d.geom.cycleS : secondsAt(d.geom, x)
    onPreview(dragBoundary(d.start, d.b, Math.min(s, d.geom.cycleS * 2), e.shiftKey ? 0.1 : 1))
  }
  const onBoundaryUp = () => {
    if (!drag.current) return
    drag.current = null
    onCommit()
  }
  const onBoundaryKey = (e: KeyboardEvent, b: number, s: number) => {
    if (!editable || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return
    e.preventDefault()
    const step = e.shiftKey ? 0.1 : 1
    onEdit((p) => dragBoundary(p, b, s + (e.key === 'ArrowRight' ? step : -step), step))
  }
  const clickCell = (e: MouseEvent | KeyboardEvent, k: number, g: number) => {
    const group = groups[g]
    if (!editable || !group) return
    onEdit((p) => cycleCell(p, k, g, stateCycle(group, profile, e.altKey), e.shiftKey))
  }

  const rh = layout.rowHeight
  const stateName = (s: string | undefined) => (s ? t(`signals.state.${s}`) : '—')

  return (
    <div className="signal-chart" ref={wrap}>
      <svg ref={svgRef} viewBox={`0 0 ${layout.width} ${geom.height}`} width="100%" height={geom.height} role="group" aria-label={t('signals.chart.title')} data-testid="signal-bar-chart">
        <defs>
          <pattern id="signal-flash-green" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="3" height="6" className="bar-green" />
          </pattern>
          <pattern id="signal-flash-yellow" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="3" height="6" className="bar-yellow" />
          </pattern>
        </defs>
        {selectedInterval !== null && geom.rows[0]?.cells[selectedInterval] && (
          <rect className="signal-col-selected" x={geom.rows[0].cells[selectedInterval].x} y={0} width={geom.rows[0].cells[selectedInterval].width} height={geom.rowsBottom} />
        )}
        {geom.labels.map((l) => {
          const sev = focus?.intervals.get(l.k) ?? highlights.intervals.get(l.k)
          return (
            <g key={l.k} className={`signal-interval-label${sevClass(sev)}${focus?.intervals.has(l.k) ? ' is-focus' : ''}`} onClick={() => onSelectInterval(l.k)} data-testid={`signal-interval-label-${l.k}`}>
              <rect x={l.x - 9} y={2} width={18} height={layout.headerHeight - 5} rx={2} />
              <text x={l.x} y={layout.headerHeight - 7} textAnchor="middle">
                {l.text}
              </text>
            </g>
          )
        })}
        {geom.rows.map((row) => {
          const group = groups[row.g]!
          const sev = highlights.rows.get(group.id)
          return (
            <g key={group.id} className={`signal-row${sevClass(sev)}`} data-testid={`signal-row-${group.id}`} data-severity={sev ?? undefined}>
              <rect className="signal-row-band" x={0} y={row.y} width={layout.width} height={rh} />
              <text className="signal-row-mark" x={4} y={row.y + rh / 2 + 4}>
                {sev ? MARK[sev] : ''}
              </text>
              <GroupIcon type={group.type} x={18} y={row.y + (rh - 14) / 2} />
              <text className="signal-row-label" x={38} y={row.y + rh / 2 + 4}>
                <tspan className="signal-row-id">{group.id}</tspan> {group.name.length > 18 ? `${group.name.slice(0, 17)}…` : group.name}
                <title>{`${group.id} — ${group.name} (${t(`signals.groupType.${group.type}`)})`}</title>
              </text>
              {row.cells.map((c) => {
                const style = barStyle(c.state)
                const h = style.height * rh
                const y = row.y + (rh - h) / 2
                const key = cellKey(group.id, c.k)
                const cellSev = highlights.cells.get(key)
                const focused = focus?.cells.has(key) ?? false
                return (
                  <g
                    key={c.k}
                    className={`signal-cell${sevClass(cellSev)}${focused ? ' is-focus' : ''}`}
                    data-testid={`signal-cell-${group.id}-${c.k}`}
                    data-state={c.state}
                    data-severity={cellSev ?? undefined}
                    role={editable ? 'button' : undefined}
                    tabIndex={editable ? 0 : undefined}
                    aria-label={t('signals.chart.cell', { group: group.id, k: c.k + 1, state: stateName(c.state) })}
                    onClick={(e) => clickCell(e, c.k, row.g)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault()
                        clickCell(e, c.k, row.g)
                      }
                    }}
                  >
                    <rect className="signal-cell-hit" x={c.x} y={row.y} width={c.width} height={rh} />
                    {style.kind === 'red-amber' ? (
                      <>
                        <rect className="bar-red" x={c.x} y={y} width={c.width} height={h / 2} />
                        <rect className="bar-yellow" x={c.x} y={y + h / 2} width={c.width} height={h / 2} />
                      </>
                    ) : (
                      <rect className={`bar-${style.kind}`} x={c.x} y={y} width={c.width} height={h} />
                    )}
                    {(cellSev || focused) && <rect className="signal-cell-outline" x={c.x + 1} y={row.y + 1} width={Math.max(0, c.width - 2)} height={rh - 2} />}
                    <title>{t('signals.chart.cell', { group: group.id, k: c.k + 1, state: stateName(c.state) })}</title>
                  </g>
                )
              })}
            </g>
          )
        })}
        {geom.boundaries.map((bd) => (
          <line key={bd.b} className={bd.b === 0 || bd.b === plan.intervals.length ? 'signal-boundary is-cycle' : 'signal-boundary'} x1={bd.x} x2={bd.x} y1={geom.rowsTop - 2} y2={geom.rowsBottom + 4} />
        ))}
        {editable &&
          geom.boundaries
            .filter((bd) => bd.b > 0)
            .map((bd) => (
              <rect
                key={`h${bd.b}`}
                className="signal-boundary-hit"
                x={bd.x - 4}
                y={geom.rowsTop}
                width={8}
                height={geom.rowsBottom - geom.rowsTop}
                tabIndex={0}
                role="slider"
                aria-orientation="horizontal"
                aria-valuemin={0}
                aria-valuenow={bd.s}
                aria-label={t('signals.chart.boundary', { k: bd.b, s: bd.s })}
                data-testid={`signal-boundary-${bd.b}`}
                onPointerDown={(e) => onBoundaryDown(e, bd.b)}
                onPointerMove={onBoundaryMove}
                onPointerUp={onBoundaryUp}
                onPointerCancel={() => {
                  drag.current = null
                  onPreview(null)
                }}
                onKeyDown={(e) => onBoundaryKey(e, bd.b, bd.s)}
              />
            ))}
        {geom.ticks.map((tk) => (
          <g key={tk.s} className="signal-tick">
            <line x1={tk.x} x2={tk.x} y1={geom.rowsBottom} y2={geom.rowsBottom + (tk.major ? 6 : 3)} />
            {tk.major && (
              <text x={tk.x} y={geom.rowsBottom + 17} textAnchor="middle">
                {tk.s}
              </text>
            )}
          </g>
        ))}
        <text className="signal-axis-unit" x={8} y={geom.rowsBottom + 17}>
          {t('signals.chart.axis', { cycle: geom.cycleS })}
        </text>
        {nowS !== null && nowS <= geom.cycleS && (
          <g className="signal-now" data-testid="signal-now">
            <line x1={geom.plotLeft + (nowS / geom.cycleS) * geom.plotWidth} x2={geom.plotLeft + (nowS / geom.cycleS) * geom.plotWidth} y1={geom.rowsTop - 4} y2={geom.rowsBottom + 4} />
            <title>{t('signals.chart.now', { s: Math.floor(nowS) })}</title>
          </g>
        )}
      </svg>
    </div>
  )
}
