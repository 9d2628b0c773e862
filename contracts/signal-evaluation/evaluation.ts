/**
 * Evaluate a signal plan against demand: per-group HCM capacity, delay, queue and LOS, Webster's
 * optimal cycle and splits, the intersection summary, and a before/after comparison of two plans.
 * The formulas and their defaults are in stages.ts (timing) and webster-hcm.ts (traffic).
 *
 * Vehicle metrics cover vehicle, cyclist and tram groups that have a demand row; pedestrian
 * groups get their timing only. Functions take already-parsed (or hand-built) objects and never
 * parse; the schemas are for the edges (HTTP, files, the editor's worker).
 */
import { z } from 'zod'
import { SIGNAL_GROUP_TYPES, SignalControllerSchema, SignalPlanSchema, PLAN_CONTROLS } from '../schemas/signal-plan'
import type { SignalGroupInput, SignalPlanInput } from '../schemas/signal-plan'
import { TIMING_VIEWS, effectiveRedsS, planTimeline } from './stages'
import {
  DEFAULT_ANALYSIS_PERIOD_H,
  DEFAULT_CYCLE_BOUNDS,
  LEVELS_OF_SERVICE,
  SATURATION_FLOW_VEH_H_PER_LANE,
  hcmGroup,
  incrementalDelayK,
  levelOfService,
  webster,
} from './webster-hcm'
import type { LevelOfService, WebsterGroup } from './webster-hcm'

const Seconds = z.number().nonnegative()
const Los = z.enum(LEVELS_OF_SERVICE)

// ── Input ────────────────────────────────────────────────────────────────────────────────────────

export const GroupDemandSchema = z.object({
  groupId: z.string().min(1),
  flowVehH: z.number().nonnegative(),
  /** Default: the number of SUMO lanes the group lists, at least 1. */
  lanes: z.number().int().positive().max(12).optional(),
  /** Default by the group's turn: through 1800, left/right 1650, mixed 1700. */
  saturationFlowVehHPerLane: z.number().positive().max(3000).optional(),
})
export type GroupDemand = z.infer<typeof GroupDemandSchema>

export const EvaluationOptionsSchema = z.object({
  view: z.enum(TIMING_VIEWS).default('nominal'),
  startupLostS: Seconds.max(10).default(2),
  endLossS: Seconds.max(10).default(1),
  analysisPeriodH: z.number().positive().max(4).default(DEFAULT_ANALYSIS_PERIOD_H),
  /** HCM incremental-delay k; default 0.5 fixed, 0.4 actuated/adaptive. */
  k: z.number().positive().max(1).optional(),
  cycleBounds: z.object({ minS: z.number().positive().default(DEFAULT_CYCLE_BOUNDS.minS), maxS: z.number().positive().default(DEFAULT_CYCLE_BOUNDS.maxS) }).prefault({}),
})
export type EvaluationOptions = z.input<typeof EvaluationOptionsSchema>

export const EvaluationInputSchema = z.object({
  controller: SignalControllerSchema.pick({ id: true, signalGroups: true }),
  plan: SignalPlanSchema,
  demand: z.array(GroupDemandSchema),
  options: EvaluationOptionsSchema.prefault({}),
})
/** What evaluate() takes: a parsed input, or a hand-built one (defaults are applied inside). */
export interface EvaluationInput {
  controller: { id: string; signalGroups: readonly SignalGroupInput[] }
  plan: Pick<SignalPlanInput, 'id' | 'control' | 'cycleS' | 'intervals'>
  demand: readonly GroupDemand[]
  options?: EvaluationOptions | undefined
}

// ── Output ───────────────────────────────────────────────────────────────────────────────────────

export const GreenRunSchema = z.object({ startS: Seconds, greenS: Seconds, yellowS: Seconds, effectiveGreenS: Seconds, effectiveStartS: Seconds })
export const GroupTimingSchema = z.object({ groupId: z.string(), greenS: Seconds, yellowS: Seconds, effectiveGreenS: Seconds, runs: z.array(GreenRunSchema), mainStage: z.number().int().min(-1) })
export const GroupMetricsSchema = z.object({
  flowVehH: z.number(),
  lanes: z.number(),
  saturationFlowVehH: z.number(),
  flowRatio: z.number(),
  greenRatio: z.number(),
  capacityVehH: z.number(),
  degreeOfSaturation: z.number(),
  uniformDelayS: z.number(),
  incrementalDelayS: z.number(),
  controlDelayS: z.number(),
  los: Los,
  queue: z.object({ uniformVehPerLane: z.number(), overflowVehPerLane: z.number(), backOfQueueVehPerLane: z.number() }),
})
export const GroupEvaluationSchema = z.object({
  groupId: z.string(),
  type: z.enum(SIGNAL_GROUP_TYPES),
  timing: GroupTimingSchema,
  /** Null for pedestrian groups, groups without demand rows and groups without effective green. */
  metrics: GroupMetricsSchema.nullable(),
})
export const StageSchema = z.object({ index: z.number().int(), greenGroupIds: z.array(z.string()), startS: Seconds, durationS: Seconds, intervals: z.array(z.number().int()) })
export const WebsterStageSchema = z.object({
  stageIndex: z.number().int(),
  criticalGroupId: z.string().nullable(),
  flowRatio: z.number(),
  effectiveGreenS: Seconds,
  suggestedEffectiveGreenS: z.number().nullable(),
  suggestedDisplayedGreenS: z.number().nullable(),
})
export const WebsterSchema = z.object({
  flowRatioSum: z.number(),
  lostTimeS: Seconds,
  unclampedCycleS: z.number().nullable(),
  optimalCycleS: z.number().nullable(),
  clamped: z.enum(['min', 'max']).nullable(),
  oversaturated: z.boolean(),
  criticalX: z.number().nullable(),
  overlappingCriticalGreens: z.boolean(),
  stages: z.array(WebsterStageSchema),
})
export const IntersectionSummarySchema = z.object({
  flowVehH: z.number(),
  /** Flow-weighted mean control delay; null without demand. */
  delayS: z.number().nullable(),
  /** By delay alone (HCM intersection LOS). */
  los: Los.nullable(),
  /** HCM critical v/c, Y · C / (C − L). */
  criticalX: z.number().nullable(),
  maxDegreeOfSaturation: z.number().nullable(),
  maxDegreeGroupId: z.string().nullable(),
})
export const EVALUATION_WARNINGS = ['cycle-mismatch', 'unknown-group', 'pedestrian-demand', 'no-green', 'state-count', 'off-plan', 'overlapping-critical-greens'] as const
export const EvaluationWarningSchema = z.object({ code: z.enum(EVALUATION_WARNINGS), groupId: z.string().optional(), message: z.string() })
export const EvaluationSchema = z.object({
  controllerId: z.string(),
  planId: z.string(),
  control: z.enum(PLAN_CONTROLS),
  view: z.enum(TIMING_VIEWS),
  cycleS: Seconds,
  interStageS: Seconds,
  k: z.number(),
  analysisPeriodH: z.number(),
  lostTimePerRunS: Seconds,
  groups: z.array(GroupEvaluationSchema),
  stages: z.array(StageSchema),
  webster: WebsterSchema,
  intersection: IntersectionSummarySchema,
  warnings: z.array(EvaluationWarningSchema),
})
export type Evaluation = z.infer<typeof EvaluationSchema>
export type GroupEvaluation = z.infer<typeof GroupEvaluationSchema>
export type EvaluationWarning = z.infer<typeof EvaluationWarningSchema>

// ── Evaluate ─────────────────────────────────────────────────────────────────────────────────────

export function evaluate(input: EvaluationInput): Evaluation {
  const { controller, plan, demand } = input
  const o = input.options ?? {}
  const view = o.view ?? 'nominal'
  const lost = { startupLostS: o.startupLostS ?? 2, endLossS: o.endLossS ?? 1 }
  const lostPerRun = lost.startupLostS + lost.endLossS
  const T = o.analysisPeriodH ?? DEFAULT_ANALYSIS_PERIOD_H
  const k = o.k ?? incrementalDelayK(plan.control)
  const bounds = { minS: o.cycleBounds?.minS ?? DEFAULT_CYCLE_BOUNDS.minS, maxS: o.cycleBounds?.maxS ?? DEFAULT_CYCLE_BOUNDS.maxS }
  const groupsIn = controller.signalGroups
  const warnings: EvaluationWarning[] = []

  const ids = new Array<string>(groupsIn.length)
  const indexOf = new Map<string, number>()
  for (let g = 0; g < groupsIn.length; g++) {
    ids[g] = groupsIn[g]!.id
    indexOf.set(groupsIn[g]!.id, g)
  }
  for (let i = 0; i < plan.intervals.length; i++) {
    if (plan.intervals[i]!.states.length !== groupsIn.length) {
      warnings.push({ code: 'state-count', message: `interval ${i} has ${plan.intervals[i]!.states.length} states for ${groupsIn.length} groups` })
    }
  }
  const timeline = planTimeline(plan.intervals, ids, view, lost)
  const C = timeline.cycleS
  if (view === 'nominal' && Math.abs(C - plan.cycleS) > 1e-6) {
    warnings.push({ code: 'cycle-mismatch', message: `the intervals sum to ${C} s, the plan says ${plan.cycleS} s; evaluated on ${C} s` })
  }
  if (plan.control === 'off') warnings.push({ code: 'off-plan', message: 'a flashing (off) program has no greens to evaluate' })

  const demandOf = new Array<GroupDemand | undefined>(groupsIn.length)
  for (const d of demand) {
    const g = indexOf.get(d.groupId)
    if (g === undefined) warnings.push({ code: 'unknown-group', groupId: d.groupId, message: `demand for ${d.groupId}, which is not a group of ${controller.id}` })
    else demandOf[g] = d
  }

  const groups: GroupEvaluation[] = new Array(groupsIn.length)
  const websterGroups: WebsterGroup[] = []
  let flowSum = 0
  let delayFlowSum = 0
  let maxX: number | null = null
  let maxXGroup: string | null = null
  for (let g = 0; g < groupsIn.length; g++) {
    const group = groupsIn[g]!
    const timing = timeline.groups[g]!
    const d = demandOf[g]
    let metrics: GroupEvaluation['metrics'] = null
    if (d && group.type === 'pedestrian') {
      warnings.push({ code: 'pedestrian-demand', groupId: group.id, message: `${group.id} is a pedestrian group: no vehicle metrics` })
    } else if (d && timing.effectiveGreenS <= 0) {
      warnings.push({ code: 'no-green', groupId: group.id, message: `${group.id} has demand but no effective green in this plan` })
    } else if (d) {
      metrics = hcmGroup({
        cycleS: C,
        flowVehH: d.flowVehH,
        lanes: d.lanes ?? Math.max(1, group.lanes?.length ?? 0),
        saturationFlowVehHPerLane: d.saturationFlowVehHPerLane ?? SATURATION_FLOW_VEH_H_PER_LANE[group.turn ?? 'through'],
        effectiveGreenS: timing.effectiveGreenS,
        effectiveRedsS: effectiveRedsS(timing.runs, C),
        analysisPeriodH: T,
        k,
      })
      websterGroups.push({ timingIndex: g, flowRatio: metrics.flowRatio })
      flowSum += metrics.flowVehH
      delayFlowSum += metrics.flowVehH * metrics.controlDelayS
      if (maxX === null || metrics.degreeOfSaturation > maxX) {
        maxX = metrics.degreeOfSaturation
        maxXGroup = group.id
      }
    }
    groups[g] = { groupId: group.id, type: group.type, timing, metrics }
  }

  const w = webster(timeline, websterGroups, lostPerRun, bounds)
  if (w.overlappingCriticalGreens) {
    warnings.push({ code: 'overlapping-critical-greens', message: 'the critical groups of different stages are green together: Webster lost time set to 0' })
  }
  const delayS = flowSum > 0 ? delayFlowSum / flowSum : null
  return {
    controllerId: controller.id,
    planId: plan.id,
    control: plan.control,
    view,
    cycleS: C,
    interStageS: timeline.interStageS,
    k,
    analysisPeriodH: T,
    lostTimePerRunS: lostPerRun,
    groups,
    stages: timeline.stages,
    webster: w,
    intersection: {
      flowVehH: flowSum,
      delayS,
      los: delayS === null ? null : levelOfService(delayS),
      criticalX: websterGroups.length > 0 ? w.criticalX : null,
      maxDegreeOfSaturation: maxX,
      maxDegreeGroupId: maxXGroup,
    },
    warnings,
  }
}

/** Many junctions at once (the 13 Bologna junctions in well under 100 ms): one pass, no parsing. */
export function evaluateAll(inputs: readonly EvaluationInput[]): Evaluation[] {
  const out: Evaluation[] = new Array(inputs.length)
  for (let i = 0; i < inputs.length; i++) out[i] = evaluate(inputs[i]!)
  return out
}

// ── Compare ──────────────────────────────────────────────────────────────────────────────────────

const SideSchema = z.object({ delayS: z.number().nullable(), degreeOfSaturation: z.number().nullable(), los: Los.nullable(), queueVehPerLane: z.number().nullable() })
const DeltaSchema = z.object({
  delayS: z.number().nullable(),
  degreeOfSaturation: z.number().nullable(),
  queueVehPerLane: z.number().nullable(),
  /** proposed − current in LOS letters: positive is worse. */
  losSteps: z.number().int().nullable(),
})
export const PlanComparisonSchema = z.object({
  current: z.object({ controllerId: z.string(), planId: z.string(), cycleS: Seconds }),
  proposed: z.object({ controllerId: z.string(), planId: z.string(), cycleS: Seconds }),
  groups: z.array(z.object({ groupId: z.string(), current: SideSchema.nullable(), proposed: SideSchema.nullable(), delta: DeltaSchema })),
  /** degreeOfSaturation is the critical X; queueVehPerLane the largest back of queue. */
  intersection: z.object({ current: SideSchema, proposed: SideSchema, delta: DeltaSchema }),
})
export type PlanComparison = z.infer<typeof PlanComparisonSchema>
type Side = z.infer<typeof SideSchema>

function groupSide(g: GroupEvaluation | undefined): Side | null {
  if (!g) return null
  const m = g.metrics
  return { delayS: m?.controlDelayS ?? null, degreeOfSaturation: m?.degreeOfSaturation ?? null, los: m?.los ?? null, queueVehPerLane: m?.queue.backOfQueueVehPerLane ?? null }
}

function intersectionSide(e: Evaluation): Side {
  let queue: number | null = null
  for (const g of e.groups) if (g.metrics && (queue === null || g.metrics.queue.backOfQueueVehPerLane > queue)) queue = g.metrics.queue.backOfQueueVehPerLane
  return { delayS: e.intersection.delayS, degreeOfSaturation: e.intersection.criticalX, los: e.intersection.los, queueVehPerLane: queue }
}

const diff = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : b - a)
const losIndex = (l: LevelOfService | null | undefined) => (l == null ? null : LEVELS_OF_SERVICE.indexOf(l))

function delta(a: Side | null, b: Side | null): z.infer<typeof DeltaSchema> {
  return {
    delayS: diff(a?.delayS, b?.delayS),
    degreeOfSaturation: diff(a?.degreeOfSaturation, b?.degreeOfSaturation),
    queueVehPerLane: diff(a?.queueVehPerLane, b?.queueVehPerLane),
    losSteps: diff(losIndex(a?.los), losIndex(b?.los)),
  }
}

/** Per-group and intersection deltas (proposed − current) for the side-by-side view. */
export function comparePlans(current: Evaluation, proposed: Evaluation): PlanComparison {
  const byId = new Map(proposed.groups.map((g) => [g.groupId, g]))
  const groups: PlanComparison['groups'] = []
  for (const g of current.groups) {
    const a = groupSide(g)
    const b = groupSide(byId.get(g.groupId))
    groups.push({ groupId: g.groupId, current: a, proposed: b, delta: delta(a, b) })
    byId.delete(g.groupId)
  }
  for (const g of byId.values()) groups.push({ groupId: g.groupId, current: null, proposed: groupSide(g), delta: delta(null, null) })
  const a = intersectionSide(current)
  const b = intersectionSide(proposed)
  const head = (e: Evaluation) => ({ controllerId: e.controllerId, planId: e.planId, cycleS: e.cycleS })
  return { current: head(current), proposed: head(proposed), groups, intersection: { current: a, proposed: b, delta: delta(a, b) } }
}
