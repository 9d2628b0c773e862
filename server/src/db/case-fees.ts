/**
 * Following a case's pagoPA fee once GPD has it (docs/cases.md "Legal notices and payments followed"):
 * the polling job takes the published fees not looked at for a while, asks GPD, and a paid one becomes
 * `paid` with its date and receipt reference — the receipt's id and the payment service provider, no
 * card or account data — and a public `payment` event of the case.
 */
import type { Db, Queryable } from './adapter'
import { recordMilestone } from './case-notices'

type Ts = Date | string
const iso = (ms: number) => new Date(ms).toISOString()

export interface FeeToPoll {
  id: number
  caseId: number
  iupd: string
}

/**
 * Up to `limit` published fees to ask GPD about — not looked at for `recheckMs`, the longest waiting
 * first — marked as looked at now, so another process's next tick takes others.
 */
export async function claimFeesToPoll(tx: Queryable, nowMs: number, limit: number, recheckMs: number): Promise<FeeToPoll[]> {
  const r = await tx.query<{ id: string; case_id: string; iupd: string; updated_at: Ts }>(
    `WITH due AS (SELECT id, updated_at FROM case_fee WHERE status = 'published' AND updated_at <= $2 ORDER BY updated_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE case_fee f SET updated_at = $1 FROM due WHERE f.id = due.id RETURNING f.id, f.case_id, f.iupd, due.updated_at`,
    [iso(nowMs), iso(nowMs - recheckMs), limit],
  )
  return r.rows
    .sort((a, b) => new Date(a.updated_at).getTime() - new Date(b.updated_at).getTime() || Number(a.id) - Number(b.id))
    .map((x) => ({ id: Number(x.id), caseId: Number(x.case_id), iupd: x.iupd }))
}

/**
 * GPD says the fee was paid: `paid` with its date and receipt, and the case's `payment` event — once
 * (a fee another poller already marked is left alone). The case's id when it changed, else null.
 */
export async function markFeePaid(db: Db, fee: FeeToPoll, paid: { paidAtMs: number; idReceipt: string | null; pspCompany: string | null }, nowMs: number): Promise<number | null> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{ amount_cents: string; nav: string }>(
      `UPDATE case_fee SET status = 'paid', paid_at = $2, receipt = $3, updated_at = $4 WHERE id = $1 AND status = 'published' RETURNING amount_cents, nav`,
      [fee.id, iso(paid.paidAtMs), JSON.stringify({ idReceipt: paid.idReceipt, pspCompany: paid.pspCompany }), iso(nowMs)],
    )
    const row = r.rows[0]
    if (!row) return null
    await recordMilestone(tx, fee.caseId, 'payment', 'system:pagopa', { amountCents: Number(row.amount_cents), nav: row.nav, paidAt: iso(paid.paidAtMs), pspCompany: paid.pspCompany }, nowMs, { pushed: true })
    return fee.caseId
  })
}
