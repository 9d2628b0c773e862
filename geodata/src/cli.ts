/**
 * Imports city datasets from the command line (`npm run import -- <dataset|all|demo> [path]`):
 *
 *   all [dir]           every dataset of the manifest from the city data directory (default CITY_DATA_DIR)
 *   <dataset> [file]    one dataset; with a file, from that file (a city's own export in the same format)
 *   demo                the generated demo district (replaces the city data)
 *
 * Always forced (re-imports unchanged files). Reads DATABASE_URL / DATA_DIR / CITY_DATA_DIR like
 * the server does; exits 1 when an import fails, 2 on a usage or configuration error.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError, loadConfig } from '../../server/src/config/config'
import { DbBootError, openDb } from '../../server/src/db/adapter'
import { migrate } from '../../server/src/db/migrate'
import { importCity, loadDemoCity, readCity } from './import-city'
import { importDataset, type DatasetImportReport } from './importers/dataset-import'
import { DATASETS, datasetById, missingFiles } from './manifest'
import { DatasetFileError } from './readers/read-result'

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  cwd: string
}

const PROBLEMS_SHOWN = 20

export const USAGE = [
  'Usage: tsx geodata/src/cli.ts <dataset|all|demo> [path]',
  '  all [dir]          import every dataset from the city data directory (default: CITY_DATA_DIR)',
  '  <dataset> [file]   import one dataset, from the manifest path or from the given file',
  '  demo               load the generated demo district instead of city data',
  `Datasets: ${DATASETS.map((d) => d.id).join(', ')}`,
].join('\n')

function printReport(io: CliIo, r: DatasetImportReport): void {
  io.out(`${r.dataset}: ${r.features} imported, ${r.rejected} rejected, ${r.durationMs} ms (from ${r.source}, sha256 ${r.checksum.slice(0, 12)}…)`)
  for (const p of r.problems.slice(0, PROBLEMS_SHOWN)) io.out(`  row ${p.row}${p.id !== undefined ? ` [${p.id}]` : ''}: ${p.problem}`)
  if (r.problems.length > PROBLEMS_SHOWN) io.out(`  … ${r.problems.length - PROBLEMS_SHOWN} more problem(s), all recorded in dataset_import.report`)
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [what, given, ...rest] = argv
  if (!what || what === '--help' || what === '-h' || rest.length > 0) {
    io.err(USAGE)
    return 2
  }
  if (what !== 'all' && what !== 'demo' && !datasetById(what)) {
    io.err(`Unknown dataset "${what}".\n${USAGE}`)
    return 2
  }
  let config
  try {
    config = loadConfig(io.env, io.cwd)
  } catch (err) {
    io.err(err instanceof ConfigError ? err.message : String(err))
    return 2
  }
  const cityDataDir = config.cityDataDir
  if (what === 'all') {
    const dir = path.resolve(io.cwd, given ?? cityDataDir)
    const missing = missingFiles(dir)
    if (missing.length > 0) {
      io.err(`${dir} ${existsSync(dir) ? `lacks ${missing.length} required file(s):\n  ${missing.join('\n  ')}` : 'does not exist'}\nNothing imported. Set CITY_DATA_DIR or pass the directory; "demo" loads the generated demo district.`)
      return 1
    }
  }
  let db
  try {
    db = await openDb(config.db)
    await migrate(db)
  } catch (err) {
    io.err(err instanceof DbBootError ? err.message : `Cannot open the database: ${(err as Error).message}`)
    await db?.close().catch(() => undefined)
    return 1
  }
  io.out(`Importing into ${db.describe()}`)
  try {
    if (what === 'all') {
      const report = await importCity(db, path.resolve(io.cwd, given ?? cityDataDir), { force: true })
      for (const r of report.datasets) printReport(io, r)
      for (const f of report.failures) io.err(`${f.dataset}: FAILED — ${f.error}`)
      io.out(`City: ${report.city.label} (${report.durationMs} ms)`)
      return report.failures.length > 0 ? 1 : 0
    }
    if (what === 'demo') {
      printReport(io, await loadDemoCity(db, { force: true }))
      return 0
    }
    const entry = datasetById(what)
    if (!entry) return 2
    const file = given ? path.resolve(io.cwd, given) : path.join(cityDataDir, entry.file)
    printReport(io, await importDataset(db, entry.id, file, { force: true, cityDataDir }))
    if ((await readCity(db))?.data === 'generated') io.out('Note: this database holds the generated demo district; "all" replaces it by the city data.')
    return 0
  } catch (err) {
    io.err(err instanceof DatasetFileError ? `${what}: nothing imported — ${err.message}` : `${what}: import failed, nothing changed — ${(err as Error).stack ?? String(err)}`)
    return 1
  } finally {
    await db.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, cwd: process.cwd() })
  process.exit(code)
}
