/**
 * The office's case forms as pure functions (docs/cases.md "The office screens"): what a form sends
 * to PATCH /api/cases/:id — only the fields that changed, on the version shown — or why it sends
 * nothing. The server checks again; these keep a person from sending a change that cannot pass.
 */
import type { Case, CasePriority } from '../../../contracts/case-api'
import { CASE_STATUSES, isClosed, type CaseStatus } from '../../../contracts/schemas/case'
import type { UpdateCaseInput } from '../api/case-client'

/** The statuses an office sets ('new' is the report's own). */
export const STATUS_CHOICES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => s !== 'new')

export interface AssignForm {
  /** A username; '' for nobody. */
  assignee: string
  officeId: string
  priority: CasePriority
}

/** The route/assign/priority change of a case: the fields that differ from the case, or null when none does. */
export function assignChange(c: Case, f: AssignForm): UpdateCaseInput | null {
  const body: UpdateCaseInput = { version: c.version }
  const assignee = f.assignee.trim() === '' ? null : f.assignee.trim()
  if (assignee !== c.assignee) body.assignee = assignee
  if (f.officeId !== c.officeId) body.officeId = f.officeId
  if (f.priority !== c.priority) body.priority = f.priority
  return Object.keys(body).length > 1 ? body : null
}

export interface StatusForm {
  status: CaseStatus
  /** What the citizen reads; '' for none. */
  note: string
  /** The case this one repeats, as typed ('' when not a duplicate). */
  duplicateOf: string
}

export type StatusChange = { ok: true; body: UpdateCaseInput } | { ok: false; reason: 'same-status' | 'duplicate-needs-case' | 'duplicate-of-itself' }

/** The status change of a case, with the note for the citizen; a duplicate names the original. */
export function statusChange(c: Case, f: StatusForm): StatusChange {
  if (f.status === c.status) return { ok: false, reason: 'same-status' }
  const body: UpdateCaseInput = { version: c.version, status: f.status as Exclude<CaseStatus, 'new'> }
  if (f.note.trim() !== '') body.statusNote = f.note.trim()
  if (f.status === 'duplicate') {
    const of = /^\s*#?(\d{1,15})\s*$/.exec(f.duplicateOf)
    if (!of) return { ok: false, reason: 'duplicate-needs-case' }
    if (Number(of[1]) === c.id) return { ok: false, reason: 'duplicate-of-itself' }
    body.duplicateOf = Number(of[1])
  }
  return { ok: true, body }
}

/** A case is past its SLA: flagged by the SLA job, or open past its expected time. */
export function isOverdue(c: Pick<Case, 'closedAtMs' | 'slaBreachedAtMs' | 'expectedAtMs'>, nowMs: number): boolean {
  return c.closedAtMs === null && (c.slaBreachedAtMs !== null || (c.expectedAtMs !== null && c.expectedAtMs < nowMs))
}

/** The statuses offered next: every one but the current; a closed case may be reopened. */
export function nextStatuses(current: CaseStatus): CaseStatus[] {
  return STATUS_CHOICES.filter((s) => s !== current)
}

export const closes = (s: CaseStatus) => isClosed(s)

/** A localized name in the page's language (Italian for anything but English). */
export const localized = (name: { it: string; en: string }, lang: string) => (lang.startsWith('en') ? name.en : name.it)
