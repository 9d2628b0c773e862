/**
 * Which SUMO edges lie on which city road edges (docs/scenarios.md, "Verification in SUMO"): a city
 * scenario's edits name road edges (the OpenStreetMap drive graph) and SUMO closes SUMO edges; the
 * simulation's flow per SUMO edge is compared with the estimate's on the road it lies on. Pure.
 *
 * Both are lines in [lon, lat]; they are compared in metres on a local plane (equirectangular about
 * the middle of the SUMO edges: at a city's scale it is exact to well under a metre). A line is
 * sampled every SAMPLE_STEP_M (at least 3 points, none at the ends, where streets meet); a sample
 * matches a line of the other kind when it lies within MATCH_DISTANCE_M of one of its segments whose
 * bearing is within MAX_BEARING_DIFF_DEG of the sample's — or of its opposite, for the `reverse`
 * direction of a two-way road drawn once (the estimate's `:reverse` link). Each sample takes the
 * nearest match.
 *  - A SUMO edge lies on the road edge (and direction) that most of its samples match — more than
 *    half (MIN_SHARE) of them, else on none.
 *  - A road edge carries the SUMO edges that lie on it, and also those along which most of its own
 *    samples run (a short road edge inside a long SUMO edge), in either direction it has.
 */

export const MATCH_DISTANCE_M = 15
export const MAX_BEARING_DIFF_DEG = 30
export const SAMPLE_STEP_M = 5
export const MIN_SHARE = 0.5

export type LonLat = [number, number]

export interface RoadLine {
  id: string
  coords: LonLat[]
  /** A two-way road drawn once: it also runs against its drawing (the `reverse` link). */
  reversible: boolean
}

export interface SumoLine {
  id: string
  coords: LonLat[]
}

export interface RoadMatch {
  roadEdgeId: string
  reverse: boolean
  /** Share of the SUMO edge's samples on it. */
  share: number
}

export interface EdgeMapping {
  /** SUMO edge → the road edge it lies on. */
  roadOf: Map<string, RoadMatch>
  /** Road edge → the SUMO edges on it (both directions), sorted. */
  sumoOf: Map<string, string[]>
}

type Xy = [number, number]
interface Segment {
  line: number
  a: Xy
  b: Xy
  bearing: number
}
interface Sample {
  p: Xy
  bearing: number
}

const EARTH_M = 6_371_008.8
const RAD = Math.PI / 180
const CELL_M = 50

export function mapEdges(sumo: readonly SumoLine[], roads: readonly RoadLine[]): EdgeMapping {
  const all = sumo.flatMap((s) => s.coords)
  const lat0 = all.length ? all.reduce((s, c) => s + c[1], 0) / all.length : 0
  const lon0 = all.length ? all.reduce((s, c) => s + c[0], 0) / all.length : 0
  const k = Math.cos(lat0 * RAD)
  const xy = (c: LonLat): Xy => [(c[0] - lon0) * RAD * EARTH_M * k, (c[1] - lat0) * RAD * EARTH_M]
  const sumoXy = sumo.map((s) => s.coords.map(xy))
  const roadXy = roads.map((r) => r.coords.map(xy))
  const roadIndex = new SegmentGrid(roadXy)
  const sumoIndex = new SegmentGrid(sumoXy)

  const roadOf = new Map<string, RoadMatch>()
  const sumoOf = new Map<string, Set<string>>()
  const add = (road: string, s: string) => (sumoOf.get(road) ?? sumoOf.set(road, new Set()).get(road)!).add(s)

  sumo.forEach((s, i) => {
    const samples = sampleLine(sumoXy[i]!)
    const tally = new Map<string, number>()
    for (const sm of samples) {
      const hit = roadIndex.nearest(sm, (seg, diff) => (diff <= MAX_BEARING_DIFF_DEG ? false : roads[seg.line]!.reversible && 180 - diff <= MAX_BEARING_DIFF_DEG ? true : null))
      if (hit) tally.set(`${hit.line}|${hit.reverse}`, (tally.get(`${hit.line}|${hit.reverse}`) ?? 0) + 1)
    }
    const best = [...tally].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
    if (!best || best[1] / samples.length <= MIN_SHARE) return
    const [line, rev] = best[0].split('|')
    const road = roads[Number(line)]!
    roadOf.set(s.id, { roadEdgeId: road.id, reverse: rev === 'true', share: Math.round((best[1] / samples.length) * 1000) / 1000 })
    add(road.id, s.id)
  })

  roads.forEach((r, i) => {
    const samples = sampleLine(roadXy[i]!)
    for (const reverse of r.reversible ? [false, true] : [false]) {
      const tally = new Map<number, number>()
      for (const sm of samples) {
        const hit = sumoIndex.nearest(sm, (_seg, diff) => ((reverse ? 180 - diff : diff) <= MAX_BEARING_DIFF_DEG ? false : null))
        if (hit) tally.set(hit.line, (tally.get(hit.line) ?? 0) + 1)
      }
      for (const [line, n] of tally) if (n / samples.length > MIN_SHARE) add(r.id, sumo[line]!.id)
    }
  })
  return { roadOf, sumoOf: new Map([...sumoOf].map(([k2, v]) => [k2, [...v].sort()])) }
}

/** Points every SAMPLE_STEP_M along a line (at least 3, none at its ends), each with the bearing of its segment. */
function sampleLine(line: readonly Xy[]): Sample[] {
  const segs: Array<{ a: Xy; b: Xy; len: number; bearing: number }> = []
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!
    const b = line[i]!
    const len = Math.hypot(b[0] - a[0], b[1] - a[1])
    if (len > 0) segs.push({ a, b, len, bearing: bearingOf(a, b) })
  }
  const total = segs.reduce((s, x) => s + x.len, 0)
  if (total === 0) return []
  const n = Math.max(3, Math.ceil(total / SAMPLE_STEP_M))
  const out: Sample[] = []
  let seg = 0
  let before = 0
  for (let j = 0; j < n; j++) {
    const at = ((j + 0.5) / n) * total
    while (seg < segs.length - 1 && before + segs[seg]!.len < at) before += segs[seg++]!.len
    const s = segs[seg]!
    const t = Math.min(1, Math.max(0, (at - before) / s.len))
    out.push({ p: [s.a[0] + t * (s.b[0] - s.a[0]), s.a[1] + t * (s.b[1] - s.a[1])], bearing: s.bearing })
  }
  return out
}

/** Compass bearing of a → b, degrees 0–360. */
function bearingOf(a: Xy, b: Xy): number {
  return (Math.atan2(b[0] - a[0], b[1] - a[1]) / RAD + 360) % 360
}

/** Difference of two bearings, 0–180. */
function bearingDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % 360
  return d > 180 ? 360 - d : d
}

function distanceToSegment(p: Xy, a: Xy, b: Xy): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
}

/** Segments of many lines in a uniform grid of CELL_M cells (each in the cells its box, widened by MATCH_DISTANCE_M, covers). */
class SegmentGrid {
  private readonly cells = new Map<string, Segment[]>()

  constructor(lines: ReadonlyArray<readonly Xy[]>) {
    lines.forEach((line, li) => {
      for (let i = 1; i < line.length; i++) {
        const a = line[i - 1]!
        const b = line[i]!
        if (a[0] === b[0] && a[1] === b[1]) continue
        const seg: Segment = { line: li, a, b, bearing: bearingOf(a, b) }
        const r = MATCH_DISTANCE_M
        for (let cx = cell(Math.min(a[0], b[0]) - r); cx <= cell(Math.max(a[0], b[0]) + r); cx++)
          for (let cy = cell(Math.min(a[1], b[1]) - r); cy <= cell(Math.max(a[1], b[1]) + r); cy++) {
            const key = `${cx}:${cy}`
            ;(this.cells.get(key) ?? this.cells.set(key, []).get(key)!).push(seg)
          }
      }
    })
  }

  /**
   * The nearest segment within MATCH_DISTANCE_M that `accept` takes: given the segment and the bearing
   * difference to the sample (0–180), it answers false (same direction), true (reverse) or null (no).
   */
  nearest(s: Sample, accept: (seg: Segment, diff: number) => boolean | null): { line: number; reverse: boolean } | null {
    let best: { line: number; reverse: boolean; d: number } | null = null
    for (const seg of this.cells.get(`${cell(s.p[0])}:${cell(s.p[1])}`) ?? []) {
      const d = distanceToSegment(s.p, seg.a, seg.b)
      if (d > MATCH_DISTANCE_M || (best && d >= best.d)) continue
      const reverse = accept(seg, bearingDiff(s.bearing, seg.bearing))
      if (reverse !== null) best = { line: seg.line, reverse, d }
    }
    return best && { line: best.line, reverse: best.reverse }
  }
}

const cell = (v: number) => Math.floor(v / CELL_M)
