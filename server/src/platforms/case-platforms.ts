/**
 * What a case asks of the national platforms, wired to the outbox (docs/cases.md "The platforms in the
 * case cycle"): the calls are queued in the transaction of the change that causes them, so a call is
 * made if and only if the change committed, and at most once in effect (the outbox's keys).
 *
 * - a status change of a case whose reporter signed in (their fiscal code is in the personal row) →
 *   an App IO message (`appio/caseStatusMessage`), when IO is configured;
 * - a citizen's report of a service with a fee → a fee row and its pagoPA debt position
 *   (`gpd/createPosition`, key = iupd), when GPD is configured;
 * - an office's legal notice (server/src/db/case-notices.ts) → `send/legalNotice`, key = its
 *   idempotenceToken, when SEND is configured; SEND taking it makes the notice `requested`.
 * The polling jobs (platform-polls.ts) then follow the fee to its payment and the notice to its delivery.
 * A platform that is not configured asks nothing, and the case view says so.
 */
import type { CaseService, CaseStatus } from '../../../contracts/schemas/case'
import type { PlatformConfig } from '../config/platform-config'
import type { Queryable } from '../db/adapter'
import { appIoStatusHandler, type CaseStatusMessage } from './appio/appio-handler'
import { gpdCreatePositionHandler, type GpdFeePayload } from './gpd/gpd-handler'
import { feeIuv, iupdOf, navOf } from './gpd/iuv'
import { noticeRequested } from '../db/case-notices'
import { enqueueOutbox } from './outbox/outbox-store'
import type { PlatformHandler } from './outbox/outbox-worker'
import { sendNotificationHandler, type SendNoticeResult } from './send/send-handler'

export interface CasePlatformsOptions {
  config: PlatformConfig
  /** Where a citizen follows their reports (the IO message's link). */
  followUrl: string
  fetch?: typeof fetch
}

/** The day `days` after `nowMs` in Italy, YYYY-MM-DD (a fee's last day). */
export function dueDate(nowMs: number, days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(nowMs + days * 86_400_000))
}

/** An internal event of a case (the platforms' milestones), at the case's current status. */
async function caseEvent(tx: Queryable, caseId: number | null, kind: 'message' | 'payment' | 'notice', actor: string, detail: unknown, nowMs: number): Promise<void> {
  if (caseId === null) return
  await tx.query(
    `INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, public, detail) SELECT id, $2, $3, $4, 'system', status, false, $5 FROM citizen_case WHERE id = $1`,
    [caseId, new Date(nowMs).toISOString(), kind, actor, JSON.stringify(detail ?? null)],
  )
}

export class CasePlatforms {
  constructor(private readonly o: CasePlatformsOptions) {}

  /** The outbox handlers of the configured platforms. */
  handlers(): PlatformHandler[] {
    const { appio, gpd, send } = this.o.config
    const f = this.o.fetch ? { fetch: this.o.fetch } : {}
    const out: PlatformHandler[] = []
    if (appio) {
      const h = appIoStatusHandler({ ...appio, followUrl: this.o.followUrl }, f)
      // The case's history says the citizen was told (or why not), as an internal event.
      out.push({ ...h, onDone: (tx, item, result, nowMs) => caseEvent(tx, item.caseId, 'message', 'system:appio', result, nowMs) })
    }
    if (gpd) {
      const h = gpdCreatePositionHandler(gpd, f)
      out.push({
        ...h,
        onDone: async (tx, item, _result, nowMs) => {
          await tx.query(`UPDATE case_fee SET status = 'published', updated_at = $2 WHERE iupd = $1 AND status = 'pending'`, [item.idempotencyKey, new Date(nowMs).toISOString()])
        },
      })
    }
    if (send) {
      const h = sendNotificationHandler(send, f)
      out.push({ ...h, onDone: (tx, item, result, nowMs) => noticeRequested(tx, item.idempotencyKey, (result as SendNoticeResult).notificationRequestId, nowMs) })
    }
    return out
  }

  /** Whether an office may send legal notices (SEND is configured). */
  get sendConfigured(): boolean {
    return this.o.config.send !== null
  }

  /** In a status change's transaction: the App IO message to the reporter, if IO is on and they signed in. */
  async statusChanged(tx: Queryable, c: { caseId: number; serviceCode: string; status: CaseStatus; note: string | null }, nowMs: number): Promise<void> {
    if (!this.o.config.appio) return
    const r = await tx.query<{ fiscal_code: string | null; definition: { name: { it: string; en: string } } | string }>(
      `SELECT p.fiscal_code, s.definition FROM citizen_case_personal p JOIN citizen_case c ON c.id = p.case_id JOIN case_service s ON s.code = c.service_code WHERE p.case_id = $1`,
      [c.caseId],
    )
    const row = r.rows[0]
    if (!row?.fiscal_code) return
    const def = typeof row.definition === 'string' ? (JSON.parse(row.definition) as { name: { it: string; en: string } }) : row.definition
    const payload: CaseStatusMessage = { fiscalCode: row.fiscal_code, caseId: c.caseId, serviceName: def.name, status: c.status, note: c.note }
    const version = await tx.query<{ version: number }>(`SELECT version FROM citizen_case WHERE id = $1`, [c.caseId])
    // One message per status change: the case's version after the change names it.
    await enqueueOutbox(tx, { platform: 'appio', operation: 'caseStatusMessage', idempotencyKey: `io:case:${c.caseId}:v${Number(version.rows[0]!.version) + 1}`, caseId: c.caseId, payload }, nowMs)
  }

  /** In a report's transaction: the fee of a service that has one (the row, its event, the debt position queued). */
  async reported(tx: Queryable, c: { caseId: number; service: CaseService; debtor: { fiscalCode: string; fullName: string } }, nowMs: number): Promise<void> {
    const gpd = this.o.config.gpd
    if (!gpd || c.service.feeCents === null) return
    const seq = await tx.query<{ n: string }>(`SELECT nextval('case_fee_iuv_seq') AS n`)
    const iuv = feeIuv({ segregationCode: gpd.segregationCode, prefix: '', sequence: BigInt(seq.rows[0]!.n) })
    const iupd = iupdOf(gpd.organizationFiscalCode, iuv)
    const description = `${c.service.name.it} - segnalazione n. ${c.caseId}`.slice(0, 140)
    const due = dueDate(nowMs, gpd.dueDays)
    const at = new Date(nowMs).toISOString()
    await tx.query(
      `INSERT INTO case_fee (case_id, amount_cents, description, iupd, iuv, nav, due_date, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8)`,
      [c.caseId, c.service.feeCents, description, iupd, iuv, navOf(iuv), due, at],
    )
    await tx.query(`INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, public, detail) VALUES ($1, $2, 'fee', 'system:pagopa', 'system', 'new', true, $3)`, [
      c.caseId,
      at,
      JSON.stringify({ amountCents: c.service.feeCents, nav: navOf(iuv), dueDate: due }),
    ])
    const payload: GpdFeePayload = { iupd, iuv, amountCents: c.service.feeCents, dueDate: due, description, debtor: { type: 'F', fiscalCode: c.debtor.fiscalCode, fullName: c.debtor.fullName }, caseId: c.caseId }
    await enqueueOutbox(tx, { platform: 'gpd', operation: 'createPosition', idempotencyKey: iupd, caseId: c.caseId, payload }, nowMs)
  }
}
