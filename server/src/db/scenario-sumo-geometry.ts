/**
 * The geometry a scenario's SUMO verification maps with (server/src/scenarios/sumo-verification/
 * edge-mapping.ts): a SUMO network's normal edges and its area, the city road edges in that area, and
 * the SUMO edges nearest a point. The network's area is the convex hull of its normal edges widened by
 * AREA_MARGIN_M: a street outside it is outside what SUMO simulates.
 */
import type { Queryable } from './adapter'

export const AREA_MARGIN_M = 30

type LonLat = [number, number]
const coordsOf = (geojson: string) => (JSON.parse(geojson) as { coordinates: LonLat[] }).coordinates
const AREA = `(SELECT ST_Buffer(ST_ConvexHull(ST_Collect(geom))::geography, ${AREA_MARGIN_M})::geometry AS area FROM sumo_edge WHERE network_id = $1 AND func = 'normal')`

/** The network's normal edges as lines in [lon, lat]. */
export async function sumoEdgeLines(q: Queryable, networkId: string): Promise<Array<{ id: string; coords: LonLat[] }>> {
  const r = await q.query<{ id: string; g: string }>(`SELECT id, ST_AsGeoJSON(geom, 7) AS g FROM sumo_edge WHERE network_id = $1 AND func = 'normal' ORDER BY id`, [networkId])
  return r.rows.map((x) => ({ id: x.id, coords: coordsOf(x.g) }))
}

/**
 * The city road edges that meet the network's area, as lines; `reversible` when the edge is a two-way
 * road drawn once (no row for its other direction: the estimate adds that direction as `:reverse`).
 */
export async function roadLinesInArea(q: Queryable, networkId: string): Promise<Array<{ id: string; coords: LonLat[]; reversible: boolean }>> {
  const r = await q.query<{ id: string; g: string; reversible: boolean }>(
    `WITH area AS ${AREA}
     SELECT e.id, ST_AsGeoJSON(e.geom, 7) AS g,
            (NOT e.oneway AND NOT EXISTS (SELECT 1 FROM road_edge o WHERE o.from_node = e.to_node AND o.to_node = e.from_node)) AS reversible
     FROM road_edge e, area a WHERE a.area IS NOT NULL AND e.geom && a.area AND ST_Intersects(e.geom, a.area) ORDER BY e.id`,
    [networkId],
  )
  return r.rows.map((x) => ({ id: x.id, coords: coordsOf(x.g), reversible: x.reversible }))
}

/** Which of these road edge ids the city graph has, and whether each meets the network's area. */
export async function roadEdgesNamed(q: Queryable, networkId: string, ids: readonly string[]): Promise<Map<string, { inArea: boolean }>> {
  if (ids.length === 0) return new Map()
  const r = await q.query<{ id: string; in_area: boolean | null }>(
    `WITH area AS ${AREA}
     SELECT e.id, ST_Intersects(e.geom, a.area) AS in_area FROM road_edge e, area a WHERE e.id = ANY($2::text[])`,
    [networkId, [...new Set(ids)]],
  )
  return new Map(r.rows.map((x) => [x.id, { inArea: x.in_area === true }]))
}

/** The network's normal edges nearest a point (within maxM, nearest first), and whether the point is in the network's area. */
export async function nearestSumoEdges(q: Queryable, networkId: string, at: LonLat, maxM: number, limit = 10): Promise<{ inArea: boolean; edges: Array<{ id: string; distanceM: number }> }> {
  const area = await q.query<{ in_area: boolean | null }>(`WITH area AS ${AREA} SELECT ST_Intersects(ST_SetSRID(ST_MakePoint($2, $3), 4326), a.area) AS in_area FROM area a`, [networkId, at[0], at[1]])
  const r = await q.query<{ id: string; d: number }>(
    `SELECT id, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography)::float8 AS d
     FROM sumo_edge WHERE network_id = $1 AND func = 'normal' AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4)
     ORDER BY d, id LIMIT $5`,
    [networkId, at[0], at[1], maxM, limit],
  )
  return { inArea: area.rows[0]?.in_area === true, edges: r.rows.map((x) => ({ id: x.id, distanceM: Number(x.d) })) }
}
