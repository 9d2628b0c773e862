/**
 * The junction of a signal controller on the map (contracts/signal-api.ts getSignalGeometry): the
 * approach lanes of its signal groups from the controller's SUMO network (sumo_lane, migration 0002)
 * and the shapes of the junctions its links cross — the junctions whose incoming lanes the links
 * leave from, as the signal-controller devices are placed (geodata/src/sumo/signal-controllers.ts).
 * The traffic light is the one the controller's plans were imported from (their source tlsId), else
 * the controller's id.
 */
import type { SignalGeometry, SignalJunctionFeature, SignalLaneFeature } from '../../../contracts/signal-api'
import type { SignalController } from '../../../contracts/schemas/signal-plan'
import type { Queryable } from './adapter'

/** GeoJSON coordinate precision: 7 decimals of a degree is about a centimetre. */
const DIGITS = 7

type LineGeometry = SignalLaneFeature['geometry']
type PolygonGeometry = SignalJunctionFeature['geometry']

interface ControllerGeometryRow {
  doc: SignalController
  network_id: string | null
  tls_ids: string[]
}

/** The controller's features, lanes in group order then junctions by id; null when there is no such controller. */
export async function signalGeometry(q: Queryable, controllerId: string): Promise<SignalGeometry | null> {
  const c = await q.query<ControllerGeometryRow>(
    `SELECT c.doc, coalesce(c.network_id, c.doc->>'networkId') AS network_id,
            array_remove(array_agg(DISTINCT p.doc->'source'->>'tlsId'), NULL) AS tls_ids
     FROM signal_controller c LEFT JOIN signal_plan_version p ON p.controller_id = c.id
     WHERE c.id = $1 GROUP BY c.id`,
    [controllerId],
  )
  const row = c.rows[0]
  if (!row) return null
  if (row.network_id === null) return { type: 'FeatureCollection', features: [] }
  const groups = row.doc.signalGroups
  const laneIds = [...new Set(groups.flatMap((g) => g.lanes))]
  const links = [...new Set(groups.flatMap((g) => g.links))]
  const tlsIds = row.tls_ids.length > 0 ? row.tls_ids : [row.doc.id]

  const [lanes, junctions] = await Promise.all([
    q.query<{ id: string; geometry: LineGeometry }>(
      `SELECT id, ST_AsGeoJSON(geom, ${DIGITS})::json AS geometry FROM sumo_lane WHERE network_id = $1 AND id = ANY($2::text[])`,
      [row.network_id, laneIds],
    ),
    q.query<{ id: string; geometry: PolygonGeometry }>(
      `SELECT j.id, ST_AsGeoJSON(j.shape, ${DIGITS})::json AS geometry
       FROM sumo_junction j
       WHERE j.network_id = $1 AND j.shape IS NOT NULL AND NOT ST_IsEmpty(j.shape)
         AND j.id IN (
           SELECT jn.id FROM sumo_connection sc
           JOIN sumo_junction jn ON jn.network_id = sc.network_id AND (sc.from_edge || '_' || sc.from_lane) = ANY(jn.inc_lanes)
           WHERE sc.network_id = $1 AND sc.tl = ANY($2::text[]) AND sc.link_index = ANY($3::int[]) AND left(sc.from_edge, 1) <> ':'
         )
       ORDER BY j.id`,
      [row.network_id, tlsIds, links],
    ),
  ])
  const laneGeometry = new Map(lanes.rows.map((l) => [l.id, l.geometry]))
  const features: SignalGeometry['features'] = []
  for (const g of groups) {
    for (const laneId of g.lanes) {
      const geometry = laneGeometry.get(laneId)
      if (!geometry) continue
      features.push({ type: 'Feature', geometry, properties: { kind: 'lane', groupId: g.id, laneId, type: g.type, turn: g.turn } })
    }
  }
  for (const j of junctions.rows) features.push({ type: 'Feature', geometry: j.geometry, properties: { kind: 'junction', junctionId: j.id } })
  return { type: 'FeatureCollection', features }
}
