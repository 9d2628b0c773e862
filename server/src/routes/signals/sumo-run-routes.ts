/**
 * SUMO verification over REST (contracts/signal-api.ts createSumoRun, listSumoRuns, getSumoRun,
 * cancelSumoRun; docs/signals.md "Verification in SUMO"): a run is queued here (its date resolved to
 * the newest day with loop counts when none is given) and run by the SumoRunner in the background;
 * the client polls getSumoRun for progress and results.
 */
import type { Express } from 'express'
import { SIGNAL_ROUTES } from '../../../../contracts/signal-api'
import type { Db } from '../../db/adapter'
import { loopFlowsAt, newestRomeDay } from '../../db/signal-demand'
import { SignalError } from '../../db/signals'
import { cancelSumoRun, createSumoRun, getSumoRun, listSumoRuns } from '../../db/sumo-runs'
import { actorOf } from '../../http/actor'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'

/** What the routes need of the runner (server/src/signals/sumo-runner.ts). */
export interface SumoRunControl {
  /** A run was queued: start it now if idle. */
  wake(): void
  /** A cancel was recorded: stop SUMO now if this process runs it. */
  cancel(runId: number): boolean
}

export interface SumoRunRouteDeps {
  db: Db
  runner: SumoRunControl
  now?: () => number
}

function asApiError(err: unknown): never {
  if (err instanceof SignalError) throw new ApiError(err.code, err.message)
  throw err
}

const runNotFound = (id: number): never => {
  throw new ApiError('NOT_FOUND', `No SUMO run ${id}. List a controller's runs with GET /api/signal-controllers/{id}/sumo-runs.`)
}
const controllerNotFound = (id: string): never => {
  throw new ApiError('NOT_FOUND', `No signal controller ${id}. List the controllers with GET /api/signal-controllers.`)
}

export function mountSumoRunRoutes(app: Express, deps: SumoRunRouteDeps): void {
  const { db, runner } = deps
  const now = deps.now ?? Date.now

  mount(app, SIGNAL_ROUTES.createSumoRun, async ({ params, body, res }) => {
    const c = await db.query<{ network_id: string | null }>('SELECT network_id FROM signal_controller WHERE id = $1', [params.id])
    if (!c.rows[0]) controllerNotFound(params.id)
    const networkId = c.rows[0]!.network_id
    if (networkId === null) throw new ApiError('VALIDATION_FAILED', `Controller ${params.id} has no SUMO network: it was not imported from one, so there is nothing to run the plan on.`)
    const devices = await db.query<{ device_id: string }>('SELECT DISTINCT device_id FROM sumo_detector WHERE network_id = $1 AND device_id IS NOT NULL ORDER BY 1', [networkId])
    const deviceIds = devices.rows.map((d) => d.device_id)
    const date = body.date ?? (deviceIds.length === 0 ? null : await newestRomeDay(db, deviceIds))
    if (body.demand === 'loop-counts') {
      const field = [{ path: 'body.date', message: 'no loop counts' }]
      if (date === null) throw new ApiError('VALIDATION_FAILED', `No loop linked to network ${networkId} has counts, so there is no demand to rebuild: choose demand "scenario", or wait for the loops to report.`, field)
      if ((await loopFlowsAt(db, deviceIds, date, body.hour)).size === 0)
        throw new ApiError('VALIDATION_FAILED', `None of the ${deviceIds.length} loops linked to network ${networkId} has counts on ${date} at ${String(body.hour).padStart(2, '0')}:00 (Europe/Rome): choose another day or hour, or demand "scenario".`, field)
    }
    const run = await createSumoRun(db, params.id, { ...body, date }, actorOf(res), now()).catch(asApiError)
    runner.wake()
    return run
  })

  mount(app, SIGNAL_ROUTES.listSumoRuns, async ({ params }) => ({ runs: (await listSumoRuns(db, params.id)) ?? controllerNotFound(params.id) }))

  mount(app, SIGNAL_ROUTES.getSumoRun, async ({ params }) => (await getSumoRun(db, params.runId)) ?? runNotFound(params.runId))

  mount(app, SIGNAL_ROUTES.cancelSumoRun, async ({ params, res }) => {
    const run = await cancelSumoRun(db, params.runId, actorOf(res), now()).catch((err: unknown) => {
      if (err instanceof SignalError && err.code === 'NOT_FOUND') runNotFound(params.runId)
      return asApiError(err)
    })
    if (run.status === 'running') runner.cancel(run.id)
    return run
  })
}
