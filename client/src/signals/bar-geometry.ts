/**
 * The geometry of the signal-plan bar chart (Signalzeitenplan / diagramma delle fasi): one row per
 * signal group, time across the cycle, one cell per interval, the interval boundaries as vertical
 * lines numbered from 1, and the time ticks. Pure numbers in SVG user units; the React component
 * only draws them. Red is a thin bar and green a full one, as on European bar charts, so the plan
 * reads in greyscale too.
 */
import type { PlanInterval, SignalState } from '../../../contracts/schemas/signal-plan'
import { intervalStartsS, sumDurationsS } from './plan-edit'

export interface ChartLayout {
  /** Total width, including the label column. */
  width: number
  labelWidth: number
  rowHeight: number
  /** Room above the rows for the interval numbers and below for the time axis. */
  headerHeight: number
  axisHeight: number
  padRight: number
}

export const DEFAULT_LAYOUT: ChartLayout = { width: 960, labelWidth: 200, rowHeight: 26, headerHeight: 22, axisHeight: 24, padRight: 16 }

export interface BarCell {
  /** Interval index. */
  k: number
  fromS: number
  toS: number
  x: number
  width: number
  state: SignalState | undefined
}

export interface BarRow {
  g: number
  y: number
  cells: BarCell[]
}

export interface Boundary {
  /** The boundary before interval b (0 … n; n is the end of the cycle). */
  b: number
  s: number
  x: number
}

export interface Tick {
  s: number
  x: number
  major: boolean
}

export interface BarChartGeometry {
  cycleS: number
  plotLeft: number
  plotWidth: number
  height: number
  rowsTop: number
  rowsBottom: number
  rows: BarRow[]
  boundaries: Boundary[]
  /** The interval numbers (1-based) centred over each interval. */
  labels: Array<{ k: number; x: number; text: string }>
  ticks: Tick[]
}

/** Minor / major tick spacing: 5 / 10 s when there is room, coarser for long cycles on narrow charts. */
export function tickSteps(cycleS: number, plotWidth: number): { minorS: number; majorS: number } {
  const pxPerS = cycleS > 0 ? plotWidth / cycleS : 1
  for (const [minorS, majorS] of [[5, 10], [10, 20], [10, 30], [30, 60]] as const) if (minorS * pxPerS >= 8 && majorS * pxPerS >= 28) return { minorS, majorS }
  return { minorS: 30, majorS: 60 }
}

export function barGeometry(intervals: readonly Pick<PlanInterval, 'durationS' | 'states'>[], groupCount: number, layout: ChartLayout = DEFAULT_LAYOUT): BarChartGeometry {
  const cycleS = sumDurationsS(intervals)
  const plotLeft = layout.labelWidth
  const plotWidth = Math.max(1, layout.width - layout.labelWidth - layout.padRight)
  const x = (s: number) => plotLeft + (cycleS > 0 ? (s / cycleS) * plotWidth : 0)
  const starts = intervalStartsS(intervals)
  const rowsTop = layout.headerHeight
  const rows: BarRow[] = []
  for (let g = 0; g < groupCount; g++) {
    const cells: BarCell[] = intervals.map((iv, k) => {
      const fromS = starts[k]!
      const toS = fromS + iv.durationS
      return { k, fromS, toS, x: x(fromS), width: x(toS) - x(fromS), state: iv.states[g] }
    })
    rows.push({ g, y: rowsTop + g * layout.rowHeight, cells })
  }
  const rowsBottom = rowsTop + groupCount * layout.rowHeight
  const boundaries: Boundary[] = [...starts, cycleS].map((s, b) => ({ b, s, x: x(s) }))
  const labels = intervals.map((iv, k) => ({ k, x: x(starts[k]! + iv.durationS / 2), text: String(k + 1) }))
  const { minorS, majorS } = tickSteps(cycleS, plotWidth)
  const ticks: Tick[] = []
  for (let s = 0; s <= cycleS + 1e-9; s += minorS) ticks.push({ s, x: x(s), major: Math.round(s) % majorS === 0 })
  return { cycleS, plotLeft, plotWidth, height: rowsBottom + layout.axisHeight, rowsTop, rowsBottom, rows, boundaries, labels, ticks }
}

/** Cycle second at chart x (clamped to the plot). */
export function secondsAt(geom: Pick<BarChartGeometry, 'plotLeft' | 'plotWidth' | 'cycleS'>, x: number): number {
  const f = (x - geom.plotLeft) / geom.plotWidth
  return Math.max(0, Math.min(1, f)) * geom.cycleS
}

/** The draggable boundary (1 … n) nearest to x within `tolerance` units, or null. Boundary 0 is the cycle start and stays. */
export function boundaryNear(geom: Pick<BarChartGeometry, 'boundaries'>, x: number, tolerance = 5): number | null {
  let best: number | null = null
  let bestD = tolerance
  for (const bd of geom.boundaries) {
    if (bd.b === 0) continue
    const d = Math.abs(bd.x - x)
    if (d <= bestD) {
      best = bd.b
      bestD = d
    }
  }
  return best
}

export type BarKind = 'green' | 'yellow' | 'red' | 'red-amber' | 'green-flash' | 'yellow-flash' | 'dark'

export interface BarStyle {
  kind: BarKind
  /** Share of the row height the bar takes (red is thin so green stands out, as on paper plans). */
  height: number
}

const STYLE: Record<SignalState, BarStyle> = {
  G: { kind: 'green', height: 0.62 },
  Gflash: { kind: 'green-flash', height: 0.62 },
  Y: { kind: 'yellow', height: 0.62 },
  FY: { kind: 'yellow-flash', height: 0.62 },
  RY: { kind: 'red-amber', height: 0.62 },
  R: { kind: 'red', height: 0.22 },
  DARK: { kind: 'dark', height: 0.62 },
}

export function barStyle(state: SignalState | undefined): BarStyle {
  return state ? STYLE[state] : { kind: 'dark', height: 0.62 }
}

/**
 * The cycle second the controller is at now, from its last stage report (`cycleSecond` observed at
 * `observedAtMs`), advanced to `nowMs`; null without a report or when the report is older than a cycle.
 */
export function liveCycleSecond(report: { cycleSecond?: number | undefined; observedAtMs: number } | null, nowMs: number, cycleS: number): number | null {
  if (!report || report.cycleSecond === undefined || cycleS <= 0) return null
  const ageS = (nowMs - report.observedAtMs) / 1000
  if (ageS < 0 || ageS > cycleS) return null
  return (report.cycleSecond + ageS) % cycleS
}
