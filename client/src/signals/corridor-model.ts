/**
 * The corridor picker and the time-space diagram's geometry ("onda verde"): the controllers in travel
 * order with the distance between stop lines (typed, or measured between the map positions), the
 * through group of each direction, and the plan each runs; then, from contracts/signal-evaluation/
 * corridor.ts timeSpace(), the green windows and the bands as shapes in seconds × metres.
 */
import type { SignalGroup, SignalPlan } from '../../../contracts/schemas/signal-plan'
import type { Corridor, TimeSpace } from '../../../contracts/signal-evaluation/corridor'

export const MIN_STOPS = 2
export const MAX_STOPS = 6
export const DEFAULT_SPEED_KMH = 50

export interface CorridorStop {
  controllerId: string
  name: string
  position: [number, number] | null
  groupIds: string[]
  plan: SignalPlan
  outboundGroupId: string | null
  inboundGroupId: string | null
  /** From the previous stop's stop line, m; ignored for the first stop. */
  distanceFromPreviousM: number
}

const EARTH_RADIUS_M = 6_371_008.8
const rad = (d: number) => (d * Math.PI) / 180

/** Great-circle distance between two [lon, lat] points, m. */
export function distanceM(a: readonly [number, number], b: readonly [number, number]): number {
  const dLat = rad(b[1] - a[1])
  const dLon = rad(b[0] - a[0])
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Distances from the previous stop measured on the map (whole metres); null where a position is unknown. */
export function distancesFromPositions(positions: ReadonlyArray<readonly [number, number] | null>): Array<number | null> {
  return positions.map((p, i) => {
    if (i === 0) return 0
    const prev = positions[i - 1]
    return p && prev ? Math.round(distanceM(prev, p)) : null
  })
}

/**
 * A first guess of the through groups: the vehicle (or tram) groups going straight, the first for the
 * outbound direction and the second for the inbound one. The engineer picks the right ones.
 */
export function guessThroughGroups(groups: readonly Pick<SignalGroup, 'id' | 'type' | 'turn'>[]): { outbound: string | null; inbound: string | null } {
  const through = groups.filter((g) => (g.type === 'vehicle' || g.type === 'tram') && (g.turn === 'through' || g.turn === 'mixed'))
  const candidates = through.length > 0 ? through : groups.filter((g) => g.type === 'vehicle')
  return { outbound: candidates[0]?.id ?? null, inbound: candidates[1]?.id ?? null }
}

/** The corridor for contracts/signal-evaluation/corridor.ts, offsets from `offsetsS` when given. */
export function corridorOf(stops: readonly CorridorStop[], speedKmh: number, offsetsS?: readonly number[]): Corridor {
  return {
    speedKmh,
    controllers: stops.map((s, i) => ({
      controllerId: s.controllerId,
      distanceFromPreviousM: i === 0 ? 0 : Math.max(0, s.distanceFromPreviousM),
      groupIds: s.groupIds,
      plan: { id: s.plan.id, cycleS: s.plan.cycleS, offsetS: offsetsS?.[i] ?? s.plan.offsetS, intervals: s.plan.intervals },
      outboundGroupId: s.outboundGroupId,
      inboundGroupId: s.inboundGroupId,
    })),
  }
}

/** A stop moved one place up (-1) or down (+1) in travel order. */
export function moveStop<T>(stops: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by
  if (i < 0 || j < 0 || i >= stops.length || j >= stops.length) return [...stops]
  const next = [...stops]
  ;[next[i], next[j]] = [next[j]!, next[i]!]
  return next
}

export interface BandShape {
  direction: 'outbound' | 'inbound'
  /** Corners in (seconds, metres), closed polygon order. */
  points: Array<[number, number]>
}

/**
 * The green bands as parallelograms over the horizon: a band of width w leaving its first controller
 * at t (every common cycle) reaches the far end after distance / speed. Drawn across the whole
 * corridor; shapes outside the horizon are left for the clip path.
 */
export function bandShapes(ts: TimeSpace, speedKmh: number, inboundSpeedKmh = speedKmh): BandShape[] {
  const C = ts.commonCycleS
  const first = ts.controllers[0]
  const last = ts.controllers[ts.controllers.length - 1]
  if (!ts.bands || C === null || !first || !last) return []
  const out: BandShape[] = []
  for (const direction of ['outbound', 'inbound'] as const) {
    const band = ts.bands[direction]
    if (!band || band.startS === null || band.bandwidthS <= 0) continue
    const speedMs = (direction === 'outbound' ? speedKmh : inboundSpeedKmh) / 3.6
    const origin = ts.controllers.find((c) => c.controllerId === band.firstControllerId) ?? (direction === 'outbound' ? first : last)
    const far = direction === 'outbound' ? last.positionM : first.positionM
    const travelS = Math.abs(far - origin.positionM) / speedMs
    // Back to where the band would have left the near end, so the shape spans the whole corridor.
    const near = direction === 'outbound' ? first.positionM : last.positionM
    const leadS = Math.abs(origin.positionM - near) / speedMs
    const cycles = Math.ceil(ts.horizonS / C) + 1
    for (let m = -1; m <= cycles; m++) {
      const t0 = band.startS + m * C - leadS
      const t1 = t0 + leadS + travelS
      const w = band.bandwidthS
      out.push({ direction, points: [[t0, near], [t0 + w, near], [t1 + w, far], [t1, far]] })
    }
  }
  return out
}

export interface DiagramScale {
  x(s: number): number
  y(m: number): number
}

/** Maps seconds to x over [left, left + width] and metres to y (first controller at the bottom). */
export function diagramScale(horizonS: number, corridorLengthM: number, box: { left: number; top: number; width: number; height: number }): DiagramScale {
  const len = corridorLengthM > 0 ? corridorLengthM : 1
  return {
    x: (s) => box.left + (horizonS > 0 ? (s / horizonS) * box.width : 0),
    y: (m) => box.top + box.height - (m / len) * box.height,
  }
}

export interface TimeTick {
  s: number
  /** A multiple of the common cycle (drawn across the diagram). */
  cycle: boolean
  label: boolean
}

/** Ticks every 10 s over the horizon, cycle boundaries marked; labels on the cycles and every 30 s clear of them. */
export function timeTicks(horizonS: number, cycleS: number): TimeTick[] {
  const out: TimeTick[] = []
  const cycles = new Set<number>()
  if (cycleS > 0) for (let c = 0; c <= horizonS + 1e-9; c += cycleS) cycles.add(Math.round(c * 10) / 10)
  const near = (s: number) => [...cycles].some((c) => Math.abs(c - s) < 8)
  for (let s = 0; s <= horizonS + 1e-9; s += 10) if (!cycles.has(s)) out.push({ s, cycle: false, label: s % 30 === 0 && !near(s) })
  for (const c of cycles) out.push({ s: c, cycle: true, label: true })
  return out.sort((a, b) => a.s - b.s)
}
