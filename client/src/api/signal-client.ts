/**
 * The signal workbench's REST calls, typed and parsed from the route contracts (contracts/signal-api.ts
 * SIGNAL_ROUTES): the path, the method and the response schema come from the contract, so a route the
 * server changes breaks the typecheck here, not the page. Failures are ApiError with the contract code
 * (FOUR_EYES, STEP_UP_REQUIRED, PLAN_REJECTED, CONFLICT, …), exactly like client/src/api/rest-client.ts.
 *
 * House style puts every fetch in client/src/api/: this module is written to move there unchanged
 * (`git mv` to client/src/api/signal-client.ts and fix the two relative imports) or to merge into
 * RestClient. It lives here only because the workbench was built inside client/src/signals/.
 */
import type { z } from 'zod'
import { SIGNAL_ROUTES } from '../../../contracts/signal-api'
import { sendJson } from './send-json'

type Routes = typeof SIGNAL_ROUTES
export type SignalRouteName = keyof Routes
type ResponseOf<K extends SignalRouteName> = z.infer<Routes[K]['response']>
type BodyOf<K extends SignalRouteName> = Routes[K] extends { body: z.ZodType } ? z.input<Routes[K]['body']> : never

export type ControllerSummaries = ResponseOf<'listSignalControllers'>['controllers']
export type CreatePlanVersionBody = BodyOf<'createPlanVersion'>
export type UpdateControllerBody = BodyOf<'updateSignalController'>
export type PlanActionBody = BodyOf<'actOnPlanVersion'>
export type EvaluateBody = BodyOf<'evaluateSignalPlan'>
export type DeployBody = BodyOf<'deploySignalPlan'>
export type SumoRunBody = BodyOf<'createSumoRun'>

export interface SignalClient {
  listControllers(signal?: AbortSignal): Promise<ControllerSummaries>
  getController(id: string, signal?: AbortSignal): Promise<ResponseOf<'getSignalController'>>
  updateController(id: string, body: UpdateControllerBody): Promise<ResponseOf<'updateSignalController'>>
  listPlanVersions(id: string, planId: string, signal?: AbortSignal): Promise<ResponseOf<'listPlanVersions'>['versions']>
  getPlanVersion(id: string, planId: string, version: number, signal?: AbortSignal): Promise<ResponseOf<'getPlanVersion'>>
  createPlanVersion(id: string, body: CreatePlanVersionBody): Promise<ResponseOf<'createPlanVersion'>>
  actOnPlanVersion(id: string, planId: string, version: number, body: PlanActionBody): Promise<ResponseOf<'actOnPlanVersion'>>
  evaluatePlan(id: string, body: EvaluateBody, signal?: AbortSignal): Promise<ResponseOf<'evaluateSignalPlan'>>
  listDeployments(id: string, signal?: AbortSignal): Promise<ResponseOf<'listSignalDeployments'>['deployments']>
  deploy(id: string, body: DeployBody): Promise<ResponseOf<'deploySignalPlan'>>
  switchPlan(id: string, body: DeployBody): Promise<ResponseOf<'switchSignalPlan'>>
  rollback(id: string): Promise<ResponseOf<'rollbackSignalPlan'>>
  /** The controller's approach lanes per signal group and its junction polygons (GeoJSON). */
  getGeometry(id: string, signal?: AbortSignal): Promise<ResponseOf<'getSignalGeometry'>>
  createSumoRun(id: string, body: SumoRunBody): Promise<ResponseOf<'createSumoRun'>>
  listSumoRuns(id: string, signal?: AbortSignal): Promise<ResponseOf<'listSumoRuns'>['runs']>
  getSumoRun(runId: number, signal?: AbortSignal): Promise<ResponseOf<'getSumoRun'>>
  cancelSumoRun(runId: number): Promise<ResponseOf<'cancelSumoRun'>>
}

export interface SignalClientOptions {
  /** Prefix of every path, '' for the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
}

/** `/api/signal-controllers/:id/plans/:planId` with its parameters filled in (each URL-encoded). */
export function fillPath(path: string, params: Record<string, string | number>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`fillPath: no value for :${name} in ${path}`)
    return encodeURIComponent(String(value))
  })
}

export function createSignalClient(options: SignalClientOptions = {}): SignalClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))

  async function call<K extends SignalRouteName>(name: K, params: Record<string, string | number>, body?: unknown, signal?: AbortSignal): Promise<ResponseOf<K>> {
    const route = SIGNAL_ROUTES[name]
    const path = fillPath(route.path, params)
    return (await sendJson(doFetch, baseUrl, route.method.toUpperCase(), path, route.response as z.ZodType, body, signal)) as ResponseOf<K>
  }

  return {
    listControllers: (signal) => call('listSignalControllers', {}, undefined, signal).then((r) => r.controllers),
    getController: (id, signal) => call('getSignalController', { id }, undefined, signal),
    updateController: (id, body) => call('updateSignalController', { id }, body),
    listPlanVersions: (id, planId, signal) => call('listPlanVersions', { id, planId }, undefined, signal).then((r) => r.versions),
    getPlanVersion: (id, planId, version, signal) => call('getPlanVersion', { id, planId, version }, undefined, signal),
    createPlanVersion: (id, body) => call('createPlanVersion', { id }, body),
    actOnPlanVersion: (id, planId, version, body) => call('actOnPlanVersion', { id, planId, version }, body),
    evaluatePlan: (id, body, signal) => call('evaluateSignalPlan', { id }, body, signal),
    listDeployments: (id, signal) => call('listSignalDeployments', { id }, undefined, signal).then((r) => r.deployments),
    deploy: (id, body) => call('deploySignalPlan', { id }, body),
    switchPlan: (id, body) => call('switchSignalPlan', { id }, body),
    rollback: (id) => call('rollbackSignalPlan', { id }, {}),
    getGeometry: (id, signal) => call('getSignalGeometry', { id }, undefined, signal),
    createSumoRun: (id, body) => call('createSumoRun', { id }, body),
    listSumoRuns: (id, signal) => call('listSumoRuns', { id }, undefined, signal).then((r) => r.runs),
    getSumoRun: (runId, signal) => call('getSumoRun', { runId }, undefined, signal),
    cancelSumoRun: (runId) => call('cancelSumoRun', { runId }, {}),
  }
}
