/**
 * SQL builders: one query per tile, in two flavours that share the row selection and the
 * simplified Web Mercator geometry.
 *
 *  - mvtSql: PostGIS encodes (ST_AsMVTGeom + ST_AsMVT per source layer, concatenated with ||).
 *  - featureSql: for engines without ST_AsMVT (embedded PGlite): the same clip/snap in tile
 *    coordinates done with ST_Affine + ST_ClipByBox2D + ST_SnapToGrid, returned as GeoJSON in
 *    tile units with the attributes as a JSON array; mvt-encoder.ts writes the tile.
 *
 * Parameters of both: $1 z, $2 x, $3 y. featureSql adds $4 xmin, $5 ymax (EPSG:3857 metres of
 * the tile) and $6 tile units per metre. The zoom also shapes the SQL text (layers, class
 * filters, tolerance), so the text is built per source and zoom and memoised.
 */
import { BUFFER, EXTENT, unitSizeM } from './tile-grid'
import { layersAt, type TileLayer, type TileSource } from './tile-sources'

/** Simplification tolerance in tile units; below one unit the snap to the grid does the rest. */
export const SIMPLIFY_UNITS = 1

/** The source layers drawn at z, in tile order, each with its table parts. */
export function layerGroups(source: TileSource, z: number): Array<{ id: string; parts: TileLayer[] }> {
  const groups: Array<{ id: string; parts: TileLayer[] }> = []
  for (const l of layersAt(source, z)) {
    const g = groups.find((x) => x.id === l.id)
    if (g) g.parts.push(l)
    else groups.push({ id: l.id, parts: [l] })
  }
  return groups
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`

/** Web Mercator's world square: a buffered envelope is cut to it before it goes to lon/lat. */
const WORLD_3857 = 20037508.342789244
/**
 * The tile with its buffer, in EPSG:4326: the index filter and the first cut. At the world's edge
 * (x = 0 or x = 2^z − 1) the buffer crosses ±180°, and once in lon/lat it would wrap round to the other
 * side and cover nearly the whole world: the envelope is clipped to the world square first.
 */
const TILE_BOX_4326 = `ST_Transform(ST_ClipByBox2D(ST_TileEnvelope($1, $2, $3, margin => ${BUFFER / EXTENT}), ST_MakeEnvelope(${-WORLD_3857}, ${-WORLD_3857}, ${WORLD_3857}, ${WORLD_3857})), 4326)`

/** Polygons smaller than this many square tile units (at the equator; more towards the poles) are left out below the maxzoom. */
export const MIN_POLYGON_UNITS2 = 2
const METRES_PER_DEGREE = (Math.PI / 180) * 6378137

function whereClause(part: TileLayer, z: number, maxzoom: number): string {
  const box = TILE_BOX_4326
  const extra = part.where?.(z)
  // A polygon of a unit or two is a speck on screen, and after the snap to the grid a sliver
  // whose repair differs between engines. ST_Area in square degrees: cheap, no reprojection.
  const minArea = part.dimension === 2 && z < maxzoom ? ` AND ST_Area(${part.geom}) > ${(MIN_POLYGON_UNITS2 * (unitSizeM(z) / METRES_PER_DEGREE) ** 2).toPrecision(4)}` : ''
  return `WHERE ${part.indexed} && ${box}${extra ? ` AND (${extra})` : ''}${minArea}`
}

/** The layer geometry in EPSG:3857, simplified for the zoom (points are left alone). */
function preparedGeom(part: TileLayer, z: number, maxzoom: number): string {
  if (part.dimension === 0) return `ST_Transform(${part.geom}, 3857)`
  // Cut to the buffered tile first, so that a district polygon of thousands of vertices is
  // reprojected and simplified only where it meets the tile. The cut edges lie outside the
  // tile, in the buffer; in EPSG:4326 they are meridians and parallels, straight in 3857 too.
  const g = `ST_Transform(ST_ClipByBox2D(${part.geom}, ${TILE_BOX_4326}), 3857)`
  if (z >= maxzoom) return g
  const tolerance = (unitSizeM(z) * SIMPLIFY_UNITS).toPrecision(6)
  // Douglas-Peucker (several times cheaper) for lines, which need no topology; polygons keep
  // their rings apart with the topology-preserving variant.
  return part.dimension === 1 ? `ST_Simplify(${g}, ${tolerance}, true)` : `ST_SimplifyPreserveTopology(${g}, ${tolerance})`
}

const mvtCache = new Map<string, string>()
const featureCache = new Map<string, string>()

/** SQL returning one row { mvt: bytea }: the whole tile encoded by PostGIS. */
export function mvtSql(source: TileSource, z: number): string {
  const key = `${source.id}/${z}`
  const hit = mvtCache.get(key)
  if (hit) return hit
  const layers = layerGroups(source, z).map(({ id, parts }) => {
    const selects = parts.map((p) => {
      const cols = p.attributes.map((a) => `${a.sql} AS ${quoteIdent(a.name)}`).join(', ')
      const geom = `ST_AsMVTGeom(${preparedGeom(p, z, source.maxzoom)}, ST_TileEnvelope($1, $2, $3), ${EXTENT}, ${BUFFER}, true)`
      return `SELECT ${cols}, ${geom} AS mvt_geom FROM ${p.from} ${whereClause(p, z, source.maxzoom)}`
    })
    // ST_AsMVT skips rows whose geometry ST_AsMVTGeom dropped (NULL); a WHERE on it would be
    // pushed into the scan and make PostgreSQL compute every geometry twice.
    return `COALESCE((SELECT ST_AsMVT(q, '${id}', ${EXTENT}, 'mvt_geom') FROM (${selects.join(' UNION ALL ')}) q), ''::bytea)`
  })
  const sql = layers.length ? `SELECT ${layers.join(' || ')} AS mvt` : `SELECT ''::bytea AS mvt`
  mvtCache.set(key, sql)
  return sql
}

/** Geometry type code of ST_CollectionExtract that keeps the dimension of the input. */
const extractType = (part: TileLayer, prepared: string) => (part.dimension === 'mixed' ? `ST_Dimension(${prepared}) + 1` : String(part.dimension + 1))

/**
 * SQL returning rows { l: layer index, a: attribute values (JSON array, in the layer's attribute
 * order), g: GeoJSON geometry in tile units }, with what ST_AsMVTGeom would drop already gone:
 * geometries outside the buffered tile, and parts collapsed by the snap to the grid.
 */
export function featureSql(source: TileSource, z: number): string {
  const key = `${source.id}/${z}`
  const hit = featureCache.get(key)
  if (hit) return hit
  const clipBox = `ST_MakeEnvelope(${-BUFFER}, ${-BUFFER}, ${EXTENT + BUFFER}, ${EXTENT + BUFFER})`
  const half = (unitSizeM(z) / 2).toPrecision(6)
  const selects = layerGroups(source, z).flatMap(({ parts }, li) =>
    parts.map((p) => {
      // The steps of ST_AsMVTGeom (PostGIS 3.3 mvt.c), in its order, on the prepared geometry
      // (r.p, computed once in the innermost query): repeated points under half a tile unit
      // removed, to tile units, snap to the grid; lines are cut then snapped again, polygons are
      // cut and repaired (PostGIS repairs with wagyu, here GEOS ST_MakeValid). Newer PostGIS also
      // simplifies by half a unit first; measured against 3.3, that step made the two paths differ
      // more, so it is left out. Its "box under half a unit" shortcut is left out too: PostGIS
      // tests the float32 box of the serialized geometry, which at city coordinates (y ≈ 5.5e6 m,
      // float32 steps of 0.5 m) is rarely that small, and never from z14 on (the speck-road fixture).
      const reduced = p.dimension === 0 ? 'r.p' : `ST_RemoveRepeatedPoints(r.p, ${half})`
      const inTile = `ST_SnapToGrid(ST_Affine(${reduced}, $6::float8, 0, 0, -$6::float8, -$4::float8 * $6::float8, $5::float8 * $6::float8), 1)`
      const lineOrPoint = `ST_SnapToGrid(ST_ClipByBox2D(${inTile}, ${clipBox}), 1)`
      const polygon = `ST_MakeValid(ST_ClipByBox2D(${inTile}, ${clipBox}))`
      const valid = p.dimension === 2 ? polygon : p.dimension === 'mixed' ? `CASE WHEN ST_Dimension(r.p) = 2 THEN ${polygon} ELSE ${lineOrPoint} END` : lineOrPoint
      const attrs = `json_build_array(${p.attributes.map((a) => a.sql).join(', ')})`
      // Each OFFSET 0 keeps PostgreSQL from folding a level into the next, where it would compute
      // the prepared geometry once per use, and the tile geometry once for the emptiness test and
      // once for the output.
      const rows = `SELECT ${attrs} AS a, ${preparedGeom(p, z, source.maxzoom)} AS p FROM ${p.from} ${whereClause(p, z, source.maxzoom)} OFFSET 0`
      return `SELECT ${li} AS l, a, ST_AsGeoJSON(g, 0, 0) AS g FROM (SELECT r.a, ST_CollectionExtract(${valid}, ${extractType(p, 'r.p')}) AS g FROM (${rows}) r OFFSET 0) q WHERE g IS NOT NULL AND NOT ST_IsEmpty(q.g)`
    }),
  )
  const sql = selects.length ? selects.join(' UNION ALL ') : 'SELECT 0 AS l, NULL::json AS a, NULL::text AS g WHERE false'
  featureCache.set(key, sql)
  return sql
}
