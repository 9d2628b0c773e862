import { describe, expect, it } from 'vitest'
import type { EvaluateResponse } from '../../../contracts/signal-api'
import { comparePlans, evaluate } from '../../../contracts/signal-evaluation/evaluation'
import { setDuration } from './plan-edit'
import { evaluationTable, trendOf } from './evaluation-table'
import { controllerFixture, planFixture } from './testing/fixtures'

const demand = [
  { groupId: 'A', flowVehH: 900 },
  { groupId: 'B', flowVehH: 500 },
]

/** What the server answers: the edited plan evaluated, and compared with the running one. */
function response(current: ReturnType<typeof planFixture> | null, proposed: ReturnType<typeof planFixture>): EvaluateResponse {
  const controller = controllerFixture()
  const e = evaluate({ controller, plan: proposed, demand })
  const c = current ? evaluate({ controller, plan: current, demand }) : null
  return {
    demand: [...demand.map((d) => ({ groupId: d.groupId, flowVehH: d.flowVehH, lanes: 1, loops: [] })), { groupId: 'P', flowVehH: null, lanes: 1, loops: [] }],
    window: null,
    evaluation: e,
    current: c,
    comparison: c ? comparePlans(c, e) : null,
  }
}

describe('the evaluation table', () => {
  it('marks a longer side-street green better for B and worse for A', () => {
    // B green 20 → 30 s, A's green unchanged: B's delay and X fall, A waits longer (longer cycle).
    const t = evaluationTable(response(planFixture(), setDuration(planFixture(), 4, 30)))
    const a = t.groups.find((g) => g.groupId === 'A')!
    const b = t.groups.find((g) => g.groupId === 'B')!
    expect(b.x.trend).toBe('better')
    expect(b.delayS.trend).toBe('better')
    expect(a.delayS.trend).toBe('worse')
    expect(a.flowVehH).toBe(900)
    expect(a.delayS.delta).toBeCloseTo(a.delayS.proposed! - a.delayS.current!, 9)
  })

  it('has the junction row and Webster’s cycle for both plans', () => {
    const t = evaluationTable(response(planFixture(), setDuration(planFixture(), 4, 30)))
    expect(t.junction.flowVehH).toBe(1400)
    expect(t.webster.current!.cycleS).toBe(72)
    expect(t.webster.proposed.cycleS).toBe(82)
    expect(t.webster.proposed.optimalCycleS).toBeGreaterThan(0)
  })

  it('without a running plan shows the edited plan alone, with no trends', () => {
    const t = evaluationTable(response(null, planFixture()))
    const a = t.groups.find((g) => g.groupId === 'A')!
    expect(a.delayS.current).toBeNull()
    expect(a.delayS.proposed).toBeGreaterThan(0)
    expect(a.delayS.trend).toBeNull()
    expect(t.webster.current).toBeNull()
    expect(t.groups.find((g) => g.groupId === 'P')!.x.proposed).toBeNull()
  })

  it('the same plan on both sides changes nothing', () => {
    const t = evaluationTable(response(planFixture(), planFixture()))
    expect(t.groups.every((g) => g.delayS.trend === null || g.delayS.trend === 'same')).toBe(true)
    expect(t.junction.los.trend).toBe('same')
  })
})

describe('trendOf', () => {
  it('calls a rise worse and a fall better, beyond the threshold', () => {
    expect(trendOf(1, 0.5)).toBe('worse')
    expect(trendOf(-1, 0.5)).toBe('better')
    expect(trendOf(0.2, 0.5)).toBe('same')
    expect(trendOf(null, 0.5)).toBeNull()
  })
})
