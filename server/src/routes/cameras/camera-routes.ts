/**
 * Cameras (ADR 0006, "Cameras"): the listing with live status and counts, the compliance record
 * (camera:configure), activation only when compliant, and the live view (camera:view) — each opening
 * and each refused attempt written to the audit log, including a signed-in user refused by the
 * permission guard (a planner, or an administrator: configuring is not viewing). Every record change,
 * activation and deactivation is audited in its own transaction.
 */
import type { Express, RequestHandler, Response } from 'express'
import {
  CAMERA_FIELD_LABELS,
  CAMERA_ROUTES,
  cameraMissing,
  LIVE_VIEW_TTL_MS,
  type Camera,
  type CameraField,
  type CameraRecord,
  type CameraRecordInput,
} from '../../../../contracts/camera-api'
import { DeviceIdSchema } from '../../../../contracts/schemas/device'
import { liveQuality, streamIntervalS } from '../../../../contracts/schemas/live-state'
import { GateValuesSchema } from '../../../../contracts/schemas/reading'
import { appendAudit, stateHash } from '../../audit/audit-log'
import type { Db, Queryable } from '../../db/adapter'
import {
  insertCameraRecord,
  isCamera,
  listCameras,
  lockCameraRecord,
  setCameraStatus,
  updateCameraRecord,
  type CameraRecordFields,
  type CameraRow,
  type StoredCameraRecord,
} from '../../db/cameras'
import { principalOf } from '../../http/access'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { actorOf } from '../../http/actor'
import { decide } from '../../identity/principal'

export interface CameraRouteDeps {
  db: Db
  now?: () => number
}

/** The JSON shape of a camera (presenter): the gate's status and counts, the record without its stream URL. */
export function presentCamera(row: CameraRow, nowMs: number): Camera {
  const missing = cameraMissing(row.record)
  const gate = row.gate ? GateValuesSchema.safeParse(row.gate.values) : null
  const intervalS = streamIntervalS('ztl-gate', 'gate', row.expectedIntervalS)
  const r = row.record
  const record: CameraRecord | null = r
    ? {
        purpose: r.purpose,
        legalBasis: r.legalBasis,
        signage: r.signage,
        signageNote: r.signageNote,
        retentionDays: r.retentionDays,
        retentionJustification: r.retentionJustification,
        dpiaRef: r.dpiaRef,
        controller: r.controller,
        hasStream: r.hasStream,
        status: r.status,
        updatedBy: r.updatedBy,
        updatedAtMs: r.updatedAtMs,
        version: r.version,
      }
    : null
  return {
    deviceId: row.deviceId,
    name: row.name,
    position: row.position,
    district: row.district,
    live:
      row.gate && gate?.success
        ? {
            status: gate.data.status,
            vehicles: gate.data.vehicles,
            unauthorized: gate.data.unauthorized ?? null,
            intervalS: gate.data.intervalS,
            observedAtMs: row.gate.observedAtMs,
            quality: liveQuality(row.gate.quality, row.gate.observedAtMs, intervalS, nowMs),
          }
        : null,
    configured: record !== null,
    status: record?.status ?? 'inactive',
    compliant: missing.length === 0,
    missing,
    record,
  }
}

function notCompliant(deviceId: string, what: string, missing: CameraField[]): ApiError {
  return new ApiError(
    'CAMERA_NOT_COMPLIANT',
    `Camera ${deviceId} cannot ${what}: missing ${missing.map((f) => CAMERA_FIELD_LABELS[f]).join(', ')}.`,
    missing.map((f) => ({ path: f, message: `${CAMERA_FIELD_LABELS[f]} is required` })),
  )
}

const notFound = (deviceId: string) => new ApiError('CAMERA_NOT_FOUND', `There is no camera ${deviceId}.`)

const fieldsOf = (b: CameraRecordInput, storedStreamUrl: string | null): CameraRecordFields => ({
  purpose: b.purpose,
  legalBasis: b.legalBasis,
  signage: b.signage,
  signageNote: b.signageNote,
  retentionDays: b.retentionDays,
  retentionJustification: b.retentionJustification,
  dpiaRef: b.dpiaRef,
  controller: b.controller,
  streamUrl: b.streamUrl === undefined ? storedStreamUrl : b.streamUrl,
})

/** What the audit row keeps of a record: its fields, except the stream URL (only whether there is one). */
function auditedFields(f: CameraRecordFields): Record<string, unknown> {
  const { streamUrl, ...rest } = f
  return { ...rest, hasStream: streamUrl !== null }
}

const FIELD_NAMES: Array<keyof CameraRecordFields> = ['purpose', 'legalBasis', 'signage', 'signageNote', 'retentionDays', 'retentionJustification', 'dpiaRef', 'controller', 'streamUrl']

export function mountCameraRoutes(app: Express, deps: CameraRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now

  const camera = async (q: Queryable, deviceId: string): Promise<Camera> => {
    const row = (await listCameras(q, deviceId))[0]
    if (!row) throw notFound(deviceId)
    return presentCamera(row, now())
  }

  mount(app, CAMERA_ROUTES.listCameras, async () => {
    const t = now()
    return { serverTimeMs: t, cameras: (await listCameras(db)).map((row) => presentCamera(row, t)) }
  })

  mount(app, CAMERA_ROUTES.putCameraRecord, async ({ params, body, res }) => {
    const by = actorOf(res)
    const id = params.deviceId
    const t = now()
    await db.transaction(async (tx) => {
      if (!(await isCamera(tx, id))) throw notFound(id)
      const before = await lockCameraRecord(tx, id)
      const fields = fieldsOf(body, before?.streamUrl ?? null)
      if (before === null) {
        if (body.version !== undefined) throw new ApiError('CONFLICT', `Camera ${id} has no record (it was never configured); send the record without a version to create it.`)
        if (!(await insertCameraRecord(tx, id, fields, by.actor, t))) throw new ApiError('CONFLICT', `Someone else created the record of camera ${id} meanwhile; reload it and apply your change again.`)
      } else {
        if (body.version === undefined) throw new ApiError('CONFLICT', `Camera ${id} has a record already (version ${before.version}); send that version to change it.`)
        if (body.version !== before.version) throw new ApiError('CONFLICT', `The record of camera ${id} changed since you loaded it (you sent version ${body.version}, it is at ${before.version}); reload it and apply your change again.`)
        if (before.status === 'active') {
          const missing = cameraMissing(fields)
          if (missing.length > 0) throw notCompliant(id, 'keep this record while active (deactivate it first)', missing)
        }
        if (!(await updateCameraRecord(tx, id, before.version, fields, by.actor, t))) throw new ApiError('CONFLICT', `The record of camera ${id} changed meanwhile; reload it and apply your change again.`)
      }
      const after = await lockCameraRecord(tx, id)
      await appendAudit(
        tx,
        {
          ...by,
          action: before === null ? 'camera.record_create' : 'camera.record_update',
          target: `camera:${id}`,
          beforeHash: before ? stateHash(before) : null,
          afterHash: stateHash(after),
          detail: {
            version: after!.version,
            status: after!.status,
            changed: FIELD_NAMES.filter((k) => (before === null ? fields[k] !== null && fields[k] !== false : before[k] !== fields[k])),
            record: auditedFields(fields),
          },
        },
        t,
      )
    })
    return camera(db, id)
  })

  const changeStatus = (to: 'active' | 'inactive') => async ({ params, body, res }: { params: { deviceId: string }; body: { version?: number | undefined; reason?: string | undefined }; res: Response }) => {
    const by = actorOf(res)
    const id = params.deviceId
    const t = now()
    await db.transaction(async (tx) => {
      if (!(await isCamera(tx, id))) throw notFound(id)
      const before: StoredCameraRecord | null = await lockCameraRecord(tx, id)
      if (body.version !== undefined && body.version !== before?.version) {
        throw new ApiError('CONFLICT', `The record of camera ${id} changed since you loaded it (you sent version ${body.version}, it is at ${before?.version ?? 'none'}); reload it and try again.`)
      }
      if (to === 'active') {
        const missing = cameraMissing(before)
        if (missing.length > 0) throw notCompliant(id, 'be activated', missing)
      }
      // Already so (to deactivate: anything but active, a record or none): nothing changes, nothing to audit.
      if (before === null || (to === 'active' ? before.status === 'active' : before.status !== 'active')) return
      if (!(await setCameraStatus(tx, id, before.version, to, by.actor, t))) throw new ApiError('CONFLICT', `The record of camera ${id} changed meanwhile; reload it and try again.`)
      await appendAudit(
        tx,
        {
          ...by,
          action: to === 'active' ? 'camera.activate' : 'camera.deactivate',
          target: `camera:${id}`,
          beforeHash: stateHash(before),
          afterHash: stateHash(await lockCameraRecord(tx, id)),
          detail: { from: before.status, to, version: before.version + 1, ...(body.reason ? { reason: body.reason } : {}) },
        },
        t,
      )
    })
    return camera(db, id)
  }
  mount(app, CAMERA_ROUTES.activateCamera, changeStatus('active'))
  mount(app, CAMERA_ROUTES.deactivateCamera, changeStatus('inactive'))

  // Before the route's own guard: a signed-in user refused by it (no camera:view) is audited too.
  app.post(CAMERA_ROUTES.openCameraLiveView.path, auditRefusedViewers(db, now))
  mount(app, CAMERA_ROUTES.openCameraLiveView, async ({ params, body, res }) => {
    const by = actorOf(res)
    const id = params.deviceId
    const t = now()
    const reason = body.reason ? { reason: body.reason } : {}
    const outcome = await db.transaction(async (tx): Promise<{ refused: ApiError } | { streamUrl: string }> => {
      const refuse = async (why: string, err: ApiError) => {
        await appendAudit(tx, { ...by, action: 'camera.live_view_refused', target: `camera:${id}`, detail: { reason: why, code: err.code, ...reason } }, t)
        return { refused: err }
      }
      if (!(await isCamera(tx, id))) return refuse('not_a_camera', notFound(id))
      const r = await lockCameraRecord(tx, id)
      if (r === null || r.status !== 'active') {
        return refuse('not_active', new ApiError('CAMERA_NOT_COMPLIANT', `Camera ${id} is not active (${r === null ? 'it has no compliance record' : `its record is ${r.status}`}): a live view opens only on an active camera with its purpose, legal basis, signage, retention and DPIA recorded.`))
      }
      const missing = cameraMissing(r)
      if (missing.length > 0) return refuse('not_compliant', notCompliant(id, 'be viewed', missing))
      if (r.streamUrl === null) return refuse('no_stream', new ApiError('NOT_FOUND', `Camera ${id} offers no live view (its record has no stream URL).`))
      await appendAudit(tx, { ...by, action: 'camera.live_view', target: `camera:${id}`, detail: { expiresAtMs: t + LIVE_VIEW_TTL_MS, version: r.version, ...reason } }, t)
      return { streamUrl: r.streamUrl }
    })
    if ('refused' in outcome) throw outcome.refused
    return { deviceId: id, streamUrl: outcome.streamUrl, expiresAtMs: t + LIVE_VIEW_TTL_MS }
  })
}

/**
 * Writes `camera.live_view_refused` for a signed-in user without camera:view, then lets the route's
 * guard answer (403). The public is not audited: an anonymous request has nobody to name, and the
 * audit log must not be writable by whoever can reach the server.
 */
function auditRefusedViewers(db: Db, now: () => number): RequestHandler {
  return (req, res, next) => {
    principalOf(req)
      .then(async (who) => {
        if (!who.signedIn || decide(who, 'camera:view', now()).ok) return
        const id = DeviceIdSchema.safeParse(req.params.deviceId)
        await db.transaction((tx) =>
          appendAudit(tx, { ...actorOf(res, who), action: 'camera.live_view_refused', target: `camera:${id.success ? id.data : 'invalid-id'}`, detail: { reason: 'forbidden', code: 'FORBIDDEN' } }, now()),
        )
      })
      .then(() => next(), next)
  }
}
