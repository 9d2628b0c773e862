/**
 * `npm run bench:cases` — what the offices' case screens cost on a city's worth of cases (docs/cases.md
 * "The office screens"). Prints figures; never pass/fail.
 *
 * Generates BENCH_CASES cases (default 100,000: years of Bologna's reports) with one INSERT … SELECT
 * generate_series — md5-seeded services, positions inside the comune, statuses (a fifth open, some of
 * those past their SLA) — then times, median of BENCH_REPEATS runs, the product's own queries:
 *   the open list (500 newest), the overdue list of one service, the map layer (every open case as
 *   GeoJSON, at most 5,000), a citizen's own cases, and the statistics of a year;
 * against the floor in the same run: the bare indexed read of the 500 newest open ids.
 * On the embedded database, and on PostgreSQL when DATABASE_URL names an admin URL (a throwaway database).
 */
import type { Db } from '../server/src/db/adapter'
import { listCases } from '../server/src/db/case-cycle'
import { caseStats } from '../server/src/db/case-stats'
import { seedCaseCatalogue } from '../server/src/db/cases'
import { listMyCases } from '../server/src/db/my-cases'
import { migrate } from '../server/src/db/migrate'
import { presentCasesGeoJson } from '../server/src/routes/cases/case-routes'
import { generateCases } from './lib/generate-cases'
import { benchHeading, f1, onBothDatabases, timeMedian } from './lib/bench-kit'

const CASES = Number(process.env.BENCH_CASES ?? 100_000)
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7)
const DB_NAME = 'gemello_bench_cases'
const NOW = Date.parse('2026-11-28T10:00:00Z')
const CITIZEN = 'a'.repeat(64)


const time = (_what: string, fn: () => Promise<unknown>) => timeMedian(fn, REPEATS)

async function run(db: Db, label: string): Promise<void> {
  await migrate(db)
  await seedCaseCatalogue(db)
  const t0 = performance.now()
  await generateCases(db, CASES, NOW, CITIZEN)
  const n = (await db.query<{ n: number; open: number; overdue: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE closed_at IS NULL)::int AS open, count(*) FILTER (WHERE closed_at IS NULL AND sla_breached_at IS NOT NULL)::int AS overdue FROM citizen_case`)).rows[0]!
  console.log(`\n${label}: ${n.n} cases (${n.open} open, ${n.overdue} overdue) generated in ${f1((performance.now() - t0) / 1000)} s`)
  const floor = await time('floor', () => db.query(`SELECT id FROM citizen_case WHERE closed_at IS NULL ORDER BY requested_at DESC LIMIT 500`))
  const rows: Array<[string, number]> = [
    ['open list, 500 newest (GET /api/cases)', await time('list', () => listCases(db, { state: 'open', limit: 500 }, NOW))],
    ['overdue list of one service', await time('overdue', () => listCases(db, { state: 'overdue', service: ['buca-stradale'], limit: 500 }, NOW))],
    ['map layer: open cases as GeoJSON, ≤ 5,000', await time('geojson', async () => JSON.stringify(presentCasesGeoJson((await listCases(db, { state: 'open', limit: 5000 }, NOW)).cases, NOW)))],
    ['a citizen’s own cases (GET /api/my/cases)', await time('mine', () => listMyCases(db, CITIZEN))],
    ['statistics of a year (GET /api/case-stats)', await time('stats', () => caseStats(db, NOW - 365 * 86_400_000, NOW))],
  ]
  console.log(`  floor: the bare indexed read of the 500 newest open ids ${f1(floor)} ms`)
  for (const [what, ms] of rows) console.log(`  ${what.padEnd(46)} ${f1(ms).padStart(8)} ms   ${f1(ms / floor).padStart(6)}× the floor`)
}

console.log(benchHeading('cases', `${CASES} cases — median of ${REPEATS}`))
await onBothDatabases(DB_NAME, run)
