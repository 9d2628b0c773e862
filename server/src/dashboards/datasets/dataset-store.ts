/**
 * The configurable dashboards' datasets (issue 11 part 2, docs/dashboards.md "Loading a dataset"):
 * load, list, show, remove. Only aggregates are stored (migration 0021) — never a row of the file,
 * which may hold personal columns: per level (city, quartiere, area_statistica) × area × category ×
 * measure, a sum and a count.
 *
 * A load reads the file (./csv-dataset-reader.ts, ./geojson-dataset-reader.ts), checks the definition
 * against it and reads the values (./dataset-values.ts), places the rows (./dataset-placement.ts) and
 * aggregates them (./dataset-figures.ts), all before writing; then one transaction replaces the
 * dataset's definition and every figure and appends the audit row (`dashboard_dataset.load`). A refused
 * load (DASHBOARD_DATA_INVALID) writes nothing, and the previous version stays served.
 */
import { createHash } from 'node:crypto'
import type { z } from 'zod'
import { AREA_LEVELS, DatasetLoadSchema, type AreaLevel, type DashboardSummarySchema, type DatasetLoad, type DatasetLoadResultSchema, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { appendAudit, stateHash } from '../../audit/audit-log'
import type { Db, Queryable } from '../../db/adapter'
import { areasOf, type AreaRef } from '../../db/dashboard-areas'
import type { RequestActor } from '../../http/actor'
import { readCsvDataset } from './csv-dataset-reader'
import { datasetDashboard, type StoredDataset, type StoredDefinition } from './dataset-dashboard'
import { dataInvalid } from './dataset-file'
import { aggregate, FigureIndex, type Figure, type FigureLevel } from './dataset-figures'
import { placeRows } from './dataset-placement'
import { checkDefinition, readValues } from './dataset-values'
import { readGeoJsonDataset } from './geojson-dataset-reader'

type DashboardSummary = z.infer<typeof DashboardSummarySchema>
type DatasetLoadResult = z.infer<typeof DatasetLoadResultSchema>

const StoredDefinitionSchema = DatasetLoadSchema.omit({ content: true })
/** Unplaced rows named in a load's answer. */
const UNPLACED_EXAMPLES = 10
/** Figures per INSERT statement. */
const INSERT_CHUNK = 10_000

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`

interface DatasetRow {
  definition: unknown
  row_count: number
  placed_count: number
  content_sha256: string
  loaded_at_ms: number
}

/** The loaded datasets, for the dashboards' list (by title). */
export async function listLoadedDatasets(q: Queryable): Promise<DashboardSummary[]> {
  const r = await q.query<DatasetRow>(`SELECT definition, row_count, placed_count, content_sha256, ${ms('loaded_at')} AS loaded_at_ms FROM dashboard_dataset`)
  return r.rows
    .map((row) => stored(row))
    .sort((a, b) => a.definition.title.it.localeCompare(b.definition.title.it, 'it') || a.definition.id.localeCompare(b.definition.id))
    .map((d) => ({ id: d.definition.id, kind: 'dataset' as const, title: d.definition.title, description: d.definition.description, loadedAtMs: d.loadedAtMs }))
}

/** A loaded dataset's dashboard; null when no dataset has that id. */
export async function buildDatasetDashboard(q: Queryable, id: string, nowMs: number): Promise<ThemeDashboard | null> {
  const r = await q.query<DatasetRow>(`SELECT definition, row_count, placed_count, content_sha256, ${ms('loaded_at')} AS loaded_at_ms FROM dashboard_dataset WHERE id = $1`, [id])
  const row = r.rows[0]
  if (!row) return null
  const f = await q.query<{ level: FigureLevel; area_id: string; category: string; measure_id: string; value_sum: number; value_count: number }>(
    'SELECT level, area_id, category, measure_id, value_sum, value_count FROM dashboard_dataset_figure WHERE dataset_id = $1',
    [id],
  )
  const figures = new FigureIndex(f.rows.map((x) => ({ level: x.level, areaId: x.area_id, category: x.category, measureId: x.measure_id, sum: Number(x.value_sum), count: Number(x.value_count) })))
  const areas = new Map<AreaLevel, AreaRef[]>()
  for (const level of AREA_LEVELS) if (figures.levels.has(level)) areas.set(level, await areasOf(q, level))
  return datasetDashboard(stored(row), figures, areas, nowMs)
}

/** Loads (or replaces) a dataset: DASHBOARD_DATA_INVALID, with nothing written, when the file does not answer the definition. */
export async function loadDataset(db: Db, load: DatasetLoad, nowMs: number, by: RequestActor): Promise<DatasetLoadResult> {
  const file = load.format === 'csv' ? readCsvDataset(load.content) : readGeoJsonDataset(load.content)
  checkDefinition(load, file)
  const values = readValues(load, file)
  const placement = await placeRows(db, load, file)
  const placed = placement.places.filter((p) => p !== null).length
  const unplacedRows = [...placement.reasons.entries()].sort((a, b) => a[0] - b[0])
  const examples = unplacedRows.slice(0, UNPLACED_EXAMPLES).map(([i, reason]) => ({ row: file.rows[i]!.row, reason }))
  if (placed === 0) {
    throw dataInvalid(`No row of the ${file.rows.length} could be placed in an area, so the dashboard would have no map: ${examples.slice(0, 3).map((e) => `${load.format === 'csv' ? 'row' : 'feature'} ${e.row}: ${e.reason}`).join('; ')}. Check area.${load.area.by === 'column' ? 'column and area.level' : 'lonColumn/latColumn (longitude first) or the file\'s coordinates (WGS 84)'}.`)
  }
  const figures = aggregate(load.measures.map((m) => m.id), values, placement)

  const { content, ...definition } = load
  const contentSha256 = createHash('sha256').update(content).digest('hex')
  const afterHash = stateHash({ definition, contentSha256 })
  await db.transaction(async (tx) => {
    const before = await tx.query<{ definition: unknown; content_sha256: string }>('SELECT definition, content_sha256 FROM dashboard_dataset WHERE id = $1 FOR UPDATE', [load.id])
    const prev = before.rows[0]
    await tx.query('DELETE FROM dashboard_dataset_figure WHERE dataset_id = $1', [load.id])
    await tx.query(
      `INSERT INTO dashboard_dataset (id, definition, row_count, placed_count, content_sha256, loaded_at) VALUES ($1, $2::jsonb, $3, $4, $5, to_timestamp($6::float8 / 1000))
       ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, row_count = EXCLUDED.row_count, placed_count = EXCLUDED.placed_count, content_sha256 = EXCLUDED.content_sha256, loaded_at = EXCLUDED.loaded_at`,
      [load.id, JSON.stringify(definition), file.rows.length, placed, contentSha256, nowMs],
    )
    await insertFigures(tx, load.id, figures)
    await appendAudit(
      tx,
      {
        ...by,
        action: 'dashboard_dataset.load',
        target: `dashboard_dataset:${load.id}`,
        beforeHash: prev ? stateHash({ definition: prev.definition, contentSha256: prev.content_sha256 }) : null,
        afterHash,
        detail: { format: load.format, rows: file.rows.length, placed, contentSha256, replaced: prev !== undefined },
      },
      nowMs,
    )
  })
  return { id: load.id, rows: file.rows.length, placed, unplaced: { rows: file.rows.length - placed, examples }, loadedAtMs: nowMs }
}

/** Removes a loaded dataset and its figures (audited); false when there is none with that id. */
export async function deleteDataset(db: Db, id: string, by: RequestActor, nowMs: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const before = await tx.query<{ definition: unknown; content_sha256: string }>('SELECT definition, content_sha256 FROM dashboard_dataset WHERE id = $1 FOR UPDATE', [id])
    const prev = before.rows[0]
    if (!prev) return false
    await tx.query('DELETE FROM dashboard_dataset WHERE id = $1', [id])
    await appendAudit(tx, { ...by, action: 'dashboard_dataset.delete', target: `dashboard_dataset:${id}`, beforeHash: stateHash({ definition: prev.definition, contentSha256: prev.content_sha256 }), afterHash: null }, nowMs)
    return true
  })
}

async function insertFigures(tx: Queryable, id: string, figures: readonly Figure[]): Promise<void> {
  for (let from = 0; from < figures.length; from += INSERT_CHUNK) {
    const part = figures.slice(from, from + INSERT_CHUNK)
    await tx.query(
      `INSERT INTO dashboard_dataset_figure (dataset_id, level, area_id, category, measure_id, value_sum, value_count)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::int[])`,
      [id, part.map((f) => f.level), part.map((f) => f.areaId), part.map((f) => f.category), part.map((f) => f.measureId), part.map((f) => f.sum), part.map((f) => f.count)],
    )
  }
}

function stored(row: DatasetRow): StoredDataset {
  const definition: StoredDefinition = StoredDefinitionSchema.parse(typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition)
  return { definition, rowCount: Number(row.row_count), placedCount: Number(row.placed_count), loadedAtMs: Number(row.loaded_at_ms) }
}
