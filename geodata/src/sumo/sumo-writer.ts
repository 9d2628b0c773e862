/**
 * Writes one SUMO network inside the import transaction: the dataset's sumo_network row is
 * deleted (its edges, lanes, junctions, connections, programs and detectors go with it, ON DELETE
 * CASCADE), then each table gets one INSERT … SELECT FROM json_to_recordset — a few thousand rows
 * in seven statements, never row by row.
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { ProblemLog } from '../readers/read-result'
import type { SumoRows } from './sumo-rows'

/** Rows a dataset has across the SUMO tables (the child tables hang off sumo_network.dataset). */
export const SUMO_DATASET_ROWS_SQL = `SELECT count(*)::int AS n FROM sumo_network WHERE dataset = $1
  UNION ALL ${['sumo_edge', 'sumo_lane', 'sumo_junction', 'sumo_connection', 'sumo_tls_program', 'sumo_detector']
    .map((t) => `SELECT count(*)::int FROM ${t} WHERE network_id IN (SELECT id FROM sumo_network WHERE dataset = $1)`)
    .join(' UNION ALL ')}`

export async function writeSumoRows(tx: Queryable, networkId: string, dataset: string, rows: SumoRows, log: ProblemLog): Promise<number> {
  await tx.query('DELETE FROM sumo_network WHERE dataset = $1 OR id = $2', [dataset, networkId])
  await dropInvalidJunctionShapes(tx, rows, log)
  const json = (v: unknown) => JSON.stringify(v)
  const n = rows.network
  let written = (
    await tx.query(
      `INSERT INTO sumo_network (id, dataset, file, net_offset_x, net_offset_y, proj, conv_boundary, props, geom)
       VALUES ($1, $2, $3, $4, $5, $6, $7::float8[], $8::jsonb, ST_GeomFromText($9, 4326))`,
      [networkId, dataset, n.file, n.netOffset[0], n.netOffset[1], n.proj, n.convBoundary, json(n.props), n.wkt],
    )
  ).rowCount

  const insert = async (sql: string, data: unknown[]) => {
    if (data.length === 0) return
    written += (await tx.query(sql, [networkId, json(data)])).rowCount
  }
  await insert(
    `INSERT INTO sumo_edge (network_id, id, from_junction, to_junction, name, edge_type, priority, func, props, geom)
     SELECT $1, r.id, r."from", r."to", r.name, r.type, r.priority, r.func, r.props, ST_GeomFromText(r.wkt, 4326)
     FROM json_to_recordset($2::json) AS r(id text, "from" text, "to" text, name text, type text, priority int, func text, props jsonb, wkt text)`,
    rows.edges,
  )
  await insert(
    `INSERT INTO sumo_lane (network_id, id, edge_id, idx, speed_ms, length_m, width_m, allow, disallow, props, geom)
     SELECT $1, r.id, r."edgeId", r.idx, r."speedMs", r."lengthM", r."widthM", r.allow, r.disallow, r.props, ST_GeomFromText(r.wkt, 4326)
     FROM json_to_recordset($2::json) AS r(id text, "edgeId" text, idx int, "speedMs" real, "lengthM" real, "widthM" real, allow text, disallow text, props jsonb, wkt text)`,
    rows.lanes,
  )
  await insert(
    `INSERT INTO sumo_junction (network_id, id, junction_type, inc_lanes, int_lanes, requests, props, geom, shape)
     SELECT $1, r.id, r.type, r."incLanes", r."intLanes", r.requests, r.props, ST_GeomFromText(r.wkt, 4326), ST_GeomFromText(r."shapeWkt", 4326)
     FROM json_to_recordset($2::json) AS r(id text, type text, "incLanes" text[], "intLanes" text[], requests jsonb, props jsonb, wkt text, "shapeWkt" text)`,
    rows.junctions,
  )
  await insert(
    `INSERT INTO sumo_connection (network_id, from_edge, to_edge, from_lane, to_lane, via, tl, link_index, dir, state, props)
     SELECT $1, r."from", r."to", r."fromLane", r."toLane", r.via, r.tl, r."linkIndex", r.dir, r.state, r.props
     FROM json_to_recordset($2::json) AS r("from" text, "to" text, "fromLane" int, "toLane" int, via text, tl text, "linkIndex" int, dir text, state text, props jsonb)`,
    rows.connections,
  )
  await insert(
    `INSERT INTO sumo_tls_program (network_id, tls_id, program_id, program_type, offset_s, source, file, phases, params, intersection_code)
     SELECT $1, r."tlsId", r."programId", r.type, r."offsetS", r.source, r.file, r.phases, r.params, r."intersectionCode"
     FROM json_to_recordset($2::json) AS r("tlsId" text, "programId" text, type text, "offsetS" real, source text, file text, phases jsonb, params jsonb, "intersectionCode" text)`,
    rows.programs,
  )
  await insert(
    `INSERT INTO sumo_detector (network_id, id, lane_id, pos_m, freq_s, file, loop_code, props, geom)
     SELECT $1, r.id, r."laneId", r."posM", r."freqS", r.file, r."loopCode", r.props, ST_GeomFromText(r.wkt, 4326)
     FROM json_to_recordset($2::json) AS r(id text, "laneId" text, "posM" real, "freqS" real, file text, "loopCode" text, props jsonb, wkt text)`,
    rows.detectors,
  )
  return written
}

/** PostGIS checks every junction polygon; an invalid one is not stored (nor repaired) and the junction keeps its point. */
async function dropInvalidJunctionShapes(tx: Queryable, rows: SumoRows, log: ProblemLog): Promise<void> {
  const withShape = rows.junctions.filter((j) => j.shapeWkt !== null)
  if (withShape.length === 0) return
  const r = await tx.query<{ i: number; reason: string }>(
    `SELECT u.i::int AS i, (d).reason AS reason
     FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i)
     CROSS JOIN LATERAL (SELECT ST_IsValidDetail(ST_GeomFromText(u.w, 4326)) AS d) v
     WHERE NOT (d).valid`,
    [withShape.map((j) => j.shapeWkt)],
  )
  for (const { i, reason } of r.rows) {
    const j = withShape[i - 1]
    if (!j) continue
    j.shapeWkt = null
    log.note(j.line, j.id, `junction ${j.id}: invalid shape polygon (PostGIS: ${reason}); stored as a point without shape`)
  }
}
