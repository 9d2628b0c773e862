/**
 * The PMO portfolio's REST calls (docs/pmo.md), typed and parsed from the route contracts
 * (contracts/pmo-api.ts PMO_ROUTES): the path, the method and the response schema come from the
 * contract. Failures are ApiError with the contract code (CONFLICT when someone saved the project
 * first or its id is taken, PROJECT_NOT_FOUND, VALIDATION_FAILED with `body.project.<field>` details).
 *
 * The PDF report is a link the browser opens (a URL, not a fetch).
 */
import { z } from 'zod'
import { PMO_ROUTES, PmoSiteFeatureSchema, PortfolioSchema, type PmoSiteFeature, type PmoSites, type Portfolio, type ProjectDetail, type ProjectSummary } from '../../../contracts/pmo-api'
import type { PmoLine, Project, ProjectInput, ProjectStatus } from '../../../contracts/schemas/pmo'
import { sendJson, type FetchLike } from './send-json'

type Routes = typeof PMO_ROUTES
type RouteName = keyof Routes

export type { PmoSiteFeature, PmoSites, Portfolio }

const siteOf = (feature: unknown): PmoSiteFeature[] => {
  const site = PmoSiteFeatureSchema.safeParse(feature)
  return site.success ? [site.data] : []
}

/**
 * The sites as the client reads them: the contract's collection, except that a feature which does not
 * match (a newer server's status, a broken site) is skipped — one bad site does not hide the others.
 */
const SitesReadSchema = PMO_ROUTES.pmoSites.response.extend({ features: z.array(z.unknown()).transform((features) => features.flatMap(siteOf)) })

export interface PmoClient {
  portfolio(signal?: AbortSignal): Promise<Portfolio>
  list(filter?: { line?: PmoLine; status?: ProjectStatus }, signal?: AbortSignal): Promise<{ projects: ProjectSummary[] }>
  get(id: string, signal?: AbortSignal): Promise<ProjectDetail>
  version(id: string, version: number, signal?: AbortSignal): Promise<{ project: Project; version: { version: number; atMs: number; by: string; note: string } }>
  /** Version 1 of a new project: CONFLICT when the id is taken. */
  create(project: ProjectInput, note?: string): Promise<ProjectDetail>
  /** A new version made on `baseVersion`: CONFLICT when someone saved meanwhile. */
  save(id: string, project: ProjectInput, baseVersion: number, note?: string): Promise<ProjectDetail>
  /** The projects' sites (GET /api/pmo/sites.geojson), each parsed with the contract. */
  sites(signal?: AbortSignal): Promise<PmoSites>
  /** Where the browser downloads the progress report (the whole portfolio, or one line). */
  reportUrl(lang: 'it' | 'en', line?: PmoLine | null): string
}

export interface PmoClientOptions {
  /** Prefix of every path, '' for the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
}

const withQuery = (path: string, query: Record<string, string | undefined>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') p.set(k, v)
  const qs = p.toString()
  return qs ? `${path}?${qs}` : path
}
const byId = (path: string, id: string) => path.replace(':id', encodeURIComponent(id))

export function createPmoClient(options: PmoClientOptions = {}): PmoClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const call = <K extends RouteName>(name: K, path: string, o: { body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<z.infer<Routes[K]['response']>> => {
    const route = PMO_ROUTES[name]
    return sendJson(doFetch, baseUrl, route.method.toUpperCase(), path, route.response as z.ZodType, o.body, o.signal) as Promise<z.infer<Routes[K]['response']>>
  }

  return {
    portfolio: (signal) => sendJson(doFetch, baseUrl, 'GET', PMO_ROUTES.pmoPortfolio.path, PortfolioSchema, undefined, signal),
    list: (f = {}, signal) => call('listProjects', withQuery(PMO_ROUTES.listProjects.path, { line: f.line, status: f.status }), { signal }),
    get: (id, signal) => call('getProject', byId(PMO_ROUTES.getProject.path, id), { signal }),
    version: (id, version, signal) => call('getProjectVersion', byId(PMO_ROUTES.getProjectVersion.path, id).replace(':version', String(version)), { signal }),
    create: (project, note = '') => call('createProject', PMO_ROUTES.createProject.path, { body: { project, note } }),
    save: (id, project, baseVersion, note = '') => call('saveProject', byId(PMO_ROUTES.saveProject.path, id), { body: { project, baseVersion, note } }),
    sites: (signal) => sendJson(doFetch, baseUrl, 'GET', PMO_ROUTES.pmoSites.path, SitesReadSchema, undefined, signal),
    reportUrl: (lang, line) => `${baseUrl}${withQuery(PMO_ROUTES.pmoReport.path, { lang, line: line ?? undefined })}`,
  }
}
