/**
 * The traffic half of the evaluation: HCM signalized-intersection delay, capacity, queue and level
 * of service per signal group, and Webster's optimal cycle and green splits per stage.
 * Units: flows veh/h, times s, the analysis period T in hours.
 *
 *   s = lanes × per-lane saturation flow           y = v / s
 *   c = s · g / C                                  X = v / c
 *   d1 = Σ r_i² / (2 · C · (1 − min(1, X) · g / C))   (HCM uniform delay; one red r = C − g gives
 *        the textbook 0.5 · C · (1 − g/C)² / (1 − min(1, X) · g/C); with several green runs each
 *        effective red r_i adds its own deterministic queue triangle)
 *   d2 = 900 · T · [(X − 1) + √((X − 1)² + 8 · k · I · X / (c · T))], I = 1
 *   d  = d1 + d2 (progression factor 1, no initial queue)
 *   queue per lane at the start of green = max_i v · r_i / 3600 / lanes (one run: v · r / 3600 / lanes)
 *   overflow queue Q2 = c · T / 4 · [(X − 1) + √((X − 1)² + 8 · k · X / (c · T))] / lanes
 *   LOS by control delay: A ≤ 10, B ≤ 20, C ≤ 35, D ≤ 55, E ≤ 80, F above; any X > 1 is F.
 *
 * Webster: each vehicle group with demand counts in its main stage (the stage holding most of its
 * displayed green, stages.ts). The stage's critical group is the one with the largest y there; a
 * stage with no such group (an exclusive pedestrian stage, a pedestrian sub-stage) has none.
 *   Y = Σ critical y;  L = C − Σ critical groups' effective greens (all their runs);
 *   C_opt = ⌈(1.5 · L + 5) / (1 − Y)⌉ clamped to [30, 120] s (flagged); Y ≥ 1 → oversaturated, no C_opt;
 *   suggested effective green of stage i = (C_opt − L) · y_i / Y, displayed = that − Y_i + lost × runs.
 *   Critical X (HCM) = Y · C / (C − L).
 */
import type { PlanControl } from '../schemas/signal-plan'
import type { PlanTimeline } from './stages'

export const LEVELS_OF_SERVICE = ['A', 'B', 'C', 'D', 'E', 'F'] as const
export type LevelOfService = (typeof LEVELS_OF_SERVICE)[number]
/** Upper control-delay bound of LOS A…E, s/veh (HCM signalized intersections). */
export const LOS_MAX_DELAY_S = [10, 20, 35, 55, 80] as const

/** Default saturation flow per lane by movement, veh/h/lane. */
export const SATURATION_FLOW_VEH_H_PER_LANE = { through: 1800, left: 1650, right: 1650, mixed: 1700 } as const
export const DEFAULT_ANALYSIS_PERIOD_H = 0.25
export const DEFAULT_CYCLE_BOUNDS = { minS: 30, maxS: 120 } as const

/** HCM incremental-delay calibration k: 0.5 pretimed (and flashing), 0.4 actuated/adaptive. */
export function incrementalDelayK(control: PlanControl): number {
  return control === 'actuated' || control === 'adaptive' ? 0.4 : 0.5
}

export function levelOfService(delayS: number, degreeOfSaturation = 0): LevelOfService {
  if (degreeOfSaturation > 1) return 'F'
  for (let i = 0; i < LOS_MAX_DELAY_S.length; i++) if (delayS <= LOS_MAX_DELAY_S[i]!) return LEVELS_OF_SERVICE[i]!
  return 'F'
}

export interface HcmGroupInput {
  cycleS: number
  flowVehH: number
  lanes: number
  saturationFlowVehHPerLane: number
  effectiveGreenS: number
  /** Effective reds between the effective greens (stages.effectiveRedsS); they sum to C − g. */
  effectiveRedsS: readonly number[]
  analysisPeriodH: number
  k: number
}

export interface HcmGroupMetrics {
  flowVehH: number
  lanes: number
  saturationFlowVehH: number
  flowRatio: number
  greenRatio: number
  capacityVehH: number
  degreeOfSaturation: number
  uniformDelayS: number
  incrementalDelayS: number
  controlDelayS: number
  los: LevelOfService
  queue: {
    /** Vehicles per lane arriving during the longest effective red. */
    uniformVehPerLane: number
    overflowVehPerLane: number
    /** uniform + overflow. */
    backOfQueueVehPerLane: number
  }
}

/** The bracket shared by d2 and Q2: (X − 1) + √((X − 1)² + 8·k·X/(c·T)). */
function overflowTerm(x: number, capacityVehH: number, analysisPeriodH: number, k: number): number {
  const a = x - 1
  return a + Math.sqrt(a * a + (8 * k * x) / (capacityVehH * analysisPeriodH))
}

/** Metrics of one group; needs effectiveGreenS > 0 and a positive saturation flow. */
export function hcmGroup(p: HcmGroupInput): HcmGroupMetrics {
  const C = p.cycleS
  const gOverC = Math.min(1, p.effectiveGreenS / C)
  const s = p.lanes * p.saturationFlowVehHPerLane
  const c = s * gOverC
  const x = p.flowVehH / c
  const T = p.analysisPeriodH
  let sumRedSq = 0
  let maxRed = 0
  for (const r of p.effectiveRedsS) {
    sumRedSq += r * r
    if (r > maxRed) maxRed = r
  }
  const denom = 1 - Math.min(1, x) * gOverC
  const d1 = denom > 1e-12 ? sumRedSq / (2 * C * denom) : 0
  const bracket = overflowTerm(x, c, T, p.k)
  const d2 = 900 * T * bracket
  const d = d1 + d2
  const uniform = (p.flowVehH * maxRed) / 3600 / p.lanes
  const overflow = ((c * T) / 4) * bracket / p.lanes
  return {
    flowVehH: p.flowVehH,
    lanes: p.lanes,
    saturationFlowVehH: s,
    flowRatio: p.flowVehH / s,
    greenRatio: gOverC,
    capacityVehH: c,
    degreeOfSaturation: x,
    uniformDelayS: d1,
    incrementalDelayS: d2,
    controlDelayS: d,
    los: levelOfService(d, x),
    queue: { uniformVehPerLane: uniform, overflowVehPerLane: overflow, backOfQueueVehPerLane: uniform + overflow },
  }
}

export interface WebsterCycle {
  /** (1.5·L + 5)/(1 − Y) before rounding and clamping; null when Y ≥ 1. */
  unclampedCycleS: number | null
  /** Rounded up to 1 s and clamped; null when Y ≥ 1. */
  optimalCycleS: number | null
  clamped: 'min' | 'max' | null
  oversaturated: boolean
}

export function websterCycle(flowRatioSum: number, lostTimeS: number, bounds: { minS: number; maxS: number } = DEFAULT_CYCLE_BOUNDS): WebsterCycle {
  if (flowRatioSum >= 1) return { unclampedCycleS: null, optimalCycleS: null, clamped: null, oversaturated: true }
  const raw = (1.5 * lostTimeS + 5) / (1 - flowRatioSum)
  // Guard the ceiling against float noise (44.000000001 is 44).
  const up = Math.ceil(raw - 1e-9)
  const clamped = up < bounds.minS ? 'min' : up > bounds.maxS ? 'max' : null
  return { unclampedCycleS: raw, optimalCycleS: Math.min(bounds.maxS, Math.max(bounds.minS, up)), clamped, oversaturated: false }
}

export interface WebsterStage {
  stageIndex: number
  criticalGroupId: string | null
  /** The critical y; 0 without a critical group. */
  flowRatio: number
  /** The critical group's effective green (all its runs); 0 without one. */
  effectiveGreenS: number
  suggestedEffectiveGreenS: number | null
  /** Σ displayed green of the critical group's runs that gives the suggested effective green. */
  suggestedDisplayedGreenS: number | null
}

export interface WebsterResult extends WebsterCycle {
  flowRatioSum: number
  lostTimeS: number
  /** HCM critical v/c: Y · C / (C − L); null when C ≤ L. */
  criticalX: number | null
  /** Σ critical effective greens exceeds the cycle (critical greens overlap): L was set to 0. */
  overlappingCriticalGreens: boolean
  stages: WebsterStage[]
}

/** One evaluated group as Webster needs it: its timing index in the timeline and its y. */
export interface WebsterGroup {
  timingIndex: number
  flowRatio: number
}

export function webster(
  timeline: PlanTimeline,
  groups: readonly WebsterGroup[],
  lostPerRunS: number,
  bounds: { minS: number; maxS: number } = DEFAULT_CYCLE_BOUNDS,
): WebsterResult {
  const C = timeline.cycleS
  const critical = new Array<WebsterGroup | null>(timeline.stages.length).fill(null)
  for (const g of groups) {
    const s = timeline.groups[g.timingIndex]?.mainStage ?? -1
    if (s < 0) continue
    const cur = critical[s]
    if (!cur || g.flowRatio > cur.flowRatio) critical[s] = g
  }
  let Y = 0
  let sumG = 0
  for (const g of critical) {
    if (!g) continue
    Y += g.flowRatio
    sumG += timeline.groups[g.timingIndex]!.effectiveGreenS
  }
  const overlapping = sumG > C + 1e-9
  const L = Math.max(0, C - sumG)
  const cycle = websterCycle(Y, L, bounds)
  const split = cycle.optimalCycleS !== null && Y > 0 ? cycle.optimalCycleS - L : null
  const stages: WebsterStage[] = new Array(critical.length)
  for (let s = 0; s < critical.length; s++) {
    const g = critical[s]
    const timing = g ? timeline.groups[g.timingIndex]! : null
    const eff = g && split !== null ? (split * g.flowRatio) / Y : null
    stages[s] = {
      stageIndex: s,
      criticalGroupId: timing ? timing.groupId : null,
      flowRatio: g ? g.flowRatio : 0,
      effectiveGreenS: timing ? timing.effectiveGreenS : 0,
      suggestedEffectiveGreenS: eff,
      suggestedDisplayedGreenS: eff !== null && timing ? Math.max(0, eff - timing.yellowS + lostPerRunS * timing.runs.length) : null,
    }
  }
  return { ...cycle, flowRatioSum: Y, lostTimeS: L, criticalX: C - L > 1e-9 ? (Y * C) / (C - L) : null, overlappingCriticalGreens: overlapping, stages }
}
