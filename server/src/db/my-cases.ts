/**
 * A citizen's own reports (contracts/my-api.ts): found by their pseudonym, never by anything they could
 * change; the public side of each — status, the office's public notes, the fee, the legal notices —
 * and nothing internal (no assignee, no internal note, no other reporter's data).
 */
import type { MyCase, MyCaseSummary, MyFee } from '../../../contracts/my-api'
import { CaseServiceSchema, type CaseStatus } from '../../../contracts/schemas/case'
import type { Queryable } from './adapter'

interface Row {
  id: string
  service_code: string
  definition: unknown
  status: CaseStatus
  requested_at: Date | string
  updated_at: Date | string
  expected_at: Date | string | null
  closed_at: Date | string | null
  address: string | null
  fee_status: MyFee['status'] | null
}
const ms = (v: Date | string | null) => (v === null ? null : new Date(v).getTime())
const SUMMARY = `c.id, c.service_code, s.definition, c.status, c.requested_at, c.updated_at, c.expected_at, c.closed_at, c.address, f.status AS fee_status
  FROM citizen_case c JOIN case_service s ON s.code = c.service_code LEFT JOIN case_fee f ON f.case_id = c.id`

function summary(r: Row): MyCaseSummary {
  const def = CaseServiceSchema.parse(typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition)
  return {
    id: Number(r.id),
    serviceCode: r.service_code,
    serviceName: def.name,
    status: r.status,
    requestedAtMs: ms(r.requested_at)!,
    updatedAtMs: ms(r.updated_at)!,
    expectedAtMs: ms(r.expected_at),
    closedAtMs: ms(r.closed_at),
    address: r.address,
    toPay: r.fee_status === 'published',
  }
}

export async function listMyCases(q: Queryable, citizenRef: string, limit = 200): Promise<MyCaseSummary[]> {
  const r = await q.query<Row>(`SELECT ${SUMMARY} WHERE c.citizen_ref = $1 ORDER BY c.requested_at DESC, c.id DESC LIMIT $2`, [citizenRef, limit])
  return r.rows.map(summary)
}

/** One of the citizen's reports, or null (none, or another person's: the same answer). */
export async function getMyCase(q: Queryable, citizenRef: string, id: number, creditorFiscalCode: string): Promise<MyCase | null> {
  const r = await q.query<Row & { description: string; lon: number; lat: number; status_notes: string | null }>(
    `SELECT ${SUMMARY.replace('c.address,', 'c.address, c.description, ST_X(c.location) AS lon, ST_Y(c.location) AS lat, c.status_notes,')} WHERE c.id = $1 AND c.citizen_ref = $2`,
    [id, citizenRef],
  )
  const row = r.rows[0]
  if (!row) return null
  const events = await q.query<{ at: Date | string; status: CaseStatus; note: string | null }>(
    `SELECT at, status, note FROM citizen_case_event WHERE case_id = $1 AND public AND kind IN ('create', 'status', 'duplicate', 'note', 'accept') ORDER BY id`,
    [id],
  )
  const fee = await q.query<{ amount_cents: string; description: string; nav: string; due_date: Date | string; status: MyFee['status']; paid_at: Date | string | null }>(
    `SELECT amount_cents, description, nav, due_date::text AS due_date, status, paid_at FROM case_fee WHERE case_id = $1`,
    [id],
  )
  const notices = await q.query<{ subject: string; status: MyCase['notices'][number]['status']; iun: string | null; status_at: Date | string }>(
    `SELECT subject, status, iun, status_at FROM case_notice WHERE case_id = $1 ORDER BY id`,
    [id],
  )
  const f = fee.rows[0]
  return {
    ...summary(row),
    description: row.description,
    position: [Number(row.lon), Number(row.lat)],
    statusNotes: row.status_notes,
    events: events.rows.map((e) => ({ atMs: ms(e.at)!, status: e.status, note: e.note })),
    fee: f
      ? { amountCents: Number(f.amount_cents), description: f.description, noticeNumber: f.nav, creditorFiscalCode, dueDate: String(f.due_date).slice(0, 10), status: f.status, paidAtMs: ms(f.paid_at) }
      : null,
    notices: notices.rows.map((n) => ({ subject: n.subject, status: n.status, iun: n.iun, statusAtMs: ms(n.status_at)! })),
  }
}
