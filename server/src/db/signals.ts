/**
 * The signal workbench's storage (migration 0010, docs/signals.md): controllers and their versions,
 * plan versions with their status and validation. Every change is one transaction with its audit
 * row. The validator is the contracts' (the editor runs the same code): a version is stored with
 * the report the server computed, whatever the client claimed.
 */
import type { ControllerDetail, ControllerSummary, PlanVersion, PlanVersionSummary, ValidationReportDto } from '../../../contracts/signal-api'
import { SignalControllerSchema, SignalPlanSchema, type SignalController, type SignalPlan } from '../../../contracts/schemas/signal-plan'
import { validateSignals } from '../../../contracts/signal-safety/validator'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { listDeployments, runningPlans } from './signal-deployments'

export interface ChangedBy {
  actor: string
  actorRole: string
  requestId?: string | null
}

export type SignalErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_FAILED' | 'PLAN_REJECTED' | 'PLAN_STATE' | 'FOUR_EYES' | 'DEPLOY_IN_PROGRESS'
export class SignalError extends Error {
  constructor(
    public readonly code: SignalErrorCode,
    message: string,
    public readonly report?: ValidationReportDto,
  ) {
    super(message)
  }
}

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
export const planHash = (plan: SignalPlan) => stateHash(plan)

interface ControllerRow {
  id: string
  version: number
  doc: SignalController
  network_id: string | null
  device_id: string | null
  updated_by: string
  updated_at_ms: number
  lon: number | null
  lat: number | null
}

interface PlanRow {
  controller_id: string
  plan_id: string
  version: number
  status: PlanVersion['status']
  doc: SignalPlan
  plan_hash: string
  validation: ValidationReportDto
  controller_version: number
  note: string
  created_by: string
  created_at_ms: number
  approved_by: string | null
  approved_at_ms: number | null
}

const PLAN_COLS = `controller_id, plan_id, version, status, doc, plan_hash, validation, controller_version, note, created_by, ${ms('created_at')} AS created_at_ms, approved_by, ${ms('approved_at')} AS approved_at_ms`

function toVersion(r: PlanRow): PlanVersion {
  return {
    controllerId: r.controller_id,
    planId: r.plan_id,
    version: r.version,
    status: r.status,
    plan: r.doc,
    planHash: r.plan_hash,
    validation: r.validation,
    controllerVersion: r.controller_version,
    note: r.note,
    createdBy: r.created_by,
    createdAtMs: r.created_at_ms,
    approvedBy: r.approved_by,
    approvedAtMs: r.approved_at_ms,
  }
}

function toSummary(r: PlanRow): PlanVersionSummary {
  const { plan, validation, ...v } = toVersion(r)
  return { ...v, name: plan.name, control: plan.control, cycleS: plan.cycleS, rejects: validation.rejects, warnings: validation.warnings }
}

async function controllerRows(q: Queryable, id: string | null, forUpdate = false): Promise<ControllerRow[]> {
  const r = await q.query<ControllerRow>(
    `SELECT c.id, c.version, c.doc, c.network_id, c.device_id, c.updated_by, ${ms('c.updated_at')} AS updated_at_ms,
            ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
     FROM signal_controller c LEFT JOIN device d ON d.id = c.device_id
     WHERE $1::text IS NULL OR c.id = $1 ORDER BY c.id ${forUpdate ? 'FOR UPDATE OF c' : ''}`,
    [id],
  )
  return r.rows
}

/** The latest version of every plan of the controllers (all when `controllerId` is null). */
async function latestPlans(q: Queryable, controllerId: string | null): Promise<PlanRow[]> {
  const r = await q.query<PlanRow>(
    `SELECT DISTINCT ON (controller_id, plan_id) ${PLAN_COLS} FROM signal_plan_version
     WHERE $1::text IS NULL OR controller_id = $1 ORDER BY controller_id, plan_id, version DESC`,
    [controllerId],
  )
  return r.rows
}

export async function listControllers(q: Queryable): Promise<ControllerSummary[]> {
  const [rows, plans, running] = await Promise.all([controllerRows(q, null), latestPlans(q, null), runningPlans(q, null)])
  return rows.map((c) => summary(c, plans.filter((p) => p.controller_id === c.id), running.get(c.id) ?? null))
}

function summary(c: ControllerRow, plans: PlanRow[], running: ControllerSummary['running']): ControllerSummary {
  return {
    id: c.id,
    name: c.doc.name,
    intersectionCode: c.doc.intersectionCode,
    deviceId: c.device_id,
    position: c.lon !== null && c.lat !== null ? [c.lon, c.lat] : null,
    networkId: c.network_id,
    groups: c.doc.signalGroups.length,
    plans: plans.map(toSummary),
    running,
  }
}

export async function getController(q: Queryable, id: string): Promise<ControllerDetail | null> {
  const c = (await controllerRows(q, id))[0]
  if (!c) return null
  const [plans, running, deployments] = await Promise.all([latestPlans(q, id), runningPlans(q, id), listDeployments(q, id, 10)])
  return { ...summary(c, plans, running.get(id) ?? null), controller: c.doc, version: c.version, updatedBy: c.updated_by, updatedAtMs: c.updated_at_ms, deployments }
}

export async function controllerDoc(q: Queryable, id: string, forUpdate = false): Promise<{ doc: SignalController; version: number; deviceId: string | null; networkId: string | null }> {
  const c = (await controllerRows(q, id, forUpdate))[0]
  if (!c) throw new SignalError('NOT_FOUND', `no signal controller ${id}`)
  return { doc: c.doc, version: c.version, deviceId: c.device_id, networkId: c.network_id }
}

export async function getPlanVersion(q: Queryable, controllerId: string, planId: string, version: number, forUpdate = false): Promise<PlanVersion | null> {
  const r = await q.query<PlanRow>(`SELECT ${PLAN_COLS} FROM signal_plan_version WHERE controller_id = $1 AND plan_id = $2 AND version = $3 ${forUpdate ? 'FOR UPDATE' : ''}`, [controllerId, planId, version])
  return r.rows[0] ? toVersion(r.rows[0]) : null
}

export async function listPlanVersions(q: Queryable, controllerId: string, planId: string): Promise<PlanVersionSummary[] | null> {
  const r = await q.query<PlanRow>(`SELECT ${PLAN_COLS} FROM signal_plan_version WHERE controller_id = $1 AND plan_id = $2 ORDER BY version DESC`, [controllerId, planId])
  if (r.rows.length === 0) return (await controllerRows(q, controllerId)).length === 0 ? null : []
  return r.rows.map(toSummary)
}

/** The approved and deployed plan versions of a controller (what it may switch among). */
export async function approvedPlans(q: Queryable, controllerId: string): Promise<PlanVersion[]> {
  const r = await q.query<PlanRow>(`SELECT ${PLAN_COLS} FROM signal_plan_version WHERE controller_id = $1 AND status IN ('approved', 'deployed') ORDER BY plan_id, version`, [controllerId])
  return r.rows.map(toVersion)
}

async function insertPlanVersion(tx: Queryable, v: Omit<PlanVersion, 'createdAtMs' | 'approvedAtMs'>, nowMs: number): Promise<PlanVersion> {
  const r = await tx.query<PlanRow>(
    `INSERT INTO signal_plan_version (controller_id, plan_id, version, status, doc, plan_hash, validation, validator_version, controller_version, note, created_by, created_at, approved_by, approved_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8, $9, $10, $11, to_timestamp($12::float8 / 1000), $13, CASE WHEN $13::text IS NULL THEN NULL ELSE to_timestamp($12::float8 / 1000) END)
     RETURNING ${PLAN_COLS}`,
    [v.controllerId, v.planId, v.version, v.status, JSON.stringify(v.plan), v.planHash, JSON.stringify(v.validation), v.validation.validatorVersion, v.controllerVersion, v.note, v.createdBy, nowMs, v.approvedBy],
  )
  return toVersion(r.rows[0]!)
}

const audited = (by: ChangedBy) => ({ actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null })

/** Saves a plan as a new draft version, validated on the server against the controller's current version. */
export async function createPlanVersion(db: Db, controllerId: string, input: { plan: SignalPlan; baseVersion: number | null; note: string }, by: ChangedBy, nowMs: number): Promise<PlanVersion> {
  return db.transaction(async (tx) => {
    const c = await controllerDoc(tx, controllerId, true)
    const plan = SignalPlanSchema.parse(input.plan)
    if (plan.controllerId !== controllerId) throw new SignalError('VALIDATION_FAILED', `the plan belongs to controller ${plan.controllerId}, not ${controllerId}`)
    const latest = await tx.query<{ version: number }>('SELECT max(version) AS version FROM signal_plan_version WHERE controller_id = $1 AND plan_id = $2', [controllerId, plan.id])
    const current = latest.rows[0]?.version ?? null
    if (current !== input.baseVersion)
      throw new SignalError(
        'CONFLICT',
        current === null
          ? `plan ${plan.id} has no version ${input.baseVersion}: save it as a new plan (baseVersion null)`
          : input.baseVersion === null
            ? `plan ${plan.id} already exists (version ${current}): edit its latest version`
            : `plan ${plan.id} is at version ${current}, not ${input.baseVersion}: someone else saved it meanwhile — reload and apply your change again`,
      )
    const validation = validateSignals(c.doc, [plan])
    const saved = await insertPlanVersion(tx, { controllerId, planId: plan.id, version: (current ?? 0) + 1, status: 'draft', plan, planHash: planHash(plan), validation, controllerVersion: c.version, note: input.note, createdBy: by.actor, approvedBy: null }, nowMs)
    await appendAudit(tx, { ...audited(by), action: 'signal_plan.create', target: `signal_plan:${controllerId}/${plan.id}@v${saved.version}`, beforeHash: null, afterHash: saved.planHash, detail: { ok: validation.ok, rejects: validation.rejects, warnings: validation.warnings, validatorVersion: validation.validatorVersion } }, nowMs)
    return saved
  })
}

/** validate (draft → validated, or PLAN_REJECTED with the report), approve (four-eyes), retire. */
export async function actOnPlanVersion(db: Db, controllerId: string, planId: string, version: number, action: 'validate' | 'approve' | 'retire', note: string | undefined, by: ChangedBy, nowMs: number): Promise<PlanVersion> {
  return db.transaction(async (tx) => {
    const c = await controllerDoc(tx, controllerId, true)
    const v = await getPlanVersion(tx, controllerId, planId, version, true)
    if (!v) throw new SignalError('NOT_FOUND', `no version ${version} of plan ${planId} on controller ${controllerId}`)
    const target = `signal_plan:${controllerId}/${planId}@v${version}`
    if (action === 'validate') {
      if (v.status !== 'draft' && v.status !== 'validated') throw new SignalError('PLAN_STATE', `version ${version} is ${v.status}: only a draft is validated (save a new version to change it)`)
      const report = validateSignals(c.doc, [v.plan])
      await tx.query(`UPDATE signal_plan_version SET validation = $4::jsonb, validator_version = $5, controller_version = $6, status = CASE WHEN $7 THEN 'validated' ELSE status END WHERE controller_id = $1 AND plan_id = $2 AND version = $3`, [controllerId, planId, version, JSON.stringify(report), report.validatorVersion, c.version, report.ok])
      await appendAudit(tx, { ...audited(by), action: report.ok ? 'signal_plan.validate' : 'signal_plan.validate_rejected', target, beforeHash: v.planHash, afterHash: v.planHash, detail: { rejects: report.rejects, warnings: report.warnings, validatorVersion: report.validatorVersion, ...(note ? { note } : {}) } }, nowMs)
      if (!report.ok) throw new SignalError('PLAN_REJECTED', `the safety validator rejects version ${version} of plan ${planId}: ${report.rejects} violation(s), first: ${report.violations[0]?.rule} ${report.violations[0]?.message ?? ''}`, report)
    } else if (action === 'approve') {
      if (v.status !== 'validated') throw new SignalError('PLAN_STATE', `version ${version} is ${v.status}: only a validated version can be approved`)
      if (v.createdBy === by.actor) throw new SignalError('FOUR_EYES', `you wrote version ${version}: another traffic engineer must approve it (four-eyes)`)
      const report = validateSignals(c.doc, [v.plan])
      if (!report.ok) throw new SignalError('PLAN_REJECTED', `the safety validator now rejects version ${version} (the controller changed since it was validated): validate it again`, report)
      await tx.query(`UPDATE signal_plan_version SET status = 'approved', approved_by = $4, approved_at = to_timestamp($5::float8 / 1000) WHERE controller_id = $1 AND plan_id = $2 AND version = $3`, [controllerId, planId, version, by.actor, nowMs])
      await appendAudit(tx, { ...audited(by), action: 'signal_plan.approve', target, beforeHash: v.planHash, afterHash: v.planHash, detail: { author: v.createdBy, ...(note ? { note } : {}) } }, nowMs)
    } else {
      if (v.status === 'deployed') throw new SignalError('PLAN_STATE', `version ${version} runs on the controller: deploy another plan before retiring it`)
      if (v.status === 'retired') return v
      await tx.query(`UPDATE signal_plan_version SET status = 'retired' WHERE controller_id = $1 AND plan_id = $2 AND version = $3`, [controllerId, planId, version])
      await appendAudit(tx, { ...audited(by), action: 'signal_plan.retire', target, beforeHash: v.planHash, afterHash: v.planHash, detail: note ? { note } : {} }, nowMs)
    }
    return (await getPlanVersion(tx, controllerId, planId, version))!
  })
}

/** A new version of the controller (groups, matrices, overrides, startup, schedule); CONFLICT when not edited from the latest. */
export async function updateController(db: Db, id: string, input: { controller: SignalController; baseVersion: number; note: string }, by: ChangedBy, nowMs: number): Promise<void> {
  await db.transaction(async (tx) => {
    const c = await controllerDoc(tx, id, true)
    const doc = SignalControllerSchema.parse(input.controller)
    if (doc.id !== id) throw new SignalError('VALIDATION_FAILED', `the document is controller ${doc.id}, not ${id}`)
    if (c.version !== input.baseVersion) throw new SignalError('CONFLICT', `controller ${id} is at version ${c.version}, not ${input.baseVersion}: someone else changed it meanwhile — reload and apply your change again`)
    const version = c.version + 1
    await tx.query(`UPDATE signal_controller SET version = $2, doc = $3::jsonb, updated_by = $4, updated_at = to_timestamp($5::float8 / 1000) WHERE id = $1`, [id, version, JSON.stringify(doc), by.actor, nowMs])
    await tx.query(`INSERT INTO signal_controller_version (controller_id, version, doc, note, created_by, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, to_timestamp($6::float8 / 1000))`, [id, version, JSON.stringify(doc), input.note, by.actor, nowMs])
    const permissiveChanged = JSON.stringify(c.doc.permissive) !== JSON.stringify(doc.permissive) || JSON.stringify(c.doc.intergreenOverrides) !== JSON.stringify(doc.intergreenOverrides)
    await appendAudit(tx, { ...audited(by), action: 'signal_controller.update', target: `signal_controller:${id}@v${version}`, beforeHash: stateHash(c.doc), afterHash: stateHash(doc), detail: { note: input.note, overridesChanged: permissiveChanged } }, nowMs)
  })
}

/**
 * The import (geodata `bologna-signal-plans`): a controller derived from the SUMO network and its
 * UTOPIA programs. A new controller gets version 1 and its plans, approved by the import when the
 * validator accepts them (they run in the field) and left draft otherwise; an existing one gets new
 * versions only where the derived documents changed, so engineers' versions are never overwritten.
 */
export async function importController(tx: Queryable, input: { controller: SignalController; plans: SignalPlan[]; networkId: string | null; deviceId: string | null; dataset: string }, by: ChangedBy, nowMs: number): Promise<{ controllerVersion: number; plans: Array<{ planId: string; version: number; status: string; ok: boolean }> }> {
  const doc = input.controller
  const existing = (await controllerRows(tx, doc.id, true))[0]
  let version = existing?.version ?? 1
  if (!existing) {
    await tx.query(`INSERT INTO signal_controller (id, version, doc, network_id, device_id, dataset, updated_by, updated_at) VALUES ($1, 1, $2::jsonb, $3, $4, $5, $6, to_timestamp($7::float8 / 1000))`, [doc.id, JSON.stringify(doc), input.networkId, input.deviceId, input.dataset, by.actor, nowMs])
    await tx.query(`INSERT INTO signal_controller_version (controller_id, version, doc, note, created_by, created_at) VALUES ($1, 1, $2::jsonb, 'imported', $3, to_timestamp($4::float8 / 1000))`, [doc.id, JSON.stringify(doc), by.actor, nowMs])
    await appendAudit(tx, { ...audited(by), action: 'signal_controller.import', target: `signal_controller:${doc.id}@v1`, beforeHash: null, afterHash: stateHash(doc), detail: { networkId: input.networkId, permissive: doc.permissive.length } }, nowMs)
  } else {
    await tx.query('UPDATE signal_controller SET network_id = $2, device_id = $3, dataset = $4 WHERE id = $1', [doc.id, input.networkId, input.deviceId, input.dataset])
    if (stateHash(existing.doc) !== stateHash(doc)) {
      version = existing.version + 1
      await tx.query(`UPDATE signal_controller SET version = $2, doc = $3::jsonb, updated_by = $4, updated_at = to_timestamp($5::float8 / 1000) WHERE id = $1`, [doc.id, version, JSON.stringify(doc), by.actor, nowMs])
      await tx.query(`INSERT INTO signal_controller_version (controller_id, version, doc, note, created_by, created_at) VALUES ($1, $2, $3::jsonb, 're-imported', $4, to_timestamp($5::float8 / 1000))`, [doc.id, version, JSON.stringify(doc), by.actor, nowMs])
      await appendAudit(tx, { ...audited(by), action: 'signal_controller.import', target: `signal_controller:${doc.id}@v${version}`, beforeHash: stateHash(existing.doc), afterHash: stateHash(doc), detail: { networkId: input.networkId } }, nowMs)
    }
  }
  const out: Array<{ planId: string; version: number; status: string; ok: boolean }> = []
  const latest = await latestPlans(tx, doc.id)
  for (const plan of input.plans) {
    const hash = planHash(plan)
    const prev = latest.find((p) => p.plan_id === plan.id)
    const validation = validateSignals(doc, [plan])
    if (prev && prev.plan_hash === hash) {
      out.push({ planId: plan.id, version: prev.version, status: prev.status, ok: validation.ok })
      continue
    }
    const status = validation.ok ? 'approved' : 'draft'
    const saved = await insertPlanVersion(tx, { controllerId: doc.id, planId: plan.id, version: (prev?.version ?? 0) + 1, status, plan, planHash: hash, validation, controllerVersion: version, note: validation.ok ? 'imported: in service (UTOPIA program)' : 'imported: rejected by the safety validator, see the report', createdBy: by.actor, approvedBy: validation.ok ? 'import:in-service' : null }, nowMs)
    await appendAudit(tx, { ...audited(by), action: 'signal_plan.import', target: `signal_plan:${doc.id}/${plan.id}@v${saved.version}`, beforeHash: prev?.plan_hash ?? null, afterHash: hash, detail: { ok: validation.ok, rejects: validation.rejects, warnings: validation.warnings, validatorVersion: validation.validatorVersion } }, nowMs)
    out.push({ planId: plan.id, version: saved.version, status, ok: validation.ok })
  }
  return { controllerVersion: version, plans: out }
}
