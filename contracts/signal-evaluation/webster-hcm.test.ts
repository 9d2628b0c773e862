import { describe, expect, it } from 'vitest'
import { hcmGroup, incrementalDelayK, levelOfService, websterCycle } from './webster-hcm'

const group = (over: Partial<Parameters<typeof hcmGroup>[0]> = {}) =>
  hcmGroup({ cycleS: 90, flowVehH: 1080, lanes: 2, saturationFlowVehHPerLane: 1800, effectiveGreenS: 42, effectiveRedsS: [48], analysisPeriodH: 0.25, k: 0.5, ...over })

describe('HCM level of service', () => {
  it('puts each delay boundary in the lower level (A ≤ 10, B ≤ 20, C ≤ 35, D ≤ 55, E ≤ 80, F above)', () => {
    const cases: Array<[number, string]> = [[0, 'A'], [10, 'A'], [10.01, 'B'], [20, 'B'], [20.01, 'C'], [35, 'C'], [35.01, 'D'], [55, 'D'], [55.01, 'E'], [80, 'E'], [80.01, 'F']]
    for (const [d, los] of cases) expect(levelOfService(d), `${d} s`).toBe(los)
  })

  it('is F for any X above 1 whatever the delay, and not at X = 1', () => {
    expect(levelOfService(5, 1.01)).toBe('F')
    expect(levelOfService(5, 1)).toBe('A')
  })
})

describe('HCM group metrics', () => {
  it('computes capacity, X, d1, d2 and the queues of one lane group', () => {
    // s = 2 × 1800 = 3600, y = 0.30; c = 3600 · 42/90 = 1680; X = 1080/1680 = 0.642857 (X·g/C = y = 0.3)
    // d1 = 0.5 · 90 · (48/90)² / (1 − 0.3) = 12.8 / 0.7 = 18.286
    // d2 = 225 · [(−0.357143) + √(0.127551 + 8 · 0.5 · 0.642857 / (1680 · 0.25))] = 225 · 0.0084710 = 1.906
    // queue: 1080 · 48 / 3600 / 2 = 7.2 veh/lane; Q2 = 1680 · 0.25 / 4 · 0.0084710 / 2 = 0.4447
    const m = group()
    expect(m.saturationFlowVehH).toBe(3600)
    expect(m.flowRatio).toBeCloseTo(0.3, 10)
    expect(m.capacityVehH).toBeCloseTo(1680, 9)
    expect(m.degreeOfSaturation).toBeCloseTo(0.642857, 6)
    expect(m.uniformDelayS).toBeCloseTo(18.2857, 4)
    expect(m.incrementalDelayS).toBeCloseTo(1.906, 3)
    expect(m.controlDelayS).toBeCloseTo(20.192, 3)
    expect(m.los).toBe('C')
    expect(m.queue.uniformVehPerLane).toBeCloseTo(7.2, 10)
    expect(m.queue.overflowVehPerLane).toBeCloseTo(0.4447, 4)
  })

  it('caps X at 1 in d1 and lets d2 grow when oversaturated', () => {
    // v = 2000: X = 2000/1680 = 1.1905 → F; d1 = 0.5 · 90 · (48/90)² / (1 − 42/90) = 0.5 · 48 = 24
    // d2 = 225 · [0.190476 + √(0.036281 + 4 · 1.190476 / 420)] = 225 · 0.408694 = 91.956
    const over = group({ flowVehH: 2000 })
    expect(over.degreeOfSaturation).toBeGreaterThan(1)
    expect(over.los).toBe('F')
    expect(over.uniformDelayS).toBeCloseTo(24, 10)
    expect(over.incrementalDelayS).toBeCloseTo(91.956, 3)
    const d2 = [1500, 2000, 2500, 3000].map((v) => group({ flowVehH: v }).incrementalDelayS)
    for (let i = 1; i < d2.length; i++) expect(d2[i]!).toBeGreaterThan(d2[i - 1]!)
    // Well past capacity d2 ≈ 900 · T · 2 · (X − 1) = 450 · (X − 1): 2500 → 3000 veh/h is ΔX = 0.298, about 134 s.
    expect(d2[3]! - d2[2]!).toBeGreaterThan(125)
    expect(d2[3]! - d2[2]!).toBeLessThan(134)
  })

  it('has no incremental delay or queue without demand, only the uniform delay of the red', () => {
    const m = group({ flowVehH: 0 })
    expect([m.degreeOfSaturation, m.incrementalDelayS, m.queue.backOfQueueVehPerLane]).toEqual([0, 0, 0])
    expect(m.uniformDelayS).toBeCloseTo(0.5 * 90 * (48 / 90) ** 2, 10)
  })

  it('splits the uniform delay over the reds of a group with two green runs', () => {
    // g = 25 of C = 60 with reds 30 and 5: d1 = (30² + 5²) / (2 · 60 · (1 − y)), y = 300/1800 = 1/6;
    // one red of 35 would give 35² / (2 · 60 · (1 − 1/6)) = 12.25 instead of 9.25.
    const two = group({ cycleS: 60, flowVehH: 300, lanes: 1, effectiveGreenS: 25, effectiveRedsS: [30, 5] })
    expect(two.uniformDelayS).toBeCloseTo(925 / (120 * (5 / 6)), 10)
    expect(two.queue.uniformVehPerLane).toBeCloseTo((300 * 30) / 3600, 10)
    const one = group({ cycleS: 60, flowVehH: 300, lanes: 1, effectiveGreenS: 25, effectiveRedsS: [35] })
    expect(one.uniformDelayS).toBeCloseTo(12.25, 10)
  })

  it('uses k = 0.5 for fixed and flashing plans and 0.4 for actuated and adaptive ones', () => {
    expect(['fixed', 'off', 'actuated', 'adaptive'].map((c) => incrementalDelayK(c as 'fixed'))).toEqual([0.5, 0.5, 0.4, 0.4])
  })
})

describe('Webster cycle', () => {
  it('rounds (1.5 L + 5) / (1 − Y) up to the second', () => {
    // L = 10, Y = 0.55: 20 / 0.45 = 44.44 → 45
    expect(websterCycle(0.55, 10)).toMatchObject({ optimalCycleS: 45, clamped: null, oversaturated: false })
    expect(websterCycle(0.55, 10).unclampedCycleS).toBeCloseTo(44.444, 3)
  })

  it('clamps to 30–120 s with a flag, and has no cycle at Y ≥ 1', () => {
    expect(websterCycle(0.1, 10)).toMatchObject({ optimalCycleS: 30, clamped: 'min' })
    expect(websterCycle(0.9, 10)).toMatchObject({ optimalCycleS: 120, clamped: 'max' })
    expect(websterCycle(0.9, 10).unclampedCycleS).toBeCloseTo(200, 9)
    expect(websterCycle(1, 10)).toEqual({ unclampedCycleS: null, optimalCycleS: null, clamped: null, oversaturated: true })
  })
})
