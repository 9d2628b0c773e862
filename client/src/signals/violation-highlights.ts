/**
 * Where each validator finding goes on screen: the group rows, the interval cells and columns of the
 * bar chart, the pairs of the intergreen and conflict matrices, or the plan as a whole. A rejection
 * outranks a warning wherever both land. Pure, so the mapping is tested without a browser.
 */
import type { SignalPlan } from '../../../contracts/schemas/signal-plan'
import type { Violation } from '../../../contracts/signal-safety/violation'
import { intervalStartsS } from './plan-edit'

export type Severity = Violation['severity']

export interface Highlights {
  /** groupId → worst severity of a finding naming the group. */
  rows: Map<string, Severity>
  /** `${groupId}|${k}` → severity: the group in interval k. */
  cells: Map<string, Severity>
  /** k → severity: findings about interval k as a whole (no group named). */
  intervals: Map<number, Severity>
  /** `${a}|${b}` → severity: matrix findings on the ordered pair (a clearing, b entering; SIG-02 both ways). */
  pairs: Map<string, Severity>
  /** Findings with nothing more specific to point at (cycle length, schedule, startup). */
  plan: Severity | null
}

export const cellKey = (groupId: string, k: number) => `${groupId}|${k}`
export const pairKey = (a: string, b: string) => `${a}|${b}`

const worse = (a: Severity | undefined | null, b: Severity): Severity => (a === 'reject' || b === 'reject' ? 'reject' : 'warn')
const put = <K>(m: Map<K, Severity>, key: K, s: Severity) => m.set(key, worse(m.get(key), s))

/** The interval holding cycle second `atS` (the last interval at the cycle end); −1 outside the plan. */
export function intervalAt(plan: Pick<SignalPlan, 'intervals'>, atS: number): number {
  const starts = intervalStartsS(plan.intervals)
  const n = plan.intervals.length
  if (n === 0 || atS < 0) return -1
  for (let k = n - 1; k >= 0; k--) if (atS + 1e-9 >= starts[k]!) return k
  return -1
}

/** Whether a finding concerns this plan in the editor: its own, or the controller's (no plan). */
export function concernsPlan(v: Pick<Violation, 'planId'>, planId: string): boolean {
  return v.planId === null || v.planId === planId
}

export function emptyHighlights(): Highlights {
  return { rows: new Map(), cells: new Map(), intervals: new Map(), pairs: new Map(), plan: null }
}

export function highlightsOf(violations: readonly Violation[], plan: Pick<SignalPlan, 'id' | 'intervals'>, groupIds: readonly string[]): Highlights {
  const h = emptyHighlights()
  const known = new Set(groupIds)
  for (const v of violations) {
    if (!concernsPlan(v, plan.id)) continue
    const groups = v.groups.filter((g) => known.has(g))
    const k = v.interval ?? (v.atS !== null && v.context !== 'matrix' && v.context !== 'startup' ? intervalAt(plan, v.atS) : -1)
    const inPlan = k >= 0 && k < plan.intervals.length
    // Matrix findings, and intergreens broken on the timeline (SIG-06 names clearing then entering), point at the pair.
    if ((v.context === 'matrix' || v.rule === 'SIG-06') && groups.length === 2) {
      put(h.pairs, pairKey(groups[0]!, groups[1]!), v.severity)
      if (v.rule === 'SIG-02') put(h.pairs, pairKey(groups[1]!, groups[0]!), v.severity)
    }
    for (const g of groups) {
      put(h.rows, g, v.severity)
      if (inPlan) put(h.cells, cellKey(g, k), v.severity)
    }
    if (groups.length === 0 && inPlan) put(h.intervals, k, v.severity)
    if (groups.length === 0 && !inPlan) h.plan = worse(h.plan, v.severity)
  }
  return h
}

/** A stable id for a finding in the list (its rule, place and text). */
export function violationId(v: Violation): string {
  return [v.rule, v.severity, v.context, v.planId ?? '', v.fromPlanId ?? '', v.groups.join(','), v.interval ?? '', v.atS ?? '', v.message].join('|')
}

/** Counts per severity among the findings of this plan. */
export function countFindings(violations: readonly Violation[], planId: string): { rejects: number; warnings: number } {
  let rejects = 0
  let warnings = 0
  for (const v of violations) {
    if (!concernsPlan(v, planId)) continue
    if (v.severity === 'reject') rejects++
    else warnings++
  }
  return { rejects, warnings }
}
