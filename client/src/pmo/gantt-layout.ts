/**
 * The geometry of a project's Gantt chart (docs/pmo.md "Project view"), pure and without DOM: a
 * calendar-day → x scale over the project's span, one row per activity (a bar with its progress
 * filled) and per milestone or deliverable (a diamond, done or late), elbow arrows from each
 * predecessor's end to the start of the activity that comes `after` it, month ticks and today's line.
 * gantt-chart.tsx draws it in SVG.
 */
import type { Project } from '../../../contracts/schemas/pmo'

const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a calendar day YYYY-MM-DD. */
export const dayIndex = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS)
/** The calendar day of a day index. */
export const dayOf = (index: number): string => new Date(index * DAY_MS).toISOString().slice(0, 10)

export interface GanttOptions {
  /** Width of the whole chart, px (labels included). */
  widthPx: number
  labelWidthPx: number
  rowHeightPx: number
  headerHeightPx: number
}

export const GANTT_DEFAULTS: GanttOptions = { widthPx: 760, labelWidthPx: 190, rowHeightPx: 26, headerHeightPx: 22 }

export interface GanttBar {
  key: string
  title: string
  startDate: string
  endDate: string
  progressPct: number
  x: number
  y: number
  width: number
  height: number
  /** Width of the filled (done) part. */
  progressWidth: number
}

export interface GanttDiamond {
  key: string
  title: string
  kind: 'milestone' | 'deliverable'
  dueDate: string
  doneDate: string | null
  /** Centre of the diamond. */
  x: number
  y: number
  done: boolean
  /** Not done and its due date is past. */
  late: boolean
}

export interface GanttArrow {
  from: string
  to: string
  /** SVG path from the predecessor's end to the successor's start. */
  d: string
}

export interface GanttTick {
  x: number
  /** The first day of the month the tick marks. */
  day: string
}

export interface GanttLayout {
  widthPx: number
  heightPx: number
  plotLeftPx: number
  plotRightPx: number
  from: string
  to: string
  x(day: string): number
  bars: GanttBar[]
  diamonds: GanttDiamond[]
  arrows: GanttArrow[]
  ticks: GanttTick[]
  /** Today's line, null when today is outside the span. */
  todayX: number | null
}

type GanttProject = Pick<Project, 'startDate' | 'endDate' | 'activities' | 'milestones'>

/** Whether a milestone is late: not reached and due before today. */
export const isLateMilestone = (m: { dueDate: string; doneDate: string | null }, today: string): boolean => m.doneDate === null && m.dueDate < today

/** Month starts within [from, to], thinned to at most `max` ticks (every 2, 3, 6 or 12 months). */
export function monthStarts(from: string, to: string, max = 12): string[] {
  const all: string[] = []
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))]
  if (from.slice(8) !== '01') m += 1
  for (;;) {
    if (m > 12) {
      y += 1
      m = 1
    }
    const day = `${y}-${String(m).padStart(2, '0')}-01`
    if (day > to) break
    all.push(day)
    m += 1
  }
  const step = [1, 2, 3, 6, 12].find((s) => Math.ceil(all.length / s) <= max) ?? Math.ceil(all.length / max)
  return all.filter((d) => (Number(d.slice(5, 7)) - 1) % step === 0)
}

export function ganttLayout(p: GanttProject, today: string, options: Partial<GanttOptions> = {}): GanttLayout {
  const o = { ...GANTT_DEFAULTS, ...options }
  const days = [p.startDate, p.endDate, ...p.activities.flatMap((a) => [a.startDate, a.endDate]), ...p.milestones.flatMap((m) => [m.dueDate, ...(m.doneDate ? [m.doneDate] : [])])]
  const from = days.reduce((a, b) => (b < a ? b : a))
  const to = days.reduce((a, b) => (b > a ? b : a))
  const first = dayIndex(from)
  // The span ends after the last day (a bar covers its end day whole).
  const spanDays = Math.max(1, dayIndex(to) + 1 - first)
  const plotLeftPx = o.labelWidthPx
  const plotRightPx = o.widthPx - 8
  const pxPerDay = (plotRightPx - plotLeftPx) / spanDays
  const x = (day: string) => plotLeftPx + (dayIndex(day) - first) * pxPerDay
  const rowTop = (i: number) => o.headerHeightPx + i * o.rowHeightPx
  const barHeight = Math.round(o.rowHeightPx * 0.55)

  const bars: GanttBar[] = p.activities.map((a, i) => {
    const left = x(a.startDate)
    const width = Math.max(2, x(dayOf(dayIndex(a.endDate) + 1)) - left)
    const pct = Math.min(100, Math.max(0, a.progressPct))
    return { key: a.key, title: a.title, startDate: a.startDate, endDate: a.endDate, progressPct: pct, x: left, y: rowTop(i) + (o.rowHeightPx - barHeight) / 2, width, height: barHeight, progressWidth: (width * pct) / 100 }
  })
  const diamonds: GanttDiamond[] = p.milestones.map((m, i) => ({
    key: m.key,
    title: m.title,
    kind: m.kind,
    dueDate: m.dueDate,
    doneDate: m.doneDate,
    x: x(m.dueDate) + pxPerDay / 2,
    y: rowTop(p.activities.length + i) + o.rowHeightPx / 2,
    done: m.doneDate !== null,
    late: isLateMilestone(m, today),
  }))
  const byKey = new Map(bars.map((b) => [b.key, b]))
  const arrows: GanttArrow[] = bars.flatMap((to) =>
    (p.activities.find((a) => a.key === to.key)?.after ?? []).flatMap((fromKey) => {
      const from = byKey.get(fromKey)
      if (!from) return []
      const x1 = from.x + from.width
      const y1 = from.y + from.height / 2
      const x2 = to.x
      const y2 = to.y + to.height / 2
      const elbow = Math.max(x1 + 6, Math.min(x2 - 6, x1 + 12))
      // Into the successor from the left, with room for the arrow head.
      return [{ from: fromKey, to: to.key, d: `M${r(x1)},${r(y1)} H${r(elbow)} V${r(y2)} H${r(Math.max(x2, elbow + 4))}` }]
    }),
  )
  const ticks = monthStarts(from, to).map((day) => ({ day, x: x(day) }))
  const todayX = today >= from && today <= to ? x(today) : null
  const heightPx = o.headerHeightPx + (p.activities.length + p.milestones.length) * o.rowHeightPx + 4
  return { widthPx: o.widthPx, heightPx, plotLeftPx, plotRightPx, from, to, x, bars, diamonds, arrows, ticks, todayX }
}

const r = (n: number) => Math.round(n * 10) / 10
