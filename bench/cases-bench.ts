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
import { cpus, loadavg } from 'node:os'
import { openDb, type Db } from '../server/src/db/adapter'
import { listCases } from '../server/src/db/case-cycle'
import { caseStats } from '../server/src/db/case-stats'
import { seedCaseCatalogue } from '../server/src/db/cases'
import { listMyCases } from '../server/src/db/my-cases'
import { migrate } from '../server/src/db/migrate'
import { presentCasesGeoJson } from '../server/src/routes/cases/case-routes'
import { createDatabase, dropDatabase } from './lib/services'

const CASES = Number(process.env.BENCH_CASES ?? 100_000)
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7)
const DB_NAME = 'gemello_bench_cases'
const NOW = Date.parse('2026-11-28T10:00:00Z')
const COMUNE = { w: 11.23, s: 44.42, e: 11.43, n: 44.56 }
const CITIZEN = 'a'.repeat(64)

const f1 = (x: number) => x.toFixed(1)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function generate(db: Db): Promise<void> {
  const services = (await db.query<{ code: string; office_id: string }>(`SELECT code, office_id FROM case_service ORDER BY code`)).rows
  const codes = services.map((s) => `'${s.code}'`).join(',')
  const offices = services.map((s) => `'${s.office_id}'`).join(',')
  // h(i, k): a deterministic number in [0, 1) from the case number and a salt.
  const h = (k: string) => `(('x' || substr(md5(i::text || '${k}'), 1, 8))::bit(32)::bigint / 4294967296.0)`
  await db.query(`
    INSERT INTO citizen_case (service_code, status, description, attributes, location, office_id, requested_at, updated_at, expected_at, closed_at, sla_breached_at, source, published, citizen_ref)
    SELECT s.code, CASE WHEN open THEN 'in_progress' ELSE 'fixed' END, 'Segnalazione generata n. ' || i, '{}',
           ST_SetSRID(ST_MakePoint(${COMUNE.w} + ${h('x')} * ${COMUNE.e - COMUNE.w}, ${COMUNE.s} + ${h('y')} * ${COMUNE.n - COMUNE.s}), 4326),
           s.office, at, at, at + interval '72 hours', CASE WHEN open THEN NULL ELSE at + interval '40 hours' END,
           CASE WHEN open AND at < to_timestamp(${NOW / 1000}) - interval '72 hours' THEN at + interval '72 hours' END, 'open311', true,
           CASE WHEN i % 5000 = 0 THEN '${CITIZEN}' END
      FROM (SELECT i, ${h('o')} < 0.2 AS open, to_timestamp(${NOW / 1000}) - (${h('t')} * CASE WHEN ${h('o')} < 0.2 THEN interval '10 days' ELSE interval '1095 days' END) AS at,
                   1 + floor(${h('s')} * ${services.length})::int AS k FROM generate_series(1, ${CASES}) AS i) g
      JOIN (SELECT unnest(ARRAY[${codes}]) AS code, unnest(ARRAY[${offices}]) AS office, generate_series(1, ${services.length}) AS k) s ON s.k = g.k`)
  await db.query(`ANALYZE citizen_case`)
}

async function time(what: string, fn: () => Promise<unknown>): Promise<number> {
  await fn()
  const ms: number[] = []
  for (let r = 0; r < REPEATS; r++) {
    const t = performance.now()
    await fn()
    ms.push(performance.now() - t)
  }
  return median(ms)
}

async function run(db: Db, label: string): Promise<void> {
  await migrate(db)
  await seedCaseCatalogue(db)
  const t0 = performance.now()
  await generate(db)
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

async function main(): Promise<void> {
  console.log(`Gemello cases benchmark — ${new Date().toISOString()} — ${CASES} cases — median of ${REPEATS} — ${cpus().length} CPUs — Node ${process.version} — load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  const embedded = await openDb({ kind: 'embedded', dataDir: null })
  try {
    await run(embedded, 'embedded (PGlite, in memory)')
  } finally {
    await embedded.close()
  }
  const admin = process.env.DATABASE_URL
  if (!admin) return console.log('\n(set DATABASE_URL to an admin URL to measure PostgreSQL too)')
  const url = await createDatabase(admin, DB_NAME)
  const db = await openDb({ kind: 'server', url })
  try {
    await run(db, `PostgreSQL (${db.describe()})`)
  } finally {
    await db.close()
    await dropDatabase(admin, DB_NAME)
  }
}

await main()
