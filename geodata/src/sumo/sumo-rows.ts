/**
 * Turns a parsed network and its additional files into the rows of the sumo_* tables, in lon/lat
 * (WKT), with every element that cannot be stored reported on its own line. Pure: no database.
 *
 * Geometry rules: a lane is its shape; an edge is its `shape` attribute, else its middle lane's
 * shape (lane ⌊n/2⌋); a junction is its (x, y) point plus, when its shape has ≥ 3 distinct
 * positions, the closed polygon of it; a detector is the point at `pos` along its lane.
 */
import type { ProblemLog } from '../readers/read-result'
import { lanePosition } from './lane-position'
import { decodeLoopCode, intersectionCode } from './bologna-codes'
import type { SumoGeoref } from './sumo-georef'
import type { NetXy, SumoAdditional, SumoNet, SumoPhase, SumoRequest } from './sumo-net'

export interface NetworkRow {
  file: string
  netOffset: NetXy
  proj: string
  convBoundary: number[]
  props: Record<string, unknown>
  wkt: string
}
export interface EdgeRow { id: string; from: string | null; to: string | null; name: string | null; type: string | null; priority: number | null; func: string; props: Record<string, string>; wkt: string }
export interface LaneRow { id: string; edgeId: string; idx: number; speedMs: number; lengthM: number; widthM: number | null; allow: string | null; disallow: string | null; props: Record<string, unknown>; wkt: string }
export interface JunctionRow { line: number; id: string; type: string; incLanes: string[]; intLanes: string[]; requests: SumoRequest[]; props: Record<string, unknown>; wkt: string; shapeWkt: string | null }
export interface ConnectionRow { from: string; to: string; fromLane: number; toLane: number; via: string | null; tl: string | null; linkIndex: number | null; dir: string | null; state: string | null; props: Record<string, string> }
export interface TlsProgramRow { tlsId: string; programId: string; type: string; offsetS: number; source: 'net' | 'additional'; file: string; phases: SumoPhase[]; params: Record<string, string>; intersectionCode: string | null }
export interface DetectorRow { line: number; id: string; laneId: string; posM: number; freqS: number | null; file: string; loopCode: string | null; props: Record<string, unknown>; wkt: string }

export interface SumoRows {
  network: NetworkRow
  edges: EdgeRow[]
  lanes: LaneRow[]
  junctions: JunctionRow[]
  connections: ConnectionRow[]
  programs: TlsProgramRow[]
  detectors: DetectorRow[]
}

const point = (p: readonly number[]) => `${p[0]} ${p[1]}`
const lineWkt = (pts: readonly (readonly number[])[]) => `LINESTRING(${pts.map(point).join(', ')})`

/** The shape without consecutive repeated positions; null when fewer than `min` remain. */
function distinct(shape: readonly NetXy[], min: number): NetXy[] | null {
  const out: NetXy[] = []
  for (const p of shape) {
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  return out.length >= min ? out : null
}

export function buildSumoRows(net: SumoNet, additionals: readonly SumoAdditional[], geo: SumoGeoref, log: ProblemLog): SumoRows {
  const ll = (pts: readonly NetXy[]) => pts.map((p) => geo.toLonLat(p))
  const [x0, y0, x1, y1] = net.location.convBoundary
  const corners: NetXy[] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
  const network: NetworkRow = {
    file: net.file,
    netOffset: net.location.netOffset,
    proj: net.location.projParameter,
    convBoundary: net.location.convBoundary,
    props: {
      version: net.version,
      origBoundary: net.location.origBoundary,
      additionalFiles: additionals.map((a) => a.file),
      roundabouts: net.roundabouts,
      prohibitions: net.prohibitions,
    },
    wkt: `POLYGON((${ll(corners).map(point).join(', ')}))`,
  }

  const edges: EdgeRow[] = []
  const lanes: LaneRow[] = []
  const laneShapes = new Map<string, { shape: NetXy[]; lengthM: number }>()
  const edgeIds = new Set<string>()
  const laneIds = new Set<string>()
  for (const e of net.edges) {
    if (edgeIds.has(e.id)) {
      log.reject(e.line, e.id, `edge ${e.id}: the id is used by an earlier edge`)
      continue
    }
    const kept = []
    for (const l of e.lanes) {
      const shape = distinct(l.shape, 2)
      if (laneIds.has(l.id)) log.reject(l.line, l.id, `lane ${l.id}: the id is used by an earlier lane`)
      else if (!shape) log.reject(l.line, l.id, `lane ${l.id}: invalid geometry, its shape has fewer than 2 distinct positions`)
      else {
        kept.push({ l, shape })
        laneIds.add(l.id)
      }
    }
    const middle = kept[Math.floor(kept.length / 2)]
    const edgeShape = (e.shape && distinct(e.shape, 2)) ?? middle?.shape
    if (!edgeShape) {
      log.reject(e.line, e.id, `edge ${e.id}: invalid geometry, neither its shape nor a lane has 2 distinct positions`)
      for (const { l } of kept) log.reject(l.line, l.id, `lane ${l.id}: its edge ${e.id} is refused`)
      continue
    }
    edgeIds.add(e.id)
    edges.push({ id: e.id, from: e.from, to: e.to, name: e.name, type: e.type, priority: e.priority, func: e.func, props: e.attrs, wkt: lineWkt(ll(edgeShape)) })
    for (const { l, shape } of kept) {
      laneShapes.set(l.id, { shape: l.shape, lengthM: l.lengthM })
      lanes.push({
        id: l.id,
        edgeId: e.id,
        idx: l.index,
        speedMs: l.speedMs,
        lengthM: l.lengthM,
        widthM: l.widthM,
        allow: l.allow,
        disallow: l.disallow,
        props: e.func === 'normal' ? { ...l.attrs } : { ...l.attrs, edgeFunction: e.func },
        wkt: lineWkt(ll(shape)),
      })
    }
  }

  const junctions: JunctionRow[] = []
  const junctionIds = new Set<string>()
  for (const j of net.junctions) {
    if (junctionIds.has(j.id)) {
      log.reject(j.line, j.id, `junction ${j.id}: the id is used by an earlier junction`)
      continue
    }
    junctionIds.add(j.id)
    let shapeWkt: string | null = null
    if (j.shape) {
      const ring = distinct(j.shape, 1) ?? []
      const first = ring[0]
      const last = ring[ring.length - 1]
      const closed = first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring
      if (closed.length >= 4) shapeWkt = `POLYGON((${ll(closed).map(point).join(', ')}))`
      else log.note(j.line, j.id, `junction ${j.id}: its shape has ${Math.max(0, closed.length - 1)} distinct position(s), not a polygon; stored as a point without shape`)
    }
    junctions.push({
      line: j.line,
      id: j.id,
      type: j.type,
      incLanes: j.incLanes,
      intLanes: j.intLanes,
      requests: j.requests,
      props: { ...j.attrs, x: j.x, y: j.y },
      wkt: `POINT(${point(geo.toLonLat([j.x, j.y]))})`,
      shapeWkt,
    })
  }

  const connections: ConnectionRow[] = []
  const connectionKeys = new Set<string>()
  for (const c of net.connections) {
    const key = `${c.from}_${c.fromLane}->${c.to}_${c.toLane}`
    if (connectionKeys.has(key)) {
      log.reject(c.line, key, `connection ${key}: an earlier connection joins the same lanes`)
      continue
    }
    connectionKeys.add(key)
    connections.push({ from: c.from, to: c.to, fromLane: c.fromLane, toLane: c.toLane, via: c.via, tl: c.tl, linkIndex: c.linkIndex, dir: c.dir, state: c.state, props: c.attrs })
  }

  return { network, edges, lanes, junctions, connections, programs: programRows(net, additionals, log), detectors: detectorRows(additionals, laneShapes, geo, log) }
}

function programRows(net: SumoNet, additionals: readonly SumoAdditional[], log: ProblemLog): TlsProgramRow[] {
  // SUMO refuses a state string shorter than the traffic light's highest link index + 1.
  const links = new Map<string, number>()
  for (const c of net.connections) if (c.tl !== null && c.linkIndex !== null) links.set(c.tl, Math.max(links.get(c.tl) ?? 0, c.linkIndex + 1))
  const rows: TlsProgramRow[] = []
  const seen = new Map<string, string>()
  for (const t of [...net.tlLogics, ...additionals.flatMap((a) => a.tlLogics)]) {
    const label = `${t.id}/${t.programId}`
    const earlier = seen.get(label)
    if (earlier !== undefined) {
      log.reject(t.line, label, `tlLogic ${label} in ${t.file}: program ${t.programId} of traffic light ${t.id} is already defined in ${earlier}`)
      continue
    }
    const needed = links.get(t.id)
    if (needed === undefined) log.note(t.line, label, `tlLogic ${label} in ${t.file}: the network has no connection controlled by traffic light ${t.id}`)
    else {
      const short = t.phases.findIndex((p) => p.state.length < needed)
      if (short >= 0) log.note(t.line, label, `tlLogic ${label}: phase ${short + 1} has ${t.phases[short]?.state.length} signal states, the traffic light controls ${needed} links`)
    }
    seen.set(label, t.file)
    rows.push({ tlsId: t.id, programId: t.programId, type: t.type, offsetS: t.offsetS, source: t.source, file: t.file, phases: t.phases, params: t.params, intersectionCode: intersectionCode(t.id) })
  }
  return rows
}

function detectorRows(additionals: readonly SumoAdditional[], lanes: Map<string, { shape: NetXy[]; lengthM: number }>, geo: SumoGeoref, log: ProblemLog): DetectorRow[] {
  const rows: DetectorRow[] = []
  const seen = new Set<string>()
  for (const d of additionals.flatMap((a) => a.detectors)) {
    if (seen.has(d.id)) {
      log.reject(d.line, d.id, `detector ${d.id} in ${d.file}: the id is used by an earlier detector`)
      continue
    }
    const lane = lanes.get(d.laneId)
    if (!lane) {
      log.reject(d.line, d.id, `detector ${d.id} in ${d.file}: lane ${d.laneId} is not in the network`)
      continue
    }
    seen.add(d.id)
    const at = lanePosition(lane.shape, lane.lengthM, d.posM)
    if (at.clamped) log.note(d.line, d.id, `detector ${d.id}: ${at.clamped}`)
    const decoded = decodeLoopCode(d.id)
    rows.push({
      line: d.line,
      id: d.id,
      laneId: d.laneId,
      posM: at.posM,
      freqS: d.freqS,
      file: d.file,
      loopCode: decoded?.loopCode ?? null,
      props: { ...d.attrs, outputFile: d.outputFile, ...(at.posM !== d.posM ? { posGiven: d.posM } : {}), ...(decoded ? { loopLane: decoded.lane } : {}) },
      wkt: `POINT(${point(geo.toLonLat(at.point))})`,
    })
  }
  return rows
}
