/**
 * SUMO verification end to end, with Debian's real `sumo` and routeSampler on Bologna's joined
 * network (the city data bundle), on the embedded database or PostgreSQL (test:services): the
 * network and the loop registry imported as the city import does, controller 210 derived from the
 * real files as bologna-signal-plans does, a few hours of deterministic loop readings. Then: a run
 * with demand rebuilt from the loop counts — progress that moves, results per approach and per
 * detector, GEH where counted, rows the map joins with the network; cancelling a running run kills
 * SUMO; a missing network file fails clearly; a run whose process died is taken over, one held by
 * a live process is not; SUMO's warnings about the plan are kept; and the four routes over HTTP.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../contracts/access'
import type { SumoRun } from '../../../contracts/signal-api'
import { SignalControllerSchema, SignalPlanSchema, type SignalController, type SignalPlan } from '../../../contracts/schemas/signal-plan'
import { importDataset } from '../../../geodata/src/importers/dataset-import'
import { deriveSignalModel } from '../../../geodata/src/sumo/signal-model'
import { parseSumoAdditional } from '../../../geodata/src/sumo/sumo-additional-parser'
import { parseSumoNet } from '../../../geodata/src/sumo/sumo-net-parser'
import { serveRoutes, type RouteApp } from '../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { writeBatch, type ValidReading } from '../db/readings'
import { createPlanVersion, importController } from '../db/signals'
import { cancelSumoRun, claimSumoRun, createSumoRun, getSumoRun, heartbeatSumoRun } from '../db/sumo-runs'
import { runRollups } from '../jobs/rollup-job'
import { mountSumoRunRoutes } from '../routes/signals/sumo-run-routes'
import { SumoRunner } from './sumo-runner'

const JOINED = path.join(CITY_DATA_DIR, 'sumo-bologna', 'joined')
const OPEN = path.join(CITY_DATA_DIR, 'bologna-opendata')
const NET = 'sumo-joined'
const NOW = Date.parse('2025-03-12T10:00:00Z')
const HOUR = 3_600_000
/** Tuesday 11 March 2025, Rome is UTC+1: the Rome hours 07–10 are 06–09 UTC. */
const DAY = '2025-03-11'
const romeHourUtc = (h: number) => Date.parse(`${DAY}T00:00:00Z`) + (h - 1) * HOUR
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined }

let t: TestDb
let app: RouteApp
let runner: SumoRunner
let workRoot: string
let controller: SignalController
let plan: SignalPlan
const cookies: Record<string, string> = {}
/** device → its seeded flow at a Rome hour (veh/h): the mean of its two readings in that hour. */
const flowOf = (i: number, h: number) => 120 + 45 * (i % 13) + 10 * (h - 7)
let devices: string[] = []
const call = <T = unknown>(method: string, p: string, who: string | null, body?: unknown) => app.call<T>(method, p, who ? cookies[who]! : null, body)
const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) => {
  const until = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
const by = { actor: 'eng-rossi', actorRole: 'traffic_engineer' }

beforeAll(async () => {
  t = await createTestDb()
  await importDataset(t.db, 'bologna-loops', path.join(OPEN, 'spire_anagrafica_2024.csv'))
  await importDataset(t.db, NET, path.join(JOINED, 'joined_buslanes.net.xml'))
  // Controller 210 as the bologna-signal-plans import derives it from the real files.
  const net = parseSumoNet(readFileSync(path.join(JOINED, 'joined_buslanes.net.xml'), 'utf8'), 'joined_buslanes.net.xml').net
  const programs = parseSumoAdditional(readFileSync(path.join(JOINED, 'joined_tls.add.xml'), 'utf8'), 'joined_tls.add.xml').additional.tlLogics
  const m = deriveSignalModel(net, '210', programs, { importedAt: '2025-03-01T00:00:00Z' })
  controller = SignalControllerSchema.parse({ ...m.controller, networkId: NET })
  plan = SignalPlanSchema.parse(m.plans[0])
  await t.db.transaction((tx) => importController(tx, { controller, plans: [plan], networkId: NET, deviceId: null, dataset: 'bologna-signal-plans' }, { actor: 'system:import', actorRole: 'system' }, NOW))
  // Readings of every loop the network's detectors are linked to: 07:00–11:00 Rome, two per hour.
  devices = (await t.db.query<{ d: string }>('SELECT DISTINCT device_id AS d FROM sumo_detector WHERE network_id = $1 AND device_id IS NOT NULL ORDER BY 1', [NET])).rows.map((r) => r.d)
  const readings: ValidReading[] = []
  let seq = 1
  devices.forEach((deviceId, i) => {
    for (let h = 7; h < 11; h++) {
      for (const [minute, delta] of [[15, -20], [45, 20]] as const) {
        const at = romeHourUtc(h) + minute * 60_000
        readings.push({ deviceId, kind: 'traffic-loop', stream: 'traffic', shape: 'traffic', seq: seq++, observedAtMs: at, receivedAtMs: at + 1000, quality: 'good', values: { flowVehH: flowOf(i, h) + delta, occupancyPct: 10, speedKmh: 35, intervalS: 1800, lane: null } })
      }
    }
  })
  await t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
  for (let i = 0; i < 200 && (await t.db.transaction((tx) => runRollups(tx))).queueRows > 0; i++);
  workRoot = mkdtempSync(path.join(tmpdir(), 'gemello-sumo-test-'))
  runner = new SumoRunner({ db: t.db, log: silent, cityDataDir: CITY_DATA_DIR, workRoot, heartbeatMs: 200, leaseTtlS: 30 })
  app = await serveRoutes(t.db, (a) => mountSumoRunRoutes(a, { db: t.db, runner, now: () => NOW }))
  const accounts: Array<[string, Role[]]> = [['eng-rossi', ['traffic_engineer']], ['plan-neri', ['planner']]]
  for (const [name, roles] of accounts) cookies[name] = await app.account(name, roles)
}, 120_000)

afterAll(async () => {
  await runner?.stop()
  await app?.close()
  await t?.drop()
  if (workRoot) rmSync(workRoot, { recursive: true, force: true })
})

const geh = (m: number, c: number) => Math.sqrt((2 * (m - c) ** 2) / (m + c))

describe('a run with demand rebuilt from the loop counts', () => {
  let run: SumoRun
  const progress: number[] = []

  beforeAll(async () => {
    const created = await call<SumoRun>('POST', `/api/signal-controllers/210/sumo-runs`, 'eng-rossi', { planId: plan.id, version: 1, hour: 8, durationS: 600 })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ status: 'queued', progress: 0, request: { date: DAY, hour: 8, demand: 'loop-counts', durationS: 600 } })
    let polling = true
    const poll = (async () => {
      while (polling) {
        const r = await getSumoRun(t.db, created.body.id)
        if (r && r.status === 'running' && progress.at(-1) !== r.progress) progress.push(r.progress)
        await new Promise((res) => setTimeout(res, 50))
      }
    })()
    const outcome = await runner.runNext()
    polling = false
    await poll
    expect(outcome).toEqual({ runId: created.body.id, status: 'done' })
    run = (await getSumoRun(t.db, created.body.id))!
  }, 60_000)

  it('ends done, with progress that moved on the way', () => {
    expect(run).toMatchObject({ status: 'done', progress: 1, error: null, cancelRequested: false })
    expect(progress.filter((p) => p > 0 && p < 1).length, `progress seen: ${progress.join(', ')}`).toBeGreaterThanOrEqual(2)
    expect([...progress].sort((a, b) => a - b)).toEqual(progress)
    expect(run.startedAtMs).not.toBeNull()
    expect(run.finishedAtMs).not.toBeNull()
  })

  it('ran the plan as program "gemello" of traffic light 210, with sampled routes after a warm-up', () => {
    const r = run.results!
    expect(r).toMatchObject({ networkId: NET, tlsId: '210', programId: 'gemello' })
    expect(r.demand).toMatchObject({ kind: 'loop-counts', date: DAY, hour: 8, warmupS: 300, measuredS: 600, seed: 42 })
    expect(r.demand.countedEdges).toBeGreaterThan(20)
    expect(r.demand.vehicles).toBeGreaterThan(1000)
    expect(r.vehiclesInserted).toBeGreaterThan(1000)
    expect(r.network.tripsCompleted).toBeGreaterThan(0)
    expect(r.wallTimeS).toBeGreaterThan(0)
  })

  it('gives travel time, delay, stops and queue per approach, with the estimate for the same flows', () => {
    const r = run.results!
    const expected = [...new Set(controller.signalGroups.filter((g) => g.type !== 'pedestrian' && g.approach).map((g) => g.approach!))].sort()
    expect(r.approaches.map((a) => a.edgeId).sort()).toEqual(expected)
    for (const a of r.approaches) {
      expect(a.groupIds).toEqual(controller.signalGroups.filter((g) => g.type !== 'pedestrian' && g.approach === a.edgeId).map((g) => g.id))
      expect(a.flowVehH).toBeCloseTo((a.vehicles * 3600) / 600, 0)
      expect(a.groups.reduce((s, g) => s + g.simulatedVehH, 0)).toBeCloseTo(a.flowVehH, 0)
    }
    const busy = r.approaches.filter((a) => a.vehicles >= 10)
    expect(busy.length).toBeGreaterThanOrEqual(4)
    for (const a of busy) {
      expect(a.travelTimeS, a.edgeId).toBeGreaterThan(0)
      expect(a.delayS, a.edgeId).toBeGreaterThanOrEqual(0)
      expect(a.stopsPerVehicle, a.edgeId).toBeGreaterThanOrEqual(0)
      expect(a.queueMaxVeh, a.edgeId).toBeGreaterThanOrEqual(0)
      expect(a.estimate?.delayS, a.edgeId).toBeGreaterThan(0)
    }
    // A signalised approach makes some vehicles stop and queue.
    expect(Math.max(...busy.map((a) => a.queueMaxVeh ?? 0))).toBeGreaterThan(0)
    expect(Math.max(...busy.map((a) => a.stopsPerVehicle ?? 0))).toBeGreaterThan(0)
    // a31 is a bus lane: the scenario's buses run as scheduled with the sampled cars.
    expect(r.approaches.find((a) => a.edgeId === 'a31')!.vehicles).toBeGreaterThan(0)
    // a113 has loop 2.10 2.6 6 1 on its three lanes: its counted flow is that loop's at 08:00.
    const a113 = r.approaches.find((a) => a.edgeId === 'a113')!
    expect(a113.countedVehH).not.toBeNull()
  })

  it('compares each detector with its loop count of that hour, GEH where counted', async () => {
    const r = run.results!
    const lanes = await t.db.query<{ device_id: string; n: number }>('SELECT device_id, count(DISTINCT lane_id)::int AS n FROM sumo_detector WHERE network_id = $1 AND device_id IS NOT NULL GROUP BY 1', [NET])
    const lanesOf = new Map(lanes.rows.map((x) => [x.device_id, x.n]))
    const counted = r.detectors.filter((d) => d.countedVehH !== null)
    expect(counted.length).toBeGreaterThan(50)
    for (const d of counted) {
      const i = devices.indexOf(d.deviceId!)
      expect(d.countedVehH, d.detectorId).toBeCloseTo(flowOf(i, 8) / lanesOf.get(d.deviceId!)!, 0)
      expect(d.geh!, d.detectorId).toBeCloseTo(geh(d.simulatedVehH, d.countedVehH!), 1)
    }
    // Detectors without a loop (or commented out of the scenario) have no count and no GEH.
    for (const d of r.detectors.filter((x) => x.deviceId === null)) expect(d).toMatchObject({ countedVehH: null, geh: null })
    expect(r.gehBelow5Share).toBeCloseTo(counted.filter((d) => d.geh! < 5).length / counted.length, 3)
    expect(r.loops.length).toBeGreaterThan(30)
    for (const l of r.loops.filter((x) => x.countedVehH !== null)) expect(l.geh!).toBeCloseTo(geh(l.simulatedVehH, l.countedVehH!), 1)
    // The demand was sampled to match the counts: most loops see about their flow.
    expect(r.loops.filter((l) => l.countedVehH !== null && l.simulatedVehH > 0).length).toBeGreaterThan(r.loops.length / 2)
  })

  it('stores per-edge and per-detector rows the map joins with the network', async () => {
    const edges = await t.db.query<{ n: number; joined: number; approaches: number }>(
      `SELECT count(*)::int AS n, count(e.id)::int AS joined, count(*) FILTER (WHERE r.approach)::int AS approaches
       FROM sumo_run_edge r LEFT JOIN sumo_edge e ON e.network_id = r.network_id AND e.id = r.edge_id WHERE r.run_id = $1`,
      [run.id],
    )
    expect(edges.rows[0]!.n).toBeGreaterThan(50)
    expect(edges.rows[0]).toMatchObject({ joined: edges.rows[0]!.n, approaches: run.results!.approaches.length })
    const dets = await t.db.query<{ n: number; joined: number; with_geh: number }>(
      `SELECT count(*)::int AS n, count(d.id)::int AS joined, count(r.geh)::int AS with_geh
       FROM sumo_run_detector r LEFT JOIN sumo_detector d ON d.network_id = r.network_id AND d.id = r.detector_id WHERE r.run_id = $1`,
      [run.id],
    )
    expect(dets.rows[0]).toEqual({ n: run.results!.detectors.length, joined: run.results!.detectors.length, with_geh: run.results!.detectors.filter((d) => d.geh !== null).length })
    const geo = await t.db.query<{ ok: boolean }>(
      `SELECT bool_and(ST_GeometryType(e.geom) = 'ST_LineString') AS ok FROM sumo_run_edge r JOIN sumo_edge e ON e.network_id = r.network_id AND e.id = r.edge_id WHERE r.run_id = $1 AND r.approach`,
      [run.id],
    )
    expect(geo.rows[0]!.ok).toBe(true)
  })

  it('leaves no work directory behind', () => {
    expect(readdirSync(workRoot)).toEqual([])
  })
})

describe('cancelling', () => {
  it('kills SUMO at once when cancelled over HTTP, and the run ends cancelled', async () => {
    const created = await call<SumoRun>('POST', `/api/signal-controllers/210/sumo-runs`, 'eng-rossi', { planId: plan.id, version: 1, demand: 'scenario', durationS: 3600 })
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
    const r = await call<SumoRun>('POST', `/api/sumo-runs/${created.body.id}/cancel`, 'eng-rossi')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'running', cancelRequested: true, cancelledBy: 'eng-rossi' })
    expect(await done).toEqual({ runId: created.body.id, status: 'cancelled' })
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/)
    const after = (await getSumoRun(t.db, created.body.id))!
    expect(after).toMatchObject({ status: 'cancelled', results: null, error: null })
    expect(after.progress).toBeLessThan(0.9)
    expect((await call('POST', `/api/sumo-runs/${created.body.id}/cancel`, 'eng-rossi')).error).toMatchObject({ code: 'PLAN_STATE' })
  }, 30_000)

  it('kills SUMO within a heartbeat when another process flags the cancel in the database', async () => {
    const created = await createSumoRun(t.db, '210', { planId: plan.id, version: 1, date: DAY, hour: 8, demand: 'scenario', durationS: 3600 }, by, NOW)
    const done = runner.runNext()
    let pid: number | null = null
    await waitFor('SUMO to run', () => {
      pid = runner.active()?.pid ?? null
      return pid !== null && runner.active()!.progress > 0.02
    })
    await cancelSumoRun(t.db, created.id, { actor: 'eng-bianchi', actorRole: 'traffic_engineer' }, NOW)
    const t0 = Date.now()
    expect(await done).toEqual({ runId: created.id, status: 'cancelled' })
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/)
    expect(await getSumoRun(t.db, created.id)).toMatchObject({ status: 'cancelled', cancelledBy: 'eng-bianchi' })
  }, 30_000)
})

describe('failures and leases', () => {
  it('fails clearly when the network file is missing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'gemello-no-city-'))
    try {
      const other = new SumoRunner({ db: t.db, log: silent, cityDataDir: empty, workRoot })
      const created = await createSumoRun(t.db, '210', { planId: plan.id, version: 1, date: DAY, hour: 8, demand: 'loop-counts', durationS: 60 }, by, NOW)
      expect(await other.runNext()).toEqual({ runId: created.id, status: 'failed' })
      const r = (await getSumoRun(t.db, created.id))!
      expect(r.status).toBe('failed')
      expect(r.error).toContain(`the network file of SUMO network ${NET} is missing: ${path.join(empty, 'sumo-bologna/joined/joined_buslanes.net.xml')} does not exist`)
      expect(existsSync(path.join(empty, 'sumo-bologna'))).toBe(false)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('takes over a run whose process died once its lease lapses, not before; keeps SUMO’s warnings about the plan', async () => {
    // A draft without the yellow of its first clearing: Gemello's validator rejects it, SUMO loads it with a warning.
    const noYellow = { ...plan, intervals: plan.intervals.map((iv) => ({ ...iv, states: iv.states.map((s) => (s === 'Y' ? 'R' : s)) })) }
    const draft = await createPlanVersion(t.db, '210', { plan: noYellow, baseVersion: 1, note: 'no yellow (test)' }, by, NOW)
    expect(draft.validation.ok).toBe(false)
    const created = await createSumoRun(t.db, '210', { planId: plan.id, version: draft.version, date: DAY, hour: 8, demand: 'scenario', durationS: 120 }, by, NOW)
    const dead = await claimSumoRun(t.db, 'dead-process', 2, NOW)
    expect(dead).toMatchObject({ id: created.id, attempts: 1 })
    expect(await runner.runNext()).toBeNull() // the lease is still valid
    await new Promise((r) => setTimeout(r, 2200))
    expect(await runner.runNext()).toEqual({ runId: created.id, status: 'done' })
    expect(await heartbeatSumoRun(t.db, created.id, 'dead-process', 0.5, 30)).toEqual({ owned: false, cancelRequested: false })
    const r = (await getSumoRun(t.db, created.id))!
    expect(r.status).toBe('done')
    expect((await t.db.query<{ attempts: number }>('SELECT attempts FROM sumo_run WHERE id = $1', [created.id])).rows[0]!.attempts).toBe(2)
    expect(r.results!.demand).toMatchObject({ kind: 'scenario', warmupS: 0, measuredS: 120, seed: null })
    expect(r.results!.demand.vehicles).toBeGreaterThan(100)
    expect(r.results!.warnings.some((w) => w.includes("tlLogic '210'") && w.includes('gemello'))).toBe(true)
  }, 30_000)
})

describe('the runner in the server', () => {
  it('fails a run that outlasts the wall-time limit, saying so', async () => {
    const hasty = new SumoRunner({ db: t.db, log: silent, cityDataDir: CITY_DATA_DIR, workRoot, wallTimeLimitMs: 700 })
    const created = await createSumoRun(t.db, '210', { planId: plan.id, version: 1, date: DAY, hour: 8, demand: 'scenario', durationS: 3600 }, by, NOW)
    expect(await hasty.runNext()).toEqual({ runId: created.id, status: 'failed' })
    const r = (await getSumoRun(t.db, created.id))!
    expect(r.error).toMatch(/^SUMO did not finish within the wall-time limit of 0\.7 s \(simulated \d+ of 3600 s\); it was stopped/)
  })

  it('picks a queued run up at once when started or woken, and hands a running one back to the queue when stopped', async () => {
    runner.start()
    const created = await call<SumoRun>('POST', '/api/signal-controllers/210/sumo-runs', 'eng-rossi', { planId: plan.id, version: 1, demand: 'scenario', durationS: 3600 })
    let pid: number | null = null
    await waitFor('the started runner to run SUMO', () => {
      pid = runner.active()?.runId === created.body.id ? (runner.active()!.pid ?? null) : null
      return pid !== null
    })
    await runner.stop()
    expect(runner.active()).toBeNull()
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/)
    const back = (await getSumoRun(t.db, created.body.id))!
    expect(back).toMatchObject({ status: 'queued', progress: 0, startedAtMs: null, finishedAtMs: null })
    expect((await t.db.query<{ attempts: number; lease_holder: string | null }>('SELECT attempts, lease_holder FROM sumo_run WHERE id = $1', [created.body.id])).rows[0]).toEqual({ attempts: 0, lease_holder: null })
    await cancelSumoRun(t.db, created.body.id, by, NOW)
  }, 30_000)
})

describe('the routes', () => {
  const base = '/api/signal-controllers/210/sumo-runs'

  it('queue a run with the defaults and the newest day with counts; list and read it', async () => {
    const r = await call<SumoRun>('POST', base, 'eng-rossi', { planId: plan.id, version: 1 })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ controllerId: '210', planId: plan.id, version: 1, status: 'queued', requestedBy: 'eng-rossi', requestedAtMs: NOW, request: { date: DAY, hour: 8, demand: 'loop-counts', durationS: 3600 } })
    const list = await call<{ runs: SumoRun[] }>('GET', base, 'plan-neri')
    expect(list.status).toBe(200)
    expect(list.body.runs[0]!.id).toBe(r.body.id)
    expect(list.body.runs.map((x) => x.id)).toEqual([...list.body.runs.map((x) => x.id)].sort((a, b) => b - a))
    const one = await call<SumoRun>('GET', `/api/sumo-runs/${r.body.id}`, 'plan-neri')
    expect(one.body).toEqual(r.body)
    const cancelled = await call<SumoRun>('POST', `/api/sumo-runs/${r.body.id}/cancel`, 'eng-rossi')
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelRequested: true, cancelledBy: 'eng-rossi', finishedAtMs: NOW })
  })

  it('answer 404 with a hint for an unknown controller, plan version or run', async () => {
    const c = await call('GET', '/api/signal-controllers/999/sumo-runs', 'plan-neri')
    expect(c.status).toBe(404)
    expect(c.error!.message).toContain('GET /api/signal-controllers')
    expect((await call('POST', '/api/signal-controllers/999/sumo-runs', 'eng-rossi', { planId: plan.id, version: 1 })).status).toBe(404)
    expect((await call('POST', base, 'eng-rossi', { planId: plan.id, version: 99 })).error).toMatchObject({ code: 'NOT_FOUND' })
    const run = await call('GET', '/api/sumo-runs/987654', 'plan-neri')
    expect(run.status).toBe(404)
    expect(run.error!.message).toContain('/sumo-runs')
    expect((await call('POST', '/api/sumo-runs/987654/cancel', 'eng-rossi')).status).toBe(404)
  })

  it('refuse a day or hour without loop counts, and what is not a date', async () => {
    const night = await call('POST', base, 'eng-rossi', { planId: plan.id, version: 1, hour: 3 })
    expect(night.status).toBe(400)
    expect(night.error!.message).toContain(`on ${DAY} at 03:00`)
    expect((await call('POST', base, 'eng-rossi', { planId: plan.id, version: 1, date: '2025-02-30' })).status).toBe(400)
    expect((await call('POST', base, 'eng-rossi', { planId: plan.id, version: 1, durationS: 30 })).status).toBe(400)
    // The scenario's own demand needs no counts.
    const s = await call<SumoRun>('POST', base, 'eng-rossi', { planId: plan.id, version: 1, hour: 3, demand: 'scenario', durationS: 60 })
    expect(s.body).toMatchObject({ status: 'queued', request: { date: DAY, hour: 3, demand: 'scenario' } })
    await call('POST', `/api/sumo-runs/${s.body.id}/cancel`, 'eng-rossi')
  })

  it('let planners read but not queue or cancel; nobody signed in gets 401', async () => {
    expect((await call('POST', base, 'plan-neri', { planId: plan.id, version: 1 })).status).toBe(403)
    expect((await call('POST', '/api/sumo-runs/1/cancel', 'plan-neri')).status).toBe(403)
    expect((await call('GET', base, null)).status).toBe(401)
  })
})
