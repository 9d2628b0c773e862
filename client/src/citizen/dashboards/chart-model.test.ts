import { describe, expect, it } from 'vitest'
import type { ChartPanel } from '../../../../contracts/theme-dashboard-api'
import { HOUR_TICKS, niceTicks, romeParts, seriesValues, timeTicks, xDomain, yExtent } from './chart-model'

const DAY = 86_400_000
/** Rome's midnight of 2025-03-03 (a Monday, UTC+1). */
const MONDAY = Date.UTC(2025, 2, 3) - 3_600_000
const chart = (o: Partial<ChartPanel>): ChartPanel => ({ kind: 'chart', id: 'c', title: { it: 't', en: 't' }, chart: 'bar', xKind: 'category', xLabel: { it: 'x', en: 'x' }, measureId: 'm', series: [], references: [], note: null, ...o })

describe('chart model', () => {
  it('orders categories as the server lists them, then the ones it did not list', () => {
    const p = chart({ categories: [{ key: 'b', label: { it: 'Bi', en: 'Bee' } }, { key: 'a', label: { it: 'A', en: 'A' } }], series: [{ id: 's', label: { it: 's', en: 's' }, points: [{ x: 'a', y: 1 }, { x: 'z', y: 2 }] }] })
    const d = xDomain(p)
    expect(d.map((x) => x.key)).toEqual(['b', 'a', 'z'])
    expect(seriesValues(p, d)).toEqual([[null, 1, 2]])
  })
  it('gives every hour 0–23 and days in time order, with gaps where a series has no value', () => {
    const hours = xDomain(chart({ xKind: 'hour', series: [{ id: 's', label: { it: 's', en: 's' }, points: [{ x: 5, y: 1 }] }] }))
    expect(hours.map((x) => x.key)).toEqual(Array.from({ length: 24 }, (_, h) => h))
    const p = chart({ xKind: 'time', series: [{ id: 's', label: { it: 's', en: 's' }, points: [{ x: MONDAY + DAY, y: 2 }, { x: MONDAY, y: null }] }, { id: 't', label: { it: 't', en: 't' }, points: [{ x: MONDAY + 2 * DAY, y: 3 }] }] })
    const d = xDomain(p)
    expect(d.map((x) => x.key)).toEqual([MONDAY, MONDAY + DAY, MONDAY + 2 * DAY])
    expect(d[0]!.label).toEqual({ it: '3 mar', en: '3 Mar' })
    expect(seriesValues(p, d)).toEqual([[null, 2, null], [null, null, 3]])
  })
  it('makes round ticks from zero, covering negative values and the reference lines', () => {
    expect(niceTicks(0, 47)).toEqual([0, 10, 20, 30, 40, 50])
    expect(niceTicks(-3, 7)).toEqual([-4, -2, 0, 2, 4, 6, 8])
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(0, 1, { integer: true })).toEqual([0, 1]) // counts: never 0, 0.2, … written 0, 0, …
    expect(niceTicks(0, 12, { integer: true })).toEqual([0, 5, 10, 15])
    expect(yExtent(chart({ references: [{ label: { it: 'Limite', en: 'Limit' }, value: 50 }] }), [[10, null, 20]])).toEqual({ min: 0, max: 50 })
  })
  it('stacks the series: the range is the tallest sum', () => {
    expect(yExtent(chart({ chart: 'stacked' }), [[1, 5], [2, 6], [null, -1]])).toEqual({ min: -1, max: 11 })
    expect(yExtent(chart({ chart: 'bar' }), [[1, 5], [2, 6]])).toEqual({ min: 0, max: 6 })
  })
  it('ticks a time axis by day for a week, by Monday for a quarter, by month for a year (Rome’s calendar)', () => {
    const days = (n: number) => Array.from({ length: n }, (_, i) => MONDAY + i * DAY)
    expect(timeTicks(days(7))).toHaveLength(7)
    const weeks = timeTicks(days(60))
    expect(weeks.every((t) => romeParts(t).weekday === 1)).toBe(true)
    expect(weeks).toHaveLength(9)
    // A year crosses the change to summer time: still one tick per month, each on the 1st.
    const months = timeTicks(Array.from({ length: 365 }, (_, i) => Date.UTC(2025, 0, 1 + i, 12)))
    expect(months).toHaveLength(12)
    expect(months.every((t) => romeParts(t).day === 1)).toBe(true)
    expect(HOUR_TICKS).toEqual([0, 3, 6, 9, 12, 15, 18, 21])
  })
})
