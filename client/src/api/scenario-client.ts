/**
 * The scenario explorer's REST calls (ADR 0009), typed and parsed from the route contracts
 * (contracts/scenario-api.ts SCENARIO_ROUTES): the path, the method and the response schema come from
 * the contract, so a route the server changes breaks the typecheck here, not the page. Failures are
 * ApiError with the contract code (CONFLICT when someone saved a version meanwhile, SCENARIO_STATE for
 * an archived scenario or a finished run, SCENARIO_NOT_ESTIMABLE when the base has no counts, …).
 *
 * The briefing is an HTML page the browser opens in a new tab: a URL, not a fetch.
 */
import type { z } from 'zod'
import { SCENARIO_ROUTES } from '../../../contracts/scenario-api'
import { sendJson, type FetchLike } from './send-json'

type Routes = typeof SCENARIO_ROUTES
export type ScenarioRouteName = keyof Routes
type ResponseOf<K extends ScenarioRouteName> = z.infer<Routes[K]['response']>
type BodyOf<K extends ScenarioRouteName> = Routes[K] extends { body: z.ZodType } ? z.input<Routes[K]['body']> : never

export type ScenarioDetail = ResponseOf<'getScenario'>
export type ScenarioSummary = ResponseOf<'listScenarios'>['scenarios'][number]
export type ScenarioVersion = ResponseOf<'getScenarioVersion'>
export type ScenarioEstimate = ResponseOf<'estimateScenario'>
export type EstimateLinks = ResponseOf<'estimateScenarioLinks'>
export type ScenarioSumoRun = ResponseOf<'getScenarioSumoRun'>
export type ScenarioSumoEdge = ResponseOf<'scenarioSumoRunEdges'>['edges'][number]
export type CreateScenarioBody = BodyOf<'createScenario'>
export type SaveScenarioVersionBody = BodyOf<'saveScenarioVersion'>
export type BranchScenarioBody = BodyOf<'branchScenario'>
export type ScenarioSumoRequest = BodyOf<'createScenarioSumoRun'>
export type ScenarioStatusValue = BodyOf<'setScenarioStatus'>['status']

/** A version of a scenario: what the estimate, the links, the briefing and SUMO runs are asked about. */
export interface VersionKey {
  id: string
  version: number
}

export interface ScenarioClient {
  list(query?: { status?: ScenarioStatusValue }, signal?: AbortSignal): Promise<ScenarioSummary[]>
  get(id: string, signal?: AbortSignal): Promise<ScenarioDetail>
  getVersion(key: VersionKey, signal?: AbortSignal): Promise<ScenarioVersion>
  create(body: CreateScenarioBody): Promise<ScenarioDetail>
  /** A new version; CONFLICT when `baseVersion` is not the latest any more. */
  save(id: string, body: SaveScenarioVersionBody): Promise<ScenarioDetail>
  branch(key: VersionKey, body: BranchScenarioBody): Promise<ScenarioDetail>
  setStatus(id: string, status: ScenarioStatusValue): Promise<ScenarioDetail>
  /** The fast estimate at an hour (default the base's): it may take tens of seconds the first time. */
  estimate(key: VersionKey, hour: number | undefined, signal?: AbortSignal): Promise<ScenarioEstimate>
  /** Per road link and direction, base and scenario, as GeoJSON (the delta layer). */
  links(key: VersionKey, hour: number | undefined, signal?: AbortSignal): Promise<EstimateLinks>
  /** Where the briefing page is (opened in a new tab), at an hour, in a language (default: the browser's). */
  briefingUrl(key: VersionKey, hour: number | undefined, lang?: 'it' | 'en'): string
  createSumoRun(key: VersionKey, body: ScenarioSumoRequest): Promise<ScenarioSumoRun>
  listSumoRuns(id: string, signal?: AbortSignal): Promise<ScenarioSumoRun[]>
  getSumoRun(runId: number, signal?: AbortSignal): Promise<ScenarioSumoRun>
  cancelSumoRun(runId: number): Promise<ScenarioSumoRun>
  sumoRunEdges(runId: number, signal?: AbortSignal): Promise<ScenarioSumoEdge[]>
}

export interface ScenarioClientOptions {
  /** Prefix of every path, '' for the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
}

/** `/api/scenarios/:id/versions/:version` with its parameters filled in (each URL-encoded). */
export function fillScenarioPath(path: string, params: Record<string, string | number>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`fillScenarioPath: no value for :${name} in ${path}`)
    return encodeURIComponent(String(value))
  })
}

const withQuery = (path: string, query: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) p.set(k, String(v))
  const qs = p.toString()
  return qs ? `${path}?${qs}` : path
}

export function createScenarioClient(options: ScenarioClientOptions = {}): ScenarioClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  async function call<K extends ScenarioRouteName>(name: K, params: Record<string, string | number>, o: { query?: Record<string, string | number | undefined>; body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<ResponseOf<K>> {
    const route = SCENARIO_ROUTES[name]
    const path = withQuery(fillScenarioPath(route.path, params), o.query ?? {})
    return (await sendJson(doFetch, baseUrl, route.method.toUpperCase(), path, route.response as z.ZodType, o.body, o.signal)) as ResponseOf<K>
  }
  const v = (key: VersionKey) => ({ id: key.id, version: key.version })

  return {
    list: (query = {}, signal) => call('listScenarios', {}, { query: { status: query.status }, signal }).then((r) => r.scenarios),
    get: (id, signal) => call('getScenario', { id }, { signal }),
    getVersion: (key, signal) => call('getScenarioVersion', v(key), { signal }),
    create: (body) => call('createScenario', {}, { body }),
    save: (id, body) => call('saveScenarioVersion', { id }, { body }),
    branch: (key, body) => call('branchScenario', v(key), { body }),
    setStatus: (id, status) => call('setScenarioStatus', { id }, { body: { status } }),
    estimate: (key, hour, signal) => call('estimateScenario', v(key), { query: { hour }, signal }),
    links: (key, hour, signal) => call('estimateScenarioLinks', v(key), { query: { hour }, signal }),
    briefingUrl: (key, hour, lang) => `${baseUrl}${withQuery(fillScenarioPath(SCENARIO_ROUTES.scenarioBriefing.path, v(key)), { hour, lang })}`,
    createSumoRun: (key, body) => call('createScenarioSumoRun', v(key), { body }),
    listSumoRuns: (id, signal) => call('listScenarioSumoRuns', { id }, { signal }).then((r) => r.runs),
    getSumoRun: (runId, signal) => call('getScenarioSumoRun', { runId }, { signal }),
    cancelSumoRun: (runId) => call('cancelScenarioSumoRun', { runId }, { body: {} }),
    sumoRunEdges: (runId, signal) => call('scenarioSumoRunEdges', { runId }, { signal }).then((r) => r.edges),
  }
}
