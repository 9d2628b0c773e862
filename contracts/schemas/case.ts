/**
 * Citizen cases (issue 10, docs/cases.md): what a citizen reports or requests, and what the offices do
 * with it. The internal statuses are the FixMyStreet Open311 extension's ("Open311 FMS — Complete
 * Spec", additional states) plus the office cycle's own (new → triaged → assigned); Open311 GeoReport
 * v2 itself knows only open and closed (`open311Status`). Personal fields a reporter may give with a
 * POST (OPEN311_PERSONAL_FIELDS) never appear in a GET, an export or a log (reliability-security §4.3).
 */
import { z } from 'zod'

/** The office cycle's statuses, in order of a typical life; the last six end the case. */
export const CASE_STATUSES = ['new', 'triaged', 'assigned', 'in_progress', 'action_scheduled', 'investigating', 'fixed', 'duplicate', 'not_responsible', 'no_further_action', 'internal_referral', 'closed'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]
export const CaseStatusSchema = z.enum(CASE_STATUSES)

/** Statuses that close a case (the FMS closed group, and closed itself). */
export const CLOSED_STATUSES: ReadonlySet<CaseStatus> = new Set(['fixed', 'duplicate', 'not_responsible', 'no_further_action', 'internal_referral', 'closed'])

export const isClosed = (s: CaseStatus) => CLOSED_STATUSES.has(s)

/** GeoReport v2's status of a case. */
export const open311Status = (s: CaseStatus): 'open' | 'closed' => (isClosed(s) ? 'closed' : 'open')

/** The FMS extension's upper-case state of a case (servicerequestupdates). */
export function fmsStatus(s: CaseStatus): string {
  switch (s) {
    case 'new':
    case 'triaged':
    case 'assigned':
      return 'OPEN'
    case 'not_responsible':
      return 'NOT_COUNCILS_RESPONSIBILITY'
    default:
      return s.toUpperCase()
  }
}

/** What a reporter may give with an Open311 POST about themselves: stored apart, never shown in a GET or export. */
export const OPEN311_PERSONAL_FIELDS = ['email', 'device_id', 'account_id', 'first_name', 'last_name', 'phone'] as const

/** GeoReport v2 attribute datatypes. */
export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const

const Localized = z.object({ it: z.string().min(1), en: z.string().min(1) })

export const ServiceAttributeSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  /** false: information only (shown with the description), nothing to answer. */
  variable: z.boolean(),
  datatype: z.enum(ATTRIBUTE_DATATYPES),
  required: z.boolean(),
  description: Localized,
  datatypeDescription: Localized.nullable(),
  /** Numeric keys (the FIWARE IssueTracking model types them as numbers). */
  values: z.array(z.object({ key: z.number().int(), name: Localized })).default([]),
})
export type ServiceAttribute = z.infer<typeof ServiceAttributeSchema>

/**
 * A service a citizen can report under (GeoReport v2 service). `realtime`: the case gets its id at once;
 * `batch`: a token at once, its id once an office accepted it (GET /open311/v2/tokens/<token>).
 */
export const CaseServiceSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/),
  group: Localized,
  name: Localized,
  description: Localized,
  keywords: z.array(z.string().min(1)).default([]),
  type: z.enum(['realtime', 'batch']),
  attributes: z.array(ServiceAttributeSchema).default([]),
  /** Census collections whose nearest feature the case is linked to (a street light out → its record). */
  assetCollections: z.array(z.string()).default([]),
  /** The office every case of this service goes to, unless a district rule says otherwise. */
  office: z.string().min(1),
  /** Hours from the report to the expected resolution (GeoReport expected_datetime). */
  slaHours: z.number().int().positive(),
  /** A fee the citizen pays through pagoPA (euro cents), or none. */
  feeCents: z.number().int().positive().nullable().default(null),
  /** The outcome is notified as a legal notice through SEND. */
  legalNotice: z.boolean().default(false),
})
export type CaseService = z.infer<typeof CaseServiceSchema>

export const CaseOfficeSchema = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/), name: Localized })
export type CaseOffice = z.infer<typeof CaseOfficeSchema>
