import type { Queryable } from './adapter'

/** A row of `building` for the 3D tiles: footprint as GeoJSON MultiPolygon coordinates. */
export interface BuildingFootprintRow {
  id: string
  heightM: number
  baseM: number
  estimated: boolean
  polygons: Array<Array<Array<[number, number]>>>
}

export async function readBuildingFootprints(db: Queryable): Promise<BuildingFootprintRow[]> {
  const r = await db.query<{ id: string; height_m: number; base_m: number; height_estimated: boolean; g: string }>(
    'SELECT id, height_m, base_m, height_estimated, ST_AsGeoJSON(geom, 8) AS g FROM building ORDER BY id',
  )
  return r.rows.map((row) => ({
    id: row.id,
    heightM: Number(row.height_m),
    baseM: Number(row.base_m),
    estimated: row.height_estimated,
    polygons: (JSON.parse(row.g) as { coordinates: BuildingFootprintRow['polygons'] }).coordinates,
  }))
}

/**
 * What the building layer is made of: per dataset, its row count and the checksum and time of its
 * import (dataset_import). Any re-import or change of rows changes this text.
 */
export async function buildingsFingerprint(db: Queryable): Promise<string> {
  const r = await db.query<{ dataset: string; n: number; checksum: string | null; at: number | null }>(
    `SELECT b.dataset, count(*)::int AS n, d.checksum, (extract(epoch FROM d.imported_at) * 1000)::float8 AS at
     FROM building b LEFT JOIN dataset_import d ON d.dataset_id = b.dataset
     GROUP BY b.dataset, d.checksum, d.imported_at ORDER BY b.dataset`,
  )
  return r.rows.map((x) => `${x.dataset}:${x.n}:${x.checksum ?? '-'}:${x.at ?? '-'}`).join('|')
}
