/**
 * What a chart panel draws, independent of drawing: the x values in order (categories as the server
 * lists them, hours 0–23, days in time order), each series' value at each x, the y range with "nice"
 * ticks, and the time axis' ticks (every day, every Monday, or every first of the month, in Rome's
 * calendar). Shared by the SVG chart, its table and its CSV.
 */
import type { ChartPanel } from '../../../../contracts/theme-dashboard-api'
import { localeOf, type DashboardLang } from './format-value'

export type XKey = string | number

export interface XEntry {
  key: XKey
  label: { it: string; en: string }
}

const HOURS = Array.from({ length: 24 }, (_, h) => h)

/** The x values of a chart in drawing order, with their labels. */
export function xDomain(panel: Pick<ChartPanel, 'xKind' | 'categories' | 'series'>): XEntry[] {
  const seen: XKey[] = []
  const has = new Set<string>()
  for (const s of panel.series)
    for (const p of s.points) {
      const k = `${typeof p.x}:${p.x}`
      if (!has.has(k)) {
        has.add(k)
        seen.push(p.x)
      }
    }
  if (panel.xKind === 'hour') {
    const hours = [...HOURS, ...seen.filter((x): x is number => typeof x === 'number' && !HOURS.includes(x))]
    return hours.map((h) => ({ key: h, label: { it: String(h), en: String(h) } }))
  }
  if (panel.xKind === 'time') {
    const times = seen.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b)
    return times.map((t) => ({ key: t, label: { it: dayLabel(t, 'it'), en: dayLabel(t, 'en') } }))
  }
  const listed = (panel.categories ?? []).map((c) => ({ key: c.key as XKey, label: c.label }))
  const listedKeys = new Set(listed.map((c) => String(c.key)))
  const extra = seen.filter((x) => !listedKeys.has(String(x))).map((x) => ({ key: x, label: { it: String(x), en: String(x) } }))
  return [...listed, ...extra]
}

/** Each series' values in the domain's order (null where the series has no point or no value). */
export function seriesValues(panel: Pick<ChartPanel, 'series'>, domain: readonly XEntry[]): Array<Array<number | null>> {
  return panel.series.map((s) => {
    const byX = new Map(s.points.map((p) => [String(p.x), p.y]))
    return domain.map((x) => byX.get(String(x.key)) ?? null)
  })
}

/**
 * Nice round ticks covering [min, max] (about `count` of them), 1-2-5 steps; the range always includes
 * 0. Whole-number measures (counts) never get a step below 1, so no two ticks read the same.
 */
export function niceTicks(min: number, max: number, o: { count?: number; integer?: boolean } = {}): number[] {
  let lo = Math.min(0, min)
  let hi = Math.max(0, max)
  if (hi === lo) hi = lo + 1
  const raw = (hi - lo) / Math.max(1, o.count ?? 5)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const nice = ((o.integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).find((m) => m * mag >= raw) ?? 10) * mag
  const step = o.integer ? Math.max(1, nice) : nice
  lo = Math.floor(lo / step) * step
  hi = Math.ceil(hi / step) * step
  const ticks: number[] = []
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)))
  return ticks
}

/** The y range a chart needs: every value (stacked: the sums above and below zero) and the reference lines. */
export function yExtent(panel: Pick<ChartPanel, 'chart' | 'references'>, values: ReadonlyArray<ReadonlyArray<number | null>>): { min: number; max: number } {
  let min = 0
  let max = 0
  const n = values[0]?.length ?? 0
  if (panel.chart === 'stacked')
    for (let i = 0; i < n; i++) {
      let up = 0
      let down = 0
      for (const s of values) {
        const v = s[i] ?? null
        if (v !== null && v > 0) up += v
        else if (v !== null) down += v
      }
      max = Math.max(max, up)
      min = Math.min(min, down)
    }
  else
    for (const s of values)
      for (const v of s)
        if (v !== null) {
          max = Math.max(max, v)
          min = Math.min(min, v)
        }
  for (const r of panel.references) {
    max = Math.max(max, r.value)
    min = Math.min(min, r.value)
  }
  return { min, max }
}

/** A moment's calendar parts in Rome (the city's days and hours). */
export function romeParts(ms: number): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' }).formatToParts(ms)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'))
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')), minute: Number(get('minute')), weekday }
}

/** "12 mag" / "12 May" in Rome's calendar. */
export function dayLabel(ms: number, lang: DashboardLang): string {
  return new Intl.DateTimeFormat(localeOf(lang), { day: 'numeric', month: 'short', timeZone: 'Europe/Rome' }).format(ms)
}

/** A moment for a CSV cell: "2025-05-12" at Rome's midnight, else "2025-05-12 14:00" (Rome's time). */
export function isoRome(ms: number): string {
  const p = romeParts(ms)
  const d = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
  return p.hour === 0 && p.minute === 0 ? d : `${d} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
}

/**
 * The time axis' ticks among the x values: every one up to 10 of them, else the first of each Monday
 * (a week each) when there are at most 12 of those, else the first x of each month; thinned to at most 12.
 */
export function timeTicks(xs: readonly number[]): number[] {
  if (xs.length <= 10) return [...xs]
  // The first x of each Monday (daily data at Rome's midnight, or hourly data: one tick a week either way).
  const mondays: number[] = []
  let lastDay = ''
  for (const x of xs) {
    const p = romeParts(x)
    const day = `${p.year}-${p.month}-${p.day}`
    if (p.weekday === 1 && day !== lastDay) mondays.push(x)
    lastDay = day
  }
  if (mondays.length >= 2 && mondays.length <= 12) return mondays
  const months: number[] = []
  let lastMonth = ''
  for (const x of xs) {
    const p = romeParts(x)
    const key = `${p.year}-${p.month}`
    if (key !== lastMonth) months.push(x)
    lastMonth = key
  }
  const step = Math.ceil(months.length / 12)
  return months.filter((_, i) => i % step === 0)
}

/** Hour ticks: every third hour. */
export const HOUR_TICKS = [0, 3, 6, 9, 12, 15, 18, 21]
