/**
 * The side-by-side evaluation table: per signal group the flow, degree of saturation X, control delay,
 * LOS and back of queue of the plan running now and of the edited plan, with each delta marked better
 * or worse (only a real change is marked: colour is for what changed, ISA-101), plus the junction
 * row and Webster's optimal cycle for both. Reads the server's answer (contracts/signal-api.ts
 * EvaluateResponse: `evaluation` is the edited plan, `current` the running one).
 */
import type { EvaluateResponse } from '../../../contracts/signal-api'
import type { PlanComparison } from '../../../contracts/signal-evaluation/evaluation'

export type Trend = 'better' | 'worse' | 'same'
type Side = NonNullable<PlanComparison['groups'][number]['current']>

export interface MetricPair {
  current: number | null
  proposed: number | null
  delta: number | null
  trend: Trend | null
}

export interface EvaluationRow {
  groupId: string
  /** null for the junction row. */
  type: string | null
  flowVehH: number | null
  x: MetricPair
  delayS: MetricPair
  queueVeh: MetricPair
  los: { current: string | null; proposed: string | null; trend: Trend | null }
}

export interface WebsterPair {
  current: { optimalCycleS: number | null; clamped: 'min' | 'max' | null; oversaturated: boolean; cycleS: number } | null
  proposed: { optimalCycleS: number | null; clamped: 'min' | 'max' | null; oversaturated: boolean; cycleS: number }
}

export interface EvaluationTable {
  groups: EvaluationRow[]
  junction: EvaluationRow
  webster: WebsterPair
  warnings: string[]
}

/** Smallest changes worth a colour: 0.5 s of delay, 0.01 of X, 0.1 vehicles of queue. */
export const TREND_THRESHOLDS = { delayS: 0.5, x: 0.01, queueVeh: 0.1 } as const

/** Higher is worse for every metric shown (delay, X, queue, LOS letter). */
export function trendOf(delta: number | null, threshold: number): Trend | null {
  if (delta === null || !Number.isFinite(delta)) return null
  if (delta > threshold) return 'worse'
  if (delta < -threshold) return 'better'
  return 'same'
}

function pair(current: number | null | undefined, proposed: number | null | undefined, threshold: number): MetricPair {
  const c = current ?? null
  const p = proposed ?? null
  const delta = c === null || p === null ? null : p - c
  return { current: c, proposed: p, delta, trend: trendOf(delta, threshold) }
}

function row(groupId: string, type: string | null, flowVehH: number | null, current: Side | null, proposed: Side | null, losSteps: number | null): EvaluationRow {
  return {
    groupId,
    type,
    flowVehH,
    x: pair(current?.degreeOfSaturation, proposed?.degreeOfSaturation, TREND_THRESHOLDS.x),
    delayS: pair(current?.delayS, proposed?.delayS, TREND_THRESHOLDS.delayS),
    queueVeh: pair(current?.queueVehPerLane, proposed?.queueVehPerLane, TREND_THRESHOLDS.queueVeh),
    los: { current: current?.los ?? null, proposed: proposed?.los ?? null, trend: trendOf(losSteps, 0) },
  }
}

export function evaluationTable(r: EvaluateResponse): EvaluationTable {
  const proposed = r.evaluation
  const byGroup = new Map(r.comparison?.groups.map((g) => [g.groupId, g]) ?? [])
  const demand = new Map(r.demand.map((d) => [d.groupId, d.flowVehH]))
  const groups = proposed.groups.map((g) => {
    const cmp = byGroup.get(g.groupId)
    const m = g.metrics
    const own: Side | null = m ? { delayS: m.controlDelayS, degreeOfSaturation: m.degreeOfSaturation, los: m.los, queueVehPerLane: m.queue.backOfQueueVehPerLane } : null
    return row(g.groupId, g.type, m?.flowVehH ?? demand.get(g.groupId) ?? null, cmp?.current ?? null, cmp?.proposed ?? own, cmp?.delta.losSteps ?? null)
  })
  const ix = r.comparison?.intersection
  const ownJunction: Side = { delayS: proposed.intersection.delayS, degreeOfSaturation: proposed.intersection.criticalX, los: proposed.intersection.los, queueVehPerLane: null }
  const junction = row('', null, proposed.intersection.flowVehH, ix?.current ?? null, ix?.proposed ?? ownJunction, ix?.delta.losSteps ?? null)
  const w = (e: NonNullable<EvaluateResponse['current']>) => ({ optimalCycleS: e.webster.optimalCycleS, clamped: e.webster.clamped, oversaturated: e.webster.oversaturated, cycleS: e.cycleS })
  return {
    groups,
    junction,
    webster: { current: r.current ? w(r.current) : null, proposed: w(proposed) },
    warnings: [...proposed.warnings.map((x) => x.message)],
  }
}
