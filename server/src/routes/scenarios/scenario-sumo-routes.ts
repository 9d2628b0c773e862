/**
 * The SUMO verification of scenarios over REST (contracts/scenario-api.ts createScenarioSumoRun,
 * listScenarioSumoRuns, getScenarioSumoRun, scenarioSumoRunEdges, cancelScenarioSumoRun;
 * docs/scenarios.md "Verification in SUMO"): a run of a stored version is queued here — the version's
 * document kept with it, its network and hour resolved, its demand day checked — and run by the
 * ScenarioSumoRunner in the background; the client polls getScenarioSumoRun for progress and results
 * and reads the per-edge rows for the side-by-side map.
 */
import type { Express } from 'express'
import { SCENARIO_ROUTES, type ScenarioSumoRunRequest } from '../../../../contracts/scenario-api'
import { ScenarioSchema } from '../../../../contracts/schemas/scenario'
import type { Db } from '../../db/adapter'
import { cancelScenarioSumoRun, createScenarioSumoRun, getScenarioSumoRun, listScenarioSumoEdges, listScenarioSumoRuns } from '../../db/scenario-sumo-runs'
import { loadScenarioVersion, scenarioExists } from '../../db/scenario-version-lookup'
import { networkDetectors } from '../../db/sumo-runs'
import { actorOf } from '../../http/actor'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { demandDay } from '../../scenarios/sumo-verification/demand-day'
import type { SumoRunControl } from '../signals/sumo-run-routes'

export interface ScenarioSumoRouteDeps {
  db: Db
  runner: SumoRunControl
  now?: () => number
}

const runNotFound = (id: number): never => {
  throw new ApiError('NOT_FOUND', `No scenario SUMO run ${id}. List a scenario's runs with GET /api/scenarios/{id}/sumo-runs.`)
}

export function mountScenarioSumoRoutes(app: Express, deps: ScenarioSumoRouteDeps): void {
  const { db, runner } = deps
  const now = deps.now ?? Date.now

  mount(app, SCENARIO_ROUTES.createScenarioSumoRun, async ({ params, body, res }) => {
    const stored = await loadScenarioVersion(db, params.id, params.version)
    if (!stored) throw new ApiError('NOT_FOUND', `No version ${params.version} of scenario ${params.id}. List the scenarios with GET /api/scenarios.`)
    const parsed = ScenarioSchema.safeParse(stored.document)
    if (!parsed.success) throw new ApiError('VALIDATION_FAILED', `Version ${params.version} of scenario ${params.id} is not a valid scenario document (${parsed.error.issues[0]?.message ?? 'invalid'}): save a corrected version and verify that.`)
    const scenario = parsed.data
    const own = scenario.network === 'city' ? null : (scenario.network.replace(/^sumo-/, '') as ScenarioSumoRunRequest['network'])
    const network = body.network ?? own ?? 'joined'
    if (own !== null && network !== own)
      throw new ApiError('VALIDATION_FAILED', `Scenario ${params.id} names the edges of SUMO network ${scenario.network}: it can only be verified there (network "${own}"), not on "${network}".`, [{ path: 'body.network', message: `must be ${own}` }])
    const networkId = `sumo-${network}`
    if ((await db.query('SELECT 1 FROM sumo_network WHERE id = $1', [networkId])).rows.length === 0)
      throw new ApiError('VALIDATION_FAILED', `SUMO network ${networkId} is not imported: import the city data (npm run import -- ${networkId}) and try again.`, [{ path: 'body.network', message: 'not imported' }])
    const hour = body.hour ?? scenario.base.hour
    const deviceIds = [...new Set((await networkDetectors(db, networkId)).flatMap((d) => (d.device_id ? [d.device_id] : [])))].sort()
    const day = await demandDay(db, scenario.base, hour, deviceIds)
    if ('problem' in day) throw new ApiError('VALIDATION_FAILED', `There is no demand to simulate: ${day.problem}.`, [{ path: 'body.hour', message: 'no loop counts' }])
    const run = await createScenarioSumoRun(db, { scenarioId: params.id, version: params.version, document: scenario, request: { network, hour, durationS: body.durationS } }, actorOf(res), now())
    runner.wake()
    return run
  })

  mount(app, SCENARIO_ROUTES.listScenarioSumoRuns, async ({ params }) => {
    const runs = await listScenarioSumoRuns(db, params.id)
    if (runs.length === 0 && !(await scenarioExists(db, params.id))) throw new ApiError('NOT_FOUND', `No scenario ${params.id}. List the scenarios with GET /api/scenarios.`)
    return { runs }
  })

  mount(app, SCENARIO_ROUTES.getScenarioSumoRun, async ({ params }) => (await getScenarioSumoRun(db, params.runId)) ?? runNotFound(params.runId))

  mount(app, SCENARIO_ROUTES.scenarioSumoRunEdges, async ({ params, query }) => {
    const rows = (await listScenarioSumoEdges(db, params.runId, query.limit)) ?? runNotFound(params.runId)
    return { edges: rows.map((r) => ({ ...r, differenceVehH: r.estimatedVehH === null ? null : Math.round((r.simulatedVehH - r.estimatedVehH) * 10) / 10 })) }
  })

  mount(app, SCENARIO_ROUTES.cancelScenarioSumoRun, async ({ params, res }) => {
    const c = await cancelScenarioSumoRun(db, params.runId, actorOf(res), now())
    if (c.outcome === 'missing') return runNotFound(params.runId)
    if (c.outcome === 'ended') throw new ApiError('SCENARIO_STATE', `Scenario SUMO run ${params.runId} has already ended (${c.run.status}): there is nothing to cancel.`)
    if (c.run.status === 'running') runner.cancel(c.run.id)
    return c.run
  })
}
