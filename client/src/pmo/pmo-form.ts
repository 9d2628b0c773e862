/**
 * The PMO's edits as pure functions on the project document (contracts/schemas/pmo.ts): the form of a
 * new project → its document and back, the usual updates (status and money, a milestone reached, a
 * hand-entered KPI value, a risk's status) → the next version to PUT, and the server's validation
 * details (`body.project.<field>…`) → a problem per form field.
 */
import type { ApiErrorDetail } from '../api/api-error'
import type { PmoLine, Project, ProjectInput, ProjectStatus } from '../../../contracts/schemas/pmo'
import { centsToEuroInput, parseEuroToCents } from './pmo-money'

export interface NewProjectForm {
  id: string
  line: PmoLine
  title: string
  status: ProjectStatus
  startDate: string
  endDate: string
  fundingSource: string
  /** Euro, as typed. */
  fundingEuros: string
}

export type FormProblems = Partial<Record<keyof NewProjectForm, string>>

export const EMPTY_NEW_PROJECT: NewProjectForm = { id: '', line: 'servizi-digitali', title: '', status: 'planned', startDate: '', endDate: '', fundingSource: '', fundingEuros: '' }

/**
 * The document of a new project, or the fields the browser can already tell are wrong (an amount
 * that is not one): the rest (id shape, dates) is the server's to check, answered next to the fields.
 */
export function projectFromForm(f: NewProjectForm, language: string): { ok: true; project: ProjectInput } | { ok: false; problems: FormProblems } {
  const hasFunding = f.fundingSource.trim() !== '' || f.fundingEuros.trim() !== ''
  const cents = hasFunding ? parseEuroToCents(f.fundingEuros, language) : 0
  if (cents === null) return { ok: false, problems: { fundingEuros: 'amount' } }
  return {
    ok: true,
    project: {
      id: f.id.trim(),
      line: f.line,
      title: f.title.trim(),
      status: f.status,
      startDate: f.startDate,
      endDate: f.endDate,
      funding: hasFunding ? [{ source: f.fundingSource.trim(), plannedCents: cents }] : [],
    },
  }
}

/** The form showing a project (its first funding source). */
export function formFromProject(p: Pick<Project, 'id' | 'line' | 'title' | 'status' | 'startDate' | 'endDate' | 'funding'>, language: string): NewProjectForm {
  const funding = p.funding[0]
  return { id: p.id, line: p.line, title: p.title, status: p.status, startDate: p.startDate, endDate: p.endDate, fundingSource: funding?.source ?? '', fundingEuros: funding ? centsToEuroInput(funding.plannedCents, language) : '' }
}

const FORM_FIELDS: Record<string, keyof NewProjectForm> = { id: 'id', line: 'line', title: 'title', status: 'status', startDate: 'startDate', endDate: 'endDate', funding: 'fundingEuros', committedCents: 'fundingEuros' }

/** The server's validation details on `body.project.<field>` as a message per form field (others under `null`). */
export function problemsFromDetails(details: readonly ApiErrorDetail[]): { fields: FormProblems; other: string[] } {
  const fields: FormProblems = {}
  const other: string[] = []
  for (const d of details) {
    const m = /^body\.project\.([A-Za-z]+)(?:\.(\d+)\.(\w+))?/.exec(d.path)
    const field = m ? (m[1] === 'funding' && m[3] === 'source' ? 'fundingSource' : FORM_FIELDS[m[1]!]) : undefined
    if (field) fields[field] = fields[field] ? `${fields[field]}; ${d.message}` : d.message
    else other.push(d.path ? `${d.path}: ${d.message}` : d.message)
  }
  return { fields, other }
}

/** Status and money (cents) changed together, as the PMO updates them after a review. */
export function withStatusAndMoney(p: Project, change: { status: ProjectStatus; committedCents: number; spentCents: number }): Project {
  return { ...p, ...change }
}

/** A milestone reached on `doneDate` (null: not reached after all). */
export function withMilestoneDone(p: Project, key: string, doneDate: string | null): Project {
  return { ...p, milestones: p.milestones.map((m) => (m.key === key ? { ...m, doneDate } : m)) }
}

/** A hand-entered KPI's value measured on `date`; a live KPI is measured by Gemello and is left alone. */
export function withKpiActual(p: Project, key: string, actual: number | null, date: string | null): Project {
  return { ...p, kpis: p.kpis.map((k) => (k.key === key && k.live === null ? { ...k, actual, actualDate: actual === null ? null : date } : k)) }
}

export function withRiskStatus(p: Project, key: string, status: Project['risks'][number]['status']): Project {
  return { ...p, risks: p.risks.map((r) => (r.key === key ? { ...r, status } : r)) }
}

/** A number as a person typed it ("12,5" or "12.5"); null when empty or not a number. */
export function parseDecimal(text: string): number | null {
  const s = text.trim().replace(',', '.')
  if (s === '' || !/^-?\d+(\.\d+)?$/.test(s)) return null
  return Number(s)
}
