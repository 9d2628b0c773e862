import { describe, expect, it } from 'vitest'
import { alignIntervals, diffPlans } from './plan-diff'
import { cycleCell, duplicateInterval, insertAllRed, removeInterval, setBounds, setDuration, setOffset } from './plan-edit'
import { GROUP_IDS, planFixture } from './testing/fixtures'

describe('diffPlans', () => {
  it('finds nothing between a plan and itself', () => {
    const d = diffPlans(planFixture(), planFixture(), GROUP_IDS)
    expect(d.differs).toBe(false)
    expect(d.intervals.every((c) => c.kind === 'same')).toBe(true)
    expect(d.intervals).toHaveLength(7)
  })

  it('reports a changed duration and the cycle it changed', () => {
    const d = diffPlans(planFixture(), setDuration(planFixture(), 4, 24), GROUP_IDS)
    expect(d.fields).toEqual([{ field: 'cycleS', from: '72', to: '76' }])
    expect(d.changed).toBe(1)
    expect(d.intervals[4]).toMatchObject({ kind: 'changed', aIndex: 4, bIndex: 4, durationFromS: 20, durationToS: 24, durationChanged: true, states: [] })
  })

  it('reports a changed state per group, named by the group', () => {
    const d = diffPlans(planFixture(), cycleCell(planFixture(), 3, 1, ['R', 'G', 'Y']), GROUP_IDS)
    expect(d.changed).toBe(1)
    expect(d.intervals[3]).toMatchObject({ kind: 'changed', aIndex: 3, bIndex: 3, durationChanged: false, states: [{ groupId: 'B', from: 'R', to: 'G' }] })
    expect(d.added + d.removed).toBe(0)
  })

  it('an inserted interval is one addition, not every later interval changed', () => {
    const d = diffPlans(planFixture(), insertAllRed(planFixture(), 4, 3, 2), GROUP_IDS)
    expect([d.added, d.removed, d.changed]).toEqual([1, 0, 0])
    expect(d.intervals.find((c) => c.kind === 'added')).toMatchObject({ aIndex: null, bIndex: 4, durationToS: 2 })
  })

  it('a removed interval is one removal', () => {
    const d = diffPlans(planFixture(), removeInterval(planFixture(), 1), GROUP_IDS)
    expect([d.added, d.removed, d.changed]).toEqual([0, 1, 0])
    expect(d.intervals.find((c) => c.kind === 'removed')).toMatchObject({ aIndex: 1, bIndex: null, durationFromS: 8 })
  })

  it('a duplicated interval is one addition', () => {
    const d = diffPlans(planFixture(), duplicateInterval(planFixture(), 0), GROUP_IDS)
    expect([d.added, d.removed, d.changed]).toEqual([1, 0, 0])
  })

  it('keeps intervals in order: removed before added at the same place', () => {
    const b = cycleCell(removeInterval(planFixture(), 6), 0, 2, ['R', 'G', 'Y'])
    const d = diffPlans(planFixture(), b, GROUP_IDS)
    expect(d.intervals.map((c) => [c.kind, c.aIndex, c.bIndex])).toEqual([
      ['changed', 0, 0],
      ['same', 1, 1],
      ['same', 2, 2],
      ['same', 3, 3],
      ['same', 4, 4],
      ['same', 5, 5],
      ['removed', 6, null],
    ])
    expect(d.intervals[0]!.states).toEqual([{ groupId: 'P', from: 'G', to: 'Y' }])
  })

  it('reports actuation bounds, names, the offset and switch points', () => {
    const b = { ...setOffset(setBounds(planFixture(), 0, { minS: 15, maxS: 45 }), 12), switchPoints: [0, 45] }
    b.intervals = b.intervals.map((iv, k) => (k === 4 ? { ...iv, name: 'side street' } : iv))
    const d = diffPlans(planFixture(), b, GROUP_IDS)
    expect(d.fields).toEqual([
      { field: 'offsetS', from: '0', to: '12' },
      { field: 'switchPoints', from: '0', to: '0, 45' },
    ])
    expect(d.intervals[0]).toMatchObject({ kind: 'changed', boundsChanged: true, durationChanged: false })
    expect(d.intervals[4]).toMatchObject({ kind: 'changed', nameChanged: true })
  })

  it('names state positions #1, #2 … without group ids', () => {
    const d = diffPlans(planFixture(), cycleCell(planFixture(), 3, 1, ['R', 'G', 'Y']))
    expect(d.intervals[3]!.states[0]!.groupId).toBe('#2')
  })
})

describe('alignIntervals', () => {
  const iv = (durationS: number, ...states: Array<'R' | 'G' | 'Y'>) => ({ durationS, states })
  it('keeps what matches, removes and adds the rest, in order', () => {
    const a = [iv(10, 'G', 'R'), iv(3, 'Y', 'R'), iv(10, 'R', 'G')]
    const b = [iv(10, 'G', 'R'), iv(10, 'R', 'G'), iv(2, 'R', 'R')]
    expect(alignIntervals(a, b)).toEqual([
      { op: 'keep', i: 0, j: 0 },
      { op: 'remove', i: 1 },
      { op: 'keep', i: 2, j: 1 },
      { op: 'add', j: 2 },
    ])
    expect(alignIntervals([], [iv(1, 'R')])).toEqual([{ op: 'add', j: 0 }])
  })

  it('of two identical intervals, keeps the one with the same duration', () => {
    const a = [iv(3, 'R', 'R'), iv(10, 'G', 'R'), iv(2, 'R', 'R')]
    const b = [iv(10, 'G', 'R'), iv(2, 'R', 'R')]
    expect(alignIntervals(a, b)[0]).toEqual({ op: 'remove', i: 0 })
  })
})
