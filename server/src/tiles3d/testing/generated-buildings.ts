/**
 * Deterministic building footprints for tests and benchmarks (the bundle's real buildings are
 * imported by geodata/, which tests of this folder must not depend on). A grid of blocks around
 * a centre: rectangles of varied size and height, some with a courtyard (a hole), some in two
 * parts (a MultiPolygon), some with an estimated height.
 */
import { mulberry32 } from '../../../../simulator/src/prng'
import type { Queryable } from '../../db/adapter'
import type { BuildingFootprint, LonLat } from '../building-mesh'

export interface GeneratedBuildingsOptions {
  centre: LonLat
  count: number
  seed?: number
  /** Grid spacing, metres. */
  spacingM?: number
}

/** A closed counter-clockwise rectangle ring, corners given in metres from `origin`. */
export function rectRing(origin: LonLat, x0: number, y0: number, x1: number, y1: number): LonLat[] {
  const mx = 1 / (111_320 * Math.cos((origin[1] * Math.PI) / 180))
  const my = 1 / 110_574
  const p = (x: number, y: number): LonLat => [origin[0] + x * mx, origin[1] + y * my]
  return [p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1), p(x0, y0)]
}

export function generatedBuildings(o: GeneratedBuildingsOptions): BuildingFootprint[] {
  const rnd = mulberry32(o.seed ?? 7)
  const spacing = o.spacingM ?? 40
  const side = Math.ceil(Math.sqrt(o.count))
  const out: BuildingFootprint[] = []
  for (let i = 0; i < o.count; i++) {
    const gx = (i % side) - side / 2
    const gy = Math.floor(i / side) - side / 2
    const x0 = gx * spacing
    const y0 = gy * spacing
    const w = 12 + rnd() * (spacing - 18)
    const h = 12 + rnd() * (spacing - 18)
    const outer = rectRing(o.centre, x0, y0, x0 + w, y0 + h)
    let polygons: LonLat[][][]
    if (i % 7 === 3) {
      // A courtyard, drawn clockwise as a hole should be.
      polygons = [[outer, rectRing(o.centre, x0 + w / 3, y0 + h / 3, x0 + (2 * w) / 3, y0 + (2 * h) / 3).reverse()]]
    } else if (i % 11 === 5) {
      polygons = [[rectRing(o.centre, x0, y0, x0 + w / 2 - 2, y0 + h)], [rectRing(o.centre, x0 + w / 2 + 2, y0, x0 + w, y0 + h)]]
    } else polygons = [[outer]]
    out.push({ id: `gen-b${String(i).padStart(5, '0')}`, heightM: Math.round(6 + rnd() * 40), baseM: 0, estimated: i % 5 === 2, polygons })
  }
  return out
}

/** Inserts footprints into `building` (one statement, GeoJSON geometry). */
export async function insertBuildings(db: Queryable, buildings: readonly BuildingFootprint[], dataset: string): Promise<void> {
  const rows = buildings.map((b) => ({
    id: b.id,
    h: b.heightM,
    base: b.baseM,
    est: b.estimated,
    g: JSON.stringify({ type: 'MultiPolygon', coordinates: b.polygons }),
  }))
  await db.query(
    `INSERT INTO building (id, height_m, base_m, height_estimated, height_source, dataset, geom)
     SELECT r.id, r.h, r.base, r.est, CASE WHEN r.est THEN 'estimated' ELSE 'measured' END, $2, ST_SetSRID(ST_GeomFromGeoJSON(r.g), 4326)
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, h real, base real, est boolean, g text)`,
    [JSON.stringify(rows), dataset],
  )
}
