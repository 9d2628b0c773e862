/**
 * The citizen pages' REST calls (contracts/my-api.ts MY_ROUTES), typed and parsed from the contracts.
 * Failures are ApiError with the contract code (CITIZEN_SIGN_IN_REQUIRED when the session ended,
 * VALIDATION_FAILED with the fields, CASE_NOT_FOUND…). Signing in is a page change, not a fetch.
 */
import type { z } from 'zod'
import { MY_ROUTES, MyReportBodySchema, type MyCase, type MyCaseSummary, type MyService, type MySession } from '../../../contracts/my-api'
import { sendJson, type FetchLike } from './send-json'

type Routes = typeof MY_ROUTES
export type MyReportInput = z.input<typeof MyReportBodySchema>

export interface MyClient {
  session(signal?: AbortSignal): Promise<MySession>
  services(signal?: AbortSignal): Promise<MyService[]>
  cases(signal?: AbortSignal): Promise<MyCaseSummary[]>
  case(id: number, signal?: AbortSignal): Promise<MyCase>
  report(body: MyReportInput): Promise<MyCase>
  signOut(): Promise<void>
  /** Where the browser goes to sign in (the gateway), coming back to `returnTo`. */
  signInUrl(returnTo: string): string
}

export function createMyClient(o: { baseUrl?: string; fetch?: typeof fetch } = {}): MyClient {
  const baseUrl = o.baseUrl ?? ''
  const doFetch: FetchLike = o.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const call = <K extends keyof Routes>(name: K, path: string, x: { body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<z.infer<Routes[K]['response']>> =>
    sendJson(doFetch, baseUrl, MY_ROUTES[name].method.toUpperCase(), path, MY_ROUTES[name].response as z.ZodType, x.body, x.signal) as Promise<z.infer<Routes[K]['response']>>
  return {
    session: (signal) => call('mySession', MY_ROUTES.mySession.path, { signal }),
    services: (signal) => call('myServices', MY_ROUTES.myServices.path, { signal }).then((r) => r.services),
    cases: (signal) => call('myCases', MY_ROUTES.myCases.path, { signal }).then((r) => r.cases),
    case: (id, signal) => call('myCase', MY_ROUTES.myCase.path.replace(':id', String(id)), { signal }),
    report: (body) => call('myReport', MY_ROUTES.myReport.path, { body }),
    signOut: () => call('mySignOut', MY_ROUTES.mySignOut.path, { body: {} }).then(() => undefined),
    signInUrl: (returnTo) => `${baseUrl}${MY_ROUTES.myAuthStart.path}?${new URLSearchParams({ returnTo })}`,
  }
}
