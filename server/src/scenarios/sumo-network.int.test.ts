/**
 * The fast estimate on the imported SUMO joined network (Costa/Pasubio, real Bologna data; PGlite, or
 * PostgreSQL under test:services): the drivable edges become links, the network's fringe its zones, the
 * e1 detectors matched to loops its counted links; a scenario naming SUMO edges is calibrated on the
 * real counts of one morning hour and a closure is estimated against it, and again after the
 * estimator's worker thread died.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ScenarioSchema } from '../../../contracts/schemas/scenario'
import { ScenarioEstimateSchema } from '../../../contracts/scenario-api'
import { importDataset } from '../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../geodata/src/manifest'
import { writeRealLoopCounts } from '../../../tests/helpers/real-loop-counts'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { ScenarioEstimator } from './scenario-estimator'
import { carsAllowed, readSumoNetwork, sumoLoopLinks } from './sumo-network'

let t: TestDb
let date = ''
const HOUR = 8

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['bologna-loops', 'sumo-joined']) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  date = await writeRealLoopCounts(t.db, CITY_DATA_DIR, [HOUR])
}, 600_000)
afterAll(async () => t?.drop())

describe('the fast estimate on a SUMO network', () => {
  it('cars only on lanes that allow them', () => {
    expect(carsAllowed(null, null)).toBe(true)
    expect(carsAllowed('bus', null)).toBe(false)
    expect(carsAllowed('passenger bus', null)).toBe(true)
    expect(carsAllowed(null, 'pedestrian bicycle')).toBe(true)
    expect(carsAllowed(null, 'passenger')).toBe(false)
  })

  it('reads the joined network: drivable edges, fringe zones (entries and exits), loops on edges', async () => {
    const n = await readSumoNetwork(t.db, 'sumo-joined')
    const roads = n.links.filter((l) => !l.connector)
    expect(roads.length).toBeGreaterThan(100)
    expect(n.zones.some((z) => z.name.startsWith('Entry'))).toBe(true)
    expect(n.zones.some((z) => z.name.startsWith('Exit'))).toBe(true)
    // Bus-only lanes are not capacity for cars: every road link has at least one car lane.
    expect(roads.every((l) => (l.lanes ?? 0) >= 1 && l.capacityVehH > 0)).toBe(true)
    const loops = await sumoLoopLinks(t.db, 'sumo-joined')
    expect(loops.filter((l) => l.roadEdgeId !== null).length).toBeGreaterThan(20)
  })

  it('calibrates on the counts and estimates a closure of a counted SUMO edge', async () => {
    const e = new ScenarioEstimator(t.db)
    const loops = await sumoLoopLinks(t.db, 'sumo-joined')
    const base = ScenarioSchema.parse({ id: 'joined-base', title: 'Base', network: 'sumo-joined', base: { kind: 'observed', date, hour: HOUR } })
    const b = await e.estimate(base)
    ScenarioEstimateSchema.parse(b.estimate)
    expect(b.estimate.calibration.loops.length).toBeGreaterThan(10)
    expect(b.estimate.assignment.converged).toBe(true)
    // The busiest counted edge closed.
    const busiest = [...b.estimate.calibration.loops].sort((x, y) => y.countedVehH - x.countedVehH)[0]!.roadEdgeId
    expect(loops.some((l) => l.roadEdgeId === busiest)).toBe(true)
    const s = await e.estimate(ScenarioSchema.parse({ ...base, id: 'joined-closure', edits: [{ kind: 'close-road', edges: [busiest] }] }))
    const closed = s.links.find((f) => f.properties.edgeId === busiest)!
    expect(closed.properties.closed).toBe(true)
    expect(closed.properties.flowVehH).toBe(0)
    expect(closed.properties.baseFlowVehH).toBeGreaterThan(0)
    // Its traffic goes round (more vehicle-hours) or, where the area offers no other way, is unserved — and said so.
    expect(s.estimate.compare.vehHours.delta > 0 || s.estimate.result.unservedVehH > 0).toBe(true)
    for (const v of Object.values(s.estimate.result)) expect(Number.isFinite(v)).toBe(true)
    // A worker that dies takes its models with it; the next estimate starts a new one and computes them again.
    await (e as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
    const again = await e.estimate(ScenarioSchema.parse({ ...base, id: 'joined-closure', edits: [{ kind: 'close-road', edges: [busiest] }] }))
    expect(again.estimate.result).toEqual(s.estimate.result)
    await e.close()
    console.info(`sumo-joined ${date} ${HOUR}:00: ${b.estimate.assignment.links} links, ${b.estimate.assignment.zones} zones, ${b.estimate.calibration.loops.length} loops, GEH < 5 for ${(b.estimate.calibration.fitShare * 100).toFixed(0)} %, mean GEH ${b.estimate.calibration.meanGeh.toFixed(1)}; base ${b.estimate.durationMs} ms, closure ${s.estimate.durationMs} ms`)
  }, 300_000)
})
