/**
 * The fast estimate on an imported SUMO network (ADR 0009): where the SUMO network covers the area
 * (acosta, pasubio, the joined one), a scenario may name SUMO edges and be estimated on the same graph
 * SUMO verifies it on.
 *
 * Links: the normal (non-internal) edges with at least one lane open to passenger cars; free-flow speed
 * and length from those lanes, capacity per lane by the edge's OSM type (city-network.ts's table), an
 * edge ending at a traffic light a signalised approach (90 s, g/C 0.45, lanes × 1,800 × g/C). The graph
 * is node-based: SUMO's connections (which lane turns where) are not modelled — SUMO itself does that.
 * Zones: the network's fringe — an edge starting where no drivable edge arrives is an entry, one ending
 * where none leaves an exit (the area is a piece of the city: its demand is traffic crossing it).
 * Loops: the network's e1 detectors matched to loop devices at import (sumo_detector.device_id), on
 * their lanes' edges. All SQL is here; the model is pure.
 */
import type { Queryable } from '../db/adapter'
import { CLASS_DEFAULTS, DEFAULT_SIGNAL, type CityNetwork } from './city-network'
import type { LoopLink } from './loop-links'

export const SUMO_ESTIMATE_NETWORKS = ['sumo-acosta', 'sumo-pasubio', 'sumo-joined'] as const
const SATURATION_PER_LANE = 1800
const FALLBACK_PER_LANE = 800

interface EdgeRow {
  id: string
  from_junction: string
  to_junction: string
  edge_type: string | null
  lanes: number
  speed_ms: number
  length_m: number
  signal: boolean
  fx: number
  fy: number
  tx: number
  ty: number
}

/** Whether a lane's allow/disallow lets passenger cars on it (SUMO's vehicle classes). */
export function carsAllowed(allow: string | null, disallow: string | null): boolean {
  if (allow && allow.trim() !== '' && allow.trim() !== 'all') return allow.split(/\s+/).includes('passenger')
  if (disallow && disallow.split(/\s+/).includes('passenger')) return false
  return true
}

export async function readSumoNetwork(db: Queryable, networkId: string): Promise<CityNetwork> {
  const lanes = await db.query<{ edge_id: string; allow: string | null; disallow: string | null; speed_ms: number; length_m: number }>(
    `SELECT l.edge_id, l.allow, l.disallow, l.speed_ms, l.length_m FROM sumo_lane l JOIN sumo_edge e ON e.network_id = l.network_id AND e.id = l.edge_id
     WHERE l.network_id = $1 AND e.func = 'normal'`,
    [networkId],
  )
  const byEdge = new Map<string, { lanes: number; speed: number; length: number }>()
  for (const l of lanes.rows) {
    if (!carsAllowed(l.allow, l.disallow)) continue
    const e = byEdge.get(l.edge_id) ?? { lanes: 0, speed: 0, length: 0 }
    e.lanes++
    e.speed = Math.max(e.speed, Number(l.speed_ms))
    e.length = Math.max(e.length, Number(l.length_m))
    byEdge.set(l.edge_id, e)
  }
  const edges = await db.query<Omit<EdgeRow, 'lanes' | 'speed_ms' | 'length_m'>>(
    `SELECT e.id, e.from_junction, e.to_junction, e.edge_type,
            coalesce(tj.junction_type IN ('traffic_light', 'traffic_light_unregulated', 'traffic_light_right_on_red'), false) AS signal,
            ST_X(ST_StartPoint(e.geom)) AS fx, ST_Y(ST_StartPoint(e.geom)) AS fy, ST_X(ST_EndPoint(e.geom)) AS tx, ST_Y(ST_EndPoint(e.geom)) AS ty
     FROM sumo_edge e LEFT JOIN sumo_junction tj ON tj.network_id = e.network_id AND tj.id = e.to_junction
     WHERE e.network_id = $1 AND e.func = 'normal' AND e.from_junction IS NOT NULL AND e.to_junction IS NOT NULL AND e.from_junction <> e.to_junction
     ORDER BY e.id`,
    [networkId],
  )
  const rows: EdgeRow[] = edges.rows.flatMap((e) => {
    const l = byEdge.get(e.id)
    return l ? [{ ...e, lanes: l.lanes, speed_ms: l.speed, length_m: l.length }] : []
  })
  const links: CityNetwork['links'] = []
  const roadEdgeOf: Array<string | null> = []
  const nodePositions = new Map<string, [number, number]>()
  const into = new Set<string>()
  const outOf = new Set<string>()
  for (const e of rows) {
    const cls = (e.edge_type ?? '').replace(/^highway\./, '')
    const perLane = CLASS_DEFAULTS[cls]?.capacityPerLane ?? FALLBACK_PER_LANE
    const lengthM = Math.max(1, e.length_m)
    const speed = e.speed_ms > 0 ? e.speed_ms : 13.9
    links.push({
      id: e.id,
      from: e.from_junction,
      to: e.to_junction,
      lengthM,
      lanes: e.lanes,
      t0S: lengthM / speed,
      capacityVehH: e.signal ? e.lanes * SATURATION_PER_LANE * DEFAULT_SIGNAL.greenRatio : e.lanes * perLane,
      ...(e.signal ? { signal: DEFAULT_SIGNAL } : {}),
    })
    roadEdgeOf.push(e.id)
    nodePositions.set(e.from_junction, [Number(e.fx), Number(e.fy)])
    nodePositions.set(e.to_junction, [Number(e.tx), Number(e.ty)])
    into.add(e.to_junction)
    outOf.add(e.from_junction)
  }
  // The fringe: entries where nothing drivable arrives, exits where nothing leaves.
  const zones: CityNetwork['zones'] = []
  for (const e of rows) {
    if (!into.has(e.from_junction)) {
      const centroid = `entry:${e.id}`
      zones.push({ id: `entry-${e.id}`, node: centroid, kind: 'external', name: `Entry ${e.id}`, position: [Number(e.fx), Number(e.fy)], district: null })
      links.push({ id: `${centroid}>${e.from_junction}`, from: centroid, to: e.from_junction, lengthM: 1, t0S: 1, capacityVehH: 1e6, connector: true, alpha: 0 })
      roadEdgeOf.push(null)
    }
    if (!outOf.has(e.to_junction)) {
      const centroid = `exit:${e.id}`
      zones.push({ id: `exit-${e.id}`, node: centroid, kind: 'external', name: `Exit ${e.id}`, position: [Number(e.tx), Number(e.ty)], district: null })
      links.push({ id: `${e.to_junction}>${centroid}`, from: e.to_junction, to: centroid, lengthM: 1, t0S: 1, capacityVehH: 1e6, connector: true, alpha: 0 })
      roadEdgeOf.push(null)
    }
  }
  return { links, zones, roadEdgeOf, nodePositions }
}

/** The network's loops on their edges: a loop device's detectors on one edge count that edge. */
export async function sumoLoopLinks(db: Queryable, networkId: string): Promise<LoopLink[]> {
  const r = await db.query<{ device_id: string; edges: string[] | string }>(
    `SELECT d.device_id, array_agg(DISTINCT l.edge_id ORDER BY l.edge_id) AS edges
     FROM sumo_detector d JOIN sumo_lane l ON l.network_id = d.network_id AND l.id = d.lane_id
     WHERE d.network_id = $1 AND d.device_id IS NOT NULL GROUP BY d.device_id ORDER BY d.device_id`,
    [networkId],
  )
  return r.rows.map((x) => {
    const edges = Array.isArray(x.edges) ? x.edges : x.edges.replace(/^\{|\}$/g, '').split(',').filter(Boolean)
    return edges.length === 1
      ? { deviceId: x.device_id, roadEdgeId: edges[0]!, distanceM: 0, bearingDiffDeg: 0, reason: null }
      : { deviceId: x.device_id, roadEdgeId: null, distanceM: null, bearingDiffDeg: null, reason: `its detectors lie on ${edges.length} edges (${edges.join(', ')})` }
  })
}
