/**
 * The stage sequence diagram (Phasenfolge / sequenza delle fasi): each stage — consecutive intervals
 * with the same set of green groups (contracts/signal-evaluation/stages.ts planTimeline) — as a box
 * with its green groups and duration, and between two stages the inter-stage transition: the
 * intervals with no green group, their total time, and which groups stop and start.
 */
import type { PlanInterval } from '../../../contracts/schemas/signal-plan'
import { planTimeline } from '../../../contracts/signal-evaluation/stages'

export interface StageBox {
  index: number
  /** "1", "2", … for people. */
  label: string
  greenGroupIds: string[]
  startS: number
  durationS: number
  intervals: number[]
}

export interface StageTransition {
  fromStage: number
  toStage: number
  /** Seconds with no green group between the two stages (0 when one stage follows the other directly). */
  interStageS: number
  /** Inter-stage intervals, in time order. */
  intervals: number[]
  /** Groups green in the stage left and not in the next one, and the reverse. */
  ending: string[]
  starting: string[]
}

export interface StageSequence {
  cycleS: number
  stages: StageBox[]
  transitions: StageTransition[]
  /** Σ inter-stage seconds over the cycle. */
  interStageS: number
}

export function stageSequence(intervals: readonly Pick<PlanInterval, 'durationS' | 'states'>[], groupIds: readonly string[]): StageSequence {
  const tl = planTimeline(intervals, groupIds)
  const n = intervals.length
  const stages: StageBox[] = tl.stages.map((s) => ({ index: s.index, label: String(s.index + 1), greenGroupIds: s.greenGroupIds, startS: s.startS, durationS: s.durationS, intervals: s.intervals }))
  const transitions: StageTransition[] = []
  if (stages.length > 0) {
    for (const stage of stages) {
      const last = stage.intervals[stage.intervals.length - 1]!
      const between: number[] = []
      let interStageS = 0
      let i = (last + 1) % n
      let guard = 0
      while (tl.stageOfInterval[i] === -1 && guard++ < n) {
        between.push(i)
        interStageS += tl.intervalDurationS[i]!
        i = (i + 1) % n
      }
      const next = tl.stageOfInterval[i] ?? -1
      if (next < 0) continue
      const to = stages[next]!
      transitions.push({
        fromStage: stage.index,
        toStage: next,
        interStageS: Math.round(interStageS * 10) / 10,
        intervals: between,
        ending: stage.greenGroupIds.filter((g) => !to.greenGroupIds.includes(g)),
        starting: to.greenGroupIds.filter((g) => !stage.greenGroupIds.includes(g)),
      })
    }
  }
  return { cycleS: tl.cycleS, stages, transitions, interStageS: Math.round(tl.interStageS * 10) / 10 }
}
