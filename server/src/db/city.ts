import type { BasemapLayer } from '../../../contracts/api'
import type { Queryable } from './adapter'

export async function readCity(db: Queryable): Promise<{ name: string; data: 'real' | 'generated'; label: string } | null> {
  const r = await db.query<{ name: string; data: 'real' | 'generated'; label: string }>('SELECT name, data, label FROM city LIMIT 1')
  return r.rows[0] ?? null
}

/** Extent of everything on the map: devices and streets. */
export async function cityExtent(db: Queryable): Promise<[number, number, number, number] | null> {
  const r = await db.query<{ w: number | null; s: number | null; e: number | null; n: number | null }>(
    `SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (
       SELECT ST_Extent(g)::geometry AS b FROM (SELECT geom AS g FROM device UNION ALL SELECT geom FROM street_arc) x) y`,
  )
  const row = r.rows[0]
  if (!row || row.w === null || row.s === null || row.e === null || row.n === null) return null
  return [row.w, row.s, row.e, row.n]
}

export async function readDatasets(db: Queryable) {
  const r = await db.query<{ dataset_id: string; title: string; licence: string; attribution: string; features: number; rejected: number; ms: number }>(
    `SELECT dataset_id, title, licence, attribution, features, rejected, round(extract(epoch FROM imported_at) * 1000)::float8 AS ms
     FROM dataset_import ORDER BY dataset_id`,
  )
  return r.rows.map((d) => ({ id: d.dataset_id, title: d.title, licence: d.licence, attribution: d.attribution, features: d.features, rejected: d.rejected, importedAtMs: Number(d.ms) }))
}

const BASEMAP_SQL: Record<BasemapLayer, string> = {
  streets: `SELECT id, name AS name, ST_AsGeoJSON(geom, 6) AS g, props->>'codvia' AS codvia FROM street_arc ORDER BY id`,
  quartieri: `SELECT id, name, ST_AsGeoJSON(geom, 6) AS g, code AS codvia FROM area WHERE kind = 'quartiere' ORDER BY id`,
  zone: `SELECT id, name, ST_AsGeoJSON(geom, 6) AS g, code AS codvia FROM area WHERE kind = 'zona' ORDER BY id`,
  ztl: `SELECT id, name, ST_AsGeoJSON(geom, 6) AS g, code AS codvia FROM area WHERE kind = 'ztl' ORDER BY id`,
  // The lanes of the SUMO networks' road edges (not the junctions' internal lanes), for the 3D ground.
  lanes: `SELECT l.network_id || '/' || l.id AS id, l.edge_id AS name, ST_AsGeoJSON(l.geom, 7) AS g, l.network_id AS codvia
          FROM sumo_lane l JOIN sumo_edge e ON e.network_id = l.network_id AND e.id = l.edge_id
          WHERE e.func <> 'internal' ORDER BY l.network_id, l.id`,
}

/** A base-map layer as a GeoJSON FeatureCollection text (built by string assembly: no re-parse of geometry). */
export async function basemapGeoJson(db: Queryable, layer: BasemapLayer): Promise<string> {
  const r = await db.query<{ id: string; name: string | null; g: string; codvia: string | null }>(BASEMAP_SQL[layer])
  const features = r.rows.map(
    (row) => `{"type":"Feature","id":${JSON.stringify(row.id)},"geometry":${row.g},"properties":${JSON.stringify({ id: row.id, name: row.name, code: row.codvia })}}`,
  )
  return `{"type":"FeatureCollection","features":[${features.join(',')}]}`
}
