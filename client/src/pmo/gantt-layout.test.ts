import { describe, expect, it } from 'vitest'
import { dayIndex, ganttLayout, isLateMilestone, monthStarts } from './gantt-layout'

const project = () => ({
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  activities: [
    { key: 'a', title: 'Design', startDate: '2026-01-01', endDate: '2026-03-31', progressPct: 100, after: [] },
    { key: 'b', title: 'Build', startDate: '2026-04-01', endDate: '2026-12-31', progressPct: 25, after: ['a'] },
  ],
  milestones: [
    { key: 'm1', title: 'Tender', kind: 'milestone' as const, dueDate: '2026-03-01', doneDate: '2026-03-05' },
    { key: 'm2', title: 'Test', kind: 'deliverable' as const, dueDate: '2026-06-30', doneDate: null },
    { key: 'm3', title: 'Go live', kind: 'milestone' as const, dueDate: '2026-12-01', doneDate: null },
  ],
})
const OPTS = { widthPx: 565, labelWidthPx: 200 }

describe('ganttLayout', () => {
  it('maps the first day to the plot’s left edge and the day after the last to its right edge', () => {
    const l = ganttLayout(project(), '2026-07-15', OPTS)
    expect(l.x('2026-01-01')).toBe(200)
    expect(l.x('2027-01-01')).toBeCloseTo(557)
  })
  it('scales days linearly', () => {
    const l = ganttLayout(project(), '2026-07-15', OPTS)
    expect(l.x('2026-01-11') - l.x('2026-01-01')).toBeCloseTo((10 * 357) / 365)
  })
  it('makes a bar cover its start to its end day whole, with the progress filled in proportion', () => {
    const [, build] = ganttLayout(project(), '2026-07-15', OPTS).bars
    expect(build!.x).toBeCloseTo(200 + (90 * 357) / 365)
    expect(build!.width).toBeCloseTo((275 * 357) / 365)
    expect(build!.progressWidth).toBeCloseTo(build!.width / 4)
  })
  it('puts each activity and then each milestone on its own row', () => {
    const l = ganttLayout(project(), '2026-07-15', { ...OPTS, rowHeightPx: 20, headerHeightPx: 10 })
    expect(l.bars.map((b) => b.y + b.height / 2)).toEqual([20, 40])
    expect(l.diamonds.map((d) => d.y)).toEqual([60, 80, 100])
    expect(l.heightPx).toBe(10 + 5 * 20 + 4)
  })
  it('draws an arrow from the predecessor’s end to the successor’s start', () => {
    const l = ganttLayout(project(), '2026-07-15', OPTS)
    expect(l.arrows).toHaveLength(1)
    const [design, build] = l.bars
    const a = l.arrows[0]!
    expect(a).toMatchObject({ from: 'a', to: 'b' })
    expect(a.d.startsWith(`M${Math.round((design!.x + design!.width) * 10) / 10},`)).toBe(true)
    expect(a.d.endsWith(`V${Math.round((build!.y + build!.height / 2) * 10) / 10} H${Math.round(Math.max(build!.x, Number(/H([\d.]+) V/.exec(a.d)![1]) + 4) * 10) / 10}`)).toBe(true)
  })
  it('marks milestones done and late against today', () => {
    const l = ganttLayout(project(), '2026-07-15', OPTS)
    expect(l.diamonds.map((d) => [d.key, d.done, d.late])).toEqual([
      ['m1', true, false],
      ['m2', false, true],
      ['m3', false, false],
    ])
  })
  it('draws today inside the span only', () => {
    expect(ganttLayout(project(), '2026-07-15', OPTS).todayX).toBeCloseTo(200 + ((dayIndex('2026-07-15') - dayIndex('2026-01-01')) * 357) / 365)
    expect(ganttLayout(project(), '2027-02-01', OPTS).todayX).toBeNull()
  })
  it('widens the span to activities and milestones outside the project’s dates', () => {
    const p = { ...project(), milestones: [{ key: 'x', title: 'Late', kind: 'milestone' as const, dueDate: '2027-02-01', doneDate: null }] }
    expect(ganttLayout(p, '2026-07-15', OPTS).to).toBe('2027-02-01')
  })
})

describe('monthStarts', () => {
  it('lists the first days of the months in the span', () => {
    expect(monthStarts('2026-01-15', '2026-04-01')).toEqual(['2026-02-01', '2026-03-01', '2026-04-01'])
  })
  it('thins long spans to a readable number of ticks', () => {
    const ticks = monthStarts('2026-01-01', '2028-12-31', 12)
    expect(ticks.length).toBeLessThanOrEqual(12)
    expect(ticks[0]).toBe('2026-01-01')
    expect(ticks[1]).toBe('2026-04-01')
  })
})

describe('isLateMilestone', () => {
  it('is late when open and due before today, not on its due day', () => {
    expect(isLateMilestone({ dueDate: '2026-07-14', doneDate: null }, '2026-07-15')).toBe(true)
    expect(isLateMilestone({ dueDate: '2026-07-15', doneDate: null }, '2026-07-15')).toBe(false)
    expect(isLateMilestone({ dueDate: '2026-07-14', doneDate: '2026-07-20' }, '2026-07-21')).toBe(false)
  })
})
