import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ORACLE_RULES, expandTicks, runOracle, type OracleController, type OraclePlan, type OracleRule } from './timeline-oracle'
import { describeCase, signalCaseArb } from './plan-arbitraries'

/**
 * V1, V2: conflicting vehicles; P1: a 10 m crossing that conflicts with V1 and walks with V2.
 * Safe plan: V1 20 s G, 4 s Y, 2 s all-red; V2 + P1 15 s G, 4 s Y, 7 s all-red (cycle 52 s).
 */
function controller(over: { ig?: Partial<Record<string, Record<string, number>>>; p1?: Partial<OracleController['signalGroups'][number]>; v1?: Partial<OracleController['signalGroups'][number]> } = {}): OracleController {
  return {
    signalGroups: [
      { id: 'V1', type: 'vehicle', minGreenS: null, crossing: null, ...over.v1 },
      { id: 'V2', type: 'vehicle', minGreenS: null, crossing: null },
      { id: 'P1', type: 'pedestrian', crossing: { lengthM: 10, refugeAtM: null, sensitive: false }, ...over.p1 },
    ],
    conflicts: ['.xx', 'x..', 'x..'],
    intergreen: {
      V1: { V2: 3, P1: 3 },
      V2: { V1: 3 },
      P1: { V1: 3 },
      ...over.ig,
    } as Record<string, Record<string, number>>,
  }
}

type Row = [number, string, string, string]
const plan = (rows: Row[]): OraclePlan => ({ intervals: rows.map(([durationS, ...states]) => ({ durationS, states })) })
const SAFE: Row[] = [
  [20, 'G', 'R', 'R'],
  [4, 'Y', 'R', 'R'],
  [2, 'R', 'R', 'R'],
  [15, 'R', 'G', 'G'],
  [4, 'R', 'Y', 'Y'],
  [7, 'R', 'R', 'R'],
]
const withRow = (i: number, row: Row, base: Row[] = SAFE): Row[] => base.map((r, k) => (k === i ? row : r))
const rulesOf = (c: OracleController, rows: Row[]): OracleRule[] => [...runOracle(c, plan(rows)).rules].sort()

describe('timeline oracle', () => {
  it('expands a plan into two cycles of 0.1 s ticks', () => {
    const { ticks, cycleTicks } = expandTicks(plan([[0.3, 'G', 'R', 'R'], [0.2, 'Y', 'R', 'R']]), 3)
    expect(cycleTicks).toBe(5)
    expect(ticks.map((t) => t[0])).toEqual(['G', 'G', 'G', 'Y', 'Y', 'G', 'G', 'G', 'Y', 'Y'])
  })

  it('accepts the safe plan', () => {
    expect(rulesOf(controller(), SAFE)).toEqual([])
  })

  it('SIG-01: conflicting greens, and amber overlapping a conflicting green', () => {
    expect(rulesOf(controller(), withRow(0, [20, 'G', 'R', 'G']))).toContain('SIG-01')
    const overlap = runOracle(controller(), plan(withRow(1, [4, 'Y', 'G', 'R'])))
    expect(overlap.rules.has('SIG-01')).toBe(true)
    const f = overlap.findings.find((x) => x.rule === 'SIG-01')!
    expect(f.groups).toEqual(['V1', 'V2'])
    expect(f.tick).toBe(200)
    // Non-conflicting V2 and P1 together are fine.
    expect(rulesOf(controller(), SAFE)).not.toContain('SIG-01')
  })

  it('SIG-03: G→R, R→Y, RY, and a bad change across the wrap only', () => {
    expect(rulesOf(controller(), withRow(1, [4, 'R', 'R', 'R']))).toContain('SIG-03') // V1 G→R
    expect(rulesOf(controller(), withRow(0, [20, 'RY', 'R', 'R']))).toContain('SIG-03')
    // The plan starts in yellow: the wrap goes R → Y.
    const wrap: Row[] = [SAFE[1]!, SAFE[2]!, SAFE[3]!, SAFE[4]!, SAFE[5]!, SAFE[0]!]
    expect(rulesOf(controller(), wrap)).toEqual([])
    const bad = runOracle(controller(), plan([[4, 'Y', 'R', 'R'], ...SAFE.slice(2)]))
    expect(bad.rules.has('SIG-03')).toBe(true)
    expect(bad.findings.find((f) => f.rule === 'SIG-03')!.tick).toBe(bad.cycleTicks) // at the wrap
    // G ↔ Gflash → Y is legal; R → Gflash is not.
    expect(rulesOf(controller(), withRow(3, [10, 'R', 'G', 'G'], [...SAFE.slice(0, 4), [5, 'R', 'G', 'Gflash'], ...SAFE.slice(4)]))).toEqual([])
    expect(rulesOf(controller(), withRow(3, [15, 'R', 'G', 'Gflash']))).toContain('SIG-03')
  })

  it('SIG-04: vehicle yellow below 3.0 s or above 6.0 s', () => {
    expect(rulesOf(controller(), withRow(1, [2.9, 'Y', 'R', 'R']))).toContain('SIG-04')
    expect(rulesOf(controller(), withRow(1, [3.0, 'Y', 'R', 'R']))).not.toContain('SIG-04')
    expect(rulesOf(controller(), withRow(1, [6.0, 'Y', 'R', 'R']))).not.toContain('SIG-04')
    expect(rulesOf(controller(), withRow(1, [6.1, 'Y', 'R', 'R']))).toContain('SIG-04')
    // A yellow split over two intervals counts as one run (3.5 s here).
    expect(rulesOf(controller(), [SAFE[0]!, [2, 'Y', 'R', 'R'], [1.5, 'Y', 'R', 'R'], ...SAFE.slice(2)])).toEqual([])
    // Pedestrian yellow: no SIG-04 (P1 yellow 2 s, then an all-red long enough for the clearance).
    expect(rulesOf(controller(), [...SAFE.slice(0, 4), [2, 'R', 'Y', 'Y'], [2, 'R', 'Y', 'R'], SAFE[5]!])).toEqual([])
    expect(rulesOf(controller(), [...SAFE.slice(0, 4), [2, 'R', 'Y', 'Y'], [8, 'R', 'R', 'R']])).toEqual(['SIG-04']) // V2's yellow is 2 s too
  })

  it('SIG-06: intergreen inside the cycle and across the wrap only (case 10)', () => {
    // V1 → V2 gets 6 s (4 s Y + 2 s all-red).
    expect(rulesOf(controller({ ig: { V1: { V2: 6, P1: 3 } } }), SAFE)).toEqual([])
    expect(rulesOf(controller({ ig: { V1: { V2: 6.1, P1: 3 } } }), SAFE)).toEqual(['SIG-06'])
    // V2 → V1 gets 11 s, only across the wrap (V2 ends in interval 3, V1 starts at interval 0).
    expect(rulesOf(controller({ ig: { V2: { V1: 11 } } }), SAFE)).toEqual([])
    const wrap = runOracle(controller({ ig: { V2: { V1: 12 } } }), plan(SAFE))
    expect([...wrap.rules]).toEqual(['SIG-06'])
    const f = wrap.findings[0]!
    expect(f.groups).toEqual(['V2', 'V1'])
    expect(f.tick).toBe(wrap.cycleTicks)
    expect([f.needTicks, f.gotTicks]).toEqual([120, 110])
    // A missing entry for a conflicting pair.
    expect(rulesOf(controller({ ig: { V2: {} } }), SAFE)).toEqual(['SIG-06'])
  })

  it('SIG-07: minimum green (5 s, or the group minGreenS), whole-cycle green is fine', () => {
    expect(rulesOf(controller(), withRow(0, [4.9, 'G', 'R', 'R']))).toEqual(['SIG-07'])
    expect(rulesOf(controller(), withRow(0, [5, 'G', 'R', 'R']))).toEqual([])
    expect(rulesOf(controller({ v1: { minGreenS: 8 } }), withRow(0, [7.9, 'G', 'R', 'R']))).toEqual(['SIG-07'])
    expect(rulesOf(controller({ v1: { minGreenS: 8 } }), withRow(0, [8, 'G', 'R', 'R']))).toEqual([])
    // Pedestrian green 4.9 s (V2 stays green for 15 s).
    expect(rulesOf(controller(), [...SAFE.slice(0, 3), [4.9, 'R', 'G', 'G'], [10.1, 'R', 'G', 'R'], ...SAFE.slice(4)])).toContain('SIG-07')
    // V2 green the whole cycle (conflicts with no one else here): no SIG-07 for it.
    const c: OracleController = { ...controller(), conflicts: ['..x', '...', 'x..'], intergreen: { V1: { P1: 3 }, P1: { V1: 3 } } }
    expect(rulesOf(c, SAFE.map(([d, a, , p]) => [d, a, 'G', p] as Row))).toEqual([])
  })

  it('SIG-08: pedestrian clearance to the next conflicting vehicle green (case 14)', () => {
    // 10 m at 1.0 m/s = 10 s; the plan gives P1's yellow 4 s + all-red 7 s = 11 s.
    expect(rulesOf(controller(), SAFE)).toEqual([])
    // 14 m: needs 14 s, gets 11 s.
    const long = runOracle(controller({ p1: { crossing: { lengthM: 14, refugeAtM: null, sensitive: false } } }), plan(withRow(5, [6, 'R', 'R', 'R'])))
    expect([...long.rules]).toEqual(['SIG-08'])
    expect([long.findings[0]!.needTicks, long.findings[0]!.gotTicks]).toEqual([140, 100])
    // School zone: 14 m at 0.8 m/s = 17.5 s; 17.4 s fails, 17.5 s passes.
    const school = controller({ p1: { crossing: { lengthM: 14, refugeAtM: null, sensitive: true } } })
    expect(rulesOf(school, withRow(5, [13.4, 'R', 'R', 'R']))).toEqual(['SIG-08'])
    expect(rulesOf(school, withRow(5, [13.5, 'R', 'R', 'R']))).toEqual([])
    // A refuge at 4 m of 14 m: the longer half (10 m) at 1.0 m/s = 10 s.
    const refuge = controller({ p1: { crossing: { lengthM: 14, refugeAtM: 4, sensitive: false } } })
    expect(rulesOf(refuge, withRow(5, [6, 'R', 'R', 'R']))).toEqual([])
    expect(rulesOf(refuge, withRow(5, [5.9, 'R', 'R', 'R']))).toEqual(['SIG-08'])
  })
})

describe('plan arbitraries', () => {
  it('the oracle does not care where the cycle starts (rotation invariance)', () => {
    fc.assert(
      fc.property(signalCaseArb, fc.nat(), (c, at) => {
        const ivs = c.plan.intervals
        const r = at % ivs.length
        const rotated = { intervals: [...ivs.slice(r), ...ivs.slice(0, r)] }
        expect([...runOracle(c.controller, rotated).rules].sort()).toEqual([...runOracle(c.controller, c.plan).rules].sort())
      }),
      { numRuns: 1000, seed: 7 },
    )
  })

  it('every unmutated plan is safe, and a good share of all plans is accepted', () => {
    const samples = fc.sample(signalCaseArb, { numRuns: 5000, seed: 20240607 })
    let accepted = 0
    const perRule = Object.fromEntries(ORACLE_RULES.map((r) => [r, 0])) as Record<OracleRule, number>
    const intervals: number[] = []
    for (const c of samples) {
      const res = runOracle(c.controller, c.plan)
      if (c.mutations.every((m) => m.includes('rotate@')) && res.rules.size > 0) throw new Error(`baseline plan not safe: ${[...res.rules]}\n${describeCase(c)}`)
      if (res.rules.size === 0) accepted++
      for (const r of res.rules) perRule[r]++
      intervals.push(c.plan.intervals.length)
      expect(c.plan.intervals.length).toBeGreaterThanOrEqual(2)
      expect(c.plan.intervals.length).toBeLessThanOrEqual(10)
      for (const iv of c.plan.intervals) {
        expect(Number.isInteger(Math.round(iv.durationS * 10))).toBe(true)
        expect(iv.durationS).toBeGreaterThanOrEqual(0.1)
        expect(iv.durationS).toBeLessThanOrEqual(40)
      }
      expect(c.plan.offsetS).toBeLessThan(c.plan.cycleS)
    }
    const share = accepted / samples.length
    console.log(`[plan-arbitraries] oracle accepts ${(share * 100).toFixed(1)} % of ${samples.length} plans; plans flagged per rule: ${JSON.stringify(perRule)}`)
    expect(share).toBeGreaterThanOrEqual(0.2)
    for (const r of ORACLE_RULES) expect(perRule[r]).toBeGreaterThan(50)
  })
})
