import { describe, expect, it } from 'vitest'
import type { SignalState } from '../schemas/signal-plan'
import { effectiveRedsS, planTimeline } from './stages'

/** Intervals from [duration, states…] rows. */
const plan = (rows: Array<[number, ...SignalState[]]>) => rows.map(([durationS, ...states]) => ({ durationS, states }))

describe('signal plan timing', () => {
  it('finds green, yellow and effective green per group, and two stages with 10 s inter-stage time', () => {
    // A: G 42 + Y 3 − 3 lost = g 42 (effective window 2..44); B: G 38 + Y 3 − 3 = g 38.
    const t = planTimeline(plan([[42, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R'], [38, 'R', 'G'], [3, 'R', 'Y'], [2, 'R', 'R']]), ['A', 'B'])
    expect(t.cycleS).toBe(90)
    expect(t.groups[0]).toMatchObject({ groupId: 'A', greenS: 42, yellowS: 3, effectiveGreenS: 42, mainStage: 0 })
    expect(t.groups[0]!.runs).toEqual([{ startS: 0, greenS: 42, yellowS: 3, effectiveGreenS: 42, effectiveStartS: 2 }])
    expect(t.groups[1]).toMatchObject({ groupId: 'B', greenS: 38, yellowS: 3, effectiveGreenS: 38, mainStage: 1 })
    expect(t.stages).toEqual([
      { index: 0, greenGroupIds: ['A'], startS: 0, durationS: 42, intervals: [0] },
      { index: 1, greenGroupIds: ['B'], startS: 47, durationS: 38, intervals: [3] },
    ])
    expect(t.interStageS).toBe(10)
    expect(t.stageOfInterval).toEqual([0, -1, -1, 1, -1, -1])
  })

  it('keeps both green runs of a group served twice, and sums them', () => {
    // A: run 1 at 0 (G 12, Y 3 → g 12, window 2..14), run 2 at 42 (G 13, Y 3 → g 13, window 44..57).
    // Effective reds 14→44 = 30 and 57→62 = 5: they sum to C − g = 60 − 25.
    const t = planTimeline(
      plan([[12, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R'], [20, 'R', 'G'], [3, 'R', 'Y'], [2, 'R', 'R'], [13, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R']]),
      ['A', 'B'],
    )
    const a = t.groups[0]!
    expect(a.runs.map((r) => [r.startS, r.greenS, r.yellowS, r.effectiveGreenS])).toEqual([[0, 12, 3, 12], [42, 13, 3, 13]])
    expect([a.greenS, a.yellowS, a.effectiveGreenS]).toEqual([25, 6, 25])
    expect(effectiveRedsS(a.runs, 60)).toEqual([30, 5])
    // Three stages ({A}, {B}, {A}); A's larger run (13 s) is in the third.
    expect(t.stages.map((s) => s.greenGroupIds)).toEqual([['A'], ['B'], ['A']])
    expect(a.mainStage).toBe(2)
  })

  it('joins a green run and its stage across the cycle wrap', () => {
    // A: G 5 at 55 + G 5 at 0 = one run of 10 s starting at 55, then Y 3.
    const t = planTimeline(plan([[5, 'G', 'R'], [3, 'Y', 'R'], [2, 'R', 'R'], [40, 'R', 'G'], [3, 'R', 'Y'], [2, 'R', 'R'], [5, 'G', 'R']]), ['A', 'B'])
    expect(t.groups[0]!.runs).toEqual([{ startS: 55, greenS: 10, yellowS: 3, effectiveGreenS: 10, effectiveStartS: 57 }])
    expect(effectiveRedsS(t.groups[0]!.runs, 60)).toEqual([50])
    expect(t.stages[0]).toEqual({ index: 0, greenGroupIds: ['A'], startS: 55, durationS: 10, intervals: [6, 0] })
    expect(t.stages).toHaveLength(2)
  })

  it('counts flashing green as green and splits a stage where a pedestrian group ends', () => {
    const t = planTimeline(plan([[20, 'G', 'G'], [6, 'G', 'Gflash'], [8, 'G', 'R'], [3, 'Y', 'R'], [23, 'R', 'R']]), ['A', 'PA'])
    expect(t.groups[1]).toMatchObject({ greenS: 26, yellowS: 0, effectiveGreenS: 23 })
    expect(t.stages.map((s) => [s.greenGroupIds, s.durationS])).toEqual([[['A', 'PA'], 26], [['A'], 8]])
    expect(t.groups[0]!.mainStage).toBe(0)
  })

  it('uses minS / maxS in the min and max views of an actuated plan', () => {
    const ivs = [
      { durationS: 30, minS: 10, maxS: 50, states: ['G', 'R'] as SignalState[] },
      { durationS: 3, states: ['Y', 'R'] as SignalState[] },
      { durationS: 20, minS: 8, maxS: 35, states: ['R', 'G'] as SignalState[] },
      { durationS: 3, states: ['R', 'Y'] as SignalState[] },
    ]
    expect(planTimeline(ivs, ['A', 'B'], 'nominal').cycleS).toBe(56)
    expect(planTimeline(ivs, ['A', 'B'], 'min').cycleS).toBe(24)
    const max = planTimeline(ivs, ['A', 'B'], 'max')
    expect([max.cycleS, max.groups[0]!.greenS, max.groups[1]!.effectiveGreenS]).toEqual([91, 50, 35])
  })

  it('gives an always-green group the whole cycle without lost time, and a never-green group nothing', () => {
    const t = planTimeline(plan([[30, 'G', 'R'], [30, 'G', 'R']]), ['A', 'B'])
    expect(t.groups[0]).toMatchObject({ greenS: 60, effectiveGreenS: 60 })
    expect(t.groups[1]).toMatchObject({ greenS: 0, effectiveGreenS: 0, runs: [], mainStage: -1 })
    expect(effectiveRedsS(t.groups[1]!.runs, 60)).toEqual([60])
    expect(t.stages).toEqual([{ index: 0, greenGroupIds: ['A'], startS: 0, durationS: 60, intervals: [0, 1] }])
  })
})
