/**
 * `npm run bench:opendata` — what publishing the open-data catalogue costs (docs/opendata.md). Prints
 * figures; never pass/fail. Median of BENCH_REPEATS runs, each against a floor measured in the same run:
 *
 * - a month of hourly counts of every Bologna loop (864 loops × 744 hours = 642,816 rows, generated
 *   deterministically): the privacy guard + the CSV (hashed and gzipped), against the bare JSON serialisation of the rows;
 * - writing that dataset's publication (row + file, one transaction), on PGlite and, with DATABASE_URL,
 *   on PostgreSQL, against a bare INSERT of the same bytes (base64, as the product writes them) into a scratch table;
 * - a catalogue of BENCH_DATASETS generated datasets: one RDF page of 100 as Turtle, RDF/XML and JSON-LD,
 *   against writing the same quads as unsorted N-Triples; the SHACL validation of the whole catalogue
 *   (the refresh's last step) against the same floor;
 * - package_search over those datasets (words + a metadata_modified range, sorted, paged), against a
 *   bare filter on names.
 */
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { Writer } from 'n3'
import type { Quad } from '@rdfjs/types'
import { DATA_THEMES, type OpenDataCatalogue, type OpenDataset } from '../contracts/opendata-api'
import { openDb, type Db } from '../server/src/db/adapter'
import { BYTEA_IN, byteaIn } from '../server/src/db/bytea'
import { migrate } from '../server/src/db/migrate'
import { publishDataset } from '../server/src/db/opendata'
import { ckanPackage } from '../server/src/opendata/ckan/ckan-package'
import { searchPackages } from '../server/src/opendata/ckan/ckan-search'
import { buildDatasetFiles } from '../server/src/opendata/dataset-files'
import type { DatasetRow } from '../server/src/opendata/datasets/dataset-definition'
import { trafficCountsDataset } from '../server/src/opendata/datasets/device-datasets'
import { privacyRefusal } from '../server/src/opendata/privacy-guard'
import { catalogueQuads } from '../server/src/opendata/rdf/catalogue-rdf'
import { toJsonLd } from '../server/src/opendata/rdf/jsonld-writer'
import { toRdfXml } from '../server/src/opendata/rdf/rdfxml-writer'
import { toTurtle } from '../server/src/opendata/rdf/turtle-writer'
import { loadCatalogueShapes, validateCatalogue } from '../server/src/opendata/shacl/catalogue-validator'
import { f1, timeMedian } from './lib/bench-kit'
import { createDatabase, dropDatabase } from './lib/services'

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5)
const DATASETS = Number(process.env.BENCH_DATASETS ?? 1000)
const LOOPS = 864
const HOURS = 31 * 24
const T0 = Date.parse('2026-10-28T00:00:00Z')
const SHAPES = path.resolve(process.env.OPENDATA_SHAPES_DIR ?? path.join(process.env.CITY_DATA_DIR ?? '../shared/data', '..', 'specs', 'dcat-ap-it'))
const DB_NAME = 'gemello_bench_opendata'

const time = (fn: () => unknown, repeats = REPEATS) => timeMedian(fn, repeats)
const line = (what: string, ms: number, floor: number) => console.log(`  ${what.padEnd(58)} ${f1(ms).padStart(9)} ms   ${f1(ms / floor).padStart(6)}× the floor`)

/** A month of one row per loop and hour, with figures from a fixed formula (no randomness). */
function monthOfCounts(): DatasetRow[] {
  const rows: DatasetRow[] = []
  for (let l = 0; l < LOOPS; l++) {
    for (let h = 0; h < HOURS; h++) {
      const flow = 200 + ((l * 37 + h * 11) % 900)
      rows.push({ geometry: null, properties: { device_id: `loop-${1000 + l}`, hour_start: new Date(T0 + h * 3_600_000).toISOString().replace('.000Z', 'Z'), flow_veh_h: flow, occupancy_pct: Math.round(flow / 9) / 10, speed_kmh: l % 3 === 0 ? null : 20 + (h % 30), readings: 12 } })
    }
  }
  return rows
}

function catalogue(n: number): OpenDataCatalogue {
  const datasets: OpenDataset[] = Array.from({ length: n }, (_, i) => ({
    id: `dataset-${String(i).padStart(4, '0')}`, identifier: `c_a944:dataset-${i}`,
    title: { it: `Dataset generato ${i} sul traffico`, en: `Generated dataset ${i}` }, description: { it: `Descrizione del dataset ${i}`, en: `Description ${i}` },
    keywords: ['traffico', `k${i % 17}`], themes: [DATA_THEMES[i % DATA_THEMES.length]!], frequency: 'DAILY', licence: i % 5 === 0 ? 'ODbL-1.0' : 'CC-BY-4.0',
    sources: ['Fonte: Comune di Bologna'], geometry: i % 2 === 0 ? 'Point' : null, columns: [], status: 'published', refusal: null,
    issuedMs: T0, modifiedMs: T0 + i * 3_600_000, refreshedMs: T0 + i * 3_600_000, rowCount: 100,
    temporal: { startMs: T0, endMs: T0 + 86_400_000 }, bbox: [11.23, 44.42, 11.43, 44.56],
    distributions: (['csv', 'geojson'] as const).map((f) => ({ format: f, title: `${f} ${i}`, url: `https://g.example/opendata/datasets/dataset-${i}/data.${f}`, mediaType: f === 'csv' ? 'text/csv' : 'application/geo+json', fileType: f === 'csv' ? 'CSV' : 'GEOJSON', byteSize: 1000 + i, sha256: 'ab'.repeat(32), licence: i % 5 === 0 ? ('ODbL-1.0' as const) : ('CC-BY-4.0' as const) })),
  }))
  return {
    title: { it: 'Dati aperti', en: 'Open data' }, description: { it: 'Catalogo', en: 'Catalogue' }, publisher: { name: 'Comune di Bologna', ipaCode: 'c_a944' }, place: { name: 'Bologna', geonames: 'http://sws.geonames.org/3181928/' },
    contact: { name: 'Open data', email: 'opendata@comune.bologna.it' }, homepage: 'https://g.example/cittadini/dati', modifiedMs: T0, datasets, validation: null,
    links: { turtle: '', rdfXml: '', jsonLd: '', ckan: '' },
  }
}

const nTriples = (quads: Quad[]) => new Writer({ format: 'N-Triples' }).quadsToString(quads)

async function publishing(db: Db, label: string, files: Awaited<ReturnType<typeof buildDatasetFiles>>): Promise<void> {
  await migrate(db)
  await db.query(`CREATE TABLE IF NOT EXISTS bench_bytes (id int, b bytea)`)
  const bytes = files.files[0]!.gzip
  const floor = await time(() => db.transaction(async (tx) => {
    await tx.query(`DELETE FROM bench_bytes`)
    await tx.query(`INSERT INTO bench_bytes VALUES (1, ${BYTEA_IN('$1')})`, [byteaIn(bytes)])
  }))
  let k = 0
  const ms = await time(() => publishDataset(db, { id: 'traffico-spire-orario', nowMs: T0 + ++k, contentSha256: `${'0'.repeat(63)}${k % 10}`, rowCount: LOOPS * HOURS, temporal: { startMs: T0, endMs: T0 + HOURS * 3_600_000 }, bbox: null, files: files.files }))
  console.log(`\n${label}: floor = a bare INSERT of the file as stored (${f1(bytes.length / 1e6)} MB gzip, as base64) in a transaction ${f1(floor)} ms`)
  line('publish the month of counts (row + file, one transaction)', ms, floor)
}

async function main(): Promise<void> {
  console.log(`Gemello open-data benchmark — ${new Date().toISOString()} — median of ${REPEATS} — ${cpus().length} CPUs — Node ${process.version} — load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  const rows = monthOfCounts()
  const floorJson = await time(() => JSON.stringify(rows), 3)
  let files!: Awaited<ReturnType<typeof buildDatasetFiles>>
  const guard = await time(() => privacyRefusal(trafficCountsDataset, rows), 3)
  const csv = await time(async () => { files = await buildDatasetFiles(trafficCountsDataset, rows) }, 3)
  console.log(`\nA month of hourly counts, ${LOOPS} loops × ${HOURS} hours = ${rows.length.toLocaleString('en')} rows; CSV ${f1(files.files[0]!.bytes.length / 1e6)} MB; floor = JSON.stringify of the rows ${f1(floorJson)} ms`)
  line('privacy guard over every row', guard, floorJson)
  line('CSV file + SHA-256 + gzip', csv, floorJson)

  const embedded = await openDb({ kind: 'embedded', dataDir: null })
  try {
    await publishing(embedded, 'embedded (PGlite, in memory)', files)
  } finally {
    await embedded.close()
  }
  const admin = process.env.DATABASE_URL
  if (admin) {
    const url = await createDatabase(admin, DB_NAME)
    const db = await openDb({ kind: 'server', url })
    try {
      await publishing(db, `PostgreSQL (${db.describe()})`, files)
    } finally {
      await db.close()
      await dropDatabase(admin, DB_NAME)
    }
  } else console.log('\n(set DATABASE_URL to an admin URL to measure PostgreSQL too)')

  const c = catalogue(DATASETS)
  const page = (p: number) => catalogueQuads(c, 'https://g.example', { page: p, pageSize: 100, pageBase: 'https://g.example/catalog.ttl' })
  const quads = page(1)
  const floorNt = await time(() => nTriples(quads))
  console.log(`\nA catalogue of ${DATASETS} datasets; one RDF page of 100 = ${quads.length.toLocaleString('en')} triples; floor = the page as unsorted N-Triples ${f1(floorNt)} ms`)
  line('page 1 as Turtle (quads built + sorted + written)', await time(() => toTurtle(page(1))), floorNt)
  line('page 1 as RDF/XML', await time(() => toRdfXml(page(1))), floorNt)
  line('page 1 as JSON-LD (compacted)', await time(async () => JSON.stringify(await toJsonLd(page(1)))), floorNt)
  try {
    const shapes = await loadCatalogueShapes(SHAPES)
    const all = catalogueQuads(c, 'https://g.example', { page: 1, pageSize: DATASETS, pageBase: 'https://g.example/catalog.ttl' })
    const v = await validateCatalogue(shapes, all)
    line(`SHACL validation of all ${DATASETS} datasets (${v.violations.length} violations)`, await time(() => validateCatalogue(shapes, all), 3), floorNt)
  } catch (e) {
    console.log(`  (SHACL not measured: ${(e as Error).message})`)
  }
  const pkgs = c.datasets.map((d) => ckanPackage(d, { publisher: c.publisher, contact: c.contact, base: 'https://g.example' }))
  const floorFilter = await time(() => pkgs.filter((p) => p.name.includes('dataset-00')).slice(0, 100))
  console.log(`\npackage_search over ${DATASETS} packages; floor = a bare filter on names ${f1(floorFilter)} ms`)
  line('q=traffico k3, fq=metadata_modified:[… TO *], sort id asc, rows 100', await time(() => searchPackages(pkgs, { q: 'traffico k3', fq: `metadata_modified:[${new Date(T0 + 100 * 3_600_000).toISOString()} TO *]`, sort: 'id asc', rows: '100' })), floorFilter)
  line('the harvester’s page: rows=100&start=500&sort=id asc', await time(() => searchPackages(pkgs, { rows: '100', start: '500', sort: 'id asc' })), floorFilter)
}

await main()
