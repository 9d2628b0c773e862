import { describe, expect, it } from 'vitest'
import type { Violation } from '../../../contracts/signal-safety/violation'
import { validatePlan } from '../../../contracts/signal-safety/validator'
import { cellKey, countFindings, highlightsOf, intervalAt, pairKey } from './violation-highlights'
import { GROUP_IDS, controllerFixture, planFixture, withRows } from './testing/fixtures'

const finding = (over: Partial<Violation>): Violation => ({ rule: 'SIG-01', severity: 'reject', context: 'cycle', planId: 'day', groups: [], interval: null, atS: null, message: 'm', ...over })

describe('where a finding is shown', () => {
  it('a conflict names the cells of both groups in the interval, and their rows', () => {
    const rows = withRows({ 2: [4, 'Y', 'G', 'R'], 3: [3, 'R', 'G', 'R'] })
    const report = validatePlan(controllerFixture(), planFixture(rows))
    const h = highlightsOf(report.violations, planFixture(rows), GROUP_IDS)
    expect(h.cells.get(cellKey('A', 2))).toBe('reject')
    expect(h.cells.get(cellKey('B', 2))).toBe('reject')
    expect(h.rows.get('A')).toBe('reject')
  })

  it('finds the interval from the time when the finding gives only the time', () => {
    const h = highlightsOf([finding({ groups: ['B'], atS: 50 })], planFixture(), GROUP_IDS)
    expect([...h.cells.keys()]).toEqual([cellKey('B', 4)])
  })

  it('a finding about an interval as a whole marks its column', () => {
    const h = highlightsOf([finding({ rule: 'SIG-10', context: 'structure', interval: 3 })], planFixture(), GROUP_IDS)
    expect(h.intervals.get(3)).toBe('reject')
    expect(h.plan).toBeNull()
  })

  it('a finding with no group and no place marks the plan', () => {
    const h = highlightsOf([finding({ rule: 'SIG-11', severity: 'warn' })], planFixture(), GROUP_IDS)
    expect(h.plan).toBe('warn')
  })

  it('a rejection outranks a warning in the same place', () => {
    const h = highlightsOf([finding({ severity: 'warn', groups: ['A'], interval: 0 }), finding({ groups: ['A'], interval: 0 }), finding({ severity: 'warn', groups: ['A'], interval: 0 })], planFixture(), GROUP_IDS)
    expect(h.cells.get(cellKey('A', 0))).toBe('reject')
  })

  it('matrix findings point at the pair; SIG-02 at both orders', () => {
    const h = highlightsOf(
      [finding({ rule: 'SIG-06', severity: 'warn', context: 'matrix', groups: ['A', 'B'] }), finding({ rule: 'SIG-02', context: 'matrix', planId: null, groups: ['B', 'P'] })],
      planFixture(),
      GROUP_IDS,
    )
    expect(h.pairs.get(pairKey('A', 'B'))).toBe('warn')
    expect(h.pairs.has(pairKey('B', 'A'))).toBe(false)
    expect(h.pairs.get(pairKey('P', 'B'))).toBe('reject')
  })

  it("ignores another plan's findings and unknown groups", () => {
    const h = highlightsOf([finding({ planId: 'night', groups: ['A'], interval: 0 }), finding({ groups: ['Z'], interval: 0 })], planFixture(), GROUP_IDS)
    expect(h.cells.size).toBe(0)
    expect(h.intervals.get(0)).toBe('reject')
  })

  it('counts the findings of the plan', () => {
    expect(countFindings([finding({}), finding({ severity: 'warn' }), finding({ planId: 'x' })], 'day')).toEqual({ rejects: 1, warnings: 1 })
  })
})

describe('intervalAt', () => {
  it('gives the interval holding a cycle second', () => {
    expect(intervalAt(planFixture(), 0)).toBe(0)
    expect(intervalAt(planFixture(), 37.9)).toBe(1)
    expect(intervalAt(planFixture(), 38)).toBe(2)
    expect(intervalAt(planFixture(), 72)).toBe(6)
    expect(intervalAt(planFixture(), -1)).toBe(-1)
  })
})
