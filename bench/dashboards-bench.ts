/**
 * `npm run bench:dashboards` — what the public thematic dashboards cost (docs/dashboards.md). Prints
 * figures; never pass/fail. Median of BENCH_REPEATS runs, each against a floor measured in the same run,
 * on Bologna's real districts and statistical areas (imported from CITY_DATA_DIR):
 *
 * - the citizen-cases theme over a year of BENCH_CASES generated cases (default 100,000), against the
 *   one spatial join it cannot avoid: the period's cases counted per statistical area;
 * - loading a dataset of BENCH_ROWS generated economic activities (default 50,000 CSV rows placed by
 *   lon/lat, 12 categories, a count and a sum), against the same join of its points alone; then drawing
 *   its dashboard, against reading its stored figures;
 * - the statistical areas' GeoJSON for the choropleth (simplified), against the unsimplified geometry.
 *
 * On the embedded database, and on PostgreSQL when DATABASE_URL names an admin URL (a throwaway database).
 */
import path from 'node:path'
import type { DatasetLoad } from '../contracts/theme-dashboard-api'
import { importDataset } from '../geodata/src/importers/dataset-import'
import { datasetById } from '../geodata/src/manifest'
import type { Db } from '../server/src/db/adapter'
import { seedCaseCatalogue } from '../server/src/db/cases'
import { areasGeoJson } from '../server/src/db/dashboard-areas'
import { migrate } from '../server/src/db/migrate'
import { buildDatasetDashboard, loadDataset } from '../server/src/dashboards/datasets/dataset-store'
import { casesTheme } from '../server/src/dashboards/themes/cases-theme'
import { generateCases } from './lib/generate-cases'
import { benchHeading, f1, onBothDatabases, timeMedian } from './lib/bench-kit'

const CASES = Number(process.env.BENCH_CASES ?? 100_000)
const ROWS = Number(process.env.BENCH_ROWS ?? 50_000)
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5)
const CITY_DATA_DIR = path.resolve(process.env.CITY_DATA_DIR ?? '../shared/data')
const DB_NAME = 'gemello_bench_dashboards'
const NOW = Date.parse('2026-11-28T10:00:00Z')
const YEAR_MS = 365 * 86_400_000
const BY = { actor: 'bench', actorRole: 'admin', requestId: null }
const SECTIONS = ['C manifattura', 'F costruzioni', 'G commercio', 'H trasporti', 'I alloggio e ristorazione', 'J informazione', 'K finanza', 'M professioni', 'N servizi', 'P istruzione', 'Q sanità', 'R cultura']

const time = (fn: () => unknown, repeats = REPEATS) => timeMedian(fn, repeats)
const line = (what: string, ms: number, floor: number) => console.log(`  ${what.padEnd(60)} ${f1(ms).padStart(9)} ms   ${f1(ms / floor).padStart(6)}× the floor`)

/** Economic activities with a fixed formula: a point inside the comune's box, a section, employees. */
function activities(n: number): { csv: string; lon: number[]; lat: number[] } {
  const lon: number[] = []
  const lat: number[] = []
  const lines = ['id;lon;lat;sezione_ateco;addetti']
  for (let i = 0; i < n; i++) {
    const x = 11.23 + (((i * 7919) % 10007) / 10007) * 0.2
    const y = 44.42 + (((i * 104729) % 10009) / 10009) * 0.14
    lon.push(x)
    lat.push(y)
    lines.push(`${i};${x.toFixed(6)};${y.toFixed(6)};${SECTIONS[i % SECTIONS.length]};${1 + ((i * 31) % 40)}`)
  }
  return { csv: lines.join('\n'), lon, lat }
}

async function run(db: Db, label: string): Promise<void> {
  await migrate(db)
  for (const id of ['bologna-quartieri', 'bologna-aree-statistiche']) await importDataset(db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  await seedCaseCatalogue(db)
  const t0 = performance.now()
  await generateCases(db, CASES, NOW, 'b'.repeat(64))
  console.log(`\n${label}: ${CASES} cases generated in ${f1((performance.now() - t0) / 1000)} s`)

  const from = new Date(NOW - YEAR_MS).toISOString()
  const caseFloor = await time(() => db.query(`SELECT a.id, count(*) FROM citizen_case c JOIN area a ON a.kind = 'area_statistica' AND ST_Contains(a.geom, c.location) WHERE c.requested_at >= $1 GROUP BY a.id`, [from]))
  console.log(`  floor: the year's cases counted per statistical area ${f1(caseFloor)} ms`)
  line('cases theme, a year (GET /api/public/dashboards/cases?days=365)', await time(() => casesTheme.build({ db, nowMs: NOW, days: 365 })), caseFloor)

  const a = activities(ROWS)
  const load: DatasetLoad = {
    id: 'attivita-economiche-bench', title: { it: 'Attività economiche (generate)', en: 'Economic activities (generated)' }, description: { it: 'Generate per il benchmark', en: 'Generated for the benchmark' },
    source: { title: 'Generated', licence: 'CC0', attribution: 'Gemello benchmark', url: null }, format: 'csv', content: a.csv,
    area: { by: 'point', lonColumn: 'lon', latColumn: 'lat' }, categoryColumn: 'sezione_ateco',
    measures: [{ id: 'attivita', label: { it: 'Attività', en: 'Activities' }, agg: 'count', unit: null, format: 'integer', higherIsWorse: false }, { id: 'addetti', label: { it: 'Addetti', en: 'Employees' }, column: 'addetti', agg: 'sum', unit: null, format: 'integer', higherIsWorse: false }],
  }
  const pointFloor = await time(() => db.query(`SELECT a.id, count(*) FROM unnest($1::float8[], $2::float8[]) AS p(x, y) JOIN area a ON a.kind = 'area_statistica' AND ST_Contains(a.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)) GROUP BY a.id`, [a.lon, a.lat]))
  console.log(`  floor: the ${ROWS} points counted per statistical area ${f1(pointFloor)} ms`)
  line(`load ${ROWS} rows (${(a.csv.length / 1e6).toFixed(1)} MB CSV) by point (PUT /api/dashboard-datasets)`, await time(() => loadDataset(db, load, NOW, BY), Math.min(REPEATS, 3)), pointFloor)
  const figFloor = await time(() => db.query('SELECT * FROM dashboard_dataset_figure WHERE dataset_id = $1', [load.id]))
  console.log(`  floor: reading its ${(await db.query('SELECT 1 FROM dashboard_dataset_figure WHERE dataset_id = $1', [load.id])).rows.length} stored figures ${f1(figFloor)} ms`)
  line('its dashboard (GET /api/public/dashboards/<id>)', await time(() => buildDatasetDashboard(db, load.id, NOW)), figFloor)

  const geoFloor = await time(() => db.query(`SELECT id, ST_AsGeoJSON(geom, 6) FROM area WHERE kind = 'area_statistica'`))
  const text = await areasGeoJson(db, 'area_statistica')
  console.log(`  floor: the 90 statistical areas as GeoJSON, unsimplified ${f1(geoFloor)} ms`)
  line(`statistical areas for the choropleth (${(text.length / 1e3).toFixed(0)} kB, simplified)`, await time(() => areasGeoJson(db, 'area_statistica')), geoFloor)
}

console.log(benchHeading('dashboards', `median of ${REPEATS}`))
await onBothDatabases(DB_NAME, run)
