/**
 * What the signal-groups layer draws, from the controller's geometry (contracts/signal-api.ts
 * getSignalGeometry): each group's approach lanes as strips over their last 60 m (a lane two groups
 * share is split lengthwise, the right-turning group on the right), a label with the group id at the stop line, and
 * the junction polygons as outlines. The colour is the group's aspect in the selected interval — the
 * signal's own code, as on the bar chart — and dark grey when no interval is selected.
 */
import type { SignalGeometry, SignalLaneFeature } from '../../../../../contracts/signal-api'
import type { SignalState } from '../../../../../contracts/schemas/signal-plan'
import { PALETTE, hexToRgba, type Rgba } from '../../palette'

export type Aspect = 'green' | 'yellow' | 'red' | 'none'

/** The bar chart's aspect colours (signals.css --sig-*); grey for no interval or a dark head. */
export const ASPECT_COLOURS: Record<Aspect, Rgba> = {
  green: hexToRgba('#2fa84f'),
  yellow: hexToRgba('#e3b21c'),
  red: hexToRgba('#d23a2e'),
  none: hexToRgba(PALETTE.noComm),
}

/** G and flashing green → green; yellow, red+amber and flashing yellow → yellow; R → red; DARK or nothing → none. */
export function aspectOf(state: SignalState | null | undefined): Aspect {
  switch (state) {
    case 'G':
    case 'Gflash':
      return 'green'
    case 'Y':
    case 'RY':
    case 'FY':
      return 'yellow'
    case 'R':
      return 'red'
    default:
      return 'none'
  }
}

export type LonLat = [number, number]

export interface GroupLane {
  groupId: string
  laneId: string
  path: LonLat[]
  /** Drawn width: the lane's, divided among the groups that share it. */
  widthM: number
}

export interface GroupLabel {
  text: string
  position: LonLat
}

export interface SignalGroupsData {
  lanes: GroupLane[]
  labels: GroupLabel[]
  /** Closed rings of the junction polygons. */
  outlines: LonLat[][]
}

/** Width a lane is drawn with (SUMO's default lane is 3.2 m; a gap is left between lanes). */
export const LANE_DRAWN_M = 2.6
/** Length of approach drawn before the stop line: enough to read the junction, not the whole street. */
export const APPROACH_DRAWN_M = 60

const M_PER_DEG_LAT = 110_540
const M_PER_DEG_LON_EQ = 111_320

/**
 * The path moved sideways by `offsetM` metres, to the right of its direction of travel (negative: to
 * the left); each vertex moves along the mean normal of its segments. Metres are local (equirectangular
 * about the first vertex): exact enough over a junction.
 */
export function offsetPath(path: readonly LonLat[], offsetM: number): LonLat[] {
  if (offsetM === 0 || path.length < 2) return path.map((p) => [p[0], p[1]])
  const kx = M_PER_DEG_LON_EQ * Math.cos((path[0]![1] * Math.PI) / 180)
  const xy = path.map(([lon, lat]) => [lon * kx, lat * M_PER_DEG_LAT] as const)
  const normals: Array<[number, number]> = []
  for (let i = 0; i + 1 < xy.length; i++) {
    const dx = xy[i + 1]![0] - xy[i]![0]
    const dy = xy[i + 1]![1] - xy[i]![1]
    const len = Math.hypot(dx, dy) || 1
    normals.push([dy / len, -dx / len]) // right of travel
  }
  return xy.map(([x, y], i) => {
    const a = normals[Math.max(0, i - 1)]!
    const b = normals[Math.min(normals.length - 1, i)]!
    let nx = a[0] + b[0]
    let ny = a[1] + b[1]
    const len = Math.hypot(nx, ny) || 1
    nx /= len
    ny /= len
    return [(x + nx * offsetM) / kx, (y + ny * offsetM) / M_PER_DEG_LAT]
  })
}

/** The last `lengthM` metres of a path (the stretch before its end, the stop line); the whole path when shorter. */
export function tailOf(path: readonly LonLat[], lengthM: number): LonLat[] {
  if (path.length < 2) return path.map((p) => [p[0], p[1]])
  const kx = M_PER_DEG_LON_EQ * Math.cos((path[0]![1] * Math.PI) / 180)
  const out: LonLat[] = [[path.at(-1)![0], path.at(-1)![1]]]
  let left = lengthM
  for (let i = path.length - 1; i > 0; i--) {
    const [lon1, lat1] = path[i]!
    const [lon0, lat0] = path[i - 1]!
    const len = Math.hypot((lon1 - lon0) * kx, (lat1 - lat0) * M_PER_DEG_LAT)
    if (len >= left) {
      const f = len === 0 ? 0 : left / len
      out.unshift([lon1 + (lon0 - lon1) * f, lat1 + (lat0 - lat1) * f])
      return out
    }
    left -= len
    out.unshift([lon0, lat0])
  }
  return out
}

const TURN_RANK: Record<SignalLaneFeature['properties']['turn'], number> = { right: 0, through: 1, mixed: 1, left: 2 }

const keyOf = ([lon, lat]: LonLat) => `${lon.toFixed(6)},${lat.toFixed(6)}`
const mean = (ps: readonly LonLat[]): LonLat => [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length]

export function signalGroupsData(geometry: SignalGeometry | null): SignalGroupsData {
  const features = geometry?.features ?? []
  const laneFeatures = features.filter((f): f is SignalLaneFeature => f.properties.kind === 'lane')
  const byLane = new Map<string, SignalLaneFeature[]>()
  for (const f of laneFeatures) byLane.set(f.properties.laneId, [...(byLane.get(f.properties.laneId) ?? []), f])

  const lanes: GroupLane[] = []
  const ends = new Map<string, { own: LonLat[]; shared: LonLat[] }>()
  for (const sharing of byLane.values()) {
    const n = sharing.length
    const widthM = LANE_DRAWN_M / n
    const ordered = [...sharing].sort((a, b) => TURN_RANK[a.properties.turn] - TURN_RANK[b.properties.turn])
    ordered.forEach((f, k) => {
      const path = offsetPath(tailOf(f.geometry.coordinates as LonLat[], APPROACH_DRAWN_M), ((n - 1) / 2 - k) * widthM)
      lanes.push({ groupId: f.properties.groupId, laneId: f.properties.laneId, path, widthM })
      const e = ends.get(f.properties.groupId) ?? { own: [], shared: [] }
      ;(n === 1 ? e.own : e.shared).push(path.at(-1)!)
      ends.set(f.properties.groupId, e)
    })
  }

  // One label per group at its stop line (the lanes it has alone, when it has some), merged where two land on one point.
  const labelAt = new Map<string, GroupLabel>()
  for (const f of laneFeatures) {
    const e = ends.get(f.properties.groupId)
    if (!e) continue
    ends.delete(f.properties.groupId)
    const position = mean(e.own.length > 0 ? e.own : e.shared)
    const key = keyOf(position)
    const same = labelAt.get(key)
    labelAt.set(key, same ? { ...same, text: `${same.text}/${f.properties.groupId}` } : { text: f.properties.groupId, position })
  }

  const outlines = features.flatMap((f) => (f.properties.kind === 'junction' && f.geometry.type === 'Polygon' ? f.geometry.coordinates.map((ring) => ring as LonLat[]) : []))
  return { lanes, labels: [...labelAt.values()], outlines }
}
