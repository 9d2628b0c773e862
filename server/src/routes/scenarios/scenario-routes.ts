/**
 * The scenario explorer over REST (contracts/scenario-api.ts, docs/scenarios.md): validate (mount) →
 * server/src/db/scenarios.ts (one transaction with the audit row; versions compared-and-set on
 * `baseVersion`) → the stored detail. The estimate of a version at an hour comes from the cache table
 * or the process's one ScenarioEstimator (scenario-estimates.ts); the briefing renders it with the map
 * of its links (server/src/scenarios/briefing.ts). The SUMO verification routes are in
 * scenario-sumo-routes.ts.
 */
import type { Express, Request } from 'express'
import { SCENARIO_ROUTES, type ScenarioVersion } from '../../../../contracts/scenario-api'
import type { Db } from '../../db/adapter'
import { branchScenario, createScenario, getScenario, getScenarioVersion, listScenarios, saveScenarioVersion, ScenarioError, setScenarioStatus } from '../../db/scenarios'
import { actorOf } from '../../http/actor'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { renderBriefing, type BriefingLang } from '../../scenarios/briefing'
import { ScenarioRunError, type ScenarioEstimator } from '../../scenarios/scenario-estimator'
import { ScenarioEstimates } from './scenario-estimates'

export interface ScenarioRouteDeps {
  db: Db
  /** The process's one estimator (it keeps the city model and each base's calibration in memory). */
  estimator: Pick<ScenarioEstimator, 'estimate'>
  /** The loaded datasets' attributions, as /api/about lists them (the briefing's sources). */
  attributions(): Promise<Array<{ text: string; licence: string; url: string | null }>>
  now?: () => number
}

/** ScenarioError → the API's error envelope (a field at fault named as in the request: body.document.id). */
function asApiError(err: unknown): never {
  if (err instanceof ScenarioError) throw new ApiError(err.code, err.message, err.path ? [{ path: `body.${err.path}`, message: err.message }] : undefined)
  throw err
}

/** The estimate could not run (no counts for the base, no city network, a SUMO network): 422 with the estimator's words. */
function notEstimable(err: unknown): never {
  if (err instanceof ScenarioRunError) throw new ApiError('SCENARIO_NOT_ESTIMABLE', err.message)
  throw err
}

const notFound = (what: string): never => {
  throw new ApiError('NOT_FOUND', `${what}. List the scenarios with GET /api/scenarios.`)
}

const langOf = (req: Request, given: BriefingLang | undefined): BriefingLang => given ?? (req.acceptsLanguages('en', 'it') === 'it' ? 'it' : 'en')

export function mountScenarioRoutes(app: Express, deps: ScenarioRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now
  const estimates = new ScenarioEstimates(db, deps.estimator)
  const version = async (id: string, v: number): Promise<ScenarioVersion> => (await getScenarioVersion(db, id, v)) ?? notFound(`No version ${v} of scenario ${id}`)

  mount(app, SCENARIO_ROUTES.listScenarios, async ({ query }) => ({ scenarios: await listScenarios(db, query.status) }))

  mount(app, SCENARIO_ROUTES.createScenario, async ({ body, res }) => createScenario(db, body, actorOf(res), now()).catch(asApiError))

  mount(app, SCENARIO_ROUTES.getScenario, async ({ params }) => (await getScenario(db, params.id)) ?? notFound(`No scenario ${params.id}`))

  mount(app, SCENARIO_ROUTES.getScenarioVersion, async ({ params }) => version(params.id, params.version))

  mount(app, SCENARIO_ROUTES.saveScenarioVersion, async ({ params, body, res }) => saveScenarioVersion(db, params.id, body, actorOf(res), now()).catch(asApiError))

  mount(app, SCENARIO_ROUTES.branchScenario, async ({ params, body, res }) => branchScenario(db, params, body, actorOf(res), now()).catch(asApiError))

  mount(app, SCENARIO_ROUTES.setScenarioStatus, async ({ params, body, res }) => setScenarioStatus(db, params.id, body.status, actorOf(res), now()).catch(asApiError))

  mount(app, SCENARIO_ROUTES.estimateScenario, async ({ params, query }) => {
    const v = await version(params.id, params.version)
    return estimates.estimate(v, query.hour ?? v.document.base.hour).catch(notEstimable)
  })

  mount(app, SCENARIO_ROUTES.estimateScenarioLinks, async ({ params, query }) => {
    const v = await version(params.id, params.version)
    const features = await estimates.links(v, query.hour ?? v.document.base.hour).catch(notEstimable)
    // A string: sent as the contract's application/geo+json.
    return JSON.stringify({ type: 'FeatureCollection', features })
  })

  mount(app, SCENARIO_ROUTES.scenarioBriefing, async ({ params, query, req, res }) => {
    const v = await version(params.id, params.version)
    const hour = query.hour ?? v.document.base.hour
    const [estimate, links, scenario, attributions] = await Promise.all([estimates.estimate(v, hour), estimates.links(v, hour), getScenario(db, params.id), deps.attributions()]).catch(notEstimable)
    const lang = langOf(req, query.lang)
    res.vary('Accept-Language').setHeader('Content-Language', lang)
    return renderBriefing({ version: v, status: scenario!.status, estimate, links, attributions, generatedAtMs: now(), lang })
  })
}
