/**
 * Imports one dataset of the manifest from one file, in ONE transaction: the dataset's old rows
 * are replaced by the file's, and a `dataset_import` row records what was loaded (file checksum,
 * counts, per-row problems). A file whose checksum, importer version and row count match the
 * recorded import is skipped unless `force`.
 *
 * Two processes importing the same dataset at once are serialised by a transaction-scoped
 * advisory lock per dataset; the second one re-checks the checksum under the lock and skips.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Db, Queryable } from '../../../server/src/db/adapter'
import { datasetById, fileChecksum, loaderOf, type DatasetEntry, type DatasetId } from '../manifest'
import { DatasetFileError, type RowProblem } from '../readers/read-result'
import type { Envelope } from '../readers/row-checks'
import type { SourceCrsUsed } from '../readers/source-crs'
import { SUMO_DERIVED_FROM } from '../sumo/sumo-loaders'
import { SUMO_DATASET_ROWS_SQL } from '../sumo/sumo-writer'
import { DATASET_LOADERS, type DatasetContent } from './dataset-loaders'
import { replaceDatasetDevices, type WriteOutcome } from './write-devices'
import { replaceAreas, replaceStreetArcs } from './write-geometries'

/** Bump when an importer writes different rows from the same file: recorded imports are then redone. */
export const GEODATA_IMPORTER_VERSION = 1

/** Problems stored in dataset_import.report (all of them are returned to the caller). */
const STORED_PROBLEMS_MAX = 1000
/** Any constant: the first key of the per-dataset advisory lock. */
const IMPORT_LOCK = 74_290_002

export interface DatasetImportReport {
  dataset: string
  /** Rows stored (for a skipped import: the rows recorded by the previous import). */
  features: number
  rejected: number
  problems: RowProblem[]
  /** Unchanged since the recorded import: nothing was read or written. */
  skipped: boolean
  checksum: string
  /** The file, relative to the city data directory when inside it. */
  source: string
  /** GeoJSON files read now (not skipped): the CRS they were converted from. */
  sourceCrs?: SourceCrsUsed
  durationMs: number
}

export interface DatasetImportOptions {
  force?: boolean
  envelope?: Envelope
  /** GeoJSON files: the source CRS ('EPSG:3003'), overriding the file's `crs` member (`--crs`). */
  crs?: string
  /** To record `source` relative to it. */
  cityDataDir?: string
  /** Refuse (roll back) an import that would store no row: the file is not of the dataset's kind. */
  requireRows?: boolean
}

/**
 * Imports a dataset — a manifest id, or an entry such as an ad-hoc dataset of a kind — from `file`
 * (an absolute path, or relative to the working directory).
 */
export async function importDataset(db: Db, dataset: string | DatasetEntry, file: string, opts: DatasetImportOptions = {}): Promise<DatasetImportReport> {
  const t0 = performance.now()
  const entry = typeof dataset === 'string' ? datasetById(dataset) : dataset
  if (!entry) throw new Error(`Unknown dataset "${String(dataset)}"`)
  const datasetId = entry.id
  const abs = path.resolve(file)
  const source = sourceLabel(abs, opts.cityDataDir)
  const related = entry.alsoReads.map((f) => path.join(path.dirname(abs), path.basename(f))).filter((f) => existsSync(f))
  let checksum: string
  try {
    checksum = fileChecksum(abs, related)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new DatasetFileError(`Cannot read ${abs} for dataset ${datasetId}: ${e.code === 'ENOENT' ? 'the file does not exist' : e.message}.`, abs)
  }
  const elapsed = () => Math.round(performance.now() - t0)

  if (!opts.force) {
    const recorded = await unchangedImport(db, entry, checksum)
    if (recorded) return { ...recorded, source, durationMs: elapsed() }
  }

  const content = await DATASET_LOADERS[loaderOf(entry)](abs, { envelope: opts.envelope, crs: opts.crs, alsoReads: related })
  return db.transaction(async (tx) => {
    await lockDataset(tx, entry.id)
    if (!opts.force) {
      const recorded = await unchangedImport(tx, entry, checksum)
      if (recorded) return { ...recorded, source, durationMs: elapsed() }
    }
    const written = await writeContent(tx, entry, content)
    const problems = [...content.problems, ...written.problems]
    if (opts.requireRows && written.written === 0) {
      const first = problems.slice(0, 3).map((p) => `feature ${p.row}: ${p.problem}`)
      throw new DatasetFileError(`${abs} has no feature Gemello can import as ${entry.featureKind} (${content.rows} in the file${first.length > 0 ? `; ${first.join('; ')}` : ''}).`, abs)
    }
    const rejected = content.rejected + written.rejected
    const durationMs = elapsed()
    const sourceCrs = content.sourceCrs
    await recordImport(tx, entry, { source, checksum, sourceRows: content.rows, features: written.written, rejected, problems, durationMs, sourceCrs })
    return { dataset: entry.id, features: written.written, rejected, problems, skipped: false, checksum, source, durationMs, ...(sourceCrs ? { sourceCrs } : {}) }
  })
}

/** What `dataset_import` says about a dataset (manifest entries and the demo district alike). */
export interface DatasetMeta {
  id: string
  title: string
  licence: string
  attribution: string
  sourceCrs: string
  targetTables: readonly string[]
  /** Ad-hoc datasets: the import kind and the manifest loader that read the file. */
  kind?: string
  loader?: string
}

/** Upserts the dataset's `dataset_import` row. */
export async function recordImport(
  tx: Queryable,
  meta: DatasetMeta,
  r: { source: string; checksum: string; sourceRows: number; features: number; rejected: number; problems: RowProblem[]; durationMs: number; sourceCrs?: SourceCrsUsed },
): Promise<void> {
  const report = {
    importerVersion: GEODATA_IMPORTER_VERSION,
    sourceRows: r.sourceRows,
    features: r.features,
    rejected: r.rejected,
    durationMs: r.durationMs,
    // What the file was read in (a GeoJSON's crs member or --crs), else what the manifest says.
    sourceCrs: r.sourceCrs?.code ?? meta.sourceCrs,
    ...(r.sourceCrs ? { sourceCrsFrom: r.sourceCrs.from } : {}),
    targetTables: meta.targetTables,
    problems: r.problems.slice(0, STORED_PROBLEMS_MAX),
    problemsTruncated: Math.max(0, r.problems.length - STORED_PROBLEMS_MAX),
    ...(meta.kind !== undefined ? { kind: meta.kind, loader: meta.loader } : {}),
  }
  await tx.query(
    `INSERT INTO dataset_import (dataset_id, title, licence, attribution, source, checksum, features, rejected, report, imported_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, now())
     ON CONFLICT (dataset_id) DO UPDATE SET
       title = EXCLUDED.title, licence = EXCLUDED.licence, attribution = EXCLUDED.attribution, source = EXCLUDED.source,
       checksum = EXCLUDED.checksum, features = EXCLUDED.features, rejected = EXCLUDED.rejected, report = EXCLUDED.report,
       imported_at = EXCLUDED.imported_at`,
    [meta.id, meta.title, meta.licence, meta.attribution, r.source, r.checksum, r.features, r.rejected, JSON.stringify(report)],
  )
}

/** Serialises imports of one dataset across processes, for the rest of the transaction. */
export async function lockDataset(tx: Queryable, datasetId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [IMPORT_LOCK, lockKey(datasetId)])
}

async function writeContent(tx: Queryable, entry: DatasetEntry, content: DatasetContent): Promise<WriteOutcome> {
  if (content.write) return content.write(tx, entry.id)
  if (content.devices) return replaceDatasetDevices(tx, entry.id, content.devices)
  if (content.streetArcs) return replaceStreetArcs(tx, entry.id, content.streetArcs)
  if (content.areas) return replaceAreas(tx, entry.id, content.areas)
  throw new Error(`Dataset ${entry.id}: the loader returned nothing to write`)
}

/** The recorded import, when it is of this very file by this importer version and its rows are all still there. */
export async function unchangedImport(q: Queryable, entry: Pick<DatasetMeta, 'id' | 'targetTables'>, checksum: string): Promise<Omit<DatasetImportReport, 'source' | 'durationMs'> | null> {
  const r = await q.query<{ checksum: string; features: number; rejected: number; version: number | null; problems: RowProblem[] | null }>(
    `SELECT checksum, features, rejected, (report->>'importerVersion')::int AS version, report->'problems' AS problems
     FROM dataset_import WHERE dataset_id = $1`,
    [entry.id],
  )
  const row = r.rows[0]
  if (!row || row.checksum !== checksum || row.version !== GEODATA_IMPORTER_VERSION) return null
  if (await upstreamReimported(q, entry.id)) return null
  const stored = await countDatasetRows(q, entry.id, entry.targetTables)
  if (stored !== row.features) return null
  return { dataset: entry.id, features: row.features, rejected: row.rejected, problems: row.problems ?? [], skipped: true, checksum }
}

/** Rows a dataset has in its target tables (for sumo_network: with its child tables, which have no dataset column). */
export async function countDatasetRows(q: Queryable, dataset: string, tables: readonly string[]): Promise<number> {
  const parts = tables.map((t) => (t === 'sumo_network' ? SUMO_DATASET_ROWS_SQL : `SELECT count(*)::int AS n FROM ${t} WHERE dataset = $1`))
  const r = await q.query<{ n: number }>(`SELECT coalesce(sum(n), 0)::int AS n FROM (${parts.join(' UNION ALL ')}) x`, [dataset])
  return r.rows[0]?.n ?? 0
}

/** A dataset computed from others (SUMO_DERIVED_FROM) is stale when one of them was imported after it. */
async function upstreamReimported(q: Queryable, datasetId: string): Promise<boolean> {
  const upstream = SUMO_DERIVED_FROM[datasetId as DatasetId]
  if (!upstream) return false
  const r = await q.query(
    `SELECT 1 FROM dataset_import u, dataset_import d
     WHERE d.dataset_id = $1 AND u.dataset_id = ANY($2::text[]) AND u.imported_at > d.imported_at LIMIT 1`,
    [datasetId, upstream],
  )
  return r.rows.length > 0
}

function sourceLabel(abs: string, cityDataDir: string | undefined): string {
  if (!cityDataDir) return abs
  const rel = path.relative(path.resolve(cityDataDir), abs)
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/')
}

/** A stable 31-bit key per dataset id (FNV-1a). */
function lockKey(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h & 0x7fffffff
}
