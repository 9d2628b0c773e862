/**
 * Test support: generated rows for the geometry edge cases of tiling, written in tile units of
 * one z14 tile (the one holding Piazza Maggiore) so that expectations read in tile coordinates.
 * Deterministic: the same rows every run.
 *
 * | case            | table          | what it exercises                                          |
 * |-----------------|----------------|------------------------------------------------------------|
 * | poly-cross      | area           | polygon crossing the north-west corner: clipped to the buffer |
 * | poly-empty      | area           | POLYGON EMPTY row: skipped, no error                       |
 * | multi-landuse   | land_use       | multipolygon of two squares: one feature, two polygons     |
 * | tiny-landuse    | land_use       | polygon under one tile unit: collapses, dropped            |
 * | holed-building  | building       | polygon with a hole: exterior positive, hole negative      |
 * | long-primary    | road_edge      | line ten tiles long: clipped to the buffer at both ends    |
 * | u-turn-resid    | road_edge      | residential line leaving and re-entering: two parts        |
 * | speck-road      | road_edge      | line 0.4 units long across a grid line: one unit in both encodings |
 * | arc-1           | street_arc     | a street arc (streets layer; roads only without OSM)       |
 * | dev-in / dev-buffer / dev-out | device | points inside, in the buffer, beyond the buffer     |
 * | sumo lane/junctions/detector  | sumo_* | network source: shape polygon and bare point junctions |
 */
import type { Queryable } from '../../db/adapter'
import { EXTENT, tileAt, tileBounds3857, type TileCoord } from '../tile-grid'

export const PIAZZA_MAGGIORE: [number, number] = [11.3426, 44.4939]
export const FIXTURE_TILE: TileCoord = tileAt(PIAZZA_MAGGIORE[0], PIAZZA_MAGGIORE[1], 14)
export const FIXTURE_DATASET = 'tile-fixtures'

const R = 6378137
/** [lon, lat] of a point given in tile units of FIXTURE_TILE (y down, may lie outside 0..4096). */
export function lonLatOfTileUnits(ux: number, uy: number, tile: TileCoord = FIXTURE_TILE): [number, number] {
  const [xmin, , xmax, ymax] = tileBounds3857(tile)
  const s = (xmax - xmin) / EXTENT
  const x = xmin + ux * s
  const y = ymax - uy * s
  return [(x / R) * (180 / Math.PI), (Math.atan(Math.sinh(y / R)) * 180) / Math.PI]
}

type U = [number, number]
const pt = ([ux, uy]: U) => lonLatOfTileUnits(ux, uy).map((v) => v.toFixed(9)).join(' ')
const line = (pts: U[]) => `LINESTRING(${pts.map(pt).join(', ')})`
const ring = (pts: U[]) => `(${[...pts, pts[0]!].map(pt).join(', ')})`
const square = (x: number, y: number, size: number): U[] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size]]
const polygon = (...rings: U[][]) => `POLYGON(${rings.map(ring).join(', ')})`
const multiPolygon = (...polys: U[][][]) => `MULTIPOLYGON(${polys.map((p) => `(${p.map(ring).join(', ')})`).join(', ')})`

const g = (wkt: string) => `ST_GeomFromText('${wkt}', 4326)`

/** Inserts every edge case (and a dataset_import row for the attribution) in one transaction. */
export async function insertTileFixtures(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }): Promise<void> {
  const d = FIXTURE_DATASET
  const statements = [
    `INSERT INTO dataset_import (dataset_id, title, licence, attribution, source, checksum, features, rejected, report)
     VALUES ('${d}', 'Tile fixtures', 'CC0-1.0', 'Generated tile fixtures', 'generated', 'v1', 20, 0, '{}')`,
    `INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
      ('poly-cross', 'quartiere', 'Q1', 'Corner district', '${d}', ${g(polygon(square(-500, -500, 2500)))}),
      ('poly-empty', 'quartiere', 'Q2', 'Empty district', '${d}', ${g('POLYGON EMPTY')})`,
    `INSERT INTO land_use (id, class, name, dataset, geom) VALUES
      ('multi-landuse', 'park', 'Twin gardens', '${d}', ${g(multiPolygon([square(2200, 2200, 300)], [square(2800, 2200, 300)]))}),
      ('tiny-landuse', 'grass', NULL, '${d}', ST_Multi(${g(polygon([[3000, 3000], [3000.3, 3000], [3000.3, 3000.3], [3000, 3000.3]]))}))`,
    `INSERT INTO building (id, name, height_m, base_m, height_estimated, height_source, dataset, geom) VALUES
      ('holed-building', 'Courtyard', 21.5, 0, false, 'measured', '${d}', ST_Multi(${g(polygon(square(1000, 3000, 400), square(1100, 3100, 100)))}))`,
    `INSERT INTO road_edge (id, name, road_class, lanes, oneway, dataset, geom) VALUES
      ('long-primary', 'Via Lunga', 'primary', 2, true, '${d}', ${g(line([[-20000, 1000], [24000, 1200]]))}),
      ('u-turn-resid', NULL, 'residential', NULL, false, '${d}', ${g(line([[1000, 3800], [1000, 4600], [3000, 4600], [3000, 3800]]))}),
      ('speck-road', NULL, 'service', NULL, false, '${d}', ${g(line([[2000.3, 2500.2], [2000.7, 2500.2]]))})`,
    `INSERT INTO street_arc (id, name, props, dataset, geom) VALUES
      ('arc-1', 'VIA DELL''ARCHIGINNASIO', '{"codvia": "1000"}', '${d}', ${g(line([[500, 500], [1500, 600]]))})`,
    `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props) VALUES
      ('dev-in', 'traffic-loop', 'Loop inside', ${g(`POINT(${pt([2048, 2048])})`)}, 60, 'generated', '${d}', '{}'),
      ('dev-buffer', 'ztl-gate', 'Gate in the buffer', ${g(`POINT(${pt([4130, 100])})`)}, 60, 'generated', '${d}', '{}'),
      ('dev-out', 'bike-counter', 'Counter beyond the buffer', ${g(`POINT(${pt([4400, 100])})`)}, 60, 'generated', '${d}', '{}'),
      ('sig-1', 'signal-controller', 'Signal 2.09', ${g(`POINT(${pt([1500, 1500])})`)}, 60, 'generated', '${d}', '{"intersectionCode": "2.09"}')`,
    `INSERT INTO sumo_network (id, dataset, file, net_offset_x, net_offset_y, proj, conv_boundary) VALUES
      ('sumo-fixture', '${d}', 'fixture.net.xml', 0, 0, '+proj=utm +zone=32', '{0,0,1,1}')`,
    `INSERT INTO sumo_lane (network_id, id, edge_id, idx, speed_ms, length_m, allow, geom) VALUES
      ('sumo-fixture', 'e1_0', 'e1', 0, 13.89, 100, NULL, ${g(line([[100, 2000], [3900, 2000]]))})`,
    `INSERT INTO sumo_junction (network_id, id, junction_type, geom, shape) VALUES
      ('sumo-fixture', 'j-shape', 'traffic_light', ${g(`POINT(${pt([2000, 2000])})`)}, ${g(polygon(square(1950, 1950, 100)))}),
      ('sumo-fixture', 'j-point', 'priority', ${g(`POINT(${pt([3000, 2000])})`)}, NULL)`,
    `INSERT INTO sumo_detector (network_id, id, lane_id, pos_m, file, loop_code, device_id, geom) VALUES
      ('sumo-fixture', 'det-1', 'e1_0', 50, 'fixture.add.xml', '0.127 2.73 6 1', 'dev-in', ${g(`POINT(${pt([2050, 2000])})`)})`,
  ]
  await db.transaction(async (tx) => {
    for (const s of statements) await tx.query(s)
  })
}
