/**
 * The SUMO verification of scenarios end to end, with Debian's real `sumo` and routeSampler on
 * Bologna's Andrea Costa network, on the embedded database or PostgreSQL (test:services): the network,
 * the loop registry and the OpenStreetMap drive graph imported as the city import does, controller 210
 * derived from the network's own programs, and the real counts of Costa's loops on one weekday morning
 * of 2024. Then: a scenario on the SUMO network closing its busiest counted road (with a speed limit,
 * a demand factor, a signal plan, a generator, an edge SUMO lacks and a closure out of its hours) —
 * progress that moves, the closed road at about zero, results per edge (with geometry) and per loop
 * (GEH), the fast estimate on the same edges beside them; a city scenario closing the same street by
 * its road edge, its estimate compared on the road edges the SUMO edges lie on; cancelling
 * kills SUMO; an invalid document fails clearly; and the five routes over HTTP.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../../contracts/access'
import type { ScenarioSumoRun } from '../../../../contracts/scenario-api'
import { ScenarioSchema, type Scenario, type ScenarioInput } from '../../../../contracts/schemas/scenario'
import { SignalControllerSchema, SignalPlanSchema } from '../../../../contracts/schemas/signal-plan'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { deriveSignalModel } from '../../../../geodata/src/sumo/signal-model'
import { parseSumoAdditional } from '../../../../geodata/src/sumo/sumo-additional-parser'
import { parseSumoNet } from '../../../../geodata/src/sumo/sumo-net-parser'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import { writeRealLoopCounts } from '../../../../tests/helpers/real-loop-counts'
import { createScenarioSumoRun, getScenarioSumoRun } from '../../db/scenario-sumo-runs'
import { loopFlowsAt } from '../../db/signal-demand'
import { importController } from '../../db/signals'
import { mountScenarioSumoRoutes } from '../../routes/scenarios/scenario-sumo-routes'
import { ScenarioSumoRunner } from './scenario-sumo-runner'

const ACOSTA = path.join(CITY_DATA_DIR, 'sumo-bologna', 'acosta')
const NET = 'sumo-acosta'
const HOUR = 8
const NOW = Date.parse('2025-03-12T10:00:00Z')
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined }
const by = { actor: 'plan-neri', actorRole: 'planner' }

let t: TestDb
let app: RouteApp
let runner: ScenarioSumoRunner
let workRoot: string
let date = ''
/** The busiest counted SUMO edge with roads into and out of it, its loop and its count. */
let closed = { edgeId: '', deviceId: '', countedVehH: 0 }
let otherEdge = ''
let planId = ''
const cookies: Record<string, string> = {}
const call = <T = unknown>(method: string, p: string, who: string | null, body?: unknown) => app.call<T>(method, p, who ? cookies[who]! : null, body)
const scenario = (s: Partial<ScenarioInput> & Pick<ScenarioInput, 'id'>): Scenario => ScenarioSchema.parse({ title: s.id, network: NET, base: { kind: 'observed', date, hour: HOUR }, ...s })
const queue = (s: Scenario, durationS = 300, network: 'acosta' | 'pasubio' | 'joined' = 'acosta') => createScenarioSumoRun(t.db, { scenarioId: s.id, version: 1, document: s, request: { network, hour: HOUR, durationS } }, by, NOW)
const waitFor = async (what: string, ok: () => boolean, ms = 30_000) => {
  const until = Date.now() + ms
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
/** Stores a version in the scenario store (migration 0014) as its storage module would. */
const store = async (doc: Scenario) =>
  t.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO scenario (id, status, latest_version, created_by, created_at, changed_at) VALUES ($1, 'draft', 1, 'plan-neri', now(), now())`, [doc.id])
    await tx.query(`INSERT INTO scenario_version (scenario_id, version, document, document_hash, author, note, created_at) VALUES ($1, 1, $2::jsonb, repeat('0', 64), 'plan-neri', '', now())`, [doc.id, JSON.stringify(doc)])
  })

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['bologna-loops', NET, 'osm-drive-nodes', 'osm-drive-edges', 'bologna-aree-statistiche']) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  // Controller 210 as the bologna-signal-plans import derives it, from this network's own files.
  const net = parseSumoNet(readFileSync(path.join(ACOSTA, 'acosta_buslanes.net.xml'), 'utf8'), 'acosta_buslanes.net.xml').net
  const programs = parseSumoAdditional(readFileSync(path.join(ACOSTA, 'acosta_tls.add.xml'), 'utf8'), 'acosta_tls.add.xml').additional.tlLogics
  const m = deriveSignalModel(net, '210', programs, { importedAt: '2025-03-01T00:00:00Z' })
  planId = SignalPlanSchema.parse(m.plans[0]).id
  await t.db.transaction((tx) => importController(tx, { controller: SignalControllerSchema.parse({ ...m.controller, networkId: NET }), plans: [SignalPlanSchema.parse(m.plans[0])], networkId: NET, deviceId: null, dataset: 'bologna-signal-plans' }, { actor: 'system:import', actorRole: 'system' }, NOW))

  // The weekday of March 2024 on which most of the network's loops counted, and their real 07:00–09:00 counts.
  const devices = new Set((await t.db.query<{ d: string }>('SELECT DISTINCT device_id AS d FROM sumo_detector WHERE network_id = $1 AND device_id IS NOT NULL', [NET])).rows.map((r) => r.d))
  date = await writeRealLoopCounts(t.db, CITY_DATA_DIR, [HOUR - 1, HOUR], { devices })

  // The road to close: the busiest counted edge that traffic enters from and leaves by other edges.
  const flows = await loopFlowsAt(t.db, [...devices], date, HOUR)
  const candidates = await t.db.query<{ edge_id: string; device_id: string }>(
    `SELECT DISTINCT l.edge_id, d.device_id FROM sumo_detector d JOIN sumo_lane l ON l.network_id = d.network_id AND l.id = d.lane_id
     WHERE d.network_id = $1 AND d.device_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM sumo_connection c WHERE c.network_id = $1 AND c.to_edge = l.edge_id AND c.from_edge NOT LIKE ':%')
       AND EXISTS (SELECT 1 FROM sumo_connection c WHERE c.network_id = $1 AND c.from_edge = l.edge_id AND c.to_edge NOT LIKE ':%')`,
    [NET],
  )
  const best = candidates.rows.map((c) => ({ edgeId: c.edge_id, deviceId: c.device_id, countedVehH: flows.get(c.device_id) ?? 0 })).sort((a, b) => b.countedVehH - a.countedVehH || a.edgeId.localeCompare(b.edgeId))
  closed = best[0]!
  otherEdge = best.find((b) => b.edgeId !== closed.edgeId)!.edgeId

  workRoot = mkdtempSync(path.join(tmpdir(), 'gemello-scenario-sumo-test-'))
  runner = new ScenarioSumoRunner({ db: t.db, log: silent, cityDataDir: CITY_DATA_DIR, workRoot, heartbeatMs: 200 })
  app = await serveRoutes(t.db, (a) => mountScenarioSumoRoutes(a, { db: t.db, runner, now: () => NOW }))
  const accounts: Array<[string, Role[]]> = [['plan-neri', ['planner']], ['pmo-verdi', ['pmo']]]
  for (const [name, roles] of accounts) cookies[name] = await app.account(name, roles)
}, 600_000)

afterAll(async () => {
  await runner?.stop()
  await app?.close()
  await t?.drop()
  if (workRoot) rmSync(workRoot, { recursive: true, force: true })
})

describe('a closure on the SUMO network, with the other edits', () => {
  let run: ScenarioSumoRun
  const progress: number[] = []
  let wallS = 0

  beforeAll(async () => {
    const s = scenario({
      id: 'costa-closed',
      edits: [
        { kind: 'close-road', edges: [closed.edgeId], fromHour: 7, toHour: 10 },
        { kind: 'speed-limit', edges: [otherEdge], speedKmh: 30 },
        { kind: 'close-road', edges: ['no-such-edge'] },
        { kind: 'scale-demand', factor: 0.9 },
        { kind: 'signal-plan', controllerId: '210', planId, version: 1 },
        { kind: 'close-road', edges: [otherEdge], fromHour: 22, toHour: 6 },
        { kind: 'generator', name: 'Stadio Dall’Ara', position: [11.3096, 44.4921], producedVehH: 240, attractedVehH: 0 },
      ],
    })
    const created = await queue(s)
    let polling = true
    const poll = (async () => {
      while (polling) {
        const r = await getScenarioSumoRun(t.db, created.id)
        if (r?.status === 'running' && progress.at(-1) !== r.progress) progress.push(r.progress)
        await new Promise((res) => setTimeout(res, 50))
      }
    })()
    const t0 = performance.now()
    const outcome = await runner.runNext()
    wallS = (performance.now() - t0) / 1000
    polling = false
    await poll
    expect(outcome).toEqual({ runId: created.id, status: 'done' })
    run = (await getScenarioSumoRun(t.db, created.id))!
    console.info(`SUMO verification on ${NET}, ${date} ${HOUR}:00, 300 s measured: ${wallS.toFixed(1)} s wall; closed ${closed.edgeId} (loop ${closed.deviceId}, ${closed.countedVehH} veh/h)`)
  }, 180_000)

  it('ends done, with progress that moved on the way', () => {
    expect(run).toMatchObject({ status: 'done', progress: 1, error: null, request: { network: 'acosta', hour: HOUR, durationS: 300 } })
    expect(progress.filter((p) => p > 0 && p < 1).length, `progress seen: ${progress.join(', ')}`).toBeGreaterThanOrEqual(2)
    expect([...progress].sort((a, b) => a - b)).toEqual(progress)
  })

  it('ran the edits it could map and says which it could not and why', () => {
    const r = run.results!
    expect(r.appliedEdits.map((e) => [e.edit, e.kind])).toEqual([[0, 'close-road'], [1, 'speed-limit'], [3, 'scale-demand'], [4, 'signal-plan'], [6, 'generator']])
    expect(r.appliedEdits[0]!.sumoEdges).toEqual([closed.edgeId])
    expect(r.appliedEdits[3]!.sumoEdges.length).toBeGreaterThan(0) // the traffic light's approaches
    expect(r.appliedEdits[4]!.sumoEdges).toHaveLength(1) // the generator's edge
    expect(r.unmappedEdits).toEqual([{ edit: 2, kind: 'close-road', message: 'not applied — no-such-edge: the SUMO network has no such normal edge' }])
    expect(r.inactiveEdits).toEqual([5])
    expect(r.demand).toMatchObject({ date, scale: 0.9, seed: 42 })
    expect(r.demand!.countedEdges).toBeGreaterThan(10)
    expect(r.vehicles).toBeGreaterThan(300)
  })

  it('puts the fast estimate on the same SUMO edges beside it', async () => {
    const r = run.results!
    expect(r.estimateNote).toBeNull()
    expect(r.estimateKpis!.vehKm).toBeGreaterThan(0)
    const shut = await t.db.query<{ estimated_veh_h: number | null; road_edge_id: string | null }>('SELECT estimated_veh_h, road_edge_id FROM scenario_sumo_edge WHERE run_id = $1 AND edge_id = $2', [run.id, closed.edgeId])
    expect(shut.rows[0]!.estimated_veh_h).toBeLessThan(1)
    expect(shut.rows[0]!.road_edge_id).not.toBeNull() // the city road it lies on, for the map
    const estimated = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM scenario_sumo_edge WHERE run_id = $1 AND estimated_veh_h > 0', [run.id])
    expect(estimated.rows[0]!.n).toBeGreaterThan(50)
    const onLinks = r.detectors.filter((d) => d.estimatedVehH !== null)
    expect(onLinks.length).toBeGreaterThan(10)
    for (const d of onLinks) expect(d.gehEstimate!, d.deviceId).toBeCloseTo(Math.sqrt((2 * (d.simulatedVehH - d.estimatedVehH!) ** 2) / Math.max(1e-9, d.simulatedVehH + d.estimatedVehH!)), 1)
  })

  it('stores every edge with its line; the closed road carries about nothing', async () => {
    const rows = await t.db.query<{ edge_id: string; simulated_veh_h: number; line: boolean }>(`SELECT edge_id, simulated_veh_h, ST_GeometryType(geom) = 'ST_LineString' AS line FROM scenario_sumo_edge WHERE run_id = $1`, [run.id])
    const normal = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sumo_edge WHERE network_id = $1 AND func = 'normal'`, [NET])
    expect(rows.rows.length).toBe(normal.rows[0]!.n)
    expect(rows.rows.every((r) => r.line)).toBe(true)
    expect(run.results!.edgeCount).toBe(rows.rows.length)
    const shut = rows.rows.find((r) => r.edge_id === closed.edgeId)!
    expect(shut.simulated_veh_h).toBeLessThanOrEqual(Math.max(12, closed.countedVehH * 0.02))
    expect(rows.rows.filter((r) => r.simulated_veh_h > 100).length).toBeGreaterThan(20)
    const k = run.results!.kpis
    expect(k.vehKm).toBeGreaterThan(0)
    expect(k.meanSpeedKmh).toBeGreaterThan(3)
    expect(k.meanSpeedKmh).toBeLessThan(70)
    expect(k.tripsCompleted).toBeGreaterThan(0)
  })

  it('compares each loop with its count: GEH per loop, the closed road far off its count', async () => {
    const r = run.results!
    const counted = r.detectors.filter((d) => d.countedVehH !== null)
    expect(counted.length).toBeGreaterThan(10)
    for (const d of counted) expect(d.geh!, d.deviceId).toBeCloseTo(Math.sqrt((2 * (d.simulatedVehH - d.countedVehH!) ** 2) / (d.simulatedVehH + d.countedVehH!)), 1)
    expect(r.detectors.find((d) => d.deviceId === closed.deviceId)).toMatchObject({ simulatedVehH: 0 })
    expect(r.gehBelow5Share).toBeCloseTo(counted.filter((d) => d.geh! < 5).length / counted.length, 3)
    const stored = await t.db.query<{ n: number; with_geh: number }>('SELECT count(*)::int AS n, count(geh)::int AS with_geh FROM scenario_sumo_detector WHERE run_id = $1', [run.id])
    expect(stored.rows[0]).toEqual({ n: r.detectors.length, with_geh: counted.length })
  })

  it('leaves no work directory behind', () => {
    expect(readdirSync(workRoot)).toEqual([])
  })
})

describe('a city scenario on the SUMO network, beside the fast estimate', () => {
  let run: ScenarioSumoRun
  let roadEdgeId = ''

  beforeAll(async () => {
    // The road edge the closed SUMO edge lies on, as the first run stored it; and one far from Costa.
    const first = await t.db.query<{ road_edge_id: string | null }>(`SELECT road_edge_id FROM scenario_sumo_edge WHERE edge_id = $1 ORDER BY run_id LIMIT 1`, [closed.edgeId])
    roadEdgeId = first.rows[0]!.road_edge_id!
    const far = await t.db.query<{ id: string }>(`SELECT id FROM road_edge ORDER BY ST_Distance(geom, ST_SetSRID(ST_MakePoint(11.40, 44.51), 4326)) LIMIT 1`)
    const created = await queue(scenario({ id: 'costa-city', network: 'city', edits: [{ kind: 'close-road', edges: [roadEdgeId, far.rows[0]!.id, 'osm-none'] }] }))
    const t0 = performance.now()
    expect(await runner.runNext()).toEqual({ runId: created.id, status: 'done' })
    console.info(`city scenario, SUMO and estimate: ${((performance.now() - t0) / 1000).toFixed(1)} s wall`)
    run = (await getScenarioSumoRun(t.db, created.id))!
  }, 900_000)

  it('maps the road edge onto the SUMO edges lying on it; the others are reported with the reason', () => {
    const r = run.results!
    expect(r.appliedEdits[0]!.sumoEdges).toContain(closed.edgeId)
    expect(r.unmappedEdits).toHaveLength(1)
    expect(r.unmappedEdits[0]!.message).toMatch(/^applied without .*outside the SUMO network's area.*osm-none: the city graph has no such road edge/)
  })

  it('puts the estimate beside the simulation per edge, per loop and in KPIs', async () => {
    const r = run.results!
    expect(r.estimateNote).toBeNull()
    expect(r.estimateKpis!.vehKm).toBeGreaterThan(0)
    const onRoads = r.detectors.filter((d) => d.estimatedVehH !== null)
    expect(onRoads.length).toBeGreaterThan(5)
    for (const d of onRoads) expect(d.gehEstimate).not.toBeNull()
    const edges = await call<{ edges: Array<{ edgeId: string; roadEdgeId: string | null; estimatedVehH: number | null; simulatedVehH: number; differenceVehH: number | null }> }>('GET', `/api/scenario-sumo-runs/${run.id}/edges`, 'pmo-verdi')
    expect(edges.status).toBe(200)
    const mapped = edges.body.edges.filter((e) => e.roadEdgeId !== null)
    expect(mapped.length / edges.body.edges.length).toBeGreaterThan(0.6)
    for (const e of mapped) expect(e.differenceVehH).toBeCloseTo(e.simulatedVehH - e.estimatedVehH!, 0)
    expect(edges.body.edges.find((e) => e.edgeId === closed.edgeId)).toMatchObject({ roadEdgeId })
  })
})

describe('cancelling and failing', () => {
  it('kills SUMO when cancelled over HTTP; the run ends cancelled and cannot be cancelled again', async () => {
    const created = await queue(scenario({ id: 'long' }), 3600)
    const done = runner.runNext()
    let pid: number | null = null
    await waitFor('SUMO to run', () => {
      const a = runner.active()
      pid = a?.pid ?? null
      if (pid === null || a!.progress <= 0.02) return false
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sumo'
      } catch {
        return false
      }
    })
    const r = await call<ScenarioSumoRun>('POST', `/api/scenario-sumo-runs/${created.id}/cancel`, 'plan-neri')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'running', cancelRequested: true })
    expect(await done).toEqual({ runId: created.id, status: 'cancelled' })
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/)
    expect(await getScenarioSumoRun(t.db, created.id)).toMatchObject({ status: 'cancelled', results: null, error: null })
    expect((await call('POST', `/api/scenario-sumo-runs/${created.id}/cancel`, 'plan-neri')).error).toMatchObject({ code: 'SCENARIO_STATE' })
  }, 60_000)

  it('fails a run whose document is not a scenario, or names another SUMO network, saying why', async () => {
    const broken = await createScenarioSumoRun(t.db, { scenarioId: 'broken', version: 1, document: { id: 'broken' } as unknown as Scenario, request: { network: 'acosta', hour: HOUR, durationS: 60 } }, by, NOW)
    expect(await runner.runNext()).toEqual({ runId: broken.id, status: 'failed' })
    expect((await getScenarioSumoRun(t.db, broken.id))!.error).toMatch(/^the scenario broken v1 is not a valid scenario document: (title|base)/)
    const elsewhere = await queue(scenario({ id: 'pasubio', network: 'sumo-pasubio' }), 60)
    expect(await runner.runNext()).toEqual({ runId: elsewhere.id, status: 'failed' })
    expect((await getScenarioSumoRun(t.db, elsewhere.id))!.error).toBe('the scenario names the edges of sumo-pasubio, not of sumo-acosta: verify it on network "pasubio"')
  })
})

describe('the routes', () => {
  const doc = () => scenario({ id: 'routes', edits: [{ kind: 'close-road', edges: [closed.edgeId] }] })

  beforeAll(async () => store(doc()))

  it('queue a run of a stored version with its network and hour resolved; list, read and cancel it', async () => {
    const r = await call<ScenarioSumoRun>('POST', '/api/scenarios/routes/versions/1/sumo-runs', 'plan-neri', { durationS: 120 })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ scenarioId: 'routes', version: 1, status: 'queued', progress: 0, requestedBy: 'plan-neri', requestedAtMs: NOW, request: { network: 'acosta', hour: HOUR, durationS: 120 }, results: null })
    const list = await call<{ runs: ScenarioSumoRun[] }>('GET', '/api/scenarios/routes/sumo-runs', 'pmo-verdi')
    expect(list.body.runs.map((x) => x.id)).toEqual([r.body.id])
    expect((await call<ScenarioSumoRun>('GET', `/api/scenario-sumo-runs/${r.body.id}`, 'pmo-verdi')).body).toEqual(r.body)
    expect((await call('GET', `/api/scenario-sumo-runs/${r.body.id}/edges`, 'pmo-verdi')).body).toEqual({ edges: [] })
    const cancelled = await call<ScenarioSumoRun>('POST', `/api/scenario-sumo-runs/${r.body.id}/cancel`, 'plan-neri')
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelRequested: true, finishedAtMs: NOW })
  })

  it('refuse another network than the scenario’s, an hour without counts, a short run; 404 with a hint for what does not exist', async () => {
    const other = await call('POST', '/api/scenarios/routes/versions/1/sumo-runs', 'plan-neri', { network: 'joined' })
    expect(other.status).toBe(400)
    expect(other.error!.message).toContain('can only be verified there (network "acosta")')
    const night = await call('POST', '/api/scenarios/routes/versions/1/sumo-runs', 'plan-neri', { hour: 3 })
    expect(night.status).toBe(400)
    expect(night.error!.message).toContain(`on ${date} at 03:00`)
    expect((await call('POST', '/api/scenarios/routes/versions/1/sumo-runs', 'plan-neri', { durationS: 30 })).status).toBe(400)
    const missing = await call('POST', '/api/scenarios/routes/versions/7/sumo-runs', 'plan-neri', {})
    expect(missing.status).toBe(404)
    expect(missing.error!.message).toContain('GET /api/scenarios')
    expect((await call('GET', '/api/scenarios/nobody/sumo-runs', 'pmo-verdi')).status).toBe(404)
    expect((await call('GET', '/api/scenario-sumo-runs/987654', 'pmo-verdi')).status).toBe(404)
    expect((await call('GET', '/api/scenario-sumo-runs/987654/edges', 'pmo-verdi')).status).toBe(404)
    expect((await call('POST', '/api/scenario-sumo-runs/987654/cancel', 'plan-neri')).status).toBe(404)
  })

  it('let the PMO read but not queue or cancel; nobody signed in gets 401', async () => {
    expect((await call('POST', '/api/scenarios/routes/versions/1/sumo-runs', 'pmo-verdi', {})).status).toBe(403)
    expect((await call('POST', '/api/scenario-sumo-runs/1/cancel', 'pmo-verdi')).status).toBe(403)
    expect((await call('GET', '/api/scenarios/routes/sumo-runs', null)).status).toBe(401)
  })
})
