/**
 * The geometry behind a signal controller's conflicts, from a SUMO network: where each signalised
 * link runs across its junction (its path: the via internal lane and the internal lanes after it up
 * to the next normal edge), which junction request (foes/response row) it is, and where two
 * conflicting paths cross or merge. Coordinates are the network's own metres; distances along a
 * path start at its stop line (the start of the via lane). Pure.
 */
import { polylineLength } from './lane-position'
import type { NetXy, SumoConnection, SumoEdge, SumoJunction, SumoLane } from './sumo-net'

/** Conflict points are searched every this many metres along a path. */
export const SAMPLE_STEP_M = 0.25
/** Two paths "meet" where they come this close. */
export const MEET_DISTANCE_M = 1.0

/** Look-ups over one network, built once. */
export interface NetIndex {
  lanes: Map<string, SumoLane>
  laneEdge: Map<string, SumoEdge>
  edges: Map<string, SumoEdge>
  junctions: Map<string, SumoJunction>
  /** Connections by `${from}#${fromLane}`. */
  outgoing: Map<string, SumoConnection[]>
}

export function indexNet(net: { edges: readonly SumoEdge[]; junctions: readonly SumoJunction[]; connections: readonly SumoConnection[] }): NetIndex {
  const lanes = new Map<string, SumoLane>()
  const laneEdge = new Map<string, SumoEdge>()
  for (const e of net.edges) {
    for (const l of e.lanes) {
      lanes.set(l.id, l)
      laneEdge.set(l.id, e)
    }
  }
  const outgoing = new Map<string, SumoConnection[]>()
  for (const c of net.connections) {
    const key = `${c.from}#${c.fromLane}`
    const list = outgoing.get(key)
    if (list) list.push(c)
    else outgoing.set(key, [c])
  }
  return { lanes, laneEdge, edges: new Map(net.edges.map((e) => [e.id, e])), junctions: new Map(net.junctions.map((j) => [j.id, j])), outgoing }
}

/** A signalised link's way across its junction. */
export interface LinkPath {
  /** Internal lanes (or the crossing lane) in driving order. */
  lanes: string[]
  shape: NetXy[]
  lengthM: number
}

const isInternal = (index: NetIndex, edgeId: string) => index.edges.get(edgeId)?.func === 'internal'

function appendShape(out: NetXy[], shape: readonly NetXy[]): void {
  for (const p of shape) {
    const last = out[out.length - 1]
    if (last && Math.abs(last[0] - p[0]) < 1e-9 && Math.abs(last[1] - p[1]) < 1e-9) continue
    out.push([p[0], p[1]])
  }
}

/**
 * The path of a connection: its via lane, then the lanes reached through connections whose `from`
 * is an internal edge (`:J_3` → via `:J_4_0` → …) until a normal edge. A pedestrian link (walking
 * area → crossing) has no via: its path is the crossing lane. Null when the network has no lanes for it.
 */
export function linkPath(index: NetIndex, conn: SumoConnection): LinkPath | null {
  const lanes: string[] = []
  if (conn.via) lanes.push(conn.via)
  else if (index.edges.get(conn.to)?.func === 'crossing') lanes.push(`${conn.to}_${conn.toLane}`)
  else return null
  for (let guard = 0; guard < 20; guard++) {
    const current = lanes[lanes.length - 1] as string
    const edge = index.laneEdge.get(current)
    const lane = index.lanes.get(current)
    if (!edge || !lane || edge.func !== 'internal') break
    const next = (index.outgoing.get(`${edge.id}#${lane.index}`) ?? [])[0]
    if (!next) break
    const nextLane = next.via ?? (isInternal(index, next.to) ? `${next.to}_${next.toLane}` : null)
    if (!nextLane || lanes.includes(nextLane)) break
    lanes.push(nextLane)
  }
  const shape: NetXy[] = []
  for (const id of lanes) {
    const lane = index.lanes.get(id)
    if (!lane) return null
    appendShape(shape, lane.shape)
  }
  return { lanes, shape, lengthM: polylineLength(shape) }
}

/**
 * The junction and request index of a link: `via=":J_3_0"` is junction J, request 3 + 0 (the
 * internal edge's number plus the lane index; netconvert numbers the first part of every link in
 * link order and the second parts of split links after them). A link without a via (a crossing) is
 * found in the junction's intLanes instead. Null when the network gives no request for it.
 */
export function requestOf(index: NetIndex, conn: SumoConnection, path: LinkPath | null): { junction: string; request: number } | null {
  const m = conn.via ? /^:(.+)_(\d+)_(\d+)$/.exec(conn.via) : null
  if (m) {
    const junction = index.junctions.get(m[1] as string)
    const request = Number(m[2]) + Number(m[3])
    if (junction && junction.requests.some((r) => r.index === request)) return { junction: junction.id, request }
  }
  for (const lane of path?.lanes ?? []) {
    const junctionId = /^:(.+)_[^_]+_\d+$/.exec(lane)?.[1]
    const junction = junctionId === undefined ? undefined : index.junctions.get(junctionId)
    const at = junction?.intLanes.indexOf(lane) ?? -1
    if (junction && at >= 0) return { junction: junction.id, request: at }
  }
  return null
}

/** Bit `k` of a request's foes/response string: SUMO writes them reversed (the last character is link 0). */
export function requestBit(bits: string, k: number): boolean {
  return bits.charAt(bits.length - 1 - k) === '1'
}

/** A polyline sampled every `step` metres (always including its end), with the distance of each sample. */
export function samplePath(shape: readonly NetXy[], step = SAMPLE_STEP_M): Array<{ at: number; p: NetXy }> {
  const out: Array<{ at: number; p: NetXy }> = []
  if (shape.length === 0) return out
  let walked = 0
  let next = 0
  for (let i = 1; i < shape.length; i++) {
    const a = shape[i - 1] as NetXy
    const b = shape[i] as NetXy
    const seg = Math.hypot(b[0] - a[0], b[1] - a[1])
    while (seg > 0 && next <= walked + seg + 1e-9) {
      const t = Math.min(1, (next - walked) / seg)
      out.push({ at: next, p: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])] })
      next += step
    }
    walked += seg
  }
  const last = shape[shape.length - 1] as NetXy
  if (out.length === 0 || walked - (out[out.length - 1] as { at: number }).at > 1e-9) out.push({ at: walked, p: [last[0], last[1]] })
  return out
}

/** Distance from a point to a polyline. */
export function distanceToPath(p: NetXy, shape: readonly NetXy[]): number {
  if (shape.length === 1) return Math.hypot(p[0] - (shape[0] as NetXy)[0], p[1] - (shape[0] as NetXy)[1])
  let best = Infinity
  for (let i = 1; i < shape.length; i++) {
    const a = shape[i - 1] as NetXy
    const b = shape[i] as NetXy
    const dx = b[0] - a[0]
    const dy = b[1] - a[1]
    const len2 = dx * dx + dy * dy
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
    best = Math.min(best, Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)))
  }
  return best
}

/** The first sample of `a` within `meet` metres of `b`, or the closest one (found = false). */
function firstMeeting(a: readonly NetXy[], b: readonly NetXy[], meet: number): { at: number; found: boolean } {
  let closest = { at: 0, d: Infinity }
  for (const s of samplePath(a)) {
    const d = distanceToPath(s.p, b)
    if (d <= meet + 1e-9) return { at: s.at, found: true }
    if (d < closest.d) closest = { at: s.at, d }
  }
  return { at: closest.at, found: false }
}

export interface ConflictPoint {
  aToPointM: number
  bToPointM: number
  /** False when the paths never come within MEET_DISTANCE_M (merging: the path ends; crossing: the closest approach). */
  met: boolean
}

/**
 * Where two conflicting paths meet: along each, the first sample (every 0.25 m from the stop
 * line) within 1 m of the other path. Merging paths that never come that close meet at their ends.
 */
export function conflictPoint(a: readonly NetXy[], b: readonly NetXy[], kind: 'crossing' | 'merging'): ConflictPoint {
  const fa = firstMeeting(a, b, MEET_DISTANCE_M)
  const fb = firstMeeting(b, a, MEET_DISTANCE_M)
  const met = fa.found && fb.found
  if (!met && kind === 'merging') return { aToPointM: round2(polylineLength(a)), bToPointM: round2(polylineLength(b)), met }
  return { aToPointM: round2(fa.at), bToPointM: round2(fb.at), met }
}

export const round2 = (v: number) => Math.round(v * 100) / 100
