/**
 * The test cases of ../shared/docs/reference/reliability-security.md §1.3 (numbers in the titles),
 * on a small legal Italian junction (testing/signal-factories.ts). Each case changes one thing and
 * asserts the finding a traffic engineer would need: the rule, the groups, the interval, the time.
 */
import { describe, expect, it } from 'vitest'
import type { SignalControllerInput } from '../schemas/signal-plan'
import { BASE_ROWS, junction, plan, withRows, type Row } from './testing/signal-factories'
import { validatePlan, validateSignals } from './validator'
import type { ValidationReport, Violation } from './violation'

const rejects = (r: ValidationReport, rule: string) => r.violations.filter((v) => v.rule === rule && v.severity === 'reject')
const warns = (r: ValidationReport, rule: string) => r.violations.filter((v) => v.rule === rule && v.severity === 'warn')
const only = (r: ValidationReport) => [...new Set(r.violations.filter((v) => v.severity === 'reject').map((v) => v.rule))].sort()

describe('the base junction', () => {
  it('is legal in the Italian profile, with no warning', () => {
    const r = validateSignals(junction(), [plan()])
    expect(r.violations).toEqual([])
    expect(r.ok).toBe(true)
  })
})

describe('SIG-01 conflicting permissions', () => {
  it('1. two conflicting vehicle groups both green for 0.1 s are rejected, naming the pair, interval and time', () => {
    // A 0.1 s interval at the end of the pedestrian clearance where B is already green.
    const rows: Row[] = [[30, 'G', 'R', 'G'], [7.9, 'G', 'R', 'Y'], [0.1, 'G', 'G', 'Y'], [4, 'Y', 'R', 'R'], [3, 'R', 'R', 'R'], [20, 'R', 'G', 'R'], [4, 'R', 'Y', 'R'], [3, 'R', 'R', 'R']]
    const r = validateSignals(junction(), [plan(rows)])
    const v = rejects(r, 'SIG-01').find((x) => x.groups.join() === 'A,B')
    expect(v).toMatchObject({ planId: 'day', interval: 2, atS: 37.9, context: 'cycle' })
    expect(v!.message).toContain('for 0.1 s')
    expect(r.ok).toBe(false)
  })

  it('2. amber overlapping a conflicting green is rejected (amber is a permission, as on the MMU)', () => {
    const r = validateSignals(junction(), [plan(withRows({ 2: [4, 'Y', 'G', 'R'], 3: [3, 'R', 'G', 'R'] }))])
    const v = rejects(r, 'SIG-01').find((x) => x.groups.join() === 'A,B')
    expect(v).toMatchObject({ interval: 2, atS: 38 })
    expect(v!.message).toContain('A Y, B G')
  })

  it('a permissive pair recorded with a reason may run together', () => {
    const c = junction({ conflicts: ['.x.', 'x..', '...'], geometry: [{ a: 'A', b: 'B', kind: 'crossing', aToPointM: 12, bToPointM: 10 }], intergreen: { A: { B: 5 }, B: { A: 5 } } })
    const rows = withRows({ 4: [20, 'R', 'G', 'G'] })
    expect(rejects(validateSignals(c, [plan(rows)]), 'SIG-01')).toEqual([])
  })
})

describe('SIG-02 conflict matrix integrity', () => {
  it('3. an asymmetric matrix is rejected', () => {
    const r = validateSignals(junction({ conflicts: ['.x.', '..x', '.x.'] }), [plan()])
    expect(rejects(r, 'SIG-02')[0]).toMatchObject({ groups: ['A', 'B'], context: 'matrix' })
    expect(rejects(r, 'SIG-02')[0]!.message).toContain('not symmetric')
  })

  it('a geometric conflict marked permissive without an engineer override is rejected; with one it is accepted', () => {
    const c = junction({ conflicts: ['...', '..x', '.x.'], intergreen: { B: { P: 6 }, P: { B: 12 } } })
    expect(rejects(validateSignals(c, [plan()]), 'SIG-02')[0]!.message).toContain('no engineer override')
    const overridden = { ...c, permissive: [{ a: 'A', b: 'B', reason: 'filter lane, B yields to A by sign', by: 'ing. Rossi', at: '2026-11-27T08:00:00Z' }] }
    expect(rejects(validateSignals(overridden, [plan()]), 'SIG-02')).toEqual([])
  })

  it('a matrix with a missing row or an unknown mark is rejected', () => {
    expect(rejects(validateSignals(junction({ conflicts: ['.x.', 'x.x'] }), [plan()]), 'SIG-02')[0]!.message).toContain('2 rows for 3')
    expect(rejects(validateSignals(junction({ conflicts: ['.x.', 'x.?', '.x.'] }), [plan()]), 'SIG-02')[0]!.message).toContain('"?"')
  })
})

describe('SIG-03 legal sequence', () => {
  it('4. green straight to red (SUMO only warns) is rejected', () => {
    const r = validateSignals(junction(), [plan(withRows({ 2: [4, 'R', 'R', 'R'] }))])
    expect(rejects(r, 'SIG-03')[0]).toMatchObject({ groups: ['A'], interval: 2, atS: 38 })
    expect(rejects(r, 'SIG-03')[0]!.message).toContain('G → R')
  })

  const vehicles = (profile: 'it' | 'de'): SignalControllerInput =>
    junction({
      profile,
      signalGroups: [
        { id: 'A', name: 'main', type: 'vehicle', speedKmh: 50 },
        { id: 'B', name: 'side', type: 'vehicle', speedKmh: 50 },
      ],
      conflicts: ['.x', 'x.'],
      geometry: [],
      intergreen: { A: { B: 5 }, B: { A: 5 } },
      startup: { flashS: 5, allRedS: 5 },
    })
  const redAmber = (ry: number): Row[] => [[38, 'G', 'R'], [4, 'Y', 'R'], [3 - Math.min(ry, 3) + 0.0, 'R', 'R'], [ry, 'R', 'RY'], [20, 'R', 'G'], [4, 'R', 'Y'], [3, 'R', 'R']].filter((r) => (r[0] as number) > 0) as Row[]

  it('5. red+amber is rejected in Italy, accepted at 1 s in the German profile, rejected there at 3 s', () => {
    expect(rejects(validateSignals(vehicles('it'), [plan(redAmber(1))]), 'SIG-03')[0]!.message).toContain('art. 159')
    const de = validateSignals(vehicles('de'), [plan(redAmber(1))])
    expect(de.ok).toBe(true)
    expect(de.profile).toBe('de')
    const long = validateSignals(vehicles('de'), [plan(redAmber(3))])
    expect(rejects(long, 'SIG-03')[0]!.message).toContain('red+amber lasts 3.0 s')
  })

  it('yellow back to green is rejected', () => {
    const r = validateSignals(junction(), [plan(withRows({ 2: [4, 'Y', 'R', 'R'], 3: [3, 'G', 'R', 'R'] }))])
    expect(rejects(r, 'SIG-03').map((v) => v.message).join()).toContain('Y → G')
  })
})

describe('SIG-04 yellow duration', () => {
  const yellow = (y: number) => plan(withRows({ 2: [y, 'Y', 'R', 'R'], 3: [7 - y, 'R', 'R', 'R'] }))

  it('6. 2.9 s is under the legal floor: rejected', () => {
    expect(rejects(validateSignals(junction(), [yellow(2.9)]), 'SIG-04')[0]!.message).toContain('3.0 s legal floor')
  })

  it('6. 3.0 s at 50 km/h: the kinematic 3.5 s is a warning in Italy and a rejection when required', () => {
    const it = validateSignals(junction(), [yellow(3)])
    expect(it.ok).toBe(true)
    expect(warns(it, 'SIG-04')[0]!.message).toContain('kinematic (ITE) yellow for 50 km/h is 3.5 s')
    expect(rejects(validateSignals(junction(), [yellow(3)], { kinematicYellow: 'reject' }), 'SIG-04')[0]!.message).toContain('3.5 s')
  })

  it('6. 3.5 s is accepted with the ministry warning (< 4 s in built-up areas)', () => {
    const r = validateSignals(junction(), [yellow(3.5)], { kinematicYellow: 'reject' })
    expect(r.ok).toBe(true)
    expect(warns(r, 'SIG-04')[0]!.message).toContain('recommends 4.0 s')
  })

  it('7. 50 km/h on a −5 % grade needs 4.0 s: 3.5 s is flagged', () => {
    const c = junction({ signalGroups: [{ id: 'A', name: 'main', type: 'vehicle', speedKmh: 50, gradePct: -5 }, ...junction().signalGroups.slice(1)] })
    expect(rejects(validateSignals(c, [yellow(3.5)], { kinematicYellow: 'reject' }), 'SIG-04')[0]!.message).toContain('is 4.0 s')
    expect(warns(validateSignals(c, [yellow(3.5)]), 'SIG-04')[0]!.message).toContain('−5 % grade'.replace('−', '-'))
  })

  it('a yellow that never ends is over the cap (found by the oracle)', () => {
    const c = junction({ signalGroups: junction().signalGroups.slice(0, 2), conflicts: ['..', '..'], geometry: [], intergreen: {}, startup: { flashS: 5, allRedS: 3 } })
    expect(rejects(validateSignals(c, [plan([[5, 'Y', 'G'], [3, 'Y', 'Y']], { cycleS: 8 })]), 'SIG-04')[0]!.message).toContain('over the 6.0 s cap')
  })

  it('8. 7 s is over the 6 s cap: rejected', () => {
    const r = validateSignals(junction({ startup: { flashS: 5, allRedS: 12 } }), [plan(withRows({ 2: [7, 'Y', 'R', 'R'], 3: [0.5, 'R', 'R', 'R'] }))])
    expect(rejects(r, 'SIG-04')[0]!.message).toContain('6.0 s cap')
  })

  it('the German profile requires the RiLSA amber for the speed', () => {
    const c = junction({ profile: 'de', signalGroups: [{ id: 'A', name: 'main', type: 'vehicle', speedKmh: 60 }, ...junction().signalGroups.slice(1)] })
    const rows = withRows({ 1: [8, 'G', 'R', 'R'], 2: [3, 'Y', 'R', 'R'], 3: [4, 'R', 'R', 'R'] })
    expect(rejects(validateSignals(c, [plan(rows)]), 'SIG-04')[0]!.message).toContain('RiLSA requires 4.0 s')
  })
})

describe('SIG-05 fixed clearances', () => {
  it('9. an actuated yellow (min 3, max 5) is rejected', () => {
    const r = validateSignals(junction(), [plan(withRows({ 2: [4, { minS: 3, maxS: 5 }, 'Y', 'R', 'R'] }), { control: 'actuated' })])
    expect(rejects(r, 'SIG-05')[0]).toMatchObject({ groups: ['A'], interval: 2 })
  })

  it('an actuated green (min 20, max 50) is fine', () => {
    const r = validateSignals(junction(), [plan(withRows({ 0: [30, { minS: 20, maxS: 50 }, 'G', 'R', 'G'] }), { control: 'actuated' })])
    expect(r.ok).toBe(true)
  })
})

describe('SIG-06 intergreen', () => {
  it('10. an intergreen too short only across the cycle wrap is rejected (context wrap)', () => {
    // Drop the final all-red: B's green ends 4 s before A's next green.
    const r = validateSignals(junction(), [plan(BASE_ROWS.slice(0, 6))])
    const v = rejects(r, 'SIG-06').find((x) => x.groups.join() === 'B,A')
    expect(v).toMatchObject({ context: 'wrap', interval: 0, atS: 0 })
    expect(v!.message).toContain('is 4.0 s')
    expect(v!.message).toContain('requires 5.0 s')
  })

  it('11. a switch that ends A 3 s before the next plan starts B is rejected for the transition', () => {
    const p1 = plan(BASE_ROWS, { id: 'day', switchPoints: [41] })
    const p2Rows: Row[] = [[20, 'R', 'G', 'R'], [4, 'R', 'Y', 'R'], [3, 'R', 'R', 'R'], [30, 'G', 'R', 'G'], [8, 'G', 'R', 'Y'], [4, 'Y', 'R', 'R'], [3, 'R', 'R', 'R']]
    const p2 = plan(p2Rows, { id: 'peak', name: 'Peak plan', switchPoints: [0] })
    const r = validateSignals(junction({ schedule: [] }), [p1, p2])
    const v = rejects(r, 'SIG-06').find((x) => x.context === 'transition' && x.groups.join() === 'A,B')
    expect(v).toMatchObject({ planId: 'peak', fromPlanId: 'day', interval: 0, atS: 0 })
    expect(v!.message).toContain('is 3.0 s')
    // Each plan's own cycle is legal: the fault is the switch.
    const ownCycle = (p: typeof p1) => validatePlan(junction({ schedule: [] }), p).violations.filter((x) => x.severity === 'reject' && (x.context === 'cycle' || x.context === 'wrap'))
    expect(ownCycle(p1)).toEqual([])
    expect(ownCycle(p2)).toEqual([])
    // Entering the day plan at 41 s from the startup's all-red would start A's yellow from red.
    expect(rejects(validatePlan(junction({ schedule: [] }), p1), 'SIG-03').find((x) => x.context === 'startup')!.message).toContain('R → Y')
  })

  it('12. a matrix value below the computed minimum is rejected unless an override is recorded', () => {
    // German profile: pedestrian 12 m at 1.2 m/s against a car entering 5 m at 11.1 m/s → 9.55 → 10 s.
    const c = junction({
      profile: 'de',
      geometry: [{ a: 'P', b: 'B', kind: 'crossing', aToPointM: 12, bToPointM: 5 }],
      intergreen: { A: { B: 5 }, B: { A: 5, P: 6 }, P: { B: 8 } },
    })
    const rows = withRows({ 1: [8, 'G', 'R', 'R'] })
    const v = rejects(validateSignals(c, [plan(rows)]), 'SIG-06').find((x) => x.context === 'matrix')
    expect(v).toMatchObject({ groups: ['P', 'B'] })
    expect(v!.message).toContain('below the computed minimum 10 s')
    const overridden = { ...c, intergreenOverrides: [{ clearing: 'P', entering: 'B', valueS: 8, reason: 'crossing shortened by the 2025 works', by: 'ing. Bianchi', at: '2026-11-27T08:00:00Z' }] }
    const r = validateSignals(overridden, [plan(rows)])
    expect(rejects(r, 'SIG-06')).toEqual([])
    expect(warns(r, 'SIG-06')[0]!.message).toContain("ing. Bianchi's override")
  })

  it('in the Italian profile a matrix value below the computed minimum is a warning (no Italian formula); the matrix itself is still enforced', () => {
    const c = junction({ intergreen: { A: { B: 5 }, B: { A: 5, P: 6 }, P: { B: 8 } } })
    const r = validateSignals(c, [plan()])
    expect(r.ok).toBe(true)
    expect(warns(r, 'SIG-06')[0]!.message).toContain('below the computed minimum 10 s')
    expect(rejects(validateSignals(c, [plan()], { computedIntergreen: 'reject' }), 'SIG-06')).toHaveLength(1)
  })

  it('a green that starts while the conflicting one still runs is a negative intergreen (found by the oracle)', () => {
    const rows: Row[] = [[38, 'G', 'R', 'G'], [4, 'Y', 'G', 'G'], [3, 'R', 'G', 'Y'], [20, 'R', 'G', 'R'], [4, 'R', 'Y', 'R'], [3, 'R', 'R', 'R']]
    const c = junction({ intergreen: { A: { B: 5 }, B: { A: 5, P: 6 }, P: { B: 2 } } })
    const v = rejects(validateSignals(c, [plan(rows)]), 'SIG-06').find((x) => x.groups.join() === 'P,B')
    expect(v!.message).toContain('is negative')
  })

  it('two conflicting greens starting at the same tick are checked against the previous green end (found by the oracle)', () => {
    const c = junction({ signalGroups: junction().signalGroups.slice(0, 2), conflicts: ['.x', 'x.'], geometry: [], intergreen: { A: { B: 7 }, B: { A: 7 } }, startup: { flashS: 5, allRedS: 7 } })
    const rows: Row[] = [[10, 'G', 'G'], [4, 'Y', 'Y'], [2, 'R', 'R'], [10, 'R', 'G'], [4, 'R', 'Y'], [2, 'R', 'R']]
    const r = validateSignals(c, [plan(rows, { cycleS: 32 })])
    expect(rejects(r, 'SIG-06').find((x) => x.groups.join() === 'B,A' && x.context === 'wrap')!.message).toContain('is 6.0 s')
  })

  it('a conflicting pair with no intergreen value is rejected', () => {
    const r = validateSignals(junction({ intergreen: { A: { B: 5 }, B: { A: 5, P: 6 } } }), [plan()])
    expect(rejects(r, 'SIG-06')[0]!.message).toContain('no intergreen P → B')
  })
})

describe('SIG-07 minimum green', () => {
  it('13. a 4 s vehicle green is rejected (minimum 5 s)', () => {
    const rows = withRows({ 4: [4, 'R', 'G', 'R'] })
    const v = rejects(validateSignals(junction(), [plan(rows)]), 'SIG-07')[0]
    expect(v).toMatchObject({ groups: ['B'], interval: 4 })
  })

  it('13. an actuated green with minDur 3 s is rejected', () => {
    const rows = withRows({ 4: [20, { minS: 3, maxS: 30 }, 'R', 'G', 'R'] })
    const r = validateSignals(junction(), [plan(rows, { control: 'actuated' })])
    expect(rejects(r, 'SIG-07')[0]!.message).toContain('at their minimum')
  })
})

describe('SIG-08 pedestrian clearance', () => {
  const crossing = (sensitive: boolean) =>
    junction({
      signalGroups: [junction().signalGroups[0]!, junction().signalGroups[1]!, { id: 'P', name: 'crossing', type: 'pedestrian', crossing: { lengthM: 14, sensitive } }],
      geometry: [{ a: 'A', b: 'B', kind: 'crossing', aToPointM: 12, bToPointM: 10 }],
      intergreen: { A: { B: 5 }, B: { A: 5, P: 6 }, P: { B: 10 } },
    })
  // P green ends at 35 s; B green starts at 45 s: 10 s of yellow + red.
  const rows = withRows({ 0: [35, 'G', 'R', 'G'], 1: [3, 'G', 'R', 'Y'] })

  it('14. a 14 m crossing with 10 s of clearance at 1.0 m/s (needs 14 s) is rejected', () => {
    const v = rejects(validateSignals(crossing(false), [plan(rows)]), 'SIG-08')[0]
    expect(v).toMatchObject({ groups: ['P', 'B'], interval: 1, atS: 35 })
    expect(v!.message).toContain('needs 14.0 s')
  })

  it('14. at a sensitive site (0.8 m/s) the need rises to 17.5 s', () => {
    expect(rejects(validateSignals(crossing(true), [plan(rows)]), 'SIG-08')[0]!.message).toContain('needs 17.5 s')
  })

  it('a crossing with a refuge is checked per half', () => {
    const c = crossing(false)
    c.signalGroups[2] = { id: 'P', name: 'crossing', type: 'pedestrian', crossing: { lengthM: 14, refugeAtM: 7 } }
    expect(rejects(validateSignals(c, [plan(rows)]), 'SIG-08')).toEqual([])
  })
})

describe('SIG-09 every group served', () => {
  it('15. a group never green and not on demand is rejected; on demand it is accepted', () => {
    const rows = withRows({ 0: [30, 'G', 'R', 'R'], 1: [8, 'G', 'R', 'R'] })
    expect(rejects(validateSignals(junction(), [plan(rows)]), 'SIG-09')[0]).toMatchObject({ groups: ['P'] })
    const c = junction()
    c.signalGroups[2] = { ...c.signalGroups[2]!, onDemand: true }
    expect(rejects(validateSignals(c, [plan(rows)]), 'SIG-09')).toEqual([])
  })

  it('a pedestrian red over 90 s is a warning', () => {
    const rows = withRows({ 4: [80, 'R', 'G', 'R'] })
    expect(warns(validateSignals(junction(), [plan(rows)]), 'SIG-09')[0]!.message).toContain('94.0 s on red')
  })
})

describe('SIG-10 structure', () => {
  const broken = (mutate: (p: Record<string, unknown> & { intervals: Array<Record<string, unknown>> }) => void): Violation[] => {
    const p = structuredClone(plan()) as unknown as Record<string, unknown> & { intervals: Array<Record<string, unknown>> }
    mutate(p)
    return rejects(validateSignals(junction(), [p]), 'SIG-10')
  }

  it('16. a state vector one short is rejected', () => {
    expect(broken((p) => void (p.intervals[3]!.states = ['R', 'R']))[0]).toMatchObject({ interval: 3 })
  })
  it('16. an unknown state X is rejected', () => {
    expect(broken((p) => void (p.intervals[0]!.states = ['G', 'X', 'G']))[0]!.message).toContain('"X"')
  })
  it('16. durations that do not add up to the cycle are rejected', () => {
    expect(broken((p) => void (p.cycleS = 80))[0]!.message).toContain('add up to 72.0 s but the cycle is 80 s')
  })
  it('16. an offset equal to the cycle is rejected', () => {
    expect(broken((p) => void (p.offsetS = 72))[0]!.message).toContain('offset 72')
  })
  it('a duration that is not a multiple of 0.1 s is rejected', () => {
    expect(broken((p) => void (p.intervals[0]!.durationS = 29.95))[0]!.message).toContain('not a multiple of 0.1 s')
  })
  it('a malformed controller is a finding, not an exception', () => {
    const r = validateSignals({ id: 'J1' }, [plan()])
    expect(r.ok).toBe(false)
    expect(r.violations[0]!.rule).toBe('SIG-10')
  })
})

describe('SIG-11 cycle bounds', () => {
  it('a 150 s cycle is a warning', () => {
    const r = validateSignals(junction(), [plan(withRows({ 0: [108, 'G', 'R', 'G'] }))])
    expect(warns(r, 'SIG-11')).toHaveLength(1)
  })
})

describe('SIG-12 Italian operating schedule', () => {
  it('17. a fixed-time plan scheduled 22:00–06:00 is rejected; marked actuated it is accepted', () => {
    const c = junction({ schedule: [{ days: [1, 2, 3, 4, 5], from: '22:00', to: '06:00', planId: 'day' }] })
    expect(rejects(validateSignals(c, [plan()]), 'SIG-12')[0]!.message).toContain('art. 169')
    expect(validateSignals(c, [plan(BASE_ROWS, { control: 'actuated' })]).ok).toBe(true)
  })

  it('a designated night program of a multi-program controller may be fixed time', () => {
    const c = junction({ schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '23:00', planId: 'day' }, { days: [1, 2, 3, 4, 5, 6, 7], from: '23:00', to: '07:00', planId: 'night' }] })
    const night = plan(BASE_ROWS, { id: 'night', name: 'Night', nightProgram: true })
    expect(rejects(validateSignals(c, [plan(), night]), 'SIG-12')).toEqual([])
    expect(rejects(validateSignals(c, [plan(), { ...night, nightProgram: false }]), 'SIG-12')).toHaveLength(1)
  })

  it('17. an off program with vehicle heads dark (not flashing yellow) is rejected', () => {
    const off = plan([[1, 'DARK', 'FY', 'DARK']], { id: 'off', name: 'Off', control: 'off' })
    const v = rejects(validateSignals(junction(), [plan(), off]), 'SIG-12')[0]
    expect(v).toMatchObject({ groups: ['A'], planId: 'off' })
    expect(validateSignals(junction(), [plan(), plan([[1, 'FY', 'FY', 'DARK']], { id: 'off', name: 'Off', control: 'off' })]).ok).toBe(true)
  })
})

describe('SIG-13 startup, failure and transitions', () => {
  it('18. a controller with no startup sequence is rejected', () => {
    expect(rejects(validateSignals(junction({ startup: null }), [plan()]), 'SIG-13')[0]!.message).toContain('no startup sequence')
  })

  it('18. a startup straight from flash to the greens is rejected', () => {
    const r = validateSignals(junction({ startup: { flashS: 5, allRedS: 0 } }), [plan()])
    const msgs = rejects(r, 'SIG-13').map((v) => v.message).join('\n')
    expect(msgs).toContain('shorter than the largest intergreen')
    expect(msgs).toContain('straight from FY to G')
  })

  it('a dark failure mode is not allowed in Italy', () => {
    expect(rejects(validateSignals(junction({ failureMode: 'dark' }), [plan()]), 'SIG-13')[0]!.message).toContain('art. 169 c.3')
  })
})

describe('SIG-14 clearance vs the conflict monitor', () => {
  it('a dark head in a normal plan is a red-fail', () => {
    const r = validateSignals(junction(), [plan(withRows({ 3: [3, 'R', 'R', 'DARK'] }))])
    expect(rejects(r, 'SIG-14')[0]).toMatchObject({ groups: ['P'], interval: 3 })
  })
})

describe('report', () => {
  it('carries the validator version and profile, rejections before warnings', () => {
    const r = validateSignals(junction(), [plan(withRows({ 2: [3, 'Y', 'R', 'R'], 3: [4, 'R', 'R', 'R'], 4: [4, 'R', 'G', 'R'] }))])
    expect(r.validatorVersion).toMatch(/^gemello-signal-safety\//)
    expect(r.violations.map((v) => v.severity)).toEqual([...r.violations.map((v) => v.severity)].sort((a, b) => (a === b ? 0 : a === 'reject' ? -1 : 1)))
    expect(only(r)).toEqual(['SIG-07'])
  })
})
