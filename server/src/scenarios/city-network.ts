/**
 * The fast estimate's city network (ADR 0009): the OpenStreetMap drive graph of the comune (road_edge,
 * road_node — one row per direction of travel, as OSMnx exports it) turned into assignment links, and
 * the zones: the 90 statistical areas (centroid connectors to their three nearest graph nodes) plus
 * external stations where a major road leaves the graph at the comune's edge.
 *
 * Link attributes by OSM class when the tags are silent: speed, lanes, capacity per lane. A node tagged
 * traffic_signals makes every link entering it a signalised approach (90 s cycle, g/C 0.45 unless the
 * workbench has the plan), whose capacity is lanes × 1,800 × g/C. All SQL is here; the model is pure.
 */
import type { Queryable } from '../db/adapter'
import type { LinkInput, ZoneInput } from '../domain/assignment/network'

interface ClassDefaults { speedKmh: number; lanes: number; capacityPerLane: number }

/** Per OSM highway class: free-flow speed when maxspeed is missing, lanes per direction, capacity veh/h/lane. */
export const CLASS_DEFAULTS: Readonly<Record<string, ClassDefaults>> = {
  motorway: { speedKmh: 110, lanes: 2, capacityPerLane: 1900 },
  motorway_link: { speedKmh: 60, lanes: 1, capacityPerLane: 1500 },
  trunk: { speedKmh: 70, lanes: 2, capacityPerLane: 1700 },
  trunk_link: { speedKmh: 50, lanes: 1, capacityPerLane: 1400 },
  primary: { speedKmh: 50, lanes: 1, capacityPerLane: 1000 },
  primary_link: { speedKmh: 40, lanes: 1, capacityPerLane: 1000 },
  secondary: { speedKmh: 50, lanes: 1, capacityPerLane: 900 },
  secondary_link: { speedKmh: 40, lanes: 1, capacityPerLane: 900 },
  tertiary: { speedKmh: 50, lanes: 1, capacityPerLane: 800 },
  tertiary_link: { speedKmh: 40, lanes: 1, capacityPerLane: 800 },
  unclassified: { speedKmh: 40, lanes: 1, capacityPerLane: 600 },
  residential: { speedKmh: 30, lanes: 1, capacityPerLane: 600 },
  living_street: { speedKmh: 10, lanes: 1, capacityPerLane: 300 },
  service: { speedKmh: 20, lanes: 1, capacityPerLane: 300 },
}
const FALLBACK: ClassDefaults = { speedKmh: 30, lanes: 1, capacityPerLane: 500 }
export const DEFAULT_SIGNAL = { cycleS: 90, greenRatio: 0.45 }
const SATURATION_PER_LANE = 1800
const CONNECTOR_SPEED_KMH = 20
const MAJOR = ['motorway', 'trunk', 'primary', 'motorway_link', 'trunk_link']

export interface CityNetwork {
  links: LinkInput[]
  /** Areas carry their district (quartiere: the one containing the area's point on surface). */
  zones: Array<ZoneInput & { kind: 'area' | 'external'; name: string; position: [number, number]; district: string | null }>
  /** Every graph node's position (lon, lat): generators are connected to the nearest. */
  nodePositions: Map<string, [number, number]>
  /** Link index → road_edge id (null for connectors and added reverse directions keep their edge's id). */
  roadEdgeOf: Array<string | null>
}

interface EdgeRow {
  id: string
  from_node: string
  to_node: string
  road_class: string
  lanes: number | null
  maxspeed_kmh: number | null
  oneway: boolean
  length_m: number | null
  signal_at_end: boolean
}

export async function readCityNetwork(db: Queryable): Promise<CityNetwork> {
  const edges = await db.query<EdgeRow>(
    `SELECT e.id, e.from_node, e.to_node, e.road_class, e.lanes, e.maxspeed_kmh, e.oneway,
            coalesce(e.length_m, ST_Length(e.geom::geography)) AS length_m,
            coalesce(n.traffic_signals, false) AS signal_at_end
     FROM road_edge e LEFT JOIN road_node n ON n.id = e.to_node
     WHERE e.from_node IS NOT NULL AND e.to_node IS NOT NULL AND e.from_node <> e.to_node
     ORDER BY e.id`,
  )
  const links: LinkInput[] = []
  const roadEdgeOf: Array<string | null> = []
  const directed = new Set(edges.rows.map((e) => `${e.from_node}>${e.to_node}`))
  const add = (e: EdgeRow, from: string, to: string, id: string, signal: boolean) => {
    const d = CLASS_DEFAULTS[e.road_class] ?? FALLBACK
    const lanes = Math.max(1, e.lanes ?? d.lanes)
    const speedKmh = e.maxspeed_kmh && e.maxspeed_kmh > 0 ? e.maxspeed_kmh : d.speedKmh
    const lengthM = Math.max(1, Number(e.length_m))
    links.push({
      id,
      from,
      to,
      lengthM,
      lanes,
      t0S: lengthM / (speedKmh / 3.6),
      capacityVehH: signal ? lanes * SATURATION_PER_LANE * DEFAULT_SIGNAL.greenRatio : lanes * d.capacityPerLane,
      ...(signal ? { signal: DEFAULT_SIGNAL } : {}),
    })
    roadEdgeOf.push(e.id)
  }
  for (const e of edges.rows) {
    add(e, e.from_node, e.to_node, e.id, e.signal_at_end)
    // A two-way street exported once: its other direction.
    if (!e.oneway && !directed.has(`${e.to_node}>${e.from_node}`)) add(e, e.to_node, e.from_node, `${e.id}:reverse`, false)
  }
  const zones: CityNetwork['zones'] = []
  // Statistical areas: a point on the surface, connected both ways to its three nearest graph nodes.
  const areas = await db.query<{ id: string; name: string; x: number; y: number; district: string | null; nodes: string[] | string; dists: number[] | string }>(
    `SELECT a.id, a.name, ST_X(p) AS x, ST_Y(p) AS y,
            (SELECT q.name FROM area q WHERE q.kind = 'quartiere' AND ST_Contains(q.geom, a.p) ORDER BY q.id LIMIT 1) AS district,
            ARRAY(SELECT n.id FROM road_node n WHERE EXISTS (SELECT 1 FROM road_edge e WHERE e.from_node = n.id) AND EXISTS (SELECT 1 FROM road_edge e WHERE e.to_node = n.id)
                  ORDER BY n.geom <-> p LIMIT 3) AS nodes,
            ARRAY(SELECT ST_Distance(n.geom::geography, p::geography) FROM road_node n WHERE EXISTS (SELECT 1 FROM road_edge e WHERE e.from_node = n.id) AND EXISTS (SELECT 1 FROM road_edge e WHERE e.to_node = n.id)
                  ORDER BY n.geom <-> p LIMIT 3) AS dists
     FROM (SELECT id, name, ST_PointOnSurface(geom) AS p FROM area WHERE kind = 'area_statistica') a ORDER BY a.id`,
  )
  for (const a of areas.rows) {
    const nodes = pgArray(a.nodes)
    const dists = pgArray(a.dists).map(Number)
    const centroid = `zone:${a.id}`
    zones.push({ id: a.id, node: centroid, kind: 'area', name: a.name, position: [a.x, a.y], district: a.district })
    nodes.forEach((n, k) => {
      const lengthM = Math.max(20, dists[k] ?? 100)
      const c = { lengthM, t0S: lengthM / (CONNECTOR_SPEED_KMH / 3.6), capacityVehH: 1e6, connector: true, alpha: 0 }
      links.push({ id: `${centroid}>${n}`, from: centroid, to: n, ...c }, { id: `${n}>${centroid}`, from: n, to: centroid, ...c })
      roadEdgeOf.push(null, null)
    })
  }
  // External stations: a major road's end where the graph stops (the comune's edge) — traffic from or to outside.
  const ext = await db.query<{ id: string; x: number; y: number; dir: 'in' | 'out' }>(
    `WITH major AS (SELECT * FROM road_edge WHERE road_class = ANY($1::text[]))
     SELECT n.id, ST_X(n.geom) AS x, ST_Y(n.geom) AS y,
            CASE WHEN NOT EXISTS (SELECT 1 FROM road_edge e WHERE e.to_node = n.id) THEN 'in' ELSE 'out' END AS dir
     FROM road_node n
     WHERE (EXISTS (SELECT 1 FROM major e WHERE e.from_node = n.id) AND NOT EXISTS (SELECT 1 FROM road_edge e WHERE e.to_node = n.id))
        OR (EXISTS (SELECT 1 FROM major e WHERE e.to_node = n.id) AND NOT EXISTS (SELECT 1 FROM road_edge e WHERE e.from_node = n.id))
     ORDER BY n.id`,
    [MAJOR],
  )
  for (const x of ext.rows) {
    const centroid = `ext:${x.id}`
    zones.push({ id: `external-${x.id}`, node: centroid, kind: 'external', name: `${x.dir === 'in' ? 'Entry' : 'Exit'} ${x.id}`, position: [x.x, x.y], district: null })
    const c = { lengthM: 1, t0S: 1, capacityVehH: 1e6, connector: true, alpha: 0 }
    links.push(x.dir === 'in' ? { id: `${centroid}>${x.id}`, from: centroid, to: x.id, ...c } : { id: `${x.id}>${centroid}`, from: x.id, to: centroid, ...c })
    roadEdgeOf.push(null)
  }
  const nodes = await db.query<{ id: string; x: number; y: number }>(`SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM road_node`)
  const nodePositions = new Map(nodes.rows.map((n) => [n.id, [Number(n.x), Number(n.y)] as [number, number]]))
  return { links, zones, roadEdgeOf, nodePositions }
}

/** node-pg gives arrays; PGlite may give them as '{a,b}' text. */
function pgArray(v: string[] | number[] | string): string[] {
  if (Array.isArray(v)) return v.map(String)
  return v.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, ''))
}
