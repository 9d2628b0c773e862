/**
 * The intergreen matrix editor's model (Zwischenzeitenmatrix / matrice dei tempi di sgombero):
 * clearing group × entering group. Conflicting pairs carry a value (seconds) and the minimum computed
 * from the conflict geometry (contracts/signal-safety/profiles.ts computedIntergreenS, with the
 * clearing group's yellow in the plan); permissive pairs have none. Also the conflict matrix view
 * with each pair's geometry and the engineer's permissive override.
 */
import type { ConflictGeometry, PlanInterval, SignalController } from '../../../contracts/schemas/signal-plan'
import { pairComputedIntergreenS, profileOf } from '../../../contracts/signal-safety/profiles'

type PermissivePair = SignalController['permissive'][number]
type IntergreenOverride = SignalController['intergreenOverrides'][number]

export type PairKind = 'self' | 'conflict' | 'permissive'

export interface IntergreenCell {
  clearing: string
  entering: string
  kind: PairKind
  /** The matrix value, s; null when the matrix has none. */
  valueS: number | null
  /** The computed minimum from the geometry, s; null without geometry for the pair. */
  computedS: number | null
  /** A conflicting pair without a value. */
  missing: boolean
  /** A conflicting pair whose value is below the computed minimum. */
  belowComputed: boolean
  /** The recorded override that accepts exactly this value below the computed one. */
  override: IntergreenOverride | null
}

export interface ConflictCell {
  a: string
  b: string
  kind: PairKind
  /** The raw mark of K ('x', '.', or anything malformed). */
  mark: string
  geometry: ConflictGeometry | null
  /** The engineer's reason for running a geometric conflict permissive. */
  override: PermissivePair | null
}

const samePair = (p: { a: string; b: string }, a: string, b: string) => (p.a === a && p.b === b) || (p.a === b && p.b === a)

/** i and j may never show right of way together: 'x' either way and no permissive override. */
export function conflicting(controller: SignalController, i: number, j: number): boolean {
  if (i === j) return false
  const a = controller.signalGroups[i]?.id
  const b = controller.signalGroups[j]?.id
  if (a === undefined || b === undefined) return false
  const marked = controller.conflicts[i]?.[j] === 'x' || controller.conflicts[j]?.[i] === 'x'
  return marked && !controller.permissive.some((p) => samePair(p, a, b))
}

/** The longest run of consecutive yellow intervals of group g over the cycle (wrapping), s; null when it has none. */
export function longestYellowS(intervals: readonly Pick<PlanInterval, 'durationS' | 'states'>[], g: number): number | null {
  const n = intervals.length
  if (n === 0) return null
  const round = (v: number) => Math.round(v * 10) / 10
  // Start after a non-yellow interval, so a yellow run across the cycle wrap is counted whole.
  const anchor = intervals.findIndex((iv) => iv.states[g] !== 'Y')
  if (anchor < 0) return round(intervals.reduce((s, iv) => s + iv.durationS, 0))
  let best = 0
  let run = 0
  for (let step = 1; step <= n; step++) {
    const iv = intervals[(anchor + step) % n]!
    if (iv.states[g] === 'Y') {
      run += iv.durationS
      best = Math.max(best, run)
    } else run = 0
  }
  return best > 0 ? round(best) : null
}

/** The computed minimum intergreen clearing → entering over every geometry entry of the pair, or null. */
export function computedMinimumS(controller: SignalController, clearing: number, entering: number, yellowS: number): number | null {
  const gi = controller.signalGroups[clearing]
  const gj = controller.signalGroups[entering]
  if (!gi || !gj) return null
  return pairComputedIntergreenS(profileOf(controller.profile), controller.geometry, gi, gj, yellowS)
}

/**
 * Every cell of the matrix. The clearing group's yellow is its longest yellow in `intervals` (the plan
 * being edited), or the profile's floor for a vehicle group without one — as the validator does.
 */
export function intergreenMatrix(controller: SignalController, intervals: readonly Pick<PlanInterval, 'durationS' | 'states'>[] | null): IntergreenCell[][] {
  const profile = profileOf(controller.profile)
  const groups = controller.signalGroups
  return groups.map((gi, i) => {
    const yellowS = gi.type === 'pedestrian' ? 0 : ((intervals ? longestYellowS(intervals, i) : null) ?? profile.yellowFloorS)
    return groups.map((gj, j) => {
      const kind: PairKind = i === j ? 'self' : conflicting(controller, i, j) ? 'conflict' : 'permissive'
      const raw = controller.intergreen[gi.id]?.[gj.id]
      const valueS = raw === undefined ? null : raw
      const computedS = kind === 'conflict' ? computedMinimumS(controller, i, j, yellowS) : null
      const below = kind === 'conflict' && valueS !== null && computedS !== null && Math.round(valueS * 10) < Math.round(computedS * 10)
      const override = below ? (controller.intergreenOverrides.find((o) => o.clearing === gi.id && o.entering === gj.id && Math.round(o.valueS * 10) === Math.round(valueS! * 10)) ?? null) : null
      return { clearing: gi.id, entering: gj.id, kind, valueS, computedS, missing: kind === 'conflict' && valueS === null, belowComputed: below, override }
    })
  })
}

/** The controller with intergreen clearing → entering set to `valueS` (on the 0.1 s grid), or removed with null. */
export function setIntergreen(controller: SignalController, clearing: string, entering: string, valueS: number | null): SignalController {
  const row = { ...(controller.intergreen[clearing] ?? {}) }
  if (valueS === null || !Number.isFinite(valueS)) delete row[entering]
  else row[entering] = Math.max(0, Math.round(valueS * 10) / 10)
  const intergreen = { ...controller.intergreen }
  if (Object.keys(row).length === 0) delete intergreen[clearing]
  else intergreen[clearing] = row
  return { ...controller, intergreen }
}

export function conflictMatrix(controller: SignalController): ConflictCell[][] {
  const groups = controller.signalGroups
  return groups.map((gi, i) =>
    groups.map((gj, j) => {
      const mark = controller.conflicts[i]?.[j] ?? ''
      const geometry = i === j ? null : (controller.geometry.find((geo) => samePair(geo, gi.id, gj.id)) ?? null)
      const override = i === j ? null : (controller.permissive.find((p) => samePair(p, gi.id, gj.id)) ?? null)
      const kind: PairKind = i === j ? 'self' : conflicting(controller, i, j) ? 'conflict' : 'permissive'
      return { a: gi.id, b: gj.id, kind, mark, geometry, override }
    }),
  )
}
