/**
 * Imports city datasets from the command line (`npm run import -- <dataset|all|demo|kind> [path]`):
 *
 *   all [dir]           every dataset of the manifest from the city data directory (default CITY_DATA_DIR)
 *   <dataset> [file]    one dataset; with a file, from that file (a city's own export in the same format);
 *                       also an ad-hoc dataset imported earlier (`buildings-centro`), from its recorded file
 *   <kind> <file>       any file of a supported kind (importers/dataset-kinds.ts) as dataset
 *                       `<kind>-<slug of the file name>`; options --id, --licence, --attribution, --title
 *   demo                the generated demo district (replaces the city data)
 *   --bbox minLon,minLat,maxLon,maxLat   the envelope every position must fall in (default: the reader's)
 *   --crs EPSG:<code>   the CRS of a GeoJSON file without a `crs` member (overrides the member when it has one)
 *
 * Always forced (re-imports unchanged files). Reads DATABASE_URL / DATA_DIR / CITY_DATA_DIR like
 * the server does; exits 1 when an import fails (nothing written), 2 on a usage or configuration error.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Queryable } from '../../server/src/db/adapter'
import { loadCliConfig, openCliDb } from '../../server/src/db/cli-db'
import { importCity, loadDemoCity, readCity } from './import-city'
import { importDataset, type DatasetImportReport } from './importers/dataset-import'
import { adHocEntry, adHocIdProblem, DATASET_KINDS, fileSlug, isKind, LICENCE_NOT_STATED, recordedAdHocDataset, recordedCrsOption } from './importers/dataset-kinds'
import { DATASETS, datasetById, loaderOf, missingFiles, type AdHocDatasetEntry, type DatasetEntry } from './manifest'
import { DatasetFileError } from './readers/read-result'
import type { Envelope } from './readers/row-checks'
import { crsOptionProblem, supportedCrsList, type SourceCrsUsed } from './readers/source-crs'
import { formatSumoLinkSummary, sumoLinkSummary } from './sumo/sumo-links'

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  cwd: string
}

const PROBLEMS_SHOWN = 20
const OPTIONS = ['id', 'licence', 'attribution', 'title', 'bbox', 'crs'] as const
type Option = (typeof OPTIONS)[number]
const KIND_ONLY: readonly Option[] = ['id', 'licence', 'attribution', 'title']

export const USAGE = [
  'Usage: tsx geodata/src/cli.ts <dataset|all|demo> [path]',
  '       tsx geodata/src/cli.ts <kind> <file> [--id <kind>-…] [--licence "…"] [--attribution "…"] [--title "…"]',
  '  all [dir]          import every dataset from the city data directory (default: CITY_DATA_DIR)',
  '  <dataset> [file]   import one dataset, from the manifest path or from the given file',
  '  <kind> <file>      import any file of a kind as dataset <kind>-<file name> (licence "not stated" unless --licence)',
  '  demo               load the generated demo district instead of city data',
  '  --bbox minLon,minLat,maxLon,maxLat   where positions must lie (default: the dataset\'s own check)',
  `  --crs EPSG:<code>  the CRS of a GeoJSON file (default: its "crs" member, else lon/lat). Supported: ${supportedCrsList()}`,
  `Datasets: ${DATASETS.map((d) => d.id).join(', ')}`,
  'Kinds:',
  ...Object.entries(DATASET_KINDS).map(([k, v]) => `  ${k.padEnd(14)} ${v.about}`),
].join('\n')

type Args = { positional: string[]; options: Partial<Record<Option, string>> } | { error: string }

export function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = []
  const options: Partial<Record<Option, string>> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq === -1 ? undefined : eq)
    if (!(OPTIONS as readonly string[]).includes(name)) return { error: `Unknown option ${a}.` }
    const value = eq === -1 ? argv[++i] : a.slice(eq + 1)
    if (value === undefined || value.trim() === '') return { error: `Option --${name} needs a value.` }
    options[name as Option] = value
  }
  return { positional, options }
}

export function parseBbox(text: string): Envelope | null {
  const n = text.split(',').map((t) => Number(t.trim()))
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) return null
  const [minLon, minLat, maxLon, maxLat] = n as [number, number, number, number]
  if (minLon >= maxLon || minLat >= maxLat || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) return null
  return { minLon, minLat, maxLon, maxLat }
}

const CRS_FROM: Record<SourceCrsUsed['from'], string> = { file: 'its "crs" member', option: '--crs', default: 'no CRS declared: lon/lat' }

function printReport(io: CliIo, r: DatasetImportReport): void {
  const crs = r.sourceCrs ? ` in ${r.sourceCrs.code} (${CRS_FROM[r.sourceCrs.from]})` : ''
  io.out(`${r.dataset}: ${r.features} imported, ${r.rejected} rejected, ${r.durationMs} ms (from ${r.source}${crs}, sha256 ${r.checksum.slice(0, 12)}…)`)
  // Refused features first: they are what an operator has to fix.
  const ordered = [...r.problems.filter((p) => p.problem.startsWith('rejected:')), ...r.problems.filter((p) => !p.problem.startsWith('rejected:'))]
  for (const p of ordered.slice(0, PROBLEMS_SHOWN)) io.out(`  feature/row ${p.row}${p.id !== undefined ? ` [${p.id}]` : ''}: ${p.problem}`)
  if (r.problems.length > PROBLEMS_SHOWN) io.out(`  … ${r.problems.length - PROBLEMS_SHOWN} more problem(s), all recorded in dataset_import.report`)
}

/** The report, and for a SUMO network what its detectors and signal programs linked to (and what did not). */
async function printFullReport(io: CliIo, db: Queryable, r: DatasetImportReport): Promise<void> {
  printReport(io, r)
  const network = await db.query<{ id: string }>('SELECT id FROM sumo_network WHERE dataset = $1', [r.dataset])
  for (const n of network.rows) for (const l of formatSumoLinkSummary(await sumoLinkSummary(db, n.id))) io.out(`  ${l}`)
}

/** What the command asks for, checked before any database is opened. */
type Plan =
  | { form: 'all'; dir: string | undefined }
  | { form: 'demo' }
  | { form: 'dataset'; id: string; file: string | undefined }
  | { form: 'kind'; entry: AdHocDatasetEntry; file: string }
  | { form: 'recorded'; id: string; file: string | undefined }

function plan(positional: string[], options: Partial<Record<Option, string>>, cwd: string): Plan | { usage: string } | { fail: string } {
  const [what, given, ...rest] = positional
  if (!what || what === 'help' || rest.length > 0) return { usage: USAGE }
  if (isKind(what)) {
    if (!given) return { usage: `${what} needs a file: npm run import -- ${what} <file>\n${USAGE}` }
    const file = path.resolve(cwd, given)
    const id = options.id ?? `${what}-${fileSlug(file)}`
    const problem = adHocIdProblem(what, id)
    if (problem) return { usage: `${problem}.` }
    if (!existsSync(file)) return { fail: `${what}: nothing imported — ${file} does not exist.` }
    try {
      return { form: 'kind', entry: adHocEntry(what, file, { ...options, id }), file }
    } catch (err) {
      if (err instanceof DatasetFileError) return { fail: `${what}: nothing imported — ${err.message}` }
      throw err
    }
  }
  const kindOnly = KIND_ONLY.find((o) => options[o] !== undefined)
  if (kindOnly) return { usage: `--${kindOnly} is for the <kind> <file> form only.\n${USAGE}` }
  if (what === 'all') return { form: 'all', dir: given }
  if (what === 'demo') return given ? { usage: USAGE } : { form: 'demo' }
  if (DATASETS.some((d) => d.id === what)) return { form: 'dataset', id: what, file: given }
  if (Object.keys(DATASET_KINDS).some((k) => what.startsWith(`${k}-`))) return { form: 'recorded', id: what, file: given }
  return { usage: `Unknown dataset "${what}" (not a manifest dataset, a kind, nor a <kind>-… dataset imported earlier).\n${USAGE}` }
}

/** Whether the dataset is read from GeoJSON (the file of the manifest dataset whose loader reads it). */
function readsGeoJson(entry: DatasetEntry): boolean {
  return /\.geojson$/i.test(datasetById(loaderOf(entry))?.file ?? '')
}

/** Why --crs cannot be given with this command, or null. */
function crsNotApplicable(p: Plan): string | null {
  if (p.form === 'all' || p.form === 'demo') return `--crs is for one GeoJSON file (<kind> <file> or <dataset> <file>), not for "${p.form}".`
  const entry = p.form === 'kind' ? p.entry : p.form === 'dataset' ? datasetById(p.id) : undefined
  if (entry && !readsGeoJson(entry)) return `--crs applies to GeoJSON files; ${entry.id} is read from ${p.form === 'kind' ? 'another format' : path.basename(entry.file)} (CSV positions are lon/lat, SUMO nets carry their projection).`
  return null
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv)
  if ('error' in args) {
    io.err(`${args.error}\n${USAGE}`)
    return 2
  }
  if (args.positional.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    io.err(USAGE)
    return 2
  }
  let envelope: Envelope | undefined
  if (args.options.bbox !== undefined) {
    const e = parseBbox(args.options.bbox)
    if (!e) {
      io.err(`--bbox must be minLon,minLat,maxLon,maxLat in degrees (min < max), e.g. 11.15,44.38,11.55,44.6; got "${args.options.bbox}".`)
      return 2
    }
    envelope = e
  }
  const crs = args.options.crs
  const crsProblem = crs === undefined ? null : crsOptionProblem(crs)
  if (crsProblem) {
    io.err(crsProblem)
    return 2
  }
  const p = plan(args.positional, args.options, io.cwd)
  if ('usage' in p) {
    io.err(p.usage)
    return 2
  }
  if ('fail' in p) {
    io.err(p.fail)
    return 1
  }
  const crsMisplaced = crs === undefined ? null : crsNotApplicable(p)
  if (crsMisplaced) {
    io.err(`${crsMisplaced}\n${USAGE}`)
    return 2
  }
  const loaded = loadCliConfig(io)
  if ('exitCode' in loaded) return loaded.exitCode
  const { config } = loaded
  const cityDataDir = config.cityDataDir
  if (p.form === 'all') {
    const dir = path.resolve(io.cwd, p.dir ?? cityDataDir)
    const missing = missingFiles(dir)
    if (missing.length > 0) {
      io.err(`${dir} ${existsSync(dir) ? `lacks ${missing.length} required file(s):\n  ${missing.join('\n  ')}` : 'does not exist'}\nNothing imported. Set CITY_DATA_DIR or pass the directory; "demo" loads the generated demo district.`)
      return 1
    }
  }
  const opened = await openCliDb(config, io)
  if ('exitCode' in opened) return opened.exitCode
  const { db } = opened
  io.out(`Importing into ${db.describe()}`)
  const label = p.form === 'kind' ? p.entry.id : p.form === 'dataset' || p.form === 'recorded' ? p.id : p.form
  try {
    if (p.form === 'all') {
      const report = await importCity(db, path.resolve(io.cwd, p.dir ?? cityDataDir), { force: true })
      for (const r of report.datasets) await printFullReport(io, db, r)
      for (const f of report.failures) io.err(`${f.dataset}: FAILED — ${f.error}`)
      io.out(`City: ${report.city.label} (${report.durationMs} ms)`)
      return report.failures.length > 0 ? 1 : 0
    }
    if (p.form === 'demo') {
      printReport(io, await loadDemoCity(db, { force: true }))
      return 0
    }
    if (p.form === 'kind') {
      await printFullReport(io, db, await importDataset(db, p.entry, p.file, { force: true, cityDataDir, envelope, crs, requireRows: true }))
      if (p.entry.licence === LICENCE_NOT_STATED) io.out(`Note: no --licence given; the About page shows "${LICENCE_NOT_STATED}" for ${p.entry.id}.`)
    } else if (p.form === 'recorded') {
      const entry = await recordedAdHocDataset(db, p.id)
      if (!entry) {
        io.err(`Unknown dataset "${p.id}": no ${p.id} was imported into ${db.describe()}.\n${USAGE}`)
        return 2
      }
      const file = p.file ? path.resolve(io.cwd, p.file) : path.resolve(cityDataDir, entry.file)
      // A file first imported with --crs is read in that CRS again unless told otherwise.
      const recordedCrs = crs ?? (await recordedCrsOption(db, p.id)) ?? undefined
      await printFullReport(io, db, await importDataset(db, entry, file, { force: true, cityDataDir, envelope, crs: recordedCrs, requireRows: true }))
    } else {
      const entry = datasetById(p.id)
      if (!entry) return 2
      const file = p.file ? path.resolve(io.cwd, p.file) : path.join(cityDataDir, entry.file)
      await printFullReport(io, db, await importDataset(db, entry.id, file, { force: true, cityDataDir, envelope, crs }))
    }
    if ((await readCity(db))?.data === 'generated') io.out('Note: this database holds the generated demo district; "all" replaces it by the city data.')
    return 0
  } catch (err) {
    io.err(err instanceof DatasetFileError ? `${label}: nothing imported — ${err.message}` : `${label}: import failed, nothing changed — ${(err as Error).stack ?? String(err)}`)
    return 1
  } finally {
    await db.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, cwd: process.cwd() })
  process.exit(code)
}
