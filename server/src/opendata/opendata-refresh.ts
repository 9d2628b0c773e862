/**
 * The open-data refresh (docs/opendata.md "Refresh"): every OPENDATA_REFRESH_MINUTES one server process
 * regenerates every dataset from the twin and validates the catalogue with SHACL.
 *
 * The job's tick only claims the due refresh (opendata_refresh, under the job's advisory lock) and
 * commits; the work runs after, outside any transaction — reading is plain queries, files are made in
 * memory (GeoPackage by ogr2ogr in a temporary directory), and each dataset is then written in its
 * own short transaction (its row and all its files together, or nothing). A dataset the privacy guard
 * refuses, or whose query fails, keeps its last good publication and records why.
 */
import { hostname } from 'node:os'
import type { CatalogueValidation } from '../../../contracts/opendata-api'
import type { OpenDataConfig } from '../config/config'
import type { Db } from '../db/adapter'
import { claimRefresh, publishDataset, recordRefusal, saveValidation } from '../db/opendata'
import type { Job, JobLogger } from '../jobs/job-loop'
import { readCatalogue } from './catalogue'
import { buildDatasetFiles } from './dataset-files'
import type { DatasetDefinition, DatasetRow } from './datasets/dataset-definition'
import { DATASETS } from './datasets/registry'
import { privacyRefusal } from './privacy-guard'
import { catalogueQuads } from './rdf/catalogue-rdf'
import { loadCatalogueShapes, validateCatalogue } from './shacl/catalogue-validator'

export const OPENDATA_REFRESH_LOCK = 74_290_030

export interface RefreshDeps {
  db: Db
  config: OpenDataConfig
  log: JobLogger
  gdalBinDir?: string
  /** The datasets to refresh (tests); default every dataset of the registry. */
  datasets?: readonly DatasetDefinition[]
}

export interface RefreshSummary {
  published: string[]
  changed: string[]
  refused: Array<{ id: string; reason: string }>
  gpkgSkipped: string | null
  validation: CatalogueValidation
}

function bboxOf(rows: readonly DatasetRow[]): [number, number, number, number] | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
      w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1])
    } else if (Array.isArray(c)) for (const x of c) visit(x)
  }
  for (const r of rows) if (r.geometry) visit((r.geometry as { coordinates: unknown }).coordinates)
  return Number.isFinite(w) ? [w, s, e, n].map((x) => Math.round(x * 1e6) / 1e6) as [number, number, number, number] : null
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Validates the catalogue as harvesters read it (every dataset on one page) against the SHACL shapes. */
export async function validateOpenData(db: Db, config: OpenDataConfig, nowMs: number): Promise<CatalogueValidation> {
  const base = config.baseUrl ?? 'http://localhost'
  const c = await readCatalogue(db, config, base)
  let shapes
  try {
    shapes = await loadCatalogueShapes(config.shapesDir)
  } catch (e) {
    return { atMs: nowMs, validated: false, conforms: false, violations: [], warnings: [], note: `Not validated: ${errorText(e)} (set OPENDATA_SHAPES_DIR to the folder of the DCAT-AP 2.1.1 and national SHACL files)` }
  }
  const quads = catalogueQuads(c, base, { page: 1, pageSize: Math.max(1, c.datasets.length), pageBase: `${base}/catalog.ttl` })
  const r = await validateCatalogue(shapes, quads)
  return { atMs: nowMs, validated: true, conforms: r.conforms, violations: r.violations, warnings: r.warnings, note: null }
}

export async function refreshOpenData(deps: RefreshDeps, nowMs: number): Promise<RefreshSummary> {
  const { db, config } = deps
  const out: RefreshSummary = { published: [], changed: [], refused: [], gpkgSkipped: null, validation: null as unknown as CatalogueValidation }
  for (const def of deps.datasets ?? DATASETS) {
    try {
      const read = await def.read(db, { nowMs, historyDays: config.historyDays })
      const refusal = privacyRefusal(def, read.rows)
      if (refusal) {
        await recordRefusal(db, def.id, refusal, nowMs)
        out.refused.push({ id: def.id, reason: refusal })
        deps.log.warn({ dataset: def.id, reason: refusal }, 'open data: publication refused by the privacy guard')
        continue
      }
      const built = await buildDatasetFiles(def, read.rows, deps.gdalBinDir ? { gdalBinDir: deps.gdalBinDir } : {})
      out.gpkgSkipped ??= built.gpkgSkipped
      const r = await publishDataset(db, { id: def.id, nowMs, contentSha256: built.contentSha256, rowCount: read.rows.length, temporal: read.temporal, bbox: bboxOf(read.rows), files: built.files })
      out.published.push(def.id)
      if (r.changed) out.changed.push(def.id)
    } catch (e) {
      const reason = `The refresh failed: ${errorText(e)}`
      await recordRefusal(db, def.id, reason, nowMs).catch(() => undefined)
      out.refused.push({ id: def.id, reason })
      deps.log.error({ dataset: def.id, err: errorText(e) }, 'open data: dataset refresh failed')
    }
  }
  out.validation = await validateOpenData(db, config, nowMs)
  await saveValidation(db, out.validation)
  return out
}

/** The JobLoop job: the tick claims the due refresh; the refresh runs after the tick commits. */
export function openDataRefreshJob(deps: RefreshDeps & { pollMs?: number }): Job<boolean> {
  const holder = `${hostname()}:${process.pid}`
  return {
    name: 'opendata-refresh',
    intervalMs: deps.pollMs ?? 60_000,
    lockKey: OPENDATA_REFRESH_LOCK,
    run: (tx, nowMs) => claimRefresh(tx, holder, nowMs, deps.config.refreshMs),
    async afterCommit(claimed, nowMs) {
      if (!claimed) return
      const s = await refreshOpenData(deps, nowMs)
      deps.log.info(
        { published: s.published.length, changed: s.changed.length, refused: s.refused.length, violations: s.validation.violations.length, validated: s.validation.validated },
        'open data refreshed',
      )
    },
    describe: (claimed) => (claimed ? 'open-data refresh claimed' : null),
  }
}
