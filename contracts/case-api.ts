/**
 * Citizen cases for the offices (issue 10, docs/cases.md "The office cycle"): the list and the map of
 * cases, one case with its events and duplicate suggestions, the cycle (accept a batch request,
 * triage, route to another office, assign, status with a note for the citizen, internal notes, links
 * to an incident, a PMO work site or a census asset, mark as a duplicate), the reporter's personal
 * data shown only on an audited request with its reason, and statistics and a CSV export with no
 * personal field. Every change carries the version it was made on (CONFLICT otherwise), is one
 * transaction with its event and audit rows, and is pushed to the screens (`case:changed`).
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { AssigneeSchema, BboxQuerySchema, IncidentPrioritySchema } from './incident-api'
import { CASE_STATUSES, CaseOfficeSchema, CaseServiceSchema, CaseStatusSchema } from './schemas/case'
import { LonLatSchema } from './schemas/device'

/** The /live room of the screens that may read cases (case:read-all): `case:changed` goes there. */
export const CASE_ROOM = 'cases'

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const csv = <T extends z.ZodType<unknown, string>>(item: T, max = 20) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .pipe(z.array(item).min(1).max(max))

export const CasePrioritySchema = IncidentPrioritySchema
export type CasePriority = z.infer<typeof CasePrioritySchema>

export const CaseSourceSchema = z.enum(['open311', 'web', 'operator'])

/** What a case's list row, map point and push carry: nothing personal, no internal note. */
export const CaseSummarySchema = z.object({
  id: z.number().int(),
  serviceCode: z.string(),
  status: CaseStatusSchema,
  priority: CasePrioritySchema,
  /** [lon, lat], EPSG:4326. */
  position: LonLatSchema,
  address: z.string().nullable(),
  districtId: z.string().nullable(),
  districtName: z.string().nullable(),
  officeId: z.string(),
  assignee: z.string().nullable(),
  source: CaseSourceSchema,
  /** Shown to the public (Open311 GET): false for a batch request until an office accepts it, or one an office hid. */
  published: z.boolean(),
  requestedAtMs: z.number(),
  updatedAtMs: z.number(),
  /** When the service's SLA expects it resolved (GeoReport expected_datetime). */
  expectedAtMs: z.number().nullable(),
  closedAtMs: z.number().nullable(),
  /** The SLA ran out while the case was open (flagged by the SLA job). */
  slaBreachedAtMs: z.number().nullable(),
  version: z.number().int().min(1),
})
export type CaseSummary = z.infer<typeof CaseSummarySchema>

export const CaseEventKindSchema = z.enum(['create', 'accept', 'triage', 'route', 'assign', 'status', 'note', 'link', 'duplicate', 'sla-breach', 'attach', 'fee', 'payment', 'notice', 'message'])
export type CaseEventKind = z.infer<typeof CaseEventKindSchema>
export const CaseEventSchema = z.object({
  id: z.number().int(),
  atMs: z.number(),
  kind: CaseEventKindSchema,
  /** A staff username, `system:…`, or `open311:<client>` / `citizen:<pseudonym>` — never a name or an e-mail. */
  actor: z.string(),
  status: CaseStatusSchema,
  note: z.string().nullable(),
  /** Shown to the citizen (Open311 status_notes, FixMyStreet updates); false: an office's internal note. */
  public: z.boolean(),
  detail: z.record(z.string(), z.unknown()).nullable(),
})
export type CaseEvent = z.infer<typeof CaseEventSchema>

export const CaseAssetSchema = z.object({ collection: z.string(), featureId: z.number().int(), distanceM: z.number().nullable() })

export const CaseSchema = CaseSummarySchema.extend({
  description: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  addressId: z.string().nullable(),
  mediaUrl: z.string().nullable(),
  statusNotes: z.string().nullable(),
  serviceNotice: z.string().nullable(),
  /** The census feature the case is about: the nearest of its service's collections within 50 m, or one an operator chose. */
  asset: CaseAssetSchema.nullable(),
  incidentId: z.number().int().nullable(),
  pmoSiteId: z.string().nullable(),
  duplicateOf: z.number().int().nullable(),
  /** The reporter left personal data (shown only through POST …/personal, with a reason, audited). */
  hasPersonalData: z.boolean(),
})
export type Case = z.infer<typeof CaseSchema>

/** An open or recent case of the same service nearby, or on the same asset: maybe the same problem. */
export const DuplicateSuggestionSchema = z.object({
  id: z.number().int(),
  status: CaseStatusSchema,
  requestedAtMs: z.number(),
  distanceM: z.number(),
  sameAsset: z.boolean(),
  description: z.string(),
})
export type DuplicateSuggestion = z.infer<typeof DuplicateSuggestionSchema>

/** A photo of the case, its metadata (GPS position, camera, time) stripped when it was received. */
export const CaseAttachmentSchema = z.object({
  id: z.number().int(),
  contentType: z.enum(['image/jpeg', 'image/png']),
  size: z.number().int(),
  /** Shown to the public (the Open311 media_url of a published case). */
  public: z.boolean(),
  uploadedBy: z.string(),
  uploadedAtMs: z.number(),
})
export type CaseAttachment = z.infer<typeof CaseAttachmentSchema>
export const AddAttachmentResponseSchema = z.object({ attachment: CaseAttachmentSchema, created: z.boolean(), removed: z.array(z.string()) })
/** The largest photo a case takes (bytes). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

/**
 * A call the case asked of a national platform, as the outbox holds it (docs/cases.md "The outbox"):
 * what, how it went, when it is tried next. No payload and no result (they hold personal data).
 */
export const CaseDeliverySchema = z.object({
  platform: z.enum(['appio', 'gpd', 'send', 'pdnd']),
  /** appio caseStatusMessage, gpd createPosition, send legalNotice… */
  operation: z.string(),
  /** queued (waiting for its time), running, done; failed (the platform refused it), ambiguous (may have happened: a person decides), dead (given up after the retries). */
  status: z.enum(['queued', 'running', 'done', 'failed', 'ambiguous', 'dead']),
  attempts: z.number().int(),
  lastHttpStatus: z.number().int().nullable(),
  /** Why the last attempt failed (status codes and the platform's error codes, never personal data). */
  lastError: z.string().nullable(),
  nextAttemptAtMs: z.number(),
})
export type CaseDelivery = z.infer<typeof CaseDeliverySchema>

/** The case's pagoPA fee as the office follows it. */
export const CaseFeeSchema = z.object({
  amountCents: z.number().int(),
  /** The notice number (codice avviso), 18 digits. */
  nav: z.string(),
  dueDate: z.string(),
  /** pending (GPD not told yet), published (payable), paid, cancelled, failed. */
  status: z.enum(['pending', 'published', 'paid', 'cancelled', 'failed']),
  paidAtMs: z.number().nullable(),
})
export type CaseFee = z.infer<typeof CaseFeeSchema>

export const CASE_NOTICE_STATUSES = ['queued', 'requested', 'accepted', 'refused', 'delivering', 'delivered', 'viewed', 'effective', 'unreachable', 'cancelled'] as const
/** A legal notice sent through SEND, as the office follows it. */
export const CaseNoticeSchema = z.object({
  id: z.number().int(),
  subject: z.string(),
  /** The protocol number it was sent under (GEM-<case>-<n>). */
  paProtocolNumber: z.string(),
  /** queued → requested (SEND took it) → accepted (it has an IUN) → delivering → delivered → viewed → effective; refused, unreachable, cancelled. */
  status: z.enum(CASE_NOTICE_STATUSES),
  /** SEND's notification id, once accepted. */
  iun: z.string().nullable(),
  statusAtMs: z.number(),
  sentBy: z.string(),
})
export type CaseNotice = z.infer<typeof CaseNoticeSchema>

export const CaseDetailSchema = z.object({
  case: CaseSchema,
  events: z.array(CaseEventSchema),
  duplicates: z.array(DuplicateSuggestionSchema),
  attachments: z.array(CaseAttachmentSchema),
  /** The platform calls the case asked for (App IO messages, the fee's debt position, legal notices), oldest first. */
  deliveries: z.array(CaseDeliverySchema),
  fee: CaseFeeSchema.nullable(),
  notices: z.array(CaseNoticeSchema),
})
export type CaseDetail = z.infer<typeof CaseDetailSchema>

export const CaseParamsSchema = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })

export const CASE_STATE_FILTERS = ['open', 'closed', 'all', 'overdue', 'unpublished'] as const

export const ListCasesQuerySchema = z.object({
  /** open (default), closed, all, overdue (open past its SLA), unpublished (waiting for an office to accept it). */
  state: z.enum(CASE_STATE_FILTERS).default('open'),
  status: csv(CaseStatusSchema, CASE_STATUSES.length).optional(),
  service: csv(z.string().min(1).max(40)).optional(),
  office: csv(z.string().min(1).max(40)).optional(),
  district: csv(z.string().min(1).max(80)).optional(),
  /** A staff username, or `none` for the unassigned. */
  assignee: z.string().min(1).max(64).optional(),
  bbox: BboxQuerySchema.optional(),
  /** Requested from / to (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: intParam(1, 5000).default(500),
})
export type ListCasesQuery = z.output<typeof ListCasesQuerySchema>
export const ListCasesResponseSchema = z.object({ cases: z.array(CaseSummarySchema), truncated: z.boolean() })
export type ListCasesResponse = z.infer<typeof ListCasesResponseSchema>

const NoteSchema = z.string().trim().min(1, 'write the note').max(2000)

/**
 * One change of a case by its office, made on `version`. Several fields at once make one event each,
 * in one transaction. A batch request an office publishes (or moves out of `new`) is accepted: its
 * token then gives its id. `duplicate` needs `duplicateOf`; a closing status ends the SLA clock.
 */
export const UpdateCaseBodySchema = z
  .object({
    version: z.number().int().min(1),
    status: CaseStatusSchema.exclude(['new']).optional(),
    /** With a status: what the citizen reads (Open311 status_notes, FixMyStreet update). */
    statusNote: NoteSchema.optional(),
    priority: CasePrioritySchema.optional(),
    /** Another service (the citizen chose the wrong one): the case keeps its SLA date. */
    serviceCode: z.string().min(1).max(40).optional(),
    /** Route to another office. */
    officeId: z.string().min(1).max(40).optional(),
    assignee: AssigneeSchema.optional(),
    published: z.boolean().optional(),
    /** null unlinks. */
    incidentId: z.number().int().min(1).nullable().optional(),
    pmoSiteId: z.string().trim().min(1).max(80).nullable().optional(),
    asset: z.object({ collection: z.string().min(1).max(40), featureId: z.number().int().min(1) }).nullable().optional(),
    duplicateOf: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'change at least one field besides version')
  .refine((b) => b.statusNote === undefined || b.status !== undefined, { message: 'a statusNote goes with a status (write an internal or public note with POST /api/cases/:id/notes)', path: ['statusNote'] })
  .refine((b) => (b.status === 'duplicate') === (b.duplicateOf !== undefined), { message: 'status "duplicate" and duplicateOf go together: name the case this one repeats', path: ['duplicateOf'] })
export type UpdateCaseBody = z.output<typeof UpdateCaseBodySchema>

export const CaseNoteBodySchema = z.object({ version: z.number().int().min(1), text: NoteSchema, public: z.boolean().default(false) }).strict()
export type CaseNoteBody = z.output<typeof CaseNoteBodySchema>

export const RevealPersonalBodySchema = z
  .object({ reason: z.string().trim().min(10, 'say why you need the reporter’s contact (at least 10 characters); the reason is audited').max(500) })
  .strict()
export const CasePersonalSchema = z.object({
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  /** Deleted after this (the case closed + the retention period); null while the case is open. */
  purgeAfterMs: z.number().nullable(),
})
export type CasePersonal = z.infer<typeof CasePersonalSchema>

export const CaseFeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.number().int(),
      geometry: z.object({ type: z.literal('Point'), coordinates: LonLatSchema }),
      properties: z.object({ id: z.number().int(), serviceCode: z.string(), status: CaseStatusSchema, priority: CasePrioritySchema, overdue: z.boolean(), requestedAtMs: z.number() }),
    }),
  ),
})
export type CaseFeatureCollection = z.infer<typeof CaseFeatureCollectionSchema>

export const CaseStatsQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
})
export type CaseStatsQuery = z.output<typeof CaseStatsQuerySchema>

export const CaseStatsRowSchema = z.object({
  serviceCode: z.string(),
  districtName: z.string().nullable(),
  total: z.number().int(),
  open: z.number().int(),
  closed: z.number().int(),
  /** Cases whose SLA ran out before they closed (or that are still open past it). */
  slaBreached: z.number().int(),
  /** Median hours from report to closing, of the closed ones (null: none closed). */
  medianHoursToClose: z.number().nullable(),
})
export const CaseStatsSchema = z.object({
  fromMs: z.number(),
  toMs: z.number(),
  rows: z.array(CaseStatsRowSchema),
  totals: CaseStatsRowSchema.omit({ serviceCode: true, districtName: true }),
})
export type CaseStats = z.infer<typeof CaseStatsSchema>

/** The CSV export's columns: no personal field, no internal note, no assignee, the description scrubbed. */
export const CASE_CSV_COLUMNS = [
  'id',
  'service_code',
  'status',
  'priority',
  'requested_at',
  'expected_at',
  'closed_at',
  'sla_breached',
  'district',
  'office',
  'lon',
  'lat',
  'address',
  'asset',
  'incident_id',
  'pmo_site_id',
  'duplicate_of',
  'source',
  'description',
] as const

/** The services and offices the office screens name and choose from (inactive services too: old cases keep theirs). */
export const CaseCatalogueSchema = z.object({
  services: z.array(CaseServiceSchema.extend({ active: z.boolean() })),
  offices: z.array(CaseOfficeSchema),
})
export type CaseCatalogue = z.infer<typeof CaseCatalogueSchema>

const oneLine = (min: number, max: number) => z.string().trim().min(min).max(max).regex(/^[^\r\n]*$/, 'one line')

/**
 * A legal notice an office sends the reporter through SEND (docs/cases.md "Legal notices and payments
 * followed"): the subject (no personal data: SEND shows it in its lists), the text of the act, and the
 * postal address SEND writes to when the citizen has no digital domicile. The recipient is the
 * reporter, known by the fiscal code of their SPID/CIE sign-in.
 */
export const SendCaseNoticeBodySchema = z
  .object({
    version: z.number().int().min(1),
    subject: oneLine(1, 134),
    /** The notice's body, paragraphs separated by new lines. */
    text: z.string().trim().min(1, 'write the notice’s text').max(20_000),
    recipientAddress: z
      .object({
        /** Street and number ("Via dell’Indipendenza 8"). */
        address: oneLine(2, 1024),
        zip: z.string().trim().min(1).max(15).regex(/^[A-Za-z0-9 _-]*$/, 'letters, digits, spaces and dashes'),
        municipality: oneLine(2, 256),
        /** The province's code (BO). */
        province: oneLine(1, 256),
      })
      .strict(),
  })
  .strict()
export type SendCaseNoticeBody = z.output<typeof SendCaseNoticeBodySchema>

const READ = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] as const
const ACT = ['VALIDATION_FAILED', 'CASE_NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] as const

export const CASE_ROUTES = {
  listCases: { method: 'get', path: '/api/cases', permission: 'case:read-all', operationId: 'listCases', summary: 'Citizen cases for the offices (open by default), newest first; filters by state, status, service, office, district, assignee, box and period. No personal data.', tags: ['cases'], query: ListCasesQuerySchema, response: ListCasesResponseSchema, errors: [...READ] },
  casesGeoJson: { method: 'get', path: '/api/cases.geojson', permission: 'case:read-all', operationId: 'casesGeoJson', summary: 'The open cases as GeoJSON points for the map (overdue flagged). No personal data.', tags: ['cases'], response: CaseFeatureCollectionSchema, contentType: 'application/geo+json', errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  caseCatalogue: { method: 'get', path: '/api/case-catalogue', permission: 'case:read-all', operationId: 'caseCatalogue', summary: 'The services (with their office, SLA, fee and legal-notice flag; inactive ones too) and the offices, for the office screens', tags: ['cases'], response: CaseCatalogueSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  caseStats: { method: 'get', path: '/api/case-stats', permission: 'case:stats', operationId: 'caseStats', summary: 'Cases by service and district in a period (default the last 365 days): open, closed, SLA breached, median hours to close', tags: ['cases'], query: CaseStatsQuerySchema, response: CaseStatsSchema, errors: [...READ] },
  casesCsv: { method: 'get', path: '/api/cases.csv', permission: 'case:stats', operationId: 'casesCsv', summary: 'The cases of a period as CSV (UTF-8, comma, header row): no personal field, no internal note, the description scrubbed of e-mails, phones and fiscal codes', tags: ['cases'], query: CaseStatsQuerySchema, response: z.string(), contentType: 'text/csv; charset=utf-8', errors: [...READ] },
  getCase: { method: 'get', path: '/api/cases/:id', permission: 'case:read-all', operationId: 'getCase', summary: 'One case with its events (internal notes too), the duplicate suggestions (same service, open or recent, within 50 m or on the same asset), its photos, its fee, its legal notices and its platform deliveries', tags: ['cases'], params: CaseParamsSchema, response: CaseDetailSchema, errors: ['VALIDATION_FAILED', 'CASE_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  updateCase: { method: 'patch', path: '/api/cases/:id', permission: 'case:act', operationId: 'updateCase', summary: 'Accept, triage, route, assign, change the status (with a note for the citizen), link or mark a duplicate; refused (CONFLICT) when `version` is not the stored one; audited', tags: ['cases'], params: CaseParamsSchema, body: UpdateCaseBodySchema, response: CaseDetailSchema, errors: [...ACT, 'SERVICE_NOT_FOUND', 'INCIDENT_NOT_FOUND', 'FEATURE_NOT_FOUND'] },
  addCaseNote: { method: 'post', path: '/api/cases/:id/notes', permission: 'case:act', operationId: 'addCaseNote', summary: 'An internal note, or a public one the citizen reads (FixMyStreet update); audited', tags: ['cases'], params: CaseParamsSchema, body: CaseNoteBodySchema, response: CaseDetailSchema, errors: [...ACT] },
  sendCaseNotice: { method: 'post', path: '/api/cases/:id/legal-notices', permission: 'case:act', operationId: 'sendCaseNotice', summary: 'Send the reporter a legal notice through SEND (services with a legal notice, reporters who signed in with SPID/CIE): queued with the case’s change, then followed to its delivery; audited', tags: ['cases'], params: CaseParamsSchema, body: SendCaseNoticeBodySchema, response: CaseDetailSchema, errors: [...ACT, 'PLATFORM_NOT_CONFIGURED', 'NOTICE_NOT_APPLICABLE'] },
  revealCasePersonal: { method: 'post', path: '/api/cases/:id/personal', permission: 'case:reveal', operationId: 'revealCasePersonal', summary: 'The reporter’s contact data, to call or write back; the reason is audited with who asked. 404 when the reporter left none or it was purged.', tags: ['cases'], params: CaseParamsSchema, body: RevealPersonalBodySchema, response: CasePersonalSchema, errors: ['VALIDATION_FAILED', 'CASE_NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>
