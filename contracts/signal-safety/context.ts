/**
 * What every rule needs about a controller, computed once: the groups, the effective conflict
 * matrix (K with the recorded permissive overrides applied), the intergreen matrix in ticks, and
 * the collector of violations (deduplicated: a fault seen in both cycles is one finding).
 */
import type { SignalController, SignalGroup, SignalPlan } from '../schemas/signal-plan'
import type { ProfileParams } from './profiles'
import type { SigRule, Violation, ViolationContext } from './violation'

export interface RuleContext {
  controller: SignalController
  profile: ProfileParams
  groups: SignalGroup[]
  n: number
  index: Map<string, number>
  /** conflict[i][j]: i and j may never have right of way together (K = 'x' either way — an asymmetric K is also a SIG-02 rejection — and no recorded permissive override). */
  conflict: boolean[][]
  /** Intergreen IG[i][j] in ticks, or null when the matrix has no value. */
  igTicks: Array<Array<number | null>>
  report: Reporter
}

export interface Where {
  plan?: SignalPlan | null
  fromPlan?: SignalPlan | null
  interval?: number | null
  atS?: number | null
  context: ViolationContext
}

export class Reporter {
  readonly violations: Violation[] = []
  private readonly seen = new Set<string>()
  private readonly cycleFindings = new Set<string>()

  /** Whether this rule already fired for these groups at this plan interval on a plain cycle. */
  seenInCycle(rule: SigRule, groups: readonly string[], planId: string | null, interval: number | null): boolean {
    return this.cycleFindings.has([rule, planId ?? '', [...groups].sort().join(','), interval ?? ''].join('|'))
  }

  add(rule: SigRule, severity: 'reject' | 'warn', groups: readonly string[], where: Where, message: string): void {
    const interval = where.interval ?? null
    // One finding per rule, groups, place and context: the same fault in the second cycle, or again with the actuated intervals at their minimum, is not news.
    const key = [rule, severity, where.plan?.id ?? '', where.fromPlan?.id ?? '', [...groups].sort().join(','), interval ?? '', where.context].join('|')
    if (where.context === 'cycle' || where.context === 'wrap') this.cycleFindings.add([rule, where.plan?.id ?? '', [...groups].sort().join(','), interval ?? ''].join('|'))
    if (this.seen.has(key)) return
    this.seen.add(key)
    const v: Violation = {
      rule,
      severity,
      context: where.context,
      planId: where.plan?.id ?? null,
      groups: [...groups],
      interval,
      atS: where.atS === undefined || where.atS === null ? null : Math.round(where.atS * 10) / 10,
      message,
    }
    if (where.fromPlan) v.fromPlanId = where.fromPlan.id
    const name = interval !== null ? where.plan?.intervals[interval]?.name : undefined
    if (name) v.intervalName = name
    this.violations.push(v)
  }
}

export const fmtS = (ticks: number) => `${(ticks / 10).toFixed(1)} s`

/** "interval 3 (name)" for messages; intervals are numbered from 1 for people. */
export function intervalLabel(plan: SignalPlan, k: number): string {
  const name = plan.intervals[k]?.name
  return `interval ${k + 1}${name ? ` "${name}"` : ''}`
}

export function buildContext(controller: SignalController, profile: ProfileParams, report: Reporter): RuleContext {
  const groups = controller.signalGroups
  const n = groups.length
  const index = new Map(groups.map((g, i) => [g.id, i]))
  const conflict = groups.map((_, i) => groups.map((__, j) => i !== j && (controller.conflicts[i]?.[j] === 'x' || controller.conflicts[j]?.[i] === 'x')))
  for (const p of controller.permissive) {
    const a = index.get(p.a)
    const b = index.get(p.b)
    if (a === undefined || b === undefined) continue
    conflict[a]![b] = false
    conflict[b]![a] = false
  }
  const igTicks = groups.map((gi) => groups.map((gj) => {
    const v = controller.intergreen[gi.id]?.[gj.id]
    return v === undefined ? null : Math.round(v * 10)
  }))
  return { controller, profile, groups, n, index, conflict, igTicks, report }
}

export const isVehicleLike = (g: SignalGroup) => g.type !== 'pedestrian'
