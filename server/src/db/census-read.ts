/**
 * Reading the census (ADR 0008): items of a collection — current, or as they were at an instant or
 * during an interval (`datetime`, read from the version table) — with bbox, a compiled CQL2 filter,
 * paging and the output CRS; one feature (current or as of a time); a feature's history.
 *
 * Every statement is built from this file's constants, the model's attribute names (contracts, not
 * requests) and the filter compiler's output; every value is a bound parameter.
 */
import { ASSET_TYPES, CENSUS_STORAGE_SRID, visibleAttributes, type AssetType, type AttributeDef, type CensusFeatureRecord, type CollectionId, type PropertyValue } from '../../../contracts/schemas/census'
import type { CompiledFilter, Queryables, QueryableType } from '../ogc/cql2/cql2-sql'
import type { Queryable } from './adapter'

export interface CensusFeature extends CensusFeatureRecord {
  updatedBy: string
}

/** Instant or interval in ms; null ends are open. An instant has start === end. */
export interface TimeWindow {
  startMs: number | null
  endMs: number | null
}

export interface ListFeaturesQuery {
  type: AssetType
  /** Whether the reader sees the non-public attributes (census:read). */
  full: boolean
  outSrid: number
  /** [minx, miny, maxx, maxy] in bboxSrid, x = easting/longitude. */
  bbox?: { box: [number, number, number, number]; srid: number }
  at?: TimeWindow
  /** The filter, compiled with the given parameter offset against `censusQueryables(type, full)`. */
  filter?: (paramOffset: number) => CompiledFilter
  limit: number
  offset: number
  /** Keyset paging: only features with a greater id (then `offset` is not applied). */
  afterId?: number
}

export const geomColumn = (t: AssetType) => (t.geometryType === 'Point' ? 'geom_point' : t.geometryType === 'LineString' ? 'geom_line' : 'geom_polygon')

/** Decimal digits of output coordinates: ≈ 1 mm in metres, ≈ 1 cm in degrees. */
const decimals = (srid: number) => (srid === 4326 || srid === 6706 ? 7 : 3)

/**
 * The features of a collection as one relation `f(id, version, properties, geom, updated_at, updated_by)`:
 * the current table, or the version table at a time window (each feature in its last version valid
 * during the window; deleted ones only before their deletion). `$1` is the collection.
 */
function source(t: AssetType, at: TimeWindow | undefined, params: unknown[]): string {
  params.push(t.id)
  if (!at) return `(SELECT id, version, properties, ${geomColumn(t)} AS geom, updated_at, updated_by FROM census_feature WHERE collection = $1)`
  params.push(at.startMs, at.endMs)
  const start = `coalesce(to_timestamp($2::float8 / 1000.0), '-infinity'::timestamptz)`
  const end = `coalesce(to_timestamp($3::float8 / 1000.0), 'infinity'::timestamptz)`
  return `(SELECT DISTINCT ON (feature_id) feature_id AS id, version, properties, geom, valid_from AS updated_at, editor AS updated_by
           FROM census_feature_version
           WHERE collection = $1 AND NOT deleted AND valid_from <= ${end} AND (valid_to IS NULL OR valid_to > ${start})
           ORDER BY feature_id, version DESC)`
}

const QUERYABLE_TYPE: Record<AttributeDef['kind'], QueryableType> = {
  string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', date: 'date', code: 'string', ref: 'string',
}
const CAST: Record<QueryableType, string> = { string: '', integer: '::bigint', number: '::float8', boolean: '::boolean', date: '::date', timestamp: '::timestamptz', geometry: '' }

/** The queryables of a collection for a reader (public readers cannot filter on what they cannot see). */
export function censusQueryables(t: AssetType, full: boolean): Queryables {
  const q: Record<string, { column: string; type: QueryableType; srid?: number }> = {
    id: { column: 'f.id', type: 'integer' },
    geometry: { column: 'f.geom', type: 'geometry', srid: CENSUS_STORAGE_SRID },
    updated: { column: 'f.updated_at', type: 'timestamp' },
  }
  for (const a of visibleAttributes(t, full)) {
    const type = a.kind === 'ref' && a.ref?.kind === 'feature' ? 'integer' : QUERYABLE_TYPE[a.kind]
    // Attribute names come from the model (contracts/schemas/census.ts), never from a request.
    q[a.name] = { column: `(f.properties->>'${a.name}')${CAST[type]}`, type }
  }
  return q
}

interface FeatureRow {
  id: string | number
  version: number
  properties: Record<string, unknown> | string
  geometry: string
  updated_at_ms: number
  updated_by: string
}

function toFeature(t: AssetType, full: boolean, r: FeatureRow): CensusFeature {
  const stored = typeof r.properties === 'string' ? (JSON.parse(r.properties) as Record<string, unknown>) : r.properties
  const properties: Record<string, PropertyValue> = {}
  for (const a of visibleAttributes(t, full)) properties[a.name] = (stored[a.name] ?? null) as PropertyValue
  return {
    id: Number(r.id),
    collection: t.id,
    version: Number(r.version),
    properties,
    geometry: JSON.parse(r.geometry) as CensusFeature['geometry'],
    updatedAtMs: Number(r.updated_at_ms),
    updatedBy: r.updated_by,
  }
}

const selectList = (srid: number) =>
  `f.id, f.version, f.properties, ST_AsGeoJSON(ST_Transform(f.geom, ${Number(srid)}), ${decimals(srid)}, 0) AS geometry,
   round(extract(epoch FROM f.updated_at) * 1000)::float8 AS updated_at_ms, f.updated_by`

/** One page of items and how many match in all. */
export async function listFeatures(q: Queryable, l: ListFeaturesQuery): Promise<{ features: CensusFeature[]; numberMatched: number; hasMore: boolean }> {
  const params: unknown[] = []
  const from = source(l.type, l.at, params)
  const where: string[] = []
  if (l.bbox) {
    params.push(...l.bbox.box, l.bbox.srid)
    const n = params.length
    where.push(`f.geom && ST_Transform(ST_MakeEnvelope($${n - 4}::float8, $${n - 3}::float8, $${n - 2}::float8, $${n - 1}::float8, $${n}::int), ${CENSUS_STORAGE_SRID})`)
    where.push(`ST_Intersects(f.geom, ST_Transform(ST_MakeEnvelope($${n - 4}::float8, $${n - 3}::float8, $${n - 2}::float8, $${n - 1}::float8, $${n}::int), ${CENSUS_STORAGE_SRID}))`)
  }
  if (l.filter) {
    const c = l.filter(params.length)
    params.push(...c.params)
    where.push(`(${c.sql})`)
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const count = await q.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${from} f ${whereSql}`, params)
  const pageParams = [...params]
  let pageWhere = whereSql
  if (l.afterId !== undefined) {
    pageParams.push(l.afterId)
    pageWhere = `${whereSql ? `${whereSql} AND` : 'WHERE'} f.id > $${pageParams.length}`
  }
  // One more than asked: whether a next page exists, whatever changed since the count.
  pageParams.push(l.limit + 1, l.afterId !== undefined ? 0 : l.offset)
  const rows = await q.query<FeatureRow>(
    `SELECT ${selectList(l.outSrid)} FROM ${from} f ${pageWhere} ORDER BY f.id LIMIT $${pageParams.length - 1} OFFSET $${pageParams.length}`,
    pageParams,
  )
  return { features: rows.rows.slice(0, l.limit).map((r) => toFeature(l.type, l.full, r)), numberMatched: Number(count.rows[0]?.n ?? 0), hasMore: rows.rows.length > l.limit }
}

/** One feature, current or as of a time (null when it does not exist then: never created, or deleted). */
export async function getFeature(q: Queryable, t: AssetType, id: number, o: { full: boolean; outSrid: number; atMs?: number }): Promise<CensusFeature | null> {
  const params: unknown[] = []
  const from = source(t, o.atMs === undefined ? undefined : { startMs: o.atMs, endMs: o.atMs }, params)
  params.push(id)
  const r = await q.query<FeatureRow>(`SELECT ${selectList(o.outSrid)} FROM ${from} f WHERE f.id = $${params.length}`, params)
  return r.rows[0] ? toFeature(t, o.full, r.rows[0]) : null
}

/** Whether a feature id was ever used (so a deleted feature answers "deleted", not "never existed"). */
export async function featureTombstone(q: Queryable, t: AssetType, id: number): Promise<{ deletedAtMs: number; version: number } | null> {
  const r = await q.query<{ at_ms: number; version: number }>(
    `SELECT round(extract(epoch FROM valid_from) * 1000)::float8 AS at_ms, version FROM census_feature_version
     WHERE feature_id = $1 AND collection = $2 AND deleted`,
    [id, t.id],
  )
  return r.rows[0] ? { deletedAtMs: Number(r.rows[0].at_ms), version: Number(r.rows[0].version) } : null
}

export interface FeatureVersion {
  version: number
  deleted: boolean
  properties: Record<string, PropertyValue>
  geometry: { type: string; coordinates: unknown }
  validFromMs: number
  validToMs: number | null
  editor: string
  editorRole: string
  requestId: string | null
  note: string | null
  lastWriterWins: boolean
}

/** Every version of a feature, oldest first (tombstone last), geometry in `outSrid`. */
export async function featureHistory(q: Queryable, t: AssetType, id: number, o: { full: boolean; outSrid: number }): Promise<FeatureVersion[]> {
  const r = await q.query<{
    version: number; deleted: boolean; properties: Record<string, unknown> | string; geometry: string; from_ms: number; to_ms: number | null
    editor: string; editor_role: string; request_id: string | null; note: string | null; last_writer_wins: boolean
  }>(
    `SELECT version, deleted, properties, ST_AsGeoJSON(ST_Transform(geom, ${Number(o.outSrid)}), ${decimals(o.outSrid)}, 0) AS geometry,
            round(extract(epoch FROM valid_from) * 1000)::float8 AS from_ms, round(extract(epoch FROM valid_to) * 1000)::float8 AS to_ms,
            editor, editor_role, request_id, note, last_writer_wins
     FROM census_feature_version WHERE feature_id = $1 AND collection = $2 ORDER BY version`,
    [id, t.id],
  )
  const attrs = visibleAttributes(t, o.full)
  return r.rows.map((v) => {
    const stored = typeof v.properties === 'string' ? (JSON.parse(v.properties) as Record<string, unknown>) : v.properties
    const properties: Record<string, PropertyValue> = {}
    for (const a of attrs) properties[a.name] = (stored[a.name] ?? null) as PropertyValue
    return {
      version: Number(v.version),
      deleted: v.deleted,
      properties,
      geometry: JSON.parse(v.geometry) as FeatureVersion['geometry'],
      validFromMs: Number(v.from_ms),
      validToMs: v.to_ms === null ? null : Number(v.to_ms),
      editor: v.editor,
      editorRole: v.editor_role,
      requestId: v.request_id,
      note: v.note,
      lastWriterWins: v.last_writer_wins,
    }
  })
}

/** The extent of a collection's current features in CRS84 (for the collection's `extent.spatial`), or null when empty. */
export async function collectionExtents(q: Queryable): Promise<Map<CollectionId, { bbox: [number, number, number, number]; count: number; lastUpdateMs: number }>> {
  const r = await q.query<{ collection: CollectionId; w: number; s: number; e: number; n: number; count: string | number; last_ms: number }>(
    `SELECT collection, ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n, count, last_ms FROM (
       SELECT collection, ST_Transform(ST_SetSRID(ST_Extent(coalesce(geom_point, geom_line, geom_polygon))::geometry, ${CENSUS_STORAGE_SRID}), 4326) AS b,
              count(*) AS count, round(extract(epoch FROM max(updated_at)) * 1000)::float8 AS last_ms
       FROM census_feature GROUP BY collection) x`,
  )
  const out = new Map<CollectionId, { bbox: [number, number, number, number]; count: number; lastUpdateMs: number }>()
  for (const row of r.rows) out.set(row.collection, { bbox: [row.w, row.s, row.e, row.n], count: Number(row.count), lastUpdateMs: Number(row.last_ms) })
  return out
}

export const KNOWN_COLLECTIONS = ASSET_TYPES.map((t) => t.id)
