/**
 * The case cycle's timed work in the database (docs/cases.md "The office cycle"; run by the JobLoops of
 * server/src/cases/case-jobs.ts): the SLA flag of open cases past their expected date, and the purge of
 * the reporters' personal data once its retention period after the case closed ran out.
 */
import type { CaseStatus } from '../../../contracts/schemas/case'
import { appendAudit } from '../audit/audit-log'
import type { Queryable } from './adapter'

type Ts = Date | string

/** SLA job: open cases whose expected date passed get sla_breached_at and one internal "sla-breach" event. */
export async function flagSlaBreaches(tx: Queryable, nowMs: number, limit = 500): Promise<number[]> {
  const at = new Date(nowMs).toISOString()
  const r = await tx.query<{ id: string; status: CaseStatus; expected_at: Ts }>(
    `UPDATE citizen_case SET sla_breached_at = $1 WHERE id IN (
       SELECT id FROM citizen_case WHERE closed_at IS NULL AND sla_breached_at IS NULL AND expected_at < $1 ORDER BY expected_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, status, expected_at`,
    [at, limit],
  )
  for (const x of r.rows) {
    await tx.query(`INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, public, detail) VALUES ($1, $2, 'sla-breach', 'system:sla', 'system', $3, false, $4)`, [
      Number(x.id),
      at,
      x.status,
      JSON.stringify({ expectedAt: new Date(x.expected_at).toISOString() }),
    ])
  }
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b)
}

/** Retention job: deletes the personal rows whose period ran out; one audit row with how many (no content). */
export async function purgePersonal(tx: Queryable, nowMs: number, limit = 1000): Promise<number> {
  const r = await tx.query<{ case_id: string }>(
    `DELETE FROM citizen_case_personal WHERE case_id IN (SELECT case_id FROM citizen_case_personal WHERE purge_after < $1 ORDER BY purge_after LIMIT $2) RETURNING case_id`,
    [new Date(nowMs).toISOString(), limit],
  )
  if (r.rows.length > 0) {
    await appendAudit(tx, { actor: 'system:retention', actorRole: 'system', action: 'case.purge-personal', target: 'case:*', requestId: null, detail: { cases: r.rows.length, first: Number(r.rows[0]!.case_id) } }, nowMs)
  }
  return r.rows.length
}
