/**
 * Loads the city at boot. When the city data directory holds every file of the manifest, each
 * dataset is imported (one transaction each) unless its file is unchanged since the recorded
 * import — so a second boot only hashes the files. Otherwise the generated demo district is
 * loaded and the city is labelled as generated.
 *
 * A database that already holds the real city keeps it when the files go missing (an unmounted
 * volume must not wipe it); `force` switches it to the demo district.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { LonLat } from '../../contracts/schemas/device'
import type { Db, Queryable } from '../../server/src/db/adapter'
import { DEMO_DATASET, importDemoDistrict } from './demo-district'
import { importDataset, type DatasetImportReport } from './importers/dataset-import'
import { DATASETS, missingFiles } from './manifest'

export interface CityRow {
  name: string
  data: 'real' | 'generated'
  label: string
}

export const REAL_CITY: CityRow = { name: 'Bologna', data: 'real', label: 'Bologna — open data (Comune di Bologna, ARPAE)' }
export const DEMO_CITY: CityRow = { name: 'Demo district', data: 'generated', label: 'Generated demo district — not real data' }

export interface CityImportOptions {
  log?: (line: string) => void
  /** Re-import every dataset even when unchanged. */
  force?: boolean
  /** Centre and seed of the demo district (when it is used). */
  demo?: { center?: LonLat; seed?: number }
}

export interface CityImportReport {
  city: CityRow
  cityDataDir: string
  /** Required files not found (empty in real-data mode). */
  missingFiles: string[]
  /** One report per dataset imported or skipped. */
  datasets: DatasetImportReport[]
  /** Datasets that could not be imported (their previous rows are untouched). */
  failures: Array<{ dataset: string; error: string }>
  durationMs: number
}

const line = (r: DatasetImportReport) =>
  r.skipped
    ? `[geodata] ${r.dataset}: unchanged (sha256 ${r.checksum.slice(0, 12)}…), skipped — ${r.features} rows in the database, ${r.durationMs} ms`
    : `[geodata] ${r.dataset}: ${r.features} imported, ${r.rejected} rejected, ${r.durationMs} ms`

export async function importCity(db: Db, cityDataDir: string, opts: CityImportOptions = {}): Promise<CityImportReport> {
  const t0 = performance.now()
  const log = opts.log ?? (() => undefined)
  const dir = path.resolve(cityDataDir)
  const missing = missingFiles(dir)
  const datasets: DatasetImportReport[] = []
  const failures: CityImportReport['failures'] = []
  const done = (city: CityRow): CityImportReport => {
    const durationMs = Math.round(performance.now() - t0)
    log(`[geodata] city: ${city.label} (${durationMs} ms)`)
    return { city, cityDataDir: dir, missingFiles: missing, datasets, failures, durationMs }
  }

  if (missing.length === 0) {
    await removeDatasets(db, [DEMO_DATASET.id])
    for (const entry of DATASETS) {
      try {
        const r = await importDataset(db, entry.id, path.join(dir, entry.file), { force: opts.force, cityDataDir: dir })
        datasets.push(r)
        log(line(r))
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err)
        failures.push({ dataset: entry.id, error })
        log(`[geodata] ${entry.id}: FAILED, previous rows kept — ${error}`)
      }
    }
    await setCity(db, REAL_CITY)
    return done(REAL_CITY)
  }

  const why = existsSync(dir) ? `lacks ${missing.length} required file(s): ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}` : 'does not exist'
  const current = await readCity(db)
  if (current?.data === 'real' && !opts.force) {
    log(`[geodata] city data directory ${dir} ${why}; keeping the ${current.name} data already imported (force to switch to the demo district)`)
    return done(current)
  }
  log(`[geodata] city data directory ${dir} ${why}: loading the generated demo district (not real data)`)
  const r = await loadDemoCity(db, { ...opts.demo, force: opts.force })
  datasets.push(r)
  log(line(r))
  return done(DEMO_CITY)
}

/** Replaces whatever city the database holds by the generated demo district. */
export async function loadDemoCity(db: Db, opts: { center?: LonLat; seed?: number; force?: boolean } = {}): Promise<DatasetImportReport> {
  await removeDatasets(db, DATASETS.map((d) => d.id))
  const r = await importDemoDistrict(db, opts)
  await setCity(db, DEMO_CITY)
  return r
}

export async function readCity(q: Queryable): Promise<CityRow | null> {
  const r = await q.query<CityRow>("SELECT name, data, label FROM city WHERE id = 'default'")
  return r.rows[0] ?? null
}

async function setCity(db: Db, city: CityRow): Promise<void> {
  await db.query(
    `INSERT INTO city (id, name, data, label) VALUES ('default', $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, data = EXCLUDED.data, label = EXCLUDED.label`,
    [city.name, city.data, city.label],
  )
}

/** Deletes every row of these datasets and their import records, in one transaction. */
async function removeDatasets(db: Db, ids: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    const tables = new Set(['device', 'street_arc', 'area', ...DATASETS.flatMap((d) => d.targetTables)])
    for (const table of tables) await tx.query(`DELETE FROM ${table} WHERE dataset = ANY($1::text[])`, [ids])
    await tx.query('DELETE FROM dataset_import WHERE dataset_id = ANY($1::text[])', [ids])
  })
}
