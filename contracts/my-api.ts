/**
 * The citizen's own routes (issue 10, docs/cases.md "Citizens"): sign in through the SPID/CIE gateway,
 * report a problem, follow my reports — their status, the office's public notes, a fee to pay through
 * pagoPA, a legal notice sent through SEND. Public routes (`anyone`) whose handlers require the
 * citizen's own session (CITIZEN_SIGN_IN_REQUIRED otherwise): a staff session opens none of them, and
 * a citizen sees only the cases their fiscal code reported. Nothing here carries an internal note, an
 * assignee, another person's data, or the citizen's fiscal code back in full.
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { OidcCallbackQuerySchema, ReturnToParamSchema } from './oidc-query'
import { CaseServiceSchema, CaseStatusSchema } from './schemas/case'
import { LonLatSchema } from './schemas/device'

const Localized = z.object({ it: z.string(), en: z.string() })

export const MySessionSchema = z.object({
  signedIn: z.boolean(),
  citizen: z
    .object({
      displayName: z.string(),
      /** The fiscal code with its middle hidden (RSSMRA•••••••501U): enough to recognise it, not to copy it. */
      fiscalCodeHint: z.string(),
      /** The authentication level the gateway asserted (acr). */
      level: z.string().nullable(),
      expiresAtMs: z.number(),
    })
    .nullable(),
  /** A SPID/CIE gateway is configured: the sign-in button works. */
  signInAvailable: z.boolean(),
  /** Days a reporter's personal data is kept after their case closes (the privacy notice on the report form). */
  retentionDays: z.number().int(),
})
export type MySession = z.infer<typeof MySessionSchema>

export const MyAuthStartQuerySchema = z.object({ returnTo: ReturnToParamSchema.default('/cittadini/') })

export const MyFeeSchema = z.object({
  amountCents: z.number().int(),
  description: z.string(),
  /** The pagoPA notice number (codice avviso), 18 digits. */
  noticeNumber: z.string(),
  /** The creditor's fiscal code: with the notice number it is what any pagoPA channel asks for. */
  creditorFiscalCode: z.string(),
  dueDate: z.string(),
  status: z.enum(['pending', 'published', 'paid', 'cancelled', 'failed']),
  paidAtMs: z.number().nullable(),
})
export type MyFee = z.infer<typeof MyFeeSchema>

export const MyNoticeSchema = z.object({
  subject: z.string(),
  status: z.enum(['queued', 'requested', 'accepted', 'refused', 'delivering', 'delivered', 'viewed', 'effective', 'unreachable', 'cancelled']),
  /** SEND's notification id, once accepted: the citizen finds it in SEND's own app. */
  iun: z.string().nullable(),
  statusAtMs: z.number(),
})

export const MyCaseSummarySchema = z.object({
  id: z.number().int(),
  serviceCode: z.string(),
  serviceName: Localized,
  status: CaseStatusSchema,
  requestedAtMs: z.number(),
  updatedAtMs: z.number(),
  expectedAtMs: z.number().nullable(),
  closedAtMs: z.number().nullable(),
  address: z.string().nullable(),
  /** A fee waits for payment. */
  toPay: z.boolean(),
})
export type MyCaseSummary = z.infer<typeof MyCaseSummarySchema>

export const MyCaseSchema = MyCaseSummarySchema.extend({
  description: z.string(),
  position: LonLatSchema,
  statusNotes: z.string().nullable(),
  /** The public history: status changes and the office's public notes. */
  events: z.array(z.object({ atMs: z.number(), status: CaseStatusSchema, note: z.string().nullable() })),
  fee: MyFeeSchema.nullable(),
  notices: z.array(MyNoticeSchema),
})
export type MyCase = z.infer<typeof MyCaseSchema>

export const MyReportBodySchema = z
  .object({
    serviceCode: z.string().min(1).max(40),
    /** [lon, lat] where the problem is (inside the comune). */
    position: LonLatSchema,
    description: z.string().trim().min(10, 'describe the problem in at least 10 characters').max(4000),
    address: z.string().trim().max(300).optional(),
    /** Answers to the service's questions by their code (list values by key). */
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])).default({}),
  })
  .strict()
export type MyReportBody = z.output<typeof MyReportBodySchema>

export const MyCaseParamsSchema = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })

/** A service as the citizen's report form shows it: no office, no routing. */
export const MyServiceSchema = CaseServiceSchema.omit({ office: true, assetCollections: true, keywords: true })
export type MyService = z.infer<typeof MyServiceSchema>

const MINE = ['CITIZEN_SIGN_IN_REQUIRED'] as const

export const MY_ROUTES = {
  mySession: { method: 'get', path: '/api/my/session', permission: 'anyone', operationId: 'mySession', summary: 'Whether a citizen is signed in (and as whom, the fiscal code half hidden), and whether signing in is available', tags: ['citizens'], response: MySessionSchema, errors: [] },
  myServices: { method: 'get', path: '/api/my/services', permission: 'anyone', operationId: 'myServices', summary: 'The services a citizen can report under, with their questions, expected time, fee and legal-notice flag (active ones)', tags: ['citizens'], response: z.object({ services: z.array(MyServiceSchema) }), errors: [] },
  myAuthStart: { method: 'get', path: '/api/my/auth/start', permission: 'anyone', operationId: 'myAuthStart', summary: 'Redirect to the SPID/CIE gateway (authorization code + PKCE, the configured authentication levels)', tags: ['citizens'], query: MyAuthStartQuerySchema, response: z.null().describe('302 to the gateway'), errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SIGN_IN_FAILED'] },
  myAuthCallback: { method: 'get', path: '/api/my/auth/callback', permission: 'anyone', operationId: 'myAuthCallback', summary: 'Where the gateway sends the citizen back: verifies state, PKCE, the ID token, the level and the fiscal code; opens the citizen session', tags: ['citizens'], query: OidcCallbackQuerySchema, response: z.null().describe('302 to the page the sign-in started from'), errors: ['SIGN_IN_FAILED', 'FORBIDDEN', 'NOT_FOUND'] },
  mySignOut: { method: 'post', path: '/api/my/auth/sign-out', permission: 'anyone', operationId: 'mySignOut', summary: 'Ends the citizen session', tags: ['citizens'], response: z.object({ signedOut: z.boolean() }), errors: [] },
  myCases: { method: 'get', path: '/api/my/cases', permission: 'anyone', operationId: 'myCases', summary: 'The signed-in citizen’s reports, newest first', tags: ['citizens'], response: z.object({ cases: z.array(MyCaseSummarySchema) }), errors: [...MINE] },
  myCase: { method: 'get', path: '/api/my/cases/:id', permission: 'anyone', operationId: 'myCase', summary: 'One of the citizen’s reports: status, public history, fee, legal notices (another person’s report is CASE_NOT_FOUND)', tags: ['citizens'], params: MyCaseParamsSchema, response: MyCaseSchema, errors: ['VALIDATION_FAILED', 'CASE_NOT_FOUND', ...MINE] },
  myReport: { method: 'post', path: '/api/my/cases', permission: 'anyone', operationId: 'myReport', summary: 'Report a problem or make a request as the signed-in citizen: routed, with its SLA, its fee asked through pagoPA when the service has one', tags: ['citizens'], body: MyReportBodySchema, response: MyCaseSchema, errors: ['VALIDATION_FAILED', 'SERVICE_NOT_FOUND', 'OUTSIDE_AREA', 'RATE_LIMITED', ...MINE] },
} as const satisfies Record<string, RouteContract>
