/**
 * The configurable dashboards' datasets in the database (migration 0021, docs/dashboards.md "Loading a
 * dataset"): a dataset's record (its definition, how many rows it had and placed, the file's sha256,
 * when it was loaded) and its figures (sums and counts per level × area × category × measure) — never
 * a row of the loaded file. The reading of files, the checks and the aggregation live in
 * server/src/dashboards/datasets/; a load's writes run in the transaction its caller opens
 * (../dashboards/datasets/dataset-store.ts), with the audit row.
 *
 * Also where a dataset's points fall: the district and statistical area containing each one.
 */
import type { AreaLevel } from '../../../contracts/theme-dashboard-api'
import type { Db, Queryable } from './adapter'

/** Figures per INSERT statement. */
const INSERT_CHUNK = 10_000
/** Rows per statement when placing points (each a GeoJSON text or a lon/lat pair). */
const PLACE_CHUNK = 2_000

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const DATASET_COLUMNS = `definition, row_count, placed_count, content_sha256, ${ms('loaded_at')} AS loaded_at_ms`

export interface DatasetRecord {
  /** The load's definition without its content, as stored (jsonb: parsed, or its text). */
  definition: unknown
  rowCount: number
  placedCount: number
  contentSha256: string
  loadedAtMs: number
}

/** What a dataset's audit hashes cover: its definition and its file's sha256. */
export interface DatasetVersion {
  definition: unknown
  contentSha256: string
}

export type DatasetFigureLevel = 'city' | AreaLevel

export interface DatasetFigure {
  level: DatasetFigureLevel
  /** '' at level city. */
  areaId: string
  /** '' without a category column, or for an empty cell. */
  category: string
  measureId: string
  sum: number
  count: number
}

interface DatasetRecordRow {
  definition: unknown
  row_count: number | string
  placed_count: number | string
  content_sha256: string
  loaded_at_ms: number | string
}

const record = (row: DatasetRecordRow): DatasetRecord => ({
  definition: row.definition,
  rowCount: Number(row.row_count),
  placedCount: Number(row.placed_count),
  contentSha256: row.content_sha256,
  loadedAtMs: Number(row.loaded_at_ms),
})

/** Every loaded dataset's record, in no particular order. */
export async function loadedDatasetRecords(q: Queryable): Promise<DatasetRecord[]> {
  const r = await q.query<DatasetRecordRow>(`SELECT ${DATASET_COLUMNS} FROM dashboard_dataset`)
  return r.rows.map(record)
}

/** A loaded dataset's record; null when no dataset has that id. */
export async function loadedDatasetRecord(q: Queryable, id: string): Promise<DatasetRecord | null> {
  const r = await q.query<DatasetRecordRow>(`SELECT ${DATASET_COLUMNS} FROM dashboard_dataset WHERE id = $1`, [id])
  const row = r.rows[0]
  return row ? record(row) : null
}

/** Every figure of a dataset (none when there is no dataset with that id). */
export async function datasetFigures(q: Queryable, id: string): Promise<DatasetFigure[]> {
  const r = await q.query<{ level: DatasetFigureLevel; area_id: string; category: string; measure_id: string; value_sum: number | string; value_count: number | string }>(
    'SELECT level, area_id, category, measure_id, value_sum, value_count FROM dashboard_dataset_figure WHERE dataset_id = $1',
    [id],
  )
  return r.rows.map((x) => ({ level: x.level, areaId: x.area_id, category: x.category, measureId: x.measure_id, sum: Number(x.value_sum), count: Number(x.value_count) }))
}

/**
 * The dataset's current version, its row locked until the transaction ends (so two loads or a load
 * and a removal of one id run one after the other); null when there is none with that id.
 */
export async function lockDatasetVersion(tx: Queryable, id: string): Promise<DatasetVersion | null> {
  const r = await tx.query<{ definition: unknown; content_sha256: string }>('SELECT definition, content_sha256 FROM dashboard_dataset WHERE id = $1 FOR UPDATE', [id])
  const row = r.rows[0]
  return row ? { definition: row.definition, contentSha256: row.content_sha256 } : null
}

export interface DatasetWrite {
  id: string
  /** The load's definition without its content. */
  definition: unknown
  rowCount: number
  placedCount: number
  contentSha256: string
  loadedAtMs: number
}

/**
 * Writes a dataset's record (inserted, or replacing the one with that id) and replaces all its figures.
 * Run it in a transaction: the statements are several.
 */
export async function replaceDataset(tx: Queryable, d: DatasetWrite, figures: readonly DatasetFigure[]): Promise<void> {
  await tx.query('DELETE FROM dashboard_dataset_figure WHERE dataset_id = $1', [d.id])
  await tx.query(
    `INSERT INTO dashboard_dataset (id, definition, row_count, placed_count, content_sha256, loaded_at) VALUES ($1, $2::jsonb, $3, $4, $5, to_timestamp($6::float8 / 1000))
     ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, row_count = EXCLUDED.row_count, placed_count = EXCLUDED.placed_count, content_sha256 = EXCLUDED.content_sha256, loaded_at = EXCLUDED.loaded_at`,
    [d.id, JSON.stringify(d.definition), d.rowCount, d.placedCount, d.contentSha256, d.loadedAtMs],
  )
  for (let from = 0; from < figures.length; from += INSERT_CHUNK) {
    const part = figures.slice(from, from + INSERT_CHUNK)
    await tx.query(
      `INSERT INTO dashboard_dataset_figure (dataset_id, level, area_id, category, measure_id, value_sum, value_count)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::int[])`,
      [d.id, part.map((f) => f.level), part.map((f) => f.areaId), part.map((f) => f.category), part.map((f) => f.measureId), part.map((f) => f.sum), part.map((f) => f.count)],
    )
  }
}

/** Removes a dataset's record; its figures go with it (ON DELETE CASCADE). */
export async function deleteDatasetRecord(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM dashboard_dataset WHERE id = $1', [id])
}

/** Points to place, by row: a lon/lat pair (shape null) or a GeoJSON geometry text (lon, lat null). */
export interface PointsToPlace {
  rows: number[]
  lons: Array<number | null>
  lats: Array<number | null>
  shapes: Array<string | null>
}

export interface PointAreas {
  quartiere: string | null
  area_statistica: string | null
}

/**
 * Row → the district and statistical area containing its point (ST_Contains; a polygon or line by its
 * ST_PointOnSurface, made valid first when it is not), in one set-based statement per chunk of rows.
 * A point in a statistical area is in that area's district even when it falls just outside the
 * district's own outline (the two layers' borders differ by metres). Rows inside no area are absent.
 */
export async function areasContainingPoints(db: Db, input: PointsToPlace): Promise<Map<number, PointAreas>> {
  // PostgreSQL's cost estimate of the PostGIS functions starts the JIT compiler on every chunk (≈ 270 ms
  // each: 8 s of 9 for 50,000 rows, bench:dashboards) for statements that run in tens of milliseconds:
  // one transaction without JIT, on one of the pool's connections. PGlite has no JIT, and its one
  // connection must stay free between chunks for everyone else (the live map), so no transaction there.
  if (db.capabilities.concurrentWriters <= 1) return placeChunks(db, input)
  return db.transaction(async (q) => {
    await q.query('SET LOCAL jit = off')
    return placeChunks(q, input)
  })
}

async function placeChunks(q: Queryable, input: PointsToPlace): Promise<Map<number, PointAreas>> {
  const out = new Map<number, PointAreas>()
  for (let from = 0; from < input.rows.length; from += PLACE_CHUNK) {
    const to = from + PLACE_CHUNK
    const found = await q.query<{ i: number | string; quartiere: string | null; area_statistica: string | null }>(
      `WITH input AS (
         SELECT i, CASE WHEN shape IS NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326)
                        ELSE ST_PointOnSurface(CASE WHEN ST_IsValid(g) THEN g ELSE ST_MakeValid(g) END) END AS p
         FROM (SELECT i, lon, lat, shape, ST_SetSRID(ST_GeomFromGeoJSON(shape), 4326) AS g
               FROM unnest($1::int[], $2::float8[], $3::float8[], $4::text[]) AS t(i, lon, lat, shape)) x
       )
       SELECT input.i, COALESCE(sq.id, q.id) AS quartiere, s.id AS area_statistica
       FROM input
       LEFT JOIN LATERAL (SELECT id, props FROM area WHERE kind = 'area_statistica' AND ST_Contains(geom, input.p) ORDER BY id LIMIT 1) s ON true
       LEFT JOIN LATERAL (SELECT id FROM area WHERE kind = 'quartiere' AND code = s.props->>'codQuartiere' ORDER BY id LIMIT 1) sq ON true
       LEFT JOIN LATERAL (SELECT id FROM area WHERE sq.id IS NULL AND kind = 'quartiere' AND ST_Contains(geom, input.p) ORDER BY id LIMIT 1) q ON true
       WHERE q.id IS NOT NULL OR s.id IS NOT NULL`,
      [input.rows.slice(from, to), input.lons.slice(from, to), input.lats.slice(from, to), input.shapes.slice(from, to)],
    )
    for (const f of found.rows) out.set(Number(f.i), { quartiere: f.quartiere, area_statistica: f.area_statistica })
  }
  return out
}
