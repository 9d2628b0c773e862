/**
 * What the office's case view shows of the national platforms (contracts/case-api.ts CaseDetail):
 * the calls the case asked for as the outbox holds them — without their payload or result, which hold
 * personal data —, its pagoPA fee and its SEND legal notices.
 */
import type { CaseDelivery, CaseFee, CaseNotice } from '../../../contracts/case-api'
import { listOutbox } from '../platforms/outbox/outbox-store'
import type { Queryable } from './adapter'

type Ts = Date | string

export async function caseFee(q: Queryable, caseId: number): Promise<CaseFee | null> {
  const r = await q.query<{ amount_cents: string; nav: string; due_date: string; status: CaseFee['status']; paid_at: Ts | null }>(
    `SELECT amount_cents, nav, due_date::text AS due_date, status, paid_at FROM case_fee WHERE case_id = $1`,
    [caseId],
  )
  const f = r.rows[0]
  return f ? { amountCents: Number(f.amount_cents), nav: f.nav, dueDate: String(f.due_date).slice(0, 10), status: f.status, paidAtMs: f.paid_at === null ? null : new Date(f.paid_at).getTime() } : null
}

export async function caseNotices(q: Queryable, caseId: number): Promise<CaseNotice[]> {
  const r = await q.query<{ id: string; subject: string; pa_protocol_number: string; status: CaseNotice['status']; iun: string | null; status_at: Ts; sent_by: string }>(
    `SELECT id, subject, pa_protocol_number, status, iun, status_at, sent_by FROM case_notice WHERE case_id = $1 ORDER BY id`,
    [caseId],
  )
  return r.rows.map((x) => ({ id: Number(x.id), subject: x.subject, paProtocolNumber: x.pa_protocol_number, status: x.status, iun: x.iun, statusAtMs: new Date(x.status_at).getTime(), sentBy: x.sent_by }))
}

/** What the office's case view shows of the national platforms: the outbox rows (no payload, no result), the fee, the notices. */
export async function casePlatformView(q: Queryable, caseId: number): Promise<{ deliveries: CaseDelivery[]; fee: CaseFee | null; notices: CaseNotice[] }> {
  const deliveries = (await listOutbox(q, { caseId })).map((d) => ({
    platform: d.platform,
    operation: d.operation,
    status: d.status,
    attempts: d.attempts,
    lastHttpStatus: d.lastHttpStatus,
    lastError: d.lastError,
    nextAttemptAtMs: d.nextAttemptAtMs,
  }))
  return { deliveries, fee: await caseFee(q, caseId), notices: await caseNotices(q, caseId) }
}
