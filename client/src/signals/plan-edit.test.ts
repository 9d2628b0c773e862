import { describe, expect, it } from 'vitest'
import { validatePlan } from '../../../contracts/signal-safety/validator'
import { pushEdit, redo, startHistory, undo } from './edit-history'
import {
  cycleCell,
  dragBoundary,
  duplicateInterval,
  insertAllRed,
  intervalStartsS,
  moveInterval,
  nextState,
  parseSwitchPoints,
  removeInterval,
  samePlan,
  setBounds,
  setDuration,
  setIntervalName,
  setOffset,
  stateCycle,
} from './plan-edit'
import { controllerFixture, planFixture } from './testing/fixtures'

describe('durations and the cycle', () => {
  it('changing a duration changes the cycle to the sum of the durations', () => {
    const p = setDuration(planFixture(), 0, 35)
    expect(p.intervals[0]!.durationS).toBe(35)
    expect(p.cycleS).toBe(77)
    expect(planFixture().cycleS).toBe(72)
  })

  it('keeps durations on the 0.1 s grid and above zero', () => {
    expect(setDuration(planFixture(), 1, 8.04).intervals[1]!.durationS).toBe(8)
    expect(setDuration(planFixture(), 1, -3).intervals[1]!.durationS).toBe(0.1)
    expect(setDuration(planFixture(), 1, Number.NaN).intervals[1]!.durationS).toBe(0.1)
  })

  it('folds the offset and drops switch points that fall outside a shorter cycle', () => {
    const p = planFixture(undefined, { offsetS: 70, switchPoints: [0, 71] })
    const shorter = setDuration(p, 0, 20)
    expect(shorter.cycleS).toBe(62)
    expect(shorter.offsetS).toBe(8)
    expect(shorter.switchPoints).toEqual([0])
  })

  it('never mutates the plan it was given', () => {
    const p = planFixture()
    const before = JSON.stringify(p)
    setDuration(p, 0, 10)
    cycleCell(p, 0, 0, ['R', 'G', 'Y'])
    removeInterval(p, 0)
    expect(JSON.stringify(p)).toBe(before)
  })

  it('sets and clears actuation bounds', () => {
    const p = setBounds(planFixture(), 0, { minS: 20, maxS: 45 })
    expect(p.intervals[0]).toMatchObject({ minS: 20, maxS: 45 })
    const fixed = setBounds(p, 0, { minS: undefined })
    expect(fixed.intervals[0]!.minS).toBeUndefined()
    expect(fixed.intervals[0]!.maxS).toBe(45)
  })
})

describe('cell states', () => {
  it('cycles R → G → Y → R in the Italian profile, backwards with reverse', () => {
    const c = stateCycle({ type: 'vehicle' }, 'it')
    expect(nextState('R', c)).toBe('G')
    expect(nextState('G', c)).toBe('Y')
    expect(nextState('Y', c)).toBe('R')
    expect(nextState('R', c, true)).toBe('Y')
  })

  it('offers red+amber to German vehicles and no amber to German pedestrians', () => {
    expect(stateCycle({ type: 'vehicle' }, 'de')).toEqual(['R', 'RY', 'G', 'Y'])
    expect(stateCycle({ type: 'pedestrian' }, 'de')).toEqual(['R', 'G'])
    expect(stateCycle({ type: 'pedestrian' }, 'it', true)).toContain('Gflash')
  })

  it('a state outside the cycle (flashing yellow) goes to the cycle start', () => {
    expect(nextState('FY', ['R', 'G', 'Y'])).toBe('R')
  })

  it('clicking a cell changes only that group in that interval', () => {
    const p = cycleCell(planFixture(), 3, 1, ['R', 'G', 'Y'])
    expect(p.intervals[3]!.states).toEqual(['R', 'G', 'R'])
    expect(p.intervals[2]!.states).toEqual(['Y', 'R', 'R'])
  })
})

describe('adding, duplicating, removing and moving intervals', () => {
  it('inserts an all-red interval and the cycle grows by its duration', () => {
    const p = insertAllRed(planFixture(), 3, 3, 2)
    expect(p.intervals).toHaveLength(8)
    expect(p.intervals[3]).toMatchObject({ durationS: 2, states: ['R', 'R', 'R'] })
    expect(p.cycleS).toBe(74)
  })

  it('duplicates an interval right after itself as an independent copy', () => {
    const p = duplicateInterval(planFixture(), 0)
    expect(p.intervals[1]).toEqual(p.intervals[0])
    expect(p.intervals[1]!.states).not.toBe(p.intervals[0]!.states)
    expect(p.cycleS).toBe(102)
  })

  it('removes an interval but never the last one', () => {
    expect(removeInterval(planFixture(), 6).cycleS).toBe(69)
    const one = planFixture([[40, 'G', 'R', 'R']])
    expect(removeInterval(one, 0)).toBe(one)
  })

  it('moves an interval one place', () => {
    const p = moveInterval(planFixture(), 1, -1)
    expect(p.intervals[0]!.durationS).toBe(8)
    expect(moveInterval(p, 0, -1)).toBe(p)
  })

  it('names an interval, and an empty name removes it', () => {
    expect(setIntervalName(planFixture(), 0, 'main').intervals[0]!.name).toBe('main')
    expect(setIntervalName(setIntervalName(planFixture(), 0, 'x'), 0, ' ').intervals[0]!.name).toBeUndefined()
  })
})

describe('dragging a boundary', () => {
  it('an inner boundary moves time between its two intervals and keeps the cycle', () => {
    // Boundary 5 sits at 65 s (start of the B yellow); drag it to 67.3 s, snapped to 1 s → 67.
    const p = dragBoundary(planFixture(), 5, 67.3)
    expect(p.intervals[4]!.durationS).toBe(22)
    expect(p.intervals[5]!.durationS).toBe(2)
    expect(p.cycleS).toBe(72)
  })

  it('never squeezes a neighbour below one step', () => {
    const p = dragBoundary(planFixture(), 5, 200)
    expect(p.intervals[5]!.durationS).toBe(1)
    expect(p.intervals[4]!.durationS).toBe(23)
    expect(dragBoundary(planFixture(), 1, -50).intervals[0]!.durationS).toBe(1)
  })

  it('the end of the cycle stretches the last interval and the cycle', () => {
    const p = dragBoundary(planFixture(), 7, 80)
    expect(p.intervals[6]!.durationS).toBe(11)
    expect(p.cycleS).toBe(80)
  })

  it('snaps to 0.1 s when asked', () => {
    expect(dragBoundary(planFixture(), 1, 31.26, 0.1).intervals[0]!.durationS).toBe(31.3)
  })

  it('a drag that lands where it started returns the same plan', () => {
    const p = planFixture()
    expect(dragBoundary(p, 1, 30.2)).toBe(p)
  })

  it('the validator sees the shorter yellow a drag made', () => {
    // Boundary 3 at 42 s is the end of A's 4 s yellow; drag it to 40.5 → yellow 2.5 s.
    const p = dragBoundary(planFixture(), 3, 40.5, 0.1)
    const r = validatePlan(controllerFixture(), p)
    expect(r.violations.some((v) => v.rule === 'SIG-04' && v.severity === 'reject' && v.groups.includes('A'))).toBe(true)
  })
})

describe('plan fields', () => {
  it('keeps the offset inside the cycle', () => {
    expect(setOffset(planFixture(), 75).offsetS).toBe(3)
    expect(setOffset(planFixture(), -2).offsetS).toBe(70)
  })

  it('parses switch points, refusing any outside the cycle', () => {
    expect(parseSwitchPoints('35, 0 ,35', 72)).toEqual([0, 35])
    expect(parseSwitchPoints('0 72', 72)).toBeNull()
    expect(parseSwitchPoints('', 72)).toBeNull()
  })

  it('interval starts add up the durations', () => {
    expect(intervalStartsS(planFixture().intervals)).toEqual([0, 30, 38, 42, 45, 65, 69])
  })

  it('two plans with the same content are the same whatever the key order', () => {
    const p = planFixture()
    const reordered = JSON.parse(JSON.stringify({ ...p, intervals: p.intervals.map(({ states, durationS, ...rest }) => ({ states, ...rest, durationS })) }))
    expect(samePlan(p, reordered)).toBe(true)
    expect(samePlan(p, setDuration(p, 0, 31))).toBe(false)
  })
})

describe('undo and redo', () => {
  it('steps back and forward through edits, and a new edit clears the redo', () => {
    const p0 = planFixture()
    const p1 = setDuration(p0, 0, 31)
    const p2 = setDuration(p1, 0, 32)
    let h = pushEdit(pushEdit(startHistory(p0), p1), p2)
    h = undo(h)
    expect(h.present).toBe(p1)
    h = redo(h)
    expect(h.present).toBe(p2)
    h = pushEdit(undo(undo(h)), p2)
    expect(h.future).toEqual([])
    expect(undo(startHistory(p0)).present).toBe(p0)
  })

  it('an edit that changes nothing is not a step', () => {
    const h = startHistory(planFixture())
    expect(pushEdit(h, h.present)).toBe(h)
  })
})
