/**
 * Deployments of signal plans to controllers (migration 0010, docs/signals.md "Deploy"): what was
 * sent, with which sequence number, hash and validator version, and what the controller answered.
 * The plan a controller runs is the one of its newest acknowledged deployment.
 */
import type { Deployment, PlanVersion } from '../../../contracts/signal-api'
import type { SignalPlan } from '../../../contracts/schemas/signal-plan'
import { validateSignals } from '../../../contracts/signal-safety/validator'
import type { PlanAck } from '../../../contracts/signal-deploy'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { SignalError, controllerDoc, getPlanVersion, type ChangedBy } from './signals'

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const COLS = `id::int AS id, controller_id AS "controllerId", plan_id AS "planId", version, plan_hash AS "planHash", sequence, kind, status, validator_version AS "validatorVersion",
  requested_by AS "requestedBy", ${ms('requested_at')} AS "requestedAtMs", attempts, ${ms('acknowledged_at')} AS "acknowledgedAtMs", detail`

export async function listDeployments(q: Queryable, controllerId: string, limit = 50): Promise<Deployment[]> {
  const r = await q.query<Deployment>(`SELECT ${COLS} FROM signal_deployment WHERE controller_id = $1 ORDER BY id DESC LIMIT $2`, [controllerId, limit])
  return r.rows
}

export async function getDeployment(q: Queryable, id: number): Promise<Deployment | null> {
  const r = await q.query<Deployment>(`SELECT ${COLS} FROM signal_deployment WHERE id = $1`, [id])
  return r.rows[0] ?? null
}

/** The plan each controller runs: its newest acknowledged deployment. */
export async function runningPlans(q: Queryable, controllerId: string | null): Promise<Map<string, { planId: string; version: number; sinceMs: number; deploymentId: number }>> {
  const r = await q.query<{ controllerId: string; planId: string; version: number; sinceMs: number; deploymentId: number }>(
    `SELECT DISTINCT ON (controller_id) controller_id AS "controllerId", plan_id AS "planId", version, ${ms('acknowledged_at')} AS "sinceMs", id::int AS "deploymentId"
     FROM signal_deployment WHERE status = 'acknowledged' AND ($1::text IS NULL OR controller_id = $1) ORDER BY controller_id, sequence DESC`,
    [controllerId],
  )
  return new Map(r.rows.map((x) => [x.controllerId, { planId: x.planId, version: x.version, sinceMs: x.sinceMs, deploymentId: x.deploymentId }]))
}

/**
 * Re-validates `target` as the controller would run it: on its own and switched to from the plan
 * running now. Only what concerns the target (its cycle, the switch into it, the controller) counts.
 */
export function deployValidation(controller: Parameters<typeof validateSignals>[0], target: SignalPlan, running: SignalPlan | null) {
  const plans: SignalPlan[] = [target]
  if (running && !(running.id === target.id && JSON.stringify(running) === JSON.stringify(target))) {
    // The running plan may be an older version of the same plan id: give it a distinct id for the check.
    plans.push(running.id === target.id ? { ...running, id: `${running.id.slice(0, 30)}.running` } : running)
  }
  const report = validateSignals(controller, plans)
  const relevant = report.violations.filter((v) => v.planId === target.id || v.planId === null)
  const rejects = relevant.filter((v) => v.severity === 'reject').length
  return { ...report, violations: relevant, rejects, warnings: relevant.length - rejects, ok: rejects === 0 }
}

/**
 * A deployment of an approved (or deployed) plan version: re-validated, given the next sequence
 * number, stored as `sending`, audited with its hash and validator version. The caller sends it.
 */
export async function createDeployment(db: Db, controllerId: string, target: { planId: string; version: number }, kind: Deployment['kind'], by: ChangedBy, nowMs: number): Promise<{ deployment: Deployment; plan: PlanVersion; groups: string[]; deviceId: string | null }> {
  return db.transaction(async (tx) => {
    const c = await controllerDoc(tx, controllerId, true)
    const v = await getPlanVersion(tx, controllerId, target.planId, target.version)
    if (!v) throw new SignalError('NOT_FOUND', `no version ${target.version} of plan ${target.planId} on controller ${controllerId}`)
    if (v.status !== 'approved' && v.status !== 'deployed') throw new SignalError('PLAN_STATE', `version ${v.version} of plan ${v.planId} is ${v.status}: only an approved version can be ${kind === 'switch' ? 'switched to' : 'deployed'}`)
    const sending = await tx.query<{ id: number }>(`SELECT id::int AS id FROM signal_deployment WHERE controller_id = $1 AND status = 'sending'`, [controllerId])
    if (sending.rows[0]) throw new SignalError('DEPLOY_IN_PROGRESS', `deployment ${sending.rows[0].id} to controller ${controllerId} is still waiting for the controller's acknowledgement (at most 30 s)`)
    const run = (await runningPlans(tx, controllerId)).get(controllerId)
    const running = run ? await getPlanVersion(tx, controllerId, run.planId, run.version) : null
    const report = deployValidation(c.doc, v.plan, running?.plan ?? null)
    const target_ = `signal_plan:${controllerId}/${v.planId}@v${v.version}`
    if (!report.ok) {
      await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null, action: `signal_plan.${kind}_refused`, target: target_, beforeHash: null, afterHash: v.planHash, detail: { validatorVersion: report.validatorVersion, rejects: report.rejects, first: report.violations[0]?.message ?? null } }, nowMs)
      throw new SignalError('PLAN_REJECTED', `the safety validator rejects deploying version ${v.version} of plan ${v.planId}${running ? ` after ${running.planId} v${running.version}` : ''}: ${report.violations.find((x) => x.severity === 'reject')?.message ?? ''}`, report)
    }
    const seq = await tx.query<{ n: number }>('SELECT coalesce(max(sequence), 0)::int + 1 AS n FROM signal_deployment WHERE controller_id = $1', [controllerId])
    const r = await tx.query<Deployment>(
      `INSERT INTO signal_deployment (controller_id, plan_id, version, plan_hash, sequence, kind, status, validator_version, validation, requested_by, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'sending', $7, $8::jsonb, $9, to_timestamp($10::float8 / 1000)) RETURNING ${COLS}`,
      [controllerId, v.planId, v.version, v.planHash, seq.rows[0]!.n, kind, report.validatorVersion, JSON.stringify(report), by.actor, nowMs],
    )
    const deployment = r.rows[0]!
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null, action: `signal_plan.${kind}`, target: target_, beforeHash: running?.planHash ?? null, afterHash: v.planHash, detail: { deploymentId: deployment.id, sequence: deployment.sequence, planHash: v.planHash, validatorVersion: report.validatorVersion, warnings: report.warnings } }, nowMs)
    return { deployment, plan: v, groups: c.doc.signalGroups.map((g) => g.id), deviceId: c.deviceId }
  })
}

/** One more send of a deployment still waiting. */
export async function recordAttempt(q: Queryable, id: number, nowMs: number): Promise<number> {
  const r = await q.query<{ attempts: number }>(`UPDATE signal_deployment SET attempts = attempts + 1, next_attempt_at = to_timestamp($2::float8 / 1000) WHERE id = $1 AND status = 'sending' RETURNING attempts`, [id, nowMs])
  return r.rows[0]?.attempts ?? 0
}

/**
 * The controller's answer. Applied once (only to a deployment still sending, with the same sequence
 * and hash); an acknowledged plan becomes `deployed` and the one it replaces goes back to `approved`.
 * One exception: an activation that arrives after the deployment was marked unconfirmed is applied
 * too, as long as no later deployment to the controller was acknowledged — the controller does run
 * that plan, and the record says so ("activated after it was marked unconfirmed").
 * Returns the updated deployment, or null when the ack matches nothing waiting (late or repeated).
 */
export async function applyAck(db: Db, controllerId: string, ack: PlanAck, nowMs: number): Promise<Deployment | null> {
  if (ack.status === 'staged') throw new Error('a staged answer is not a final one: recordStaged, not applyAck')
  return db.transaction(async (tx) => {
    const status = ack.status === 'activated' ? 'acknowledged' : 'rejected'
    const cur = await tx.query<{ status: Deployment['status'] }>(
      'SELECT status FROM signal_deployment WHERE controller_id = $1 AND id = $2 AND sequence = $3 AND plan_hash = $4 FOR UPDATE',
      [controllerId, ack.deploymentId, ack.sequence, ack.planHash],
    )
    const was = cur.rows[0]?.status
    const late = was === 'unconfirmed' && status === 'acknowledged'
    if (was !== 'sending' && !late) return null
    if (late) {
      const newer = await tx.query(`SELECT 1 FROM signal_deployment WHERE controller_id = $1 AND sequence > $2 AND status = 'acknowledged' LIMIT 1`, [controllerId, ack.sequence])
      if (newer.rows.length > 0) return null
    }
    const detail =
      ack.status === 'activated'
        ? late
          ? `activated by the controller after it had been marked unconfirmed${ack.detail ? ` (${ack.detail})` : ''}`
          : (ack.detail ?? null)
        : `refused by the controller: ${ack.reason ?? 'unknown reason'}${ack.detail ? ` (${ack.detail})` : ''}`
    const r = await tx.query<Deployment>(
      `UPDATE signal_deployment SET status = $3, acknowledged_at = to_timestamp($4::float8 / 1000), detail = $5 WHERE controller_id = $1 AND id = $2 RETURNING ${COLS}`,
      [controllerId, ack.deploymentId, status, nowMs, detail],
    )
    const d = r.rows[0]
    if (!d) return null
    if (status === 'acknowledged') {
      await tx.query(`UPDATE signal_plan_version SET status = 'approved' WHERE controller_id = $1 AND status = 'deployed' AND NOT (plan_id = $2 AND version = $3)`, [controllerId, d.planId, d.version])
      await tx.query(`UPDATE signal_plan_version SET status = 'deployed' WHERE controller_id = $1 AND plan_id = $2 AND version = $3`, [controllerId, d.planId, d.version])
    }
    await appendAudit(tx, { actor: 'system:signals', actorRole: 'system', requestId: null, action: status === 'acknowledged' ? 'signal_plan.deploy_acknowledged' : 'signal_plan.deploy_rejected_by_device', target: `signal_plan:${controllerId}/${d.planId}@v${d.version}`, beforeHash: null, afterHash: d.planHash, detail: { deploymentId: d.id, sequence: d.sequence, runningSequence: ack.runningSequence, ...(ack.reason ? { reason: ack.reason } : {}), ...(late ? { late: true } : {}) } }, nowMs)
    return d
  })
}

/**
 * The controller verified and staged the deployment and switches at its running plan's next switch
 * point: still `sending` (the plan does not run yet), with what the controller said in `detail` and
 * `next_attempt_at` moved to when the switch is due, so that the start-up sweep of a restarting
 * server does not take a deployment waiting for its safe point for an abandoned one. Null when the
 * answer matches nothing waiting (late, repeated, or for another sequence or hash).
 */
export async function recordStaged(q: Queryable, controllerId: string, ack: Pick<PlanAck, 'deploymentId' | 'sequence' | 'planHash'>, detail: string, dueAtMs: number): Promise<Deployment | null> {
  const r = await q.query<Deployment>(
    `UPDATE signal_deployment SET detail = $5, next_attempt_at = to_timestamp($6::float8 / 1000)
     WHERE controller_id = $1 AND id = $2 AND sequence = $3 AND plan_hash = $4 AND status = 'sending' RETURNING ${COLS}`,
    [controllerId, ack.deploymentId, ack.sequence, ack.planHash, detail, dueAtMs],
  )
  return r.rows[0] ?? null
}

/** No acknowledgement after the last attempt: "not deployed". Returns the deployment when this call made it so. */
export async function markUnconfirmed(db: Db, id: number, detail: string, nowMs: number): Promise<Deployment | null> {
  return db.transaction(async (tx) => {
    const r = await tx.query<Deployment>(`UPDATE signal_deployment SET status = 'unconfirmed', detail = $2 WHERE id = $1 AND status = 'sending' RETURNING ${COLS}`, [id, detail])
    const d = r.rows[0]
    if (!d) return null
    await appendAudit(tx, { actor: 'system:signals', actorRole: 'system', requestId: null, action: 'signal_plan.deploy_unconfirmed', target: `signal_plan:${d.controllerId}/${d.planId}@v${d.version}`, beforeHash: null, afterHash: d.planHash, detail: { deploymentId: d.id, attempts: d.attempts } }, nowMs)
    return d
  })
}

/** Deployments still sending whose last attempt is older than `olderThanMs` (a server stopped while waiting). */
export async function staleDeployments(q: Queryable, olderThanMs: number): Promise<Deployment[]> {
  const r = await q.query<Deployment>(`SELECT ${COLS} FROM signal_deployment WHERE status = 'sending' AND coalesce(next_attempt_at, requested_at) < to_timestamp($1::float8 / 1000) ORDER BY id`, [olderThanMs])
  return r.rows
}

/** The plan to roll back to: the newest acknowledged deployment before the running one with another plan version. */
export async function lastKnownGood(q: Queryable, controllerId: string): Promise<{ planId: string; version: number } | null> {
  const run = (await runningPlans(q, controllerId)).get(controllerId)
  if (!run) return null
  const r = await q.query<{ planId: string; version: number }>(
    `SELECT plan_id AS "planId", version FROM signal_deployment
     WHERE controller_id = $1 AND status = 'acknowledged' AND id < $2 AND NOT (plan_id = $3 AND version = $4)
     ORDER BY sequence DESC LIMIT 1`,
    [controllerId, run.deploymentId, run.planId, run.version],
  )
  return r.rows[0] ?? null
}
