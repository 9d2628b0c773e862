/**
 * The alarm KPIs read against their targets (ISA-18.2 / EEMUA 191, reliability-security.md §5):
 * ≤ 6 alarms per operator per hour is very likely acceptable, ≤ 12 manageable, more is overload;
 * priorities ~80 % low / 15 % medium / 5 % high; time in flood under 1 %.
 */
import type { AlarmPriority } from '../../../contracts/alarms'

export const RATE_ACCEPTABLE = 6
export const RATE_MANAGEABLE = 12
export const FLOOD_SHARE_TARGET = 0.01
export const PRIORITY_TARGET = { high: 0.05, medium: 0.15, low: 0.8 } as const
/** A share this far (in points) from its target is reported as off target. */
export const PRIORITY_TOLERANCE = 0.05

export type RateBand = 'acceptable' | 'manageable' | 'overloaded'

export function rateBand(alarmsPerOperatorHour: number): RateBand {
  if (alarmsPerOperatorHour <= RATE_ACCEPTABLE) return 'acceptable'
  if (alarmsPerOperatorHour <= RATE_MANAGEABLE) return 'manageable'
  return 'overloaded'
}

export interface PriorityShare {
  priority: keyof typeof PRIORITY_TARGET
  count: number
  /** Of the high + medium + low activations (diagnostics are device problems, not in the target); null with none. */
  share: number | null
  target: number
  /** above / below the target by more than the tolerance, else on target; null without activations. */
  verdict: 'above' | 'below' | 'on-target' | null
}

export function priorityShares(byPriority: Partial<Record<AlarmPriority, number>>): PriorityShare[] {
  const order = ['high', 'medium', 'low'] as const
  const total = order.reduce((n, p) => n + (byPriority[p] ?? 0), 0)
  return order.map((priority) => {
    const count = byPriority[priority] ?? 0
    const target = PRIORITY_TARGET[priority]
    const share = total === 0 ? null : count / total
    const verdict = share === null ? null : share > target + PRIORITY_TOLERANCE ? 'above' : share < target - PRIORITY_TOLERANCE ? 'below' : 'on-target'
    return { priority, count, share, target, verdict }
  })
}

/** A high-priority share above target is the one that matters to the operator: it dilutes urgency. */
export function priorityAbnormal(s: PriorityShare): boolean {
  return s.verdict === 'above' && s.priority !== 'low'
}

export function floodAbnormal(floodShare: number): boolean {
  return floodShare >= FLOOD_SHARE_TARGET
}
