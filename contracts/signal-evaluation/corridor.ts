/**
 * Coordination along a corridor ("onda verde"): time-space diagram data, green bands and an offset
 * search. Controllers are listed in corridor order (outbound = first → last, inbound = last → first)
 * with the distance from the previous controller's stop line; the same distances serve both
 * directions, and vehicles travel at the progression speed.
 *
 * Conventions:
 * - A plan's offset is the global time (mod its cycle) at which its cycle second 0 occurs:
 *   a group green at cycle seconds [a, b) is green at global times offset + n·C + [a, b).
 * - Greens are the displayed greens (G + Gflash) of each controller's through group per direction
 *   (stages.ts green runs); a controller with no group for a direction does not constrain it.
 * - The band of a direction is the widest contiguous set of departure times t (mod the common
 *   cycle) at its first controller such that t + travel time is green at every later controller.
 *   Its start is that t; a direction with no through group anywhere has no band (null).
 * - A controller's cycle is the sum of its intervals' nominal durations (durationS; actuated
 *   intervals count at their nominal value). All cycles must equal the common (largest) cycle or
 *   divide it exactly.
 * - optimizeOffsets keeps the first controller as the reference and runs coordinate descent from
 *   the current offsets: for each other controller in turn it tries every offset on a 1 s grid
 *   (current + k s, mod its cycle) and keeps the best; passes repeat until nothing improves
 *   (at most 20). The objective is outbound + inbound bandwidth; ties are broken by the sum of
 *   the bands through the first 2, 3, … controllers of each direction (so the search can leave a
 *   zero-band plateau); the current offset wins remaining ties. Coordinate descent can stall on
 *   long corridors, so the same descent also runs from each direction's ideal offsets (its greens
 *   opening as the band arrives, rounded to 1 s) and a start wins only if strictly better.
 */
import { z } from 'zod'
import { SignalPlanSchema } from '../schemas/signal-plan'
import { planTimeline } from './stages'

const EPS = 1e-9

export const CorridorControllerSchema = z.object({
  controllerId: z.string().min(1),
  /** Distance from the previous controller's stop line, m (the first controller's is ignored). */
  distanceFromPreviousM: z.number().nonnegative().default(0),
  /** The controller's signal group ids in state order. */
  groupIds: z.array(z.string().min(1)).min(1),
  plan: SignalPlanSchema.pick({ id: true, cycleS: true, offsetS: true, intervals: true }),
  outboundGroupId: z.string().nullable(),
  inboundGroupId: z.string().nullable(),
}).superRefine((c, ctx) => {
  for (const key of ['outboundGroupId', 'inboundGroupId'] as const) {
    const id = c[key]
    if (id !== null && !c.groupIds.includes(id)) ctx.addIssue({ code: 'custom', path: [key], message: `${id} is not one of ${c.controllerId}'s groups` })
  }
})
export const CorridorSchema = z.object({
  speedKmh: z.number().positive().max(130),
  /** When the inbound progression speed differs. */
  inboundSpeedKmh: z.number().positive().max(130).optional(),
  controllers: z.array(CorridorControllerSchema).min(2),
})
export type Corridor = z.input<typeof CorridorSchema>
export type CorridorController = Corridor['controllers'][number]

export const DIRECTIONS = ['outbound', 'inbound'] as const
export type Direction = (typeof DIRECTIONS)[number]

export const CorridorBandSchema = z.object({
  bandwidthS: z.number().nonnegative(),
  /** Departure time at the direction's first controller, in [0, common cycle); null when no band. */
  startS: z.number().nullable(),
  firstControllerId: z.string(),
  speedKmh: z.number(),
})
export type CorridorBand = z.infer<typeof CorridorBandSchema>
export const CorridorBandsSchema = z.object({ outbound: CorridorBandSchema.nullable(), inbound: CorridorBandSchema.nullable() })
export type CorridorBands = z.infer<typeof CorridorBandsSchema>

const Window = z.tuple([z.number(), z.number()])
export const TimeSpaceSchema = z.object({
  /** Null when the cycles are not compatible (see cycleIssue); the windows are drawn anyway. */
  commonCycleS: z.number().nullable(),
  cycleIssue: z.string().nullable(),
  horizonS: z.number(),
  controllers: z.array(
    z.object({
      controllerId: z.string(),
      positionM: z.number(),
      cycleS: z.number(),
      offsetS: z.number(),
      /** [startS, endS] greens of the through group in [0, horizonS]; empty without a group. */
      outbound: z.array(Window),
      inbound: z.array(Window),
    }),
  ),
  bands: CorridorBandsSchema.nullable(),
})
export type TimeSpace = z.infer<typeof TimeSpaceSchema>

/** Where a descent starts: the current offsets, or the ideal offsets of one direction. */
export const OFFSET_SEEDS = ['current', 'outbound', 'inbound'] as const
export const OffsetOptimizationSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(false), message: z.string(), cyclesS: z.array(z.number()) }),
  z.object({
    ok: z.literal(true),
    commonCycleS: z.number(),
    /** Where the winning descent started: the current offsets, or the ideal ones of a direction. */
    seed: z.enum(OFFSET_SEEDS),
    offsets: z.array(z.object({ controllerId: z.string(), offsetS: z.number(), previousOffsetS: z.number() })),
    bands: CorridorBandsSchema,
    previousBands: CorridorBandsSchema,
    totalBandwidthS: z.number(),
    previousTotalBandwidthS: z.number(),
    passes: z.number().int(),
  }),
])
export type OffsetOptimization = z.infer<typeof OffsetOptimizationSchema>

// ── Preparation ──────────────────────────────────────────────────────────────────────────────────

/** A through group's green runs in its own cycle: flat [start, length, start, length, …]. */
type Runs = number[]
interface Prepared {
  ids: string[]
  cyclesS: number[]
  positionsM: number[]
  runs: Record<Direction, Array<Runs | null>>
  /** Controllers with a through group per direction, in travel order. */
  members: Record<Direction, number[]>
  speedMs: Record<Direction, number>
  speedKmh: Record<Direction, number>
}

function prepare(corridor: Corridor): Prepared {
  const n = corridor.controllers.length
  const p: Prepared = {
    ids: [],
    cyclesS: [],
    positionsM: [],
    runs: { outbound: [], inbound: [] },
    members: { outbound: [], inbound: [] },
    speedKmh: { outbound: corridor.speedKmh, inbound: corridor.inboundSpeedKmh ?? corridor.speedKmh },
    speedMs: { outbound: corridor.speedKmh / 3.6, inbound: (corridor.inboundSpeedKmh ?? corridor.speedKmh) / 3.6 },
  }
  let x = 0
  for (let i = 0; i < n; i++) {
    const c = corridor.controllers[i]!
    if (i > 0) x += c.distanceFromPreviousM ?? 0
    const timeline = planTimeline(c.plan.intervals, c.groupIds, 'nominal')
    p.ids.push(c.controllerId)
    p.cyclesS.push(timeline.cycleS)
    p.positionsM.push(x)
    for (const dir of DIRECTIONS) {
      const gid = dir === 'outbound' ? c.outboundGroupId : c.inboundGroupId
      const gi = gid === null ? -1 : c.groupIds.indexOf(gid)
      if (gid !== null && gi < 0) throw new Error(`corridor: ${c.controllerId} has no group ${gid}`)
      p.runs[dir].push(gi < 0 ? null : timeline.groups[gi]!.runs.flatMap((r) => [r.startS, r.greenS]))
    }
  }
  for (let k = 0; k < n; k++) {
    if (p.runs.outbound[k] !== null) p.members.outbound.push(k)
    if (p.runs.inbound[n - 1 - k] !== null) p.members.inbound.push(n - 1 - k)
  }
  return p
}

/** The common cycle (the largest), or why there is none. */
export function commonCycle(cyclesS: readonly number[]): { ok: true; cycleS: number } | { ok: false; message: string } {
  const C = Math.max(...cyclesS)
  for (const c of cyclesS) {
    const ratio = C / c
    if (Math.abs(ratio - Math.round(ratio)) > 1e-6) return { ok: false, message: `cycles ${cyclesS.join(', ')} s: ${c} s does not divide the common cycle ${C} s; coordinate on one cycle or an integer divisor of it` }
  }
  return { ok: true, cycleS: C }
}

// ── Bands ────────────────────────────────────────────────────────────────────────────────────────

const mod = (a: number, m: number) => ((a % m) + m) % m

/** Sorted, merged flat intervals within [0, C] of the shifted greens of controller i. */
function shiftedGreens(runs: Runs, cycleS: number, offsetS: number, shiftS: number, C: number): number[] {
  const raw: Array<[number, number]> = []
  const reps = Math.round(C / cycleS)
  for (let m = 0; m < reps; m++) {
    for (let r = 0; r < runs.length; r += 2) {
      const len = runs[r + 1]!
      if (len >= C - EPS) return [0, C]
      const a = mod(offsetS + m * cycleS + runs[r]! - shiftS, C)
      if (a + len <= C) raw.push([a, a + len])
      else raw.push([a, C], [0, a + len - C])
    }
  }
  raw.sort((u, v) => u[0] - v[0])
  const out: number[] = []
  for (const [a, b] of raw) {
    if (out.length > 0 && a <= out[out.length - 1]! + EPS) out[out.length - 1] = Math.max(out[out.length - 1]!, b)
    else out.push(a, b)
  }
  return out
}

function intersect(a: number[], b: number[]): number[] {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!)
    const hi = Math.min(a[i + 1]!, b[j + 1]!)
    if (hi - lo > EPS) out.push(lo, hi)
    if (a[i + 1]! < b[j + 1]!) i += 2
    else j += 2
  }
  return out
}

/** Widest contiguous stretch of a sorted, merged flat set on the circle [0, C). */
function widest(set: readonly number[], C: number): { widthS: number; startS: number | null } {
  if (set.length === 0) return { widthS: 0, startS: null }
  if (set.length === 2 && set[0]! <= EPS && set[1]! >= C - EPS) return { widthS: C, startS: 0 }
  let widthS = 0
  let startS: number | null = null
  for (let k = 0; k < set.length; k += 2) {
    if (set[k + 1]! - set[k]! > widthS) {
      widthS = set[k + 1]! - set[k]!
      startS = set[k]!
    }
  }
  const last = set.length - 2
  if (last > 0 && set[0]! <= EPS && set[last + 1]! >= C - EPS && set[1]! + C - set[last]! > widthS) {
    widthS = set[1]! + C - set[last]!
    startS = set[last]!
  }
  return { widthS, startS }
}

/**
 * The band of one direction through its members (in travel order). prefixSumS adds up the bands
 * through the first 2, 3, … members: the search's tie-breaker.
 */
function bandOver(p: Prepared, dir: Direction, offsets: readonly number[], C: number, withPrefix = false): { widthS: number; startS: number | null; prefixSumS: number } {
  const members = p.members[dir]
  const x0 = p.positionsM[members[0]!]!
  let set: number[] = [0, C]
  let prefixSumS = 0
  for (let k = 0; k < members.length; k++) {
    const i = members[k]!
    const tau = Math.abs(p.positionsM[i]! - x0) / p.speedMs[dir]
    set = intersect(set, shiftedGreens(p.runs[dir][i]!, p.cyclesS[i]!, offsets[i]!, tau, C))
    if (set.length === 0) return { widthS: 0, startS: null, prefixSumS }
    if (withPrefix && k > 0) prefixSumS += widest(set, C).widthS
  }
  return { ...widest(set, C), prefixSumS }
}

function bands(p: Prepared, offsets: readonly number[], C: number): CorridorBands {
  const result: CorridorBands = { outbound: null, inbound: null }
  for (const dir of DIRECTIONS) {
    const m = p.members[dir]
    if (m.length === 0) continue
    const b = bandOver(p, dir, offsets, C)
    result[dir] = { bandwidthS: b.widthS, startS: b.startS, firstControllerId: p.ids[m[0]!]!, speedKmh: p.speedKmh[dir] }
  }
  return result
}

const total = (b: CorridorBands) => (b.outbound?.bandwidthS ?? 0) + (b.inbound?.bandwidthS ?? 0)

/** The bands of the corridor at its plans' offsets (or the given ones); null when the cycles are incompatible. */
export function greenBands(corridor: Corridor, offsetsS?: readonly number[]): CorridorBands | null {
  const p = prepare(corridor)
  const common = commonCycle(p.cyclesS)
  if (!common.ok) return null
  return bands(p, offsetsS ?? corridor.controllers.map((c) => c.plan.offsetS), common.cycleS)
}

// ── Time-space diagram ───────────────────────────────────────────────────────────────────────────

function windows(runs: Runs | null, cycleS: number, offsetS: number, horizonS: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  if (runs === null) return out
  const last = Math.ceil(horizonS / cycleS)
  for (let m = -2; m <= last; m++) {
    for (let r = 0; r < runs.length; r += 2) {
      const a = Math.max(0, offsetS + m * cycleS + runs[r]!)
      const b = Math.min(horizonS, offsetS + m * cycleS + runs[r]! + runs[r + 1]!)
      if (b - a > EPS) out.push([a, b])
    }
  }
  out.sort((u, v) => u[0] - v[0])
  const merged: Array<[number, number]> = []
  for (const w of out) {
    const prev = merged[merged.length - 1]
    if (prev && w[0] <= prev[1] + EPS) prev[1] = Math.max(prev[1], w[1])
    else merged.push(w)
  }
  return merged
}

/** Green windows of every through group over `cycles` common cycles, positions and bands. */
export function timeSpace(corridor: Corridor, opts: { cycles?: number; offsetsS?: readonly number[] } = {}): TimeSpace {
  const p = prepare(corridor)
  const common = commonCycle(p.cyclesS)
  const C = common.ok ? common.cycleS : Math.max(...p.cyclesS)
  const horizonS = (opts.cycles ?? 3) * C
  const offsets = opts.offsetsS ?? corridor.controllers.map((c) => c.plan.offsetS)
  return {
    commonCycleS: common.ok ? C : null,
    cycleIssue: common.ok ? null : common.message,
    horizonS,
    controllers: p.ids.map((controllerId, i) => ({
      controllerId,
      positionM: p.positionsM[i]!,
      cycleS: p.cyclesS[i]!,
      offsetS: offsets[i]!,
      outbound: windows(p.runs.outbound[i]!, p.cyclesS[i]!, mod(offsets[i]!, p.cyclesS[i]!), horizonS),
      inbound: windows(p.runs.inbound[i]!, p.cyclesS[i]!, mod(offsets[i]!, p.cyclesS[i]!), horizonS),
    })),
    bands: common.ok ? bands(p, offsets, C) : null,
  }
}

// ── Offset search ────────────────────────────────────────────────────────────────────────────────

type Score = { totalS: number; prefixSumS: number }
function score(p: Prepared, offsets: readonly number[], C: number): Score {
  let totalS = 0
  let prefixSumS = 0
  for (const dir of DIRECTIONS) {
    if (p.members[dir].length === 0) continue
    const b = bandOver(p, dir, offsets, C, true)
    totalS += b.widthS
    prefixSumS += b.prefixSumS
  }
  return { totalS, prefixSumS }
}
const better = (a: Score, b: Score) => a.totalS > b.totalS + EPS || (a.totalS > b.totalS - EPS && a.prefixSumS > b.prefixSumS + EPS)

/** Coordinate descent on a 1 s grid from `offsets` (changed in place); the first controller stays. */
function descend(p: Prepared, offsets: number[], C: number, maxPasses: number): { score: Score; passes: number } {
  let best = score(p, offsets, C)
  let passes = 0
  let improved = true
  while (improved && passes < maxPasses) {
    improved = false
    passes++
    for (let j = 1; j < offsets.length; j++) {
      const start = offsets[j]!
      const Cj = p.cyclesS[j]!
      let chosen = start
      for (let k = 1; k < Math.ceil(Cj); k++) {
        offsets[j] = mod(start + k, Cj)
        const s = score(p, offsets, C)
        if (better(s, best)) {
          best = s
          chosen = offsets[j]!
        }
      }
      offsets[j] = chosen
      if (chosen !== start) improved = true
    }
  }
  return { score: best, passes }
}

/**
 * Offsets (whole seconds) that open each through green of `dir` as the band from its first
 * controller arrives at the progression speed; the others keep theirs.
 */
function idealOffsets(p: Prepared, dir: Direction, from: readonly number[]): number[] {
  const out = from.slice()
  const m = p.members[dir]
  const first = m[0]!
  const open = (i: number) => p.runs[dir][i]![0] ?? 0
  const arrival0 = from[first]! + open(first)
  for (const i of m) {
    if (i === 0 || i === first) continue
    const tau = Math.abs(p.positionsM[i]! - p.positionsM[first]!) / p.speedMs[dir]
    out[i] = mod(Math.round(arrival0 + tau - open(i)), p.cyclesS[i]!)
  }
  return out
}

export function optimizeOffsets(corridor: Corridor, opts: { maxPasses?: number } = {}): OffsetOptimization {
  const p = prepare(corridor)
  const common = commonCycle(p.cyclesS)
  if (!common.ok) return { ok: false, message: common.message, cyclesS: p.cyclesS }
  const C = common.cycleS
  const maxPasses = opts.maxPasses ?? 20
  const previous = corridor.controllers.map((c, i) => mod(c.plan.offsetS, p.cyclesS[i]!))
  let offsets = previous.slice()
  let { score: best, passes } = descend(p, offsets, C, maxPasses)
  let seed: (typeof OFFSET_SEEDS)[number] = 'current'
  for (const dir of DIRECTIONS) {
    if (p.members[dir].length < 2) continue
    const start = idealOffsets(p, dir, previous)
    const r = descend(p, start, C, maxPasses)
    passes += r.passes
    if (better(r.score, best)) {
      best = r.score
      offsets = start
      seed = dir
    }
  }
  const previousBands = bands(p, previous, C)
  const finalBands = bands(p, offsets, C)
  return {
    ok: true,
    commonCycleS: C,
    seed,
    offsets: p.ids.map((controllerId, i) => ({ controllerId, offsetS: offsets[i]!, previousOffsetS: previous[i]! })),
    bands: finalBands,
    previousBands,
    totalBandwidthS: total(finalBands),
    previousTotalBandwidthS: total(previousBands),
    passes,
  }
}
