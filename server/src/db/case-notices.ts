/**
 * Legal notices of a case in the database (docs/cases.md "Legal notices and payments followed"): an
 * office sends one in one transaction — the case_notice row, a public `notice` event, the version
 * bump, the audit row and the SEND call queued in the outbox (send/legalNotice, key = the notice's
 * idempotenceToken) — so SEND is asked if and only if the notice is recorded. Then SEND's answers move
 * it on: requested (the outbox's success), accepted with its IUN or refused, and the notification's
 * progress (the polling job), each change a `notice` event of the case.
 * What the office's case view shows of them is read in case-platform-view.ts.
 */
import { randomUUID } from 'node:crypto'
import type { CaseDetail, CaseNotice, SendCaseNoticeBody } from '../../../contracts/case-api'
import { CaseServiceSchema } from '../../../contracts/schemas/case'
import { appendAudit } from '../audit/audit-log'
import { enqueueOutbox } from '../platforms/outbox/outbox-store'
import { SendNoticePayloadSchema, type SendNoticePayload } from '../platforms/send/send-handler'
import type { Db, Queryable } from './adapter'
import { getCaseDetail, lockCase } from './case-cycle'
import { CaseError, type CaseActor } from './cases'

export type NoticeStatus = CaseNotice['status']
type Ts = Date | string
const iso = (ms: number) => new Date(ms).toISOString()

/** The day of `nowMs` in Italy, YYYY-MM-DD (the notice's date). */
const romeDay = (nowMs: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(nowMs))

/**
 * A platform's milestone in the case's history (a notice moved on, a fee paid): a public event at the
 * case's current status and, when the caller pushes the case after its commit (the polling jobs), the
 * case's version and time moved on so the screens showing it reload. The outbox's success cannot push,
 * so it leaves the version alone (an open case view would otherwise meet a CONFLICT it was never told of).
 */
export async function recordMilestone(tx: Queryable, caseId: number, kind: 'notice' | 'payment', actor: string, detail: Record<string, unknown>, nowMs: number, o: { pushed: boolean }): Promise<void> {
  await tx.query(
    `INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, public, detail) SELECT id, $2, $3, $4, 'system', status, true, $5 FROM citizen_case WHERE id = $1`,
    [caseId, iso(nowMs), kind, actor, JSON.stringify(detail)],
  )
  if (o.pushed) await tx.query(`UPDATE citizen_case SET version = version + 1, updated_at = $2 WHERE id = $1`, [caseId, iso(nowMs)])
}

const notApplicable = (message: string) => new CaseError('NOTICE_NOT_APPLICABLE', message)

/**
 * Sends the reporter of case `id` a legal notice (SendCaseNoticeBody), on `version`. Refused, writing
 * nothing, when SEND is not configured, the case's service sends no legal notice, or the reporter is
 * not known by a fiscal code (they did not sign in with SPID/CIE, or their data was deleted).
 */
export async function sendCaseNotice(db: Db, id: number, b: SendCaseNoticeBody, by: CaseActor, nowMs: number, o: { sendConfigured: boolean }): Promise<CaseDetail> {
  if (!o.sendConfigured) throw new CaseError('PLATFORM_NOT_CONFIGURED', 'SEND is not configured on this server, so no legal notice can be sent: an administrator sets SEND_URL, SEND_API_KEY and SEND_TAXONOMY_CODE (docs/cases.md, "Platform settings").')
  await db.transaction(async (tx) => {
    const before = await lockCase(tx, id, b.version)
    const r = await tx.query<{ definition: unknown; office_name: string; fiscal_code: string | null; first_name: string | null; last_name: string | null; notices: string }>(
      `SELECT s.definition, o.name_it AS office_name, p.fiscal_code, p.first_name, p.last_name, (SELECT count(*) FROM case_notice n WHERE n.case_id = c.id) AS notices
         FROM citizen_case c JOIN case_service s ON s.code = c.service_code JOIN case_office o ON o.id = c.office_id LEFT JOIN citizen_case_personal p ON p.case_id = c.id
        WHERE c.id = $1`,
      [id],
    )
    const row = r.rows[0]!
    const service = CaseServiceSchema.parse(typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition)
    if (!service.legalNotice) throw notApplicable(`The service of case #${id} (${service.name.en}) has no legal notice: tell the citizen with a status note or a public note instead.`)
    if (!row.fiscal_code)
      throw notApplicable(
        `The reporter of case #${id} is not known by a fiscal code, and SEND delivers only to one: Gemello has it when the citizen reported after signing in with SPID or CIE, until their personal data is deleted at the end of its retention. Send this notice outside Gemello (by post or PEC).`,
      )
    const n = Number(row.notices) + 1
    const payload: SendNoticePayload = {
      caseId: id,
      paProtocolNumber: `GEM-${id}-${n}`,
      // Random: a database restored or reset never meets an earlier request of the same protocol number at SEND.
      idempotenceToken: randomUUID(),
      subject: b.subject,
      abstract: `Segnalazione n. ${id} - ${service.name.it}`.slice(0, 1024),
      recipient: {
        taxId: row.fiscal_code,
        denomination: `${row.first_name ?? ''} ${row.last_name ?? ''}`.replace(/\s+/g, ' ').trim().slice(0, 88),
        physicalAddress: b.recipientAddress,
      },
      document: { title: b.subject, serviceName: service.name.it, body: b.text, office: row.office_name, date: romeDay(nowMs), lang: 'it' },
    }
    const checked = SendNoticePayloadSchema.safeParse(payload)
    if (!checked.success) {
      // Which fields, never their values (the reporter's data).
      const fields = checked.error.issues.map((i) => i.path.join('.'))
      if (fields.some((f) => f === 'recipient.taxId' || f === 'recipient.denomination'))
        throw notApplicable(`SEND cannot take the reporter of case #${id} as the recipient (${fields.join(', ')}: a fiscal code it does not accept, or no name); send this notice outside Gemello.`)
      throw new CaseError('VALIDATION_FAILED', `The notice cannot go to SEND as written: ${fields.join(', ')}`, fields[0] ?? null)
    }
    const at = iso(nowMs)
    const notice = await tx.query<{ id: string }>(
      `INSERT INTO case_notice (case_id, pa_protocol_number, idempotence_token, subject, status, status_at, sent_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $5, $5) RETURNING id`,
      [id, payload.paProtocolNumber, payload.idempotenceToken, payload.subject, at, by.actor],
    )
    const noticeId = Number(notice.rows[0]!.id)
    await tx.query(`INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, public, detail) VALUES ($1, $2, 'notice', $3, $4, $5, true, $6)`, [
      id,
      at,
      by.actor,
      by.actorRole,
      before.status,
      JSON.stringify({ noticeId, paProtocolNumber: payload.paProtocolNumber, subject: payload.subject, status: 'queued' }),
    ])
    await tx.query(`UPDATE citizen_case SET version = version + 1, updated_at = $2 WHERE id = $1`, [id, at])
    await enqueueOutbox(tx, { platform: 'send', operation: 'legalNotice', idempotencyKey: payload.idempotenceToken, caseId: id, payload: checked.data }, nowMs)
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, action: 'case.legal-notice', target: `case:${id}@${before.version + 1}`, requestId: by.requestId, detail: { noticeId, paProtocolNumber: payload.paProtocolNumber } }, nowMs)
  })
  return (await getCaseDetail(db, id))!
}

/** The outbox's success (in its transaction): SEND took the request — `requested`, with SEND's request id. */
export async function noticeRequested(tx: Queryable, idempotenceToken: string, notificationRequestId: string, nowMs: number): Promise<void> {
  const r = await tx.query<{ id: string; case_id: string; pa_protocol_number: string }>(
    `UPDATE case_notice SET status = 'requested', notification_request_id = $2, status_at = $3, updated_at = $3 WHERE idempotence_token = $1 AND status = 'queued' RETURNING id, case_id, pa_protocol_number`,
    [idempotenceToken, notificationRequestId, iso(nowMs)],
  )
  const n = r.rows[0]
  if (n) await recordMilestone(tx, Number(n.case_id), 'notice', 'system:send', { noticeId: Number(n.id), paProtocolNumber: n.pa_protocol_number, status: 'requested' }, nowMs, { pushed: false })
}

/** The statuses the polling job follows: a notice may still move on from these. */
export const NOTICE_POLLED: readonly NoticeStatus[] = ['requested', 'accepted', 'delivering', 'delivered', 'viewed']

export interface NoticeToPoll {
  id: number
  caseId: number
  status: NoticeStatus
  notificationRequestId: string | null
  iun: string | null
}

/**
 * Up to `limit` notices to ask SEND about — not looked at for `recheckMs`, the longest waiting first —
 * marked as looked at now, so another process's next tick takes others.
 */
export async function claimNoticesToPoll(tx: Queryable, nowMs: number, limit: number, recheckMs: number): Promise<NoticeToPoll[]> {
  const r = await tx.query<{ id: string; case_id: string; status: NoticeStatus; notification_request_id: string | null; iun: string | null; updated_at: Ts }>(
    `WITH due AS (SELECT id, updated_at FROM case_notice WHERE status = ANY($3::text[]) AND updated_at <= $2 ORDER BY updated_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
     UPDATE case_notice n SET updated_at = $1 FROM due WHERE n.id = due.id RETURNING n.id, n.case_id, n.status, n.notification_request_id, n.iun, due.updated_at`,
    [iso(nowMs), iso(nowMs - recheckMs), NOTICE_POLLED, limit],
  )
  return r.rows
    .sort((a, b) => new Date(a.updated_at).getTime() - new Date(b.updated_at).getTime() || Number(a.id) - Number(b.id))
    .map((x) => ({ id: Number(x.id), caseId: Number(x.case_id), status: x.status, notificationRequestId: x.notification_request_id, iun: x.iun }))
}

/**
 * A notice moved on at SEND: its new status (and IUN, once accepted) if it is still at `n.status` —
 * a change another poller already recorded is not recorded twice — with its `notice` event. The case's
 * id when it changed, else null.
 */
export async function applyNoticeStatus(db: Db, n: NoticeToPoll, next: { status: NoticeStatus; iun?: string; sinceMs?: number | null; errors?: string[] }, nowMs: number): Promise<number | null> {
  if (next.status === n.status && next.iun === undefined) return null
  return db.transaction(async (tx) => {
    const r = await tx.query<{ pa_protocol_number: string; iun: string | null }>(
      `UPDATE case_notice SET status = $3, iun = coalesce($4, iun), status_at = $5, updated_at = $6 WHERE id = $1 AND status = $2 RETURNING pa_protocol_number, iun`,
      [n.id, n.status, next.status, next.iun ?? null, iso(next.sinceMs ?? nowMs), iso(nowMs)],
    )
    const row = r.rows[0]
    if (!row) return null
    await recordMilestone(tx, n.caseId, 'notice', 'system:send', { noticeId: n.id, paProtocolNumber: row.pa_protocol_number, status: next.status, ...(row.iun ? { iun: row.iun } : {}), ...(next.errors?.length ? { errors: next.errors } : {}) }, nowMs, { pushed: true })
    return n.caseId
  })
}
