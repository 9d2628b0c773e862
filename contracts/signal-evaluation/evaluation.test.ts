import { describe, expect, it } from 'vitest'
import type { SignalGroupInput, SignalState } from '../schemas/signal-plan'
import { EvaluationInputSchema, EvaluationSchema, PlanComparisonSchema, comparePlans, evaluate, evaluateAll } from './evaluation'
import type { EvaluationInput, GroupDemand } from './evaluation'

const intervals = (rows: Array<[number, ...SignalState[]]>) => rows.map(([durationS, ...states]) => ({ durationS, states }))
const groups: SignalGroupInput[] = [
  { id: 'A', name: 'Via Irnerio through', type: 'vehicle', turn: 'through', lanes: ['a_0', 'a_1'] },
  { id: 'B', name: 'Via Righi mixed', type: 'vehicle', turn: 'mixed', lanes: ['b_0'] },
]
/** Two stages, C = 90: A G 42 · Y 3 · all-red 2 · B G 38 · Y 3 · all-red 2. */
const twoStage = intervals([[42, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R'], [38, 'R', 'G'], [3, 'R', 'Y'], [2, 'R', 'R']])
const input = (over: { flowA?: number; flowB?: number; rows?: ReturnType<typeof intervals>; control?: 'fixed' | 'actuated'; demand?: GroupDemand[] } = {}): EvaluationInput => {
  const rows = over.rows ?? twoStage
  return {
    controller: { id: '209', signalGroups: groups },
    plan: { id: 'peak', control: over.control ?? 'fixed', cycleS: rows.reduce((s, r) => s + r.durationS, 0), intervals: rows },
    demand: over.demand ?? [
      { groupId: 'A', flowVehH: over.flowA ?? 1080 },
      { groupId: 'B', flowVehH: over.flowB ?? 425 },
    ],
  }
}

describe('evaluate a two-stage fixed plan', () => {
  /*
   * By hand. g = G + Y − 3: gA = 42, gB = 38; C = 90; lanes from the SUMO lanes (2, 1), s by turn.
   *   A: s = 2 · 1800 = 3600, y = 1080/3600 = 0.30, c = 3600 · 42/90 = 1680, X = 0.642857
   *      d1 = 45 · (48/90)² / (1 − 0.3) = 18.286, d2 = 225 · 0.0084710 = 1.906, d = 20.192 → C
   *   B: s = 1700, y = 425/1700 = 0.25, c = 1700 · 38/90 = 717.78, X = 0.592105
   *      d1 = 45 · (52/90)² / (1 − 0.25) = 20.030, d2 = 225 · 0.0158702 = 3.571, d = 23.600 → C
   *   Intersection: (1080 · 20.192 + 425 · 23.600) / 1505 = 21.154 → C
   *   Webster: Y = 0.55, L = 90 − 42 − 38 = 10 (2 × (all-red 2 + lost 3)),
   *            C_opt = (1.5 · 10 + 5) / 0.45 = 44.44 → 45 s;
   *            effective greens (45 − 10) · 0.30/0.55 = 19.091 and · 0.25/0.55 = 15.909 (displayed the same: Y = lost = 3).
   *   Critical X = 0.55 · 90 / 80 = 0.61875.
   */
  it('matches the hand-computed flows, delays and levels of service', () => {
    const e = evaluate(input())
    expect([e.cycleS, e.interStageS, e.k, e.lostTimePerRunS]).toEqual([90, 10, 0.5, 3])
    const [a, b] = e.groups.map((g) => g.metrics!)
    expect(a!.flowRatio).toBeCloseTo(0.3, 10)
    expect(a!.degreeOfSaturation).toBeCloseTo(0.642857, 6)
    expect(a!.uniformDelayS).toBeCloseTo(18.2857, 4)
    expect(a!.incrementalDelayS).toBeCloseTo(1.906, 3)
    expect(a!.los).toBe('C')
    expect(b!.saturationFlowVehH).toBe(1700)
    expect(b!.capacityVehH).toBeCloseTo(717.78, 2)
    expect(b!.degreeOfSaturation).toBeCloseTo(0.592105, 6)
    expect(b!.uniformDelayS).toBeCloseTo(20.0296, 4)
    expect(b!.incrementalDelayS).toBeCloseTo(3.571, 3)
    expect(b!.controlDelayS).toBeCloseTo(23.6, 3)
    expect(e.intersection.delayS).toBeCloseTo(21.154, 3)
    expect(e.intersection).toMatchObject({ flowVehH: 1505, los: 'C', maxDegreeGroupId: 'A' })
    expect(e.intersection.criticalX).toBeCloseTo(0.61875, 10)
    expect(e.warnings).toEqual([])
  })

  it('computes Webster’s cycle and splits per stage', () => {
    const w = evaluate(input()).webster
    expect(w.flowRatioSum).toBeCloseTo(0.55, 10)
    expect(w.lostTimeS).toBeCloseTo(10, 10)
    expect(w).toMatchObject({ optimalCycleS: 45, clamped: null, oversaturated: false, overlappingCriticalGreens: false })
    expect(w.stages.map((s) => s.criticalGroupId)).toEqual(['A', 'B'])
    expect(w.stages[0]!.suggestedEffectiveGreenS).toBeCloseTo(19.091, 3)
    expect(w.stages[1]!.suggestedEffectiveGreenS).toBeCloseTo(15.909, 3)
    expect(w.stages[1]!.suggestedDisplayedGreenS).toBeCloseTo(15.909, 3)
  })

  it('marks an oversaturated group F, and Y ≥ 1 as an oversaturated junction without C_opt', () => {
    const over = evaluate(input({ flowA: 2000 }))
    expect(over.groups[0]!.metrics).toMatchObject({ los: 'F', uniformDelayS: 24 })
    expect(over.groups[0]!.metrics!.incrementalDelayS).toBeCloseTo(91.956, 3)
    expect(over.webster.oversaturated).toBe(false)
    const full = evaluate(input({ flowA: 2700 })).webster // y = 0.75 + 0.25 = 1
    expect(full).toMatchObject({ oversaturated: true, optimalCycleS: null })
    expect(full.stages.every((s) => s.suggestedEffectiveGreenS === null)).toBe(true)
  })

  it('counts a pedestrian sub-stage under the vehicle stage it shares', () => {
    // PA (parallel to A) ends 12 s before A: stages {A, PA}, {A}, {B}. A is mostly in the first; the
    // second has no critical group, and L stays 10 s.
    const rows = intervals([[30, 'G', 'R', 'G'], [12, 'G', 'R', 'Y'], [3, 'Y', 'R', 'R'], [2, 'R', 'R', 'R'], [38, 'R', 'G', 'R'], [3, 'R', 'Y', 'R'], [2, 'R', 'R', 'R']])
    const e = evaluate({ ...input({ rows }), controller: { id: '209', signalGroups: [...groups, { id: 'PA', name: 'Crossing', type: 'pedestrian' }] } })
    expect(e.stages.map((s) => s.greenGroupIds)).toEqual([['A', 'PA'], ['A'], ['B']])
    expect(e.webster.stages.map((s) => s.criticalGroupId)).toEqual(['A', null, 'B'])
    expect(e.webster.lostTimeS).toBeCloseTo(10, 10)
    expect(e.webster.optimalCycleS).toBe(45)
    expect(e.groups[2]).toMatchObject({ groupId: 'PA', metrics: null })
  })

  it('evaluates a group with two green runs on their summed green and split reds', () => {
    // A: runs G 12 + Y 3 and G 13 + Y 3 → g = 25, reds 30 and 5; B: G 20 + Y 3 → g = 20. C = 60.
    // yA = 300/3600 = 1/12 → d1 = (30² + 5²) / (2 · 60 · (1 − 1/12)) = 8.409.
    // Webster: A counts in its larger run's stage (the third); L = 60 − 25 − 20 = 15 (three inter-stages of 2 + 3).
    const rows = intervals([[12, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R'], [20, 'R', 'G'], [3, 'R', 'Y'], [2, 'R', 'R'], [13, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R']])
    const e = evaluate(input({ rows, flowA: 300, flowB: 300 }))
    const a = e.groups[0]!
    expect(a.timing.runs).toHaveLength(2)
    expect(a.timing.effectiveGreenS).toBe(25)
    expect(a.metrics!.capacityVehH).toBeCloseTo(1500, 9)
    expect(a.metrics!.uniformDelayS).toBeCloseTo(925 / (120 * (11 / 12)), 9)
    expect(e.webster.stages.map((s) => s.criticalGroupId)).toEqual([null, 'B', 'A'])
    expect(e.webster.lostTimeS).toBeCloseTo(15, 10)
    // Suggested displayed green of A is the total over its two runs: g' − 6 (yellows) + 2 · 3 (lost).
    const sa = e.webster.stages[2]!
    expect(sa.suggestedDisplayedGreenS).toBeCloseTo(sa.suggestedEffectiveGreenS!, 10)
  })

  it('uses k = 0.4 for an actuated plan and its max view on request', () => {
    const rows = [
      { durationS: 42, minS: 20, maxS: 60, states: ['G', 'R'] as SignalState[] },
      ...intervals([[3, 'Y', 'R'], [2, 'R', 'R'], [38, 'R', 'G'], [3, 'R', 'Y'], [2, 'R', 'R']]),
    ]
    const nominal = evaluate(input({ rows, control: 'actuated' }))
    expect(nominal.k).toBe(0.4)
    expect(nominal.groups[0]!.metrics!.incrementalDelayS).toBeLessThan(evaluate(input()).groups[0]!.metrics!.incrementalDelayS)
    const max = evaluate({ ...input({ rows, control: 'actuated' }), options: { view: 'max' } })
    expect([max.view, max.cycleS, max.groups[0]!.timing.greenS]).toEqual(['max', 108, 60])
    expect(max.warnings).toEqual([])
  })

  it('warns about demand it cannot use and a cycle that does not add up, and still evaluates the rest', () => {
    const e = evaluate({
      ...input({ demand: [{ groupId: 'A', flowVehH: 900 }, { groupId: 'Z', flowVehH: 10 }] }),
      plan: { id: 'peak', control: 'fixed', cycleS: 100, intervals: intervals([[42, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R'], [43, 'R', 'R']]) },
    })
    expect(e.warnings.map((w) => w.code)).toEqual(['cycle-mismatch', 'unknown-group'])
    expect(e.groups[0]!.metrics).not.toBeNull()
    expect(e.groups[1]!.metrics).toBeNull()
    const noGreen = evaluate({ ...input(), plan: { id: 'p', control: 'fixed', cycleS: 90, intervals: intervals([[87, 'G', 'R'], [3, 'Y', 'R']]) } })
    expect(noGreen.warnings).toEqual([{ code: 'no-green', groupId: 'B', message: expect.stringMatching(/no effective green/) }])
  })
})

describe('evaluation schemas, batches and comparisons', () => {
  it('parses a minimal input with its defaults, and its output conforms to EvaluationSchema', () => {
    const parsed = EvaluationInputSchema.parse({
      controller: { id: '209', signalGroups: groups.map((g) => ({ ...g })) },
      plan: { id: 'peak', controllerId: '209', name: 'Peak', control: 'fixed', cycleS: 90, offsetS: 0, intervals: twoStage },
      demand: [{ groupId: 'A', flowVehH: 1080 }],
    })
    expect(parsed.options).toEqual({ view: 'nominal', startupLostS: 2, endLossS: 1, analysisPeriodH: 0.25, cycleBounds: { minS: 30, maxS: 120 } })
    expect(EvaluationSchema.safeParse(evaluate(parsed)).success).toBe(true)
  })

  it('evaluates many junctions in one call, each as on its own', () => {
    const inputs = Array.from({ length: 13 }, (_, i) => input({ flowA: 600 + 50 * i }))
    const all = evaluateAll(inputs)
    expect(all).toHaveLength(13)
    expect(all[7]).toEqual(evaluate(inputs[7]!))
  })

  it('compares the current plan with Webster’s 45 s proposal, proposed − current', () => {
    const current = evaluate(input())
    // 45 s: A G 19 · Y 3 · AR 2 · B G 16 · Y 3 · AR 2 (Webster's 19.09 / 15.91, rounded).
    const proposed = evaluate(input({ rows: intervals([[19, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R'], [16, 'R', 'G'], [3, 'R', 'Y'], [2, 'R', 'R']]) }))
    const cmp = comparePlans(current, proposed)
    expect(PlanComparisonSchema.safeParse(cmp).success).toBe(true)
    expect(cmp.proposed.cycleS).toBe(45)
    const a = cmp.groups[0]!
    expect(a.delta.delayS).toBeCloseTo(a.proposed!.delayS! - a.current!.delayS!, 10)
    // The shorter cycle cuts delay (21.15 → 15.16 s, C → B) and queues, at a higher critical X (0.619 → 0.707).
    expect(cmp.intersection.current.los).toBe('C')
    expect(cmp.intersection.proposed.los).toBe('B')
    expect(cmp.intersection.delta.losSteps).toBe(-1)
    expect(cmp.intersection.delta.delayS!).toBeCloseTo(-5.998, 3)
    expect(cmp.intersection.delta.queueVehPerLane!).toBeLessThan(0)
    expect(cmp.intersection.delta.degreeOfSaturation!).toBeCloseTo(0.0884, 4)
  })
})
