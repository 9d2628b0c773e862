/**
 * Editing a signal plan as you type: every operation takes a plan and returns a new one (never
 * mutates), with the cycle kept equal to the sum of the interval durations, durations on the 0.1 s
 * grid the validator uses, and the offset and switch points kept inside the cycle. Whether the result
 * is safe is the validator's business (contracts/signal-safety), which runs after every edit.
 */
import { SIGNAL_STATES, type PlanInterval, type SafetyProfile, type SignalGroup, type SignalPlan, type SignalState } from '../../../contracts/schemas/signal-plan'

/** The shortest interval the editor makes (the validator's tick). */
export const MIN_INTERVAL_S = 0.1

export const round01 = (s: number): number => Math.round(s * 10) / 10

export function intervalStartsS(intervals: readonly Pick<PlanInterval, 'durationS'>[]): number[] {
  const out: number[] = []
  let t = 0
  for (const iv of intervals) {
    out.push(round01(t))
    t += iv.durationS
  }
  return out
}

export const sumDurationsS = (intervals: readonly Pick<PlanInterval, 'durationS'>[]): number => round01(intervals.reduce((s, iv) => s + iv.durationS, 0))

/** The plan with cycleS = Σ durations, the offset folded into [0, cycle) and switch points inside the cycle. */
export function withCycle(plan: SignalPlan, intervals: PlanInterval[] = plan.intervals): SignalPlan {
  const cycleS = sumDurationsS(intervals)
  const offsetS = cycleS > 0 && plan.offsetS >= cycleS ? round01(plan.offsetS % cycleS) : plan.offsetS
  const inside = plan.switchPoints.filter((s) => s < cycleS)
  return { ...plan, intervals, cycleS, offsetS, switchPoints: inside.length > 0 ? inside : [0] }
}

function replaceInterval(plan: SignalPlan, k: number, f: (iv: PlanInterval) => PlanInterval): SignalPlan {
  if (k < 0 || k >= plan.intervals.length) return plan
  return withCycle(plan, plan.intervals.map((iv, i) => (i === k ? f(iv) : iv)))
}

/** A positive duration on the 0.1 s grid (NaN and negatives become the minimum). */
export function cleanDurationS(value: number): number {
  return Number.isFinite(value) ? Math.max(MIN_INTERVAL_S, round01(value)) : MIN_INTERVAL_S
}

export function setDuration(plan: SignalPlan, k: number, durationS: number): SignalPlan {
  return replaceInterval(plan, k, (iv) => ({ ...iv, durationS: cleanDurationS(durationS) }))
}

/** Actuated / adaptive bounds; undefined removes a bound (a fixed interval has none). */
export function setBounds(plan: SignalPlan, k: number, bounds: { minS?: number | undefined; maxS?: number | undefined }): SignalPlan {
  return replaceInterval(plan, k, (iv) => {
    const next: PlanInterval = { ...iv }
    for (const key of ['minS', 'maxS'] as const) {
      if (!(key in bounds)) continue
      const v = bounds[key]
      if (v === undefined || !Number.isFinite(v)) delete next[key]
      else next[key] = cleanDurationS(v)
    }
    return next
  })
}

export function setIntervalName(plan: SignalPlan, k: number, name: string): SignalPlan {
  return replaceInterval(plan, k, (iv) => {
    const next: PlanInterval = { ...iv }
    if (name.trim() === '') delete next.name
    else next.name = name.slice(0, 60)
    return next
  })
}

export function setCellState(plan: SignalPlan, k: number, g: number, state: SignalState): SignalPlan {
  return replaceInterval(plan, k, (iv) => {
    if (g < 0 || g >= iv.states.length || iv.states[g] === state) return iv
    return { ...iv, states: iv.states.map((s, i) => (i === g ? state : s)) }
  })
}

/**
 * The states a click cycles through for a group: Italy R → G → Y (vehicles and pedestrians, art. 159
 * and 162), Germany R → RY → G → Y for vehicles and R → G for pedestrians (RiLSA). `all` (the
 * Alt-click) offers every state, flashing and dark included.
 */
export function stateCycle(group: Pick<SignalGroup, 'type'>, profile: SafetyProfile, all = false): readonly SignalState[] {
  if (all) return SIGNAL_STATES
  if (profile === 'de') return group.type === 'pedestrian' ? ['R', 'G'] : ['R', 'RY', 'G', 'Y']
  return ['R', 'G', 'Y']
}

/** The next state of a cell (the previous one with `reverse`); a state outside the cycle goes to its first. */
export function nextState(current: SignalState | undefined, cycle: readonly SignalState[], reverse = false): SignalState {
  const i = current === undefined ? -1 : cycle.indexOf(current)
  if (i < 0) return cycle[0] ?? 'R'
  const n = cycle.length
  return cycle[(i + (reverse ? n - 1 : 1)) % n]!
}

export function cycleCell(plan: SignalPlan, k: number, g: number, cycle: readonly SignalState[], reverse = false): SignalPlan {
  return setCellState(plan, k, g, nextState(plan.intervals[k]?.states[g], cycle, reverse))
}

/** An all-red interval of `durationS` inserted at position `at` (0 = first). */
export function insertAllRed(plan: SignalPlan, at: number, groupCount: number, durationS = 2): SignalPlan {
  const iv: PlanInterval = { durationS: cleanDurationS(durationS), states: new Array<SignalState>(groupCount).fill('R'), minorGreen: [] }
  const k = Math.max(0, Math.min(plan.intervals.length, at))
  return withCycle(plan, [...plan.intervals.slice(0, k), iv, ...plan.intervals.slice(k)])
}

/** A copy of interval k right after it (the usual way to split a stage). */
export function duplicateInterval(plan: SignalPlan, k: number): SignalPlan {
  const iv = plan.intervals[k]
  if (!iv) return plan
  const copy: PlanInterval = { ...iv, states: [...iv.states], minorGreen: [...iv.minorGreen] }
  return withCycle(plan, [...plan.intervals.slice(0, k + 1), copy, ...plan.intervals.slice(k + 1)])
}

/** Interval k removed; a plan keeps at least one interval. */
export function removeInterval(plan: SignalPlan, k: number): SignalPlan {
  if (plan.intervals.length <= 1 || k < 0 || k >= plan.intervals.length) return plan
  return withCycle(plan, plan.intervals.filter((_, i) => i !== k))
}

/** Interval k moved one place earlier (-1) or later (+1). */
export function moveInterval(plan: SignalPlan, k: number, by: -1 | 1): SignalPlan {
  const j = k + by
  if (k < 0 || j < 0 || k >= plan.intervals.length || j >= plan.intervals.length) return plan
  const next = [...plan.intervals]
  ;[next[k], next[j]] = [next[j]!, next[k]!]
  return withCycle(plan, next)
}

const snap = (s: number, stepS: number) => round01(Math.round(s / stepS) * stepS)

/**
 * Dragging the boundary before interval `b` (1 … n) to cycle second `toS`, snapped to `stepS`.
 * An inner boundary moves time between its two intervals (the cycle stays); the last one (b = n, the
 * end of the cycle) stretches or shortens the last interval (the cycle changes). Neither interval goes
 * below `stepS` (at least 0.1 s).
 */
export function dragBoundary(plan: SignalPlan, b: number, toS: number, stepS = 1): SignalPlan {
  const n = plan.intervals.length
  if (b < 1 || b > n || !Number.isFinite(toS)) return plan
  const starts = intervalStartsS(plan.intervals)
  const before = plan.intervals[b - 1]!
  const minS = Math.max(MIN_INTERVAL_S, Math.min(stepS, before.durationS))
  const startBefore = starts[b - 1]!
  if (b === n) {
    const d = Math.max(minS, snap(toS - startBefore, stepS))
    return d === before.durationS ? plan : setDuration(plan, b - 1, d)
  }
  const after = plan.intervals[b]!
  const pair = round01(before.durationS + after.durationS)
  const minAfter = Math.max(MIN_INTERVAL_S, Math.min(stepS, after.durationS))
  const d = Math.min(pair - minAfter, Math.max(minS, snap(toS - startBefore, stepS)))
  if (round01(d) === before.durationS) return plan
  const intervals = plan.intervals.map((iv, i) => (i === b - 1 ? { ...iv, durationS: round01(d) } : i === b ? { ...iv, durationS: round01(pair - d) } : iv))
  return withCycle(plan, intervals)
}

export function setOffset(plan: SignalPlan, offsetS: number): SignalPlan {
  if (!Number.isFinite(offsetS)) return plan
  const c = plan.cycleS
  return { ...plan, offsetS: c > 0 ? round01(((offsetS % c) + c) % c) : 0 }
}

/** Switch points from text such as "0, 35.5": numbers on the 0.1 s grid inside the cycle, sorted, unique. */
export function parseSwitchPoints(text: string, cycleS: number): number[] | null {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '')
  const values = parts.map((p) => Number(p.replace(',', '.')))
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0 || v >= cycleS)) return null
  return [...new Set(values.map(round01))].sort((a, b) => a - b)
}

/** JSON with object keys sorted, so two equal plans give the same text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Deep equality of two plans (the editor's "unsaved changes"). */
export function samePlan(a: SignalPlan | null, b: SignalPlan | null): boolean {
  if (a === b) return true
  if (!a || !b) return false
  return canonicalJson(a) === canonicalJson(b)
}
