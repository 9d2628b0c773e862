/**
 * Which road link each traffic loop counts (ADR 0009): the calibration of the fast estimate compares
 * a loop's count with the assigned flow of that link. A loop of Bologna's registry has a position and
 * the direction of travel it counts (`direzione`: N, NE, E, SE, S, SO, O, NO — its `angolo` is not
 * consistent about which way it points, so it is not used). The link is the nearest directed edge of the
 * drive graph within 30 m whose bearing lies within 67.5° of that direction; a loop without such an
 * edge is reported unmatched, not forced onto the wrong carriageway.
 */
import type { Queryable } from '../db/adapter'

export const MATCH_RADIUS_M = 30
export const MAX_BEARING_DIFF_DEG = 67.5

const COMPASS: Record<string, number> = { N: 0, NE: 45, E: 90, SE: 135, S: 180, SO: 225, SW: 225, O: 270, W: 270, NO: 315, NW: 315 }

export function bearingOfDirection(direction: string | null | undefined): number | null {
  if (!direction) return null
  const b = COMPASS[direction.trim().toUpperCase()]
  return b === undefined ? null : b
}

export interface LoopLink {
  deviceId: string
  /** road_edge.id, or null when no edge of the right direction is near. */
  roadEdgeId: string | null
  distanceM: number | null
  bearingDiffDeg: number | null
  reason: string | null
}

/** Every traffic-loop device matched to a directed edge of the city graph. */
export async function matchLoopsToLinks(db: Queryable): Promise<LoopLink[]> {
  const loops = await db.query<{ id: string; direction: string | null }>(`SELECT id, props->>'direction' AS direction FROM device WHERE kind = 'traffic-loop' ORDER BY id`)
  const candidates = await db.query<{ device_id: string; edge_id: string; az: number | null; dist: number }>(
    `SELECT d.id AS device_id, e.id AS edge_id,
            degrees(ST_Azimuth(ST_LineInterpolatePoint(e.geom, greatest(0, ST_LineLocatePoint(e.geom, d.geom) - 0.05)),
                               ST_LineInterpolatePoint(e.geom, least(1, ST_LineLocatePoint(e.geom, d.geom) + 0.05)))) AS az,
            ST_Distance(e.geom::geography, d.geom::geography) AS dist
     -- The box (≈ 40 m at Bologna's latitude) lets the spatial index pick the candidates; the geography test decides.
     FROM device d JOIN road_edge e ON e.geom && ST_Expand(d.geom, 0.0005) AND ST_DWithin(e.geom::geography, d.geom::geography, $1)
     WHERE d.kind = 'traffic-loop'
     ORDER BY d.id, dist, e.id`,
    [MATCH_RADIUS_M],
  )
  const byLoop = new Map<string, Array<{ edge: string; az: number | null; dist: number }>>()
  for (const c of candidates.rows) (byLoop.get(c.device_id) ?? byLoop.set(c.device_id, []).get(c.device_id)!).push({ edge: c.edge_id, az: c.az === null ? null : Number(c.az), dist: Number(c.dist) })
  return loops.rows.map((l) => {
    const want = bearingOfDirection(l.direction)
    const cs = byLoop.get(l.id) ?? []
    if (cs.length === 0) return { deviceId: l.id, roadEdgeId: null, distanceM: null, bearingDiffDeg: null, reason: `no road within ${MATCH_RADIUS_M} m` }
    if (want === null) return { deviceId: l.id, roadEdgeId: null, distanceM: null, bearingDiffDeg: null, reason: `direction "${l.direction ?? ''}" unknown` }
    const ok = cs
      .map((c) => ({ ...c, diff: c.az === null ? 180 : angleDiff(c.az, want) }))
      .filter((c) => c.diff <= MAX_BEARING_DIFF_DEG)
    const best = ok[0]
    if (!best) return { deviceId: l.id, roadEdgeId: null, distanceM: null, bearingDiffDeg: null, reason: `no road within ${MATCH_RADIUS_M} m runs ${l.direction}` }
    return { deviceId: l.id, roadEdgeId: best.edge, distanceM: Math.round(best.dist * 10) / 10, bearingDiffDeg: Math.round(best.diff), reason: null }
  })
}

export function angleDiff(a: number, b: number): number {
  const d = Math.abs(((a - b) % 360) + 360) % 360
  return d > 180 ? 360 - d : d
}
