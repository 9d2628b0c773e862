/**
 * The `bologna-signal-controllers` dataset: one `signal-controller` device per traffic light
 * (tlLogic id) of the SUMO networks already imported — read from the sumo tables, not from a file,
 * so it must run after the SUMO datasets (manifest order).
 *
 * A traffic light may control several junctions (joined: 13 lights, 29 traffic_light junctions):
 * its position is the centroid of the junctions whose incoming lanes its connections leave from.
 * Its name lists the street names of those junctions' incoming edges when the network has names,
 * else the names of the Comune street arcs within 40 m (the Bologna nets have no edge names).
 */
import { readFileSync } from 'node:fs'
import type { Queryable } from '../../../server/src/db/adapter'
import type { DatasetLoader } from '../importers/dataset-loaders'
import { replaceDatasetDevices, type DeviceRow } from '../importers/write-devices'
import { ProblemLog } from '../readers/read-result'
import { parseSumoAdditional } from './sumo-additional-parser'

const NEARBY_ARCS_M = 40
const NAMES_SHOWN = 3

interface ControllerRow {
  tls_id: string
  code: string | null
  networks: string[]
  programs: string[]
  junctions: string[]
  lon: number | null
  lat: number | null
  edge_names: string[] | null
  arc_names: string[] | null
}

export async function signalControllerRows(q: Queryable, log: ProblemLog): Promise<DeviceRow[]> {
  const r = await q.query<ControllerRow>(
    `WITH p AS (
       SELECT tls_id, min(intersection_code) AS code, array_agg(DISTINCT network_id ORDER BY network_id) AS networks,
              array_agg(DISTINCT program_id ORDER BY program_id) AS programs
       FROM sumo_tls_program GROUP BY tls_id
     ), j AS (
       SELECT DISTINCT c.tl AS tls_id, jn.network_id, jn.id, jn.geom
       FROM sumo_connection c
       JOIN sumo_junction jn ON jn.network_id = c.network_id AND (c.from_edge || '_' || c.from_lane) = ANY(jn.inc_lanes)
       WHERE c.tl IS NOT NULL AND left(c.from_edge, 1) <> ':'
     ), g AS (
       SELECT tls_id, array_agg(DISTINCT id ORDER BY id) AS junctions, ST_Centroid(ST_Collect(geom)) AS geom FROM j GROUP BY tls_id
     )
     SELECT p.tls_id, p.code, p.networks, p.programs, coalesce(g.junctions, '{}') AS junctions, ST_X(g.geom) AS lon, ST_Y(g.geom) AS lat,
       (SELECT array_agg(DISTINCT e.name ORDER BY e.name) FROM j JOIN sumo_edge e ON e.network_id = j.network_id AND e.to_junction = j.id
         WHERE j.tls_id = p.tls_id AND e.name IS NOT NULL AND e.name <> '' AND e.func = 'normal') AS edge_names,
       (SELECT array_agg(n ORDER BY d, n) FROM (
          SELECT a.name AS n, min(ST_Distance(a.geom::geography, g.geom::geography)) AS d FROM street_arc a
          WHERE g.geom IS NOT NULL AND a.name IS NOT NULL AND a.geom && ST_Expand(g.geom, $2) AND ST_DWithin(a.geom::geography, g.geom::geography, $1) GROUP BY a.name
        ) near) AS arc_names
     FROM p LEFT JOIN g ON g.tls_id = p.tls_id ORDER BY p.tls_id`,
    // The box (degrees) lets the GiST index pick the candidates; 0.001° is ≥ 71 m at Bologna's latitude.
    [NEARBY_ARCS_M, 0.001],
  )
  const rows: DeviceRow[] = []
  r.rows.forEach((c, i) => {
    if (c.lon === null || c.lat === null) {
      log.reject(i + 1, `signal-${c.tls_id}`, `traffic light ${c.tls_id} (${c.networks.join(', ')}) controls no connection from a junction's incoming lane: no position`)
      return
    }
    const names = (c.edge_names ?? c.arc_names ?? []).slice(0, NAMES_SHOWN)
    const label = c.code !== null ? `Incrocio ${c.code}` : `Semaforo ${c.tls_id}`
    rows.push({
      row: i + 1,
      id: `signal-${c.tls_id}`,
      kind: 'signal-controller',
      name: names.length > 0 ? `${label} (${names.join(' / ')})` : label,
      position: [c.lon, c.lat],
      expectedIntervalS: 5,
      source: 'open-data',
      props: { tlsId: c.tls_id, intersectionCode: c.code, networks: c.networks, programs: c.programs, junctions: c.junctions },
    })
  })
  return rows
}

/** `file` (the manifest's tls file) is only counted: the controllers come from the imported networks. */
export const loadSignalControllers: DatasetLoader = (file) => {
  const parsed = parseSumoAdditional(readFileSync(file, 'utf8'), file)
  return {
    rows: new Set(parsed.additional.tlLogics.map((t) => t.id)).size,
    rejected: 0,
    problems: [],
    write: async (tx, dataset) => {
      const log = new ProblemLog()
      const devices = await signalControllerRows(tx, log)
      const out = await replaceDatasetDevices(tx, dataset, devices)
      return { written: out.written, problems: [...log.problems, ...out.problems], rejected: out.rejected + log.rejected }
    },
  }
}
