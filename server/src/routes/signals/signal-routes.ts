/**
 * The signal workbench over REST (contracts/signal-api.ts, docs/signals.md): validate (mount) →
 * server/src/db/signals.ts (one transaction with the audit row; the validator of contracts/ runs on
 * the server whatever the editor showed) → presenter. Deploy, switch and rollback go through the
 * deploy manager, which sends the plan to the controller and waits for its acknowledgement.
 */
import type { Express } from 'express'
import { SIGNAL_ROUTES, type Deployment, type EvaluateResponse } from '../../../../contracts/signal-api'
import { comparePlans, evaluate, type EvaluationInput } from '../../../../contracts/signal-evaluation/evaluation'
import type { SignalController, SignalPlan } from '../../../../contracts/schemas/signal-plan'
import { validateSignals } from '../../../../contracts/signal-safety/validator'
import type { Db } from '../../db/adapter'
import { groupDemand } from '../../db/signal-demand'
import { listDeployments, runningPlans } from '../../db/signal-deployments'
import { SignalError, actOnPlanVersion, controllerDoc, createPlanVersion, getController, getPlanVersion, listControllers, listPlanVersions, updateController, type ChangedBy } from '../../db/signals'
import { actorOf } from '../../http/actor'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'

/** Sends plans to controllers (server/src/signals/deploy-manager.ts). */
export interface SignalDeployer {
  deploy(controllerId: string, target: { planId: string; version: number }, kind: 'deploy' | 'switch', by: ChangedBy): Promise<Deployment>
  rollback(controllerId: string, by: ChangedBy): Promise<Deployment>
}

export interface SignalRouteDeps {
  db: Db
  deployer: SignalDeployer
  now?: () => number
}

/** SignalError → the API's error envelope; a rejection carries each violation as a detail. */
export function asApiError(err: unknown): never {
  if (err instanceof SignalError) {
    const details = err.report?.violations.filter((v) => v.severity === 'reject').map((v) => ({ path: `${v.rule}${v.planId ? `/${v.planId}` : ''}${v.interval !== null ? `/interval ${v.interval + 1}` : ''}`, message: v.message }))
    throw new ApiError(err.code, err.message, details && details.length > 0 ? details : undefined)
  }
  throw err
}

const notFound = (what: string): never => {
  throw new ApiError('NOT_FOUND', `${what}. List the controllers with GET /api/signal-controllers.`)
}

export function mountSignalRoutes(app: Express, deps: SignalRouteDeps): void {
  const { db, deployer } = deps
  const now = deps.now ?? Date.now

  mount(app, SIGNAL_ROUTES.listSignalControllers, async () => ({ controllers: await listControllers(db) }))

  mount(app, SIGNAL_ROUTES.getSignalController, async ({ params }) => (await getController(db, params.id)) ?? notFound(`No signal controller ${params.id}`))

  mount(app, SIGNAL_ROUTES.updateSignalController, async ({ params, body, res }) => {
    await updateController(db, params.id, body, actorOf(res), now()).catch(asApiError)
    return (await getController(db, params.id))!
  })

  mount(app, SIGNAL_ROUTES.listPlanVersions, async ({ params }) => {
    const versions = await listPlanVersions(db, params.id, params.planId)
    if (versions === null) notFound(`No signal controller ${params.id}`)
    if (versions!.length === 0) notFound(`Controller ${params.id} has no plan ${params.planId}`)
    return { versions: versions! }
  })

  mount(app, SIGNAL_ROUTES.getPlanVersion, async ({ params }) => (await getPlanVersion(db, params.id, params.planId, params.version)) ?? notFound(`No version ${params.version} of plan ${params.planId} on controller ${params.id}`))

  mount(app, SIGNAL_ROUTES.createPlanVersion, async ({ params, body, res }) => createPlanVersion(db, params.id, body, actorOf(res), now()).catch(asApiError))

  mount(app, SIGNAL_ROUTES.actOnPlanVersion, async ({ params, body, res }) => actOnPlanVersion(db, params.id, params.planId, params.version, body.action, body.note, actorOf(res), now()).catch(asApiError))

  mount(app, SIGNAL_ROUTES.validateSignalPlans, async ({ body }) => {
    const { controller, plans, ...opts } = body
    return validateSignals(controller, plans, opts)
  })

  mount(app, SIGNAL_ROUTES.listSignalDeployments, async ({ params }) => {
    await controllerDoc(db, params.id).catch(asApiError)
    return { deployments: await listDeployments(db, params.id) }
  })

  mount(app, SIGNAL_ROUTES.deploySignalPlan, async ({ params, body, res }) => deployer.deploy(params.id, body, 'deploy', actorOf(res)).catch(asApiError))

  mount(app, SIGNAL_ROUTES.switchSignalPlan, async ({ params, body, res }) => deployer.deploy(params.id, body, 'switch', actorOf(res)).catch(asApiError))

  mount(app, SIGNAL_ROUTES.rollbackSignalPlan, async ({ params, res }) => deployer.rollback(params.id, actorOf(res)).catch(asApiError))

  mount(app, SIGNAL_ROUTES.evaluateSignalPlan, async ({ params, body }) => {
    const c = await controllerDoc(db, params.id).catch(asApiError)
    const stored = async (planId: string, version: number) => (await getPlanVersion(db, params.id, planId, version))?.plan ?? notFound(`No version ${version} of plan ${planId} on controller ${params.id}`)
    let plan: SignalPlan
    if (body.plan) plan = body.plan
    else if (body.planId && body.version) plan = await stored(body.planId, body.version)
    else {
      const run = (await runningPlans(db, params.id)).get(params.id)
      if (!run) throw new ApiError('VALIDATION_FAILED', 'say which plan to evaluate: a plan, or planId and version (the controller runs no plan deployed by Gemello)', [{ path: 'body.plan', message: 'required' }])
      plan = await stored(run.planId, run.version)
    }
    const current = body.current ? await stored(body.current.planId, body.current.version) : null
    const { demand, window } = await groupDemand(db, c.doc, c.networkId, body.demand)
    const overrides = new Map(body.demandOverrides.map((o) => [o.groupId, o.flowVehH]))
    const input = (p: SignalPlan): EvaluationInput => ({
      controller: c.doc as SignalController,
      plan: p,
      demand: demand.flatMap((d) => {
        const flow = overrides.get(d.groupId) ?? d.flowVehH
        return flow === null ? [] : [{ groupId: d.groupId, flowVehH: flow, lanes: Math.max(1, d.lanes) }]
      }),
    } as EvaluationInput)
    const evaluation = evaluate(input(plan))
    const currentEval = current ? evaluate(input(current)) : null
    const out: EvaluateResponse = { demand: demand.map((d) => (overrides.has(d.groupId) ? { ...d, flowVehH: overrides.get(d.groupId)! } : d)), window, evaluation, current: currentEval, comparison: currentEval ? comparePlans(currentEval, evaluation) : null }
    return out
  })
}
