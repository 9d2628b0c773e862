import { describe, expect, it } from 'vitest'
import { validatePlan } from '../../../contracts/signal-safety/validator'
import { conflictMatrix, intergreenMatrix, longestYellowS, setIntergreen } from './intergreen-matrix'
import { controllerFixture, planFixture } from './testing/fixtures'

const cell = (m: ReturnType<typeof intergreenMatrix>, a: string, b: string) => m.flat().find((c) => c.clearing === a && c.entering === b)!

describe('the intergreen matrix', () => {
  it('gives conflicting pairs their value and computed minimum, permissive pairs none', () => {
    const m = intergreenMatrix(controllerFixture(), planFixture().intervals)
    // A → B: yellow 4 + (12 m + 6 m) / 10 m/s − 10 m / 11.1 m/s = 4.9 → 5 s.
    expect(cell(m, 'A', 'B')).toMatchObject({ kind: 'conflict', valueS: 5, computedS: 5, belowComputed: false, missing: false })
    // P → B: a pedestrian clears 10 m at 1.0 m/s, B enters 5 m at 11.1 m/s: 9.55 → 10 s.
    expect(cell(m, 'P', 'B')).toMatchObject({ valueS: 12, computedS: 10 })
    expect(cell(m, 'A', 'P')).toMatchObject({ kind: 'permissive', valueS: null, computedS: null })
    expect(cell(m, 'A', 'A').kind).toBe('self')
  })

  it('marks a value below the computed minimum, as the validator warns in the Italian profile', () => {
    const c = setIntergreen(controllerFixture(), 'A', 'B', 3)
    expect(cell(intergreenMatrix(c, planFixture().intervals), 'A', 'B')).toMatchObject({ valueS: 3, belowComputed: true, override: null })
    const r = validatePlan(c, planFixture())
    expect(r.violations.find((v) => v.rule === 'SIG-06' && v.context === 'matrix')).toMatchObject({ severity: 'warn', groups: ['A', 'B'] })
  })

  it('uses the longer yellow the plan gives: a 5 s yellow raises the minimum', () => {
    const rows = [[30, 'G', 'R', 'G'], [8, 'G', 'R', 'Y'], [5, 'Y', 'R', 'R'], [2, 'R', 'R', 'R'], [20, 'R', 'G', 'R'], [4, 'R', 'Y', 'R'], [3, 'R', 'R', 'R']] as const
    const m = intergreenMatrix(controllerFixture(), planFixture(rows.map((r) => [...r]) as never).intervals)
    expect(cell(m, 'A', 'B').computedS).toBe(6)
  })

  it('a missing value on a conflicting pair is flagged, and removing one works', () => {
    const c = setIntergreen(controllerFixture(), 'B', 'P', null)
    expect(c.intergreen.B).toEqual({ A: 5 })
    expect(cell(intergreenMatrix(c, null), 'B', 'P').missing).toBe(true)
  })

  it('finds the override that accepts exactly the value below the computed one', () => {
    const override = { clearing: 'A', entering: 'B', valueS: 4, reason: 'measured clearing, short junction', by: 'ing. Rossi', at: '2026-11-27T08:00:00Z' }
    const c = { ...setIntergreen(controllerFixture(), 'A', 'B', 4), intergreenOverrides: [override] }
    expect(cell(intergreenMatrix(c, planFixture().intervals), 'A', 'B').override).toEqual(override)
  })

  it('never mutates the controller', () => {
    const c = controllerFixture()
    setIntergreen(c, 'A', 'B', 9)
    expect(c.intergreen.A).toEqual({ B: 5 })
  })
})

describe('longestYellowS', () => {
  it('adds consecutive yellow intervals, across the cycle wrap', () => {
    const p = planFixture([[2, 'Y', 'R', 'R'], [30, 'G', 'R', 'R'], [2, 'Y', 'R', 'R']])
    expect(longestYellowS(p.intervals, 0)).toBe(4)
    expect(longestYellowS(p.intervals, 1)).toBeNull()
  })
})

describe('the conflict matrix', () => {
  it('shows each pair, its geometry and the permissive override with its reason', () => {
    const permissive = { a: 'A', b: 'B', reason: 'filter lane, B yields to A by sign', by: 'ing. Rossi', at: '2026-11-27T08:00:00Z' }
    const m = conflictMatrix(controllerFixture({ conflicts: ['...', '..x', '.x.'], permissive: [permissive] }))
    expect(m[0]![1]).toMatchObject({ a: 'A', b: 'B', kind: 'permissive', mark: '.', override: permissive })
    expect(m[0]![1]!.geometry).toMatchObject({ kind: 'crossing' })
    expect(m[1]![2]).toMatchObject({ kind: 'conflict', mark: 'x' })
    expect(m[2]![2]!.kind).toBe('self')
  })
})
