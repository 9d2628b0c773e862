/**
 * `npm run scenario -- estimate <scenario.json>` end to end on real data (PGlite, or PostgreSQL under
 * test:services, where the CLI opens the database itself): the SUMO Costa network and the real counts
 * of one morning hour of 2024 written to the history as the simulator would. The base is calibrated
 * against those counts (the fit reported), closing the busiest counted edge costs vehicle-hours or
 * strands trips (said so), a base without counts exits 1 with the reason, a bad file exits 2 naming
 * each problem. The city's own calibration on Bologna's loops is tested over HTTP
 * (server/src/routes/scenarios/scenario-estimate-routes.int.test.ts): the CLI runs the same estimator.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../geodata/src/manifest'
import { ScenarioSchema } from '../../../contracts/schemas/scenario'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { writeRealLoopCounts } from '../../../tests/helpers/real-loop-counts'
import { runScenarioEstimate, ScenarioRunError, type ScenarioEstimate } from './run-estimate'
import { runScenarioCli } from './scenario-cli'

let t: TestDb
let date = ''
const HOUR = 8
const NETWORK = 'sumo-acosta'
let dir = ''

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['bologna-loops', NETWORK]) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  // The weekday of March 2024 with the most loops counting, and its 8:00–9:00 counts; the hourly rollups answer for closed hours as in the product.
  date = await writeRealLoopCounts(t.db, CITY_DATA_DIR, [HOUR])
  dir = mkdtempSync(path.join(tmpdir(), 'scenario-cli-'))
}, 600_000)
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await t?.drop()
})

// The CLI's own configuration, as a planner's shell would have it: the database and nothing else.
const env = (): NodeJS.ProcessEnv => ({ DATABASE_URL: t.url ?? '', SIMULATOR: 'off' })

/** The CLI on a file: on PGlite the test's in-memory database is not reachable from it, so the runner it calls. */
async function cli(document: unknown): Promise<{ code: number; out: string; err: string }> {
  const file = path.join(dir, `${(document as { id: string }).id}.json`)
  writeFileSync(file, JSON.stringify(document))
  const out: string[] = []
  const err: string[] = []
  if (t.url) {
    const code = await runScenarioCli(['estimate', file], { out: (l) => out.push(l), err: (l) => err.push(l), env: env(), cwd: dir })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  try {
    return { code: 0, out: JSON.stringify(await runScenarioEstimate(t.db, ScenarioSchema.parse(JSON.parse(readFileSync(file, 'utf8'))))), err: '' }
  } catch (e) {
    if (e instanceof ScenarioRunError) return { code: 1, out: '', err: e.message }
    throw e
  }
}

describe('npm run scenario -- estimate', () => {
  let base: ScenarioEstimate

  it('calibrates the base against the real counts of that hour and reports the fit', async () => {
    const r = await cli({ id: 'base', title: 'Base', network: NETWORK, base: { kind: 'observed', date, hour: HOUR } })
    expect(r.code, r.err).toBe(0)
    base = JSON.parse(r.out) as ScenarioEstimate
    expect(base.calibration.loops.length).toBeGreaterThan(5)
    expect(base.calibration.fitShare).toBeGreaterThan(0)
    expect(base.base.vehKm).toBeGreaterThan(0)
    expect(base.compare.vehKm.delta).toBeCloseTo(0, 3) // no edit: the scenario is the base
    console.info(`${NETWORK} ${date} ${HOUR}:00 — ${base.calibration.loops.length} loops, mean GEH ${base.calibration.meanGeh.toFixed(2)}, GEH < 5 for ${(base.calibration.fitShare * 100).toFixed(0)} %`)
  }, 300_000)

  it('closing the busiest counted edge costs vehicle-hours, or strands trips and says how many', async () => {
    const busiest = [...base.calibration.loops].sort((a, b) => b.countedVehH - a.countedVehH)[0]!.roadEdgeId
    const r = await cli({ id: 'closure', title: 'Works', network: NETWORK, base: { kind: 'observed', date, hour: HOUR }, edits: [{ kind: 'close-road', edges: [busiest] }] })
    expect(r.code, r.err).toBe(0)
    const res = JSON.parse(r.out) as ScenarioEstimate
    expect(res.compare.vehHours.delta > 0 || res.result.unservedVehH > 0).toBe(true)
    expect(res.problems).toEqual([])
  }, 300_000)

  it('a base the loops never counted exits 1 saying so; a bad file exits 2 naming each problem', async () => {
    const none = await cli({ id: 'no-counts', title: 'Christmas 2019', network: NETWORK, base: { kind: 'observed', date: '2019-12-25', hour: HOUR } })
    expect(none.code).toBe(1)
    expect(none.err).toMatch(/No loop counts in the history for this base \(2019-12-25 at 8:00\)/)
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ id: 'Bad Id', title: '', base: { kind: 'observed', date: '2024-13-01', hour: 25 } }))
    const bad: string[] = []
    expect(await runScenarioCli(['estimate', 'bad.json'], { out: () => undefined, err: (l) => bad.push(l), env: env(), cwd: dir })).toBe(2)
    expect(bad.join('\n')).toMatch(/bad\.json: id: .*bad\.json: title/s)
  }, 300_000)
})
