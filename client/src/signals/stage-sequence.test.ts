import { describe, expect, it } from 'vitest'
import { stageSequence } from './stage-sequence'
import { GROUP_IDS, planFixture } from './testing/fixtures'

describe('the stage sequence', () => {
  it('boxes the stages of the base plan: A+P, A alone, B', () => {
    const s = stageSequence(planFixture().intervals, GROUP_IDS)
    expect(s.stages.map((x) => [x.label, x.greenGroupIds, x.startS, x.durationS])).toEqual([
      ['1', ['A', 'P'], 0, 30],
      ['2', ['A'], 30, 8],
      ['3', ['B'], 45, 20],
    ])
    expect(s.interStageS).toBe(14)
  })

  it('gives each transition its inter-stage time and the groups that stop and start', () => {
    const s = stageSequence(planFixture().intervals, GROUP_IDS)
    expect(s.transitions).toEqual([
      { fromStage: 0, toStage: 1, interStageS: 0, intervals: [], ending: ['P'], starting: [] },
      { fromStage: 1, toStage: 2, interStageS: 7, intervals: [2, 3], ending: ['A'], starting: ['B'] },
      { fromStage: 2, toStage: 0, interStageS: 7, intervals: [5, 6], ending: ['B'], starting: ['A', 'P'] },
    ])
  })

  it('joins a stage across the cycle wrap', () => {
    const p = planFixture([[10, 'G', 'R', 'R'], [4, 'Y', 'R', 'R'], [3, 'R', 'R', 'R'], [20, 'R', 'G', 'R'], [4, 'R', 'Y', 'R'], [3, 'R', 'R', 'R'], [20, 'G', 'R', 'R']])
    const s = stageSequence(p.intervals, GROUP_IDS)
    expect(s.stages).toHaveLength(2)
    expect(s.stages[0]).toMatchObject({ greenGroupIds: ['A'], startS: 44, durationS: 30, intervals: [6, 0] })
  })

  it('a plan with no green has no stages', () => {
    const s = stageSequence(planFixture([[5, 'R', 'R', 'R']]).intervals, GROUP_IDS)
    expect(s.stages).toEqual([])
    expect(s.transitions).toEqual([])
  })
})
