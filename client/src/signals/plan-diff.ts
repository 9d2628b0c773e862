/**
 * What changed between two versions of a signal plan, the way an engineer reviews it before
 * approving: the plan's own fields (name, control, cycle, offset, switch points, night program) and,
 * interval by interval, durations and bounds changed, states changed per group, intervals added and
 * removed.
 *
 * Intervals are aligned by their state vectors with an edit distance: keeping an interval costs 1.5 ×
 * the share of groups whose state differs (plus a hair when the duration differs), adding or
 * removing one costs 1 — so two intervals that share less than a third of their states read as one
 * removed and one added. So inserting or deleting an interval does not show every later one as
 * changed, and a changed cell is a changed interval, not a removal and an addition — even when the
 * plan repeats a state vector (two all-red intervals).
 */
import type { PlanInterval, SignalPlan, SignalState } from '../../../contracts/schemas/signal-plan'

export const PLAN_FIELDS = ['name', 'control', 'cycleS', 'offsetS', 'switchPoints', 'nightProgram'] as const
export type PlanField = (typeof PLAN_FIELDS)[number]

export interface FieldChange {
  field: PlanField
  from: string
  to: string
}

export interface StateChange {
  groupId: string
  from: SignalState | undefined
  to: SignalState | undefined
}

export type IntervalChangeKind = 'same' | 'changed' | 'added' | 'removed'

export interface IntervalChange {
  kind: IntervalChangeKind
  /** Index in a (null when added) and in b (null when removed). */
  aIndex: number | null
  bIndex: number | null
  durationFromS: number | null
  durationToS: number | null
  durationChanged: boolean
  boundsChanged: boolean
  nameChanged: boolean
  states: StateChange[]
}

export interface PlanDiff {
  fields: FieldChange[]
  intervals: IntervalChange[]
  added: number
  removed: number
  changed: number
  /** Anything differs. */
  differs: boolean
}

type Interval = Pick<PlanInterval, 'durationS' | 'states'> & { name?: string | undefined; minS?: number | undefined; maxS?: number | undefined }
type DiffablePlan = Pick<SignalPlan, 'name' | 'control' | 'cycleS' | 'offsetS' | 'switchPoints' | 'nightProgram'> & { intervals: readonly Interval[] }

const fieldText = (p: DiffablePlan, f: PlanField): string => {
  const v = p[f]
  return Array.isArray(v) ? v.join(', ') : String(v)
}

export type AlignStep = { op: 'keep'; i: number; j: number } | { op: 'remove'; i: number } | { op: 'add'; j: number }

function keepCost(a: Interval, b: Interval): number {
  const count = Math.max(a.states.length, b.states.length, 1)
  let differ = 0
  for (let g = 0; g < count; g++) if (a.states[g] !== b.states[g]) differ++
  return (1.5 * differ) / count + (Math.round(a.durationS * 10) !== Math.round(b.durationS * 10) ? 1e-3 : 0)
}

/** The cheapest alignment of two interval lists, in order; at equal cost keep, then remove, then add. */
export function alignIntervals(a: readonly Interval[], b: readonly Interval[]): AlignStep[] {
  const n = a.length
  const m = b.length
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n) cost[i]![j] = m - j
      else if (j === m) cost[i]![j] = n - i
      else cost[i]![j] = Math.min(keepCost(a[i]!, b[j]!) + cost[i + 1]![j + 1]!, 1 + cost[i + 1]![j]!, 1 + cost[i]![j + 1]!)
    }
  }
  const steps: AlignStep[] = []
  let i = 0
  let j = 0
  const eps = 1e-9
  while (i < n || j < m) {
    const here = cost[i]![j]!
    if (i < n && j < m && Math.abs(keepCost(a[i]!, b[j]!) + cost[i + 1]![j + 1]! - here) < eps) steps.push({ op: 'keep', i: i++, j: j++ })
    else if (i < n && Math.abs(1 + cost[i + 1]![j]! - here) < eps) steps.push({ op: 'remove', i: i++ })
    else steps.push({ op: 'add', j: j++ })
  }
  return steps
}

function compare(a: Interval | null, b: Interval | null, aIndex: number | null, bIndex: number | null, groupIds: readonly string[]): IntervalChange {
  if (!a || !b) {
    return {
      kind: a ? 'removed' : 'added',
      aIndex,
      bIndex,
      durationFromS: a?.durationS ?? null,
      durationToS: b?.durationS ?? null,
      durationChanged: false,
      boundsChanged: false,
      nameChanged: false,
      states: [],
    }
  }
  const count = Math.max(a.states.length, b.states.length)
  const states: StateChange[] = []
  for (let g = 0; g < count; g++) if (a.states[g] !== b.states[g]) states.push({ groupId: groupIds[g] ?? `#${g + 1}`, from: a.states[g], to: b.states[g] })
  const durationChanged = Math.round(a.durationS * 10) !== Math.round(b.durationS * 10)
  const boundsChanged = (a.minS ?? null) !== (b.minS ?? null) || (a.maxS ?? null) !== (b.maxS ?? null)
  const nameChanged = (a.name ?? '') !== (b.name ?? '')
  const kind: IntervalChangeKind = durationChanged || boundsChanged || nameChanged || states.length > 0 ? 'changed' : 'same'
  return { kind, aIndex, bIndex, durationFromS: a.durationS, durationToS: b.durationS, durationChanged, boundsChanged, nameChanged, states }
}

/**
 * The differences from plan `a` (older) to plan `b` (newer). `groupIds` names the state positions
 * (the controller's groups in order); without it they are "#1", "#2", ….
 */
export function diffPlans(a: DiffablePlan, b: DiffablePlan, groupIds: readonly string[] = []): PlanDiff {
  const fields: FieldChange[] = []
  for (const f of PLAN_FIELDS) {
    const from = fieldText(a, f)
    const to = fieldText(b, f)
    if (from !== to) fields.push({ field: f, from, to })
  }
  const intervals = alignIntervals(a.intervals, b.intervals).map((step) =>
    step.op === 'keep'
      ? compare(a.intervals[step.i]!, b.intervals[step.j]!, step.i, step.j, groupIds)
      : step.op === 'remove'
        ? compare(a.intervals[step.i]!, null, step.i, null, groupIds)
        : compare(null, b.intervals[step.j]!, null, step.j, groupIds),
  )
  const count = (k: IntervalChangeKind) => intervals.filter((c) => c.kind === k).length
  const added = count('added')
  const removed = count('removed')
  const changed = count('changed')
  return { fields, intervals, added, removed, changed, differs: fields.length > 0 || added + removed + changed > 0 }
}
