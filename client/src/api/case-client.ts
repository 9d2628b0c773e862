/**
 * The office case screens' REST calls (docs/cases.md "The office cycle"), typed and parsed from the
 * route contracts (contracts/case-api.ts CASE_ROUTES): the path, the method and the response schema
 * come from the contract. Failures are ApiError with the contract code (CONFLICT when someone changed
 * the case first, CASE_NOT_FOUND, VALIDATION_FAILED with the field…).
 *
 * Photos and the CSV are links the browser opens (URLs, not fetches).
 */
import type { z } from 'zod'
import { CASE_ROUTES, type CaseCatalogue, type CaseDetail, type CaseFeatureCollection, type CasePersonal, type CaseStats, type ListCasesResponse } from '../../../contracts/case-api'
import { sendJson, type FetchLike } from './send-json'

type Routes = typeof CASE_ROUTES
type RouteName = keyof Routes
type BodyOf<K extends RouteName> = Routes[K] extends { body: z.ZodType } ? z.input<Routes[K]['body']> : never

export type UpdateCaseInput = BodyOf<'updateCase'>
export type CaseNoteInput = BodyOf<'addCaseNote'>
export type SendNoticeInput = BodyOf<'sendCaseNotice'>

/** The list's filters, as the query string takes them (lists comma-joined). */
export interface CaseListFilter {
  state?: 'open' | 'closed' | 'all' | 'overdue' | 'unpublished'
  service?: readonly string[]
  office?: readonly string[]
  district?: readonly string[]
  /** A staff username, or 'none' for the unassigned. */
  assignee?: string
  limit?: number
}

export interface CaseClient {
  list(filter?: CaseListFilter, signal?: AbortSignal): Promise<ListCasesResponse>
  /** The open cases as map points (overdue flagged). */
  geoJson(signal?: AbortSignal): Promise<CaseFeatureCollection>
  catalogue(signal?: AbortSignal): Promise<CaseCatalogue>
  get(id: number, signal?: AbortSignal): Promise<CaseDetail>
  /** One change on `version`: CONFLICT when the case changed since. */
  update(id: number, body: UpdateCaseInput): Promise<CaseDetail>
  addNote(id: number, body: CaseNoteInput): Promise<CaseDetail>
  /** A legal notice to the reporter through SEND (PLATFORM_NOT_CONFIGURED, NOTICE_NOT_APPLICABLE name why not). */
  sendNotice(id: number, body: SendNoticeInput): Promise<CaseDetail>
  /** The reporter's contact data; the reason is audited. */
  revealPersonal(id: number, reason: string): Promise<CasePersonal>
  stats(period?: { fromIso?: string; toIso?: string }, signal?: AbortSignal): Promise<CaseStats>
  /** Where the browser shows a photo of a case. */
  attachmentUrl(caseId: number, attachmentId: number): string
  /** Where the browser downloads the CSV of a period. */
  csvUrl(period?: { fromIso?: string; toIso?: string }): string
}

export interface CaseClientOptions {
  /** Prefix of every path, '' for the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
}

const withQuery = (path: string, query: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') p.set(k, String(v))
  const qs = p.toString()
  return qs ? `${path}?${qs}` : path
}
const joined = (xs: readonly string[] | undefined) => (xs && xs.length > 0 ? xs.join(',') : undefined)
const byId = (path: string, id: number) => path.replace(':id', String(id))

export function createCaseClient(options: CaseClientOptions = {}): CaseClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const call = <K extends RouteName>(name: K, path: string, o: { body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<z.infer<Routes[K]['response']>> => {
    const route = CASE_ROUTES[name]
    return sendJson(doFetch, baseUrl, route.method.toUpperCase(), path, route.response as z.ZodType, o.body, o.signal) as Promise<z.infer<Routes[K]['response']>>
  }
  const period = (p: { fromIso?: string; toIso?: string } = {}) => ({ from: p.fromIso, to: p.toIso })

  return {
    list: (f = {}, signal) =>
      call('listCases', withQuery(CASE_ROUTES.listCases.path, { state: f.state, service: joined(f.service), office: joined(f.office), district: joined(f.district), assignee: f.assignee, limit: f.limit }), { signal }),
    geoJson: (signal) => call('casesGeoJson', CASE_ROUTES.casesGeoJson.path, { signal }),
    catalogue: (signal) => call('caseCatalogue', CASE_ROUTES.caseCatalogue.path, { signal }),
    get: (id, signal) => call('getCase', byId(CASE_ROUTES.getCase.path, id), { signal }),
    update: (id, body) => call('updateCase', byId(CASE_ROUTES.updateCase.path, id), { body }),
    addNote: (id, body) => call('addCaseNote', byId(CASE_ROUTES.addCaseNote.path, id), { body }),
    sendNotice: (id, body) => call('sendCaseNotice', byId(CASE_ROUTES.sendCaseNotice.path, id), { body }),
    revealPersonal: (id, reason) => call('revealCasePersonal', byId(CASE_ROUTES.revealCasePersonal.path, id), { body: { reason } }),
    stats: (p, signal) => call('caseStats', withQuery(CASE_ROUTES.caseStats.path, period(p)), { signal }),
    attachmentUrl: (caseId, attachmentId) => `${baseUrl}/api/cases/${caseId}/attachments/${attachmentId}`,
    csvUrl: (p) => `${baseUrl}${withQuery(CASE_ROUTES.casesCsv.path, period(p))}`,
  }
}
