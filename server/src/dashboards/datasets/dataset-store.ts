/**
 * The configurable dashboards' datasets (issue 11 part 2, docs/dashboards.md "Loading a dataset"):
 * load, list, show, remove. Only aggregates are stored (migration 0021) — never a row of the file,
 * which may hold personal columns: per level (city, quartiere, area_statistica) × area × category ×
 * measure, a sum and a count.
 *
 * A load reads the file (./csv-dataset-reader.ts, ./geojson-dataset-reader.ts), checks the definition
 * against it and reads the values (./dataset-values.ts), places the rows (./dataset-placement.ts) and
 * aggregates them (./dataset-figures.ts), all before writing; then one transaction replaces the
 * dataset's definition and every figure (server/src/db/dashboard-datasets.ts) and appends the audit row
 * (`dashboard_dataset.load`). A refused load (DASHBOARD_DATA_INVALID) writes nothing, and the previous
 * version stays served.
 */
import { createHash } from 'node:crypto'
import type { z } from 'zod'
import { AREA_LEVELS, DatasetLoadSchema, type AreaLevel, type DashboardSummarySchema, type DatasetLoad, type DatasetLoadResultSchema, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { appendAudit, stateHash } from '../../audit/audit-log'
import type { Db, Queryable } from '../../db/adapter'
import { areasOf, type AreaRef } from '../../db/dashboard-areas'
import { datasetFigures, deleteDatasetRecord, loadedDatasetRecord, loadedDatasetRecords, lockDatasetVersion, replaceDataset, type DatasetRecord } from '../../db/dashboard-datasets'
import type { RequestActor } from '../../http/actor'
import { readCsvDataset } from './csv-dataset-reader'
import { datasetDashboard, type StoredDataset, type StoredDefinition } from './dataset-dashboard'
import { dataInvalid } from './dataset-file'
import { aggregate, FigureIndex } from './dataset-figures'
import { placeRows } from './dataset-placement'
import { checkDefinition, readValues } from './dataset-values'
import { readGeoJsonDataset } from './geojson-dataset-reader'

type DashboardSummary = z.infer<typeof DashboardSummarySchema>
type DatasetLoadResult = z.infer<typeof DatasetLoadResultSchema>

const StoredDefinitionSchema = DatasetLoadSchema.omit({ content: true })
/** Unplaced rows named in a load's answer. */
const UNPLACED_EXAMPLES = 10

/** The loaded datasets, for the dashboards' list (by title). */
export async function listLoadedDatasets(q: Queryable): Promise<DashboardSummary[]> {
  return (await loadedDatasetRecords(q))
    .map((row) => stored(row))
    .sort((a, b) => a.definition.title.it.localeCompare(b.definition.title.it, 'it') || a.definition.id.localeCompare(b.definition.id))
    .map((d) => ({ id: d.definition.id, kind: 'dataset' as const, title: d.definition.title, description: d.definition.description, loadedAtMs: d.loadedAtMs }))
}

/** A loaded dataset's dashboard; null when no dataset has that id. */
export async function buildDatasetDashboard(q: Queryable, id: string, nowMs: number): Promise<ThemeDashboard | null> {
  const row = await loadedDatasetRecord(q, id)
  if (!row) return null
  const figures = new FigureIndex(await datasetFigures(q, id))
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
    const prev = await lockDatasetVersion(tx, load.id)
    await replaceDataset(tx, { id: load.id, definition, rowCount: file.rows.length, placedCount: placed, contentSha256, loadedAtMs: nowMs }, figures)
    await appendAudit(
      tx,
      {
        ...by,
        action: 'dashboard_dataset.load',
        target: `dashboard_dataset:${load.id}`,
        beforeHash: prev ? stateHash({ definition: prev.definition, contentSha256: prev.contentSha256 }) : null,
        afterHash,
        detail: { format: load.format, rows: file.rows.length, placed, contentSha256, replaced: prev !== null },
      },
      nowMs,
    )
  })
  return { id: load.id, rows: file.rows.length, placed, unplaced: { rows: file.rows.length - placed, examples }, loadedAtMs: nowMs }
}

/** Removes a loaded dataset and its figures (audited); false when there is none with that id. */
export async function deleteDataset(db: Db, id: string, by: RequestActor, nowMs: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const prev = await lockDatasetVersion(tx, id)
    if (!prev) return false
    await deleteDatasetRecord(tx, id)
    await appendAudit(tx, { ...by, action: 'dashboard_dataset.delete', target: `dashboard_dataset:${id}`, beforeHash: stateHash({ definition: prev.definition, contentSha256: prev.contentSha256 }), afterHash: null }, nowMs)
    return true
  })
}

function stored(row: DatasetRecord): StoredDataset {
  const definition: StoredDefinition = StoredDefinitionSchema.parse(typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition)
  return { definition, rowCount: row.rowCount, placedCount: row.placedCount, loadedAtMs: row.loadedAtMs }
}
