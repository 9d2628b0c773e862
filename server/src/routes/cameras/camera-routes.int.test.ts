/**
 * Cameras over real HTTP, real sessions and the real database (PGlite, or PostgreSQL under
 * test:services): the listing, the compliance record, activation refused without it, and the live
 * view — opened by an operator and audited, refused (and audited) for a planner, for an
 * administrator (configuring is not viewing) and for a camera that is not active.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../../contracts/access'
import { LIVE_VIEW_TTL_MS, type Camera, type ListCamerasResponse, type LiveView } from '../../../../contracts/camera-api'
import { searchAudit, verifyAuditChain } from '../../audit/audit-log'
import { writeBatch } from '../../db/readings'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { mountCameraRoutes } from './camera-routes'

const NOW = Math.floor(Date.now() / 60_000) * 60_000
const STREAM = 'rtsps://gate-a.cams.example:322/live/main'
const COMPLETE = {
  purpose: 'ZTL access enforcement (Codice della Strada art. 7)',
  legalBasis: 'GDPR art. 6(1)(e); D.P.R. 250/1999',
  signage: true,
  signageNote: 'sign 30 m before the gate, photo PH-0042',
  retentionDays: 7,
  dpiaRef: 'DPIA-2025-014',
  controller: 'Comune di Bologna',
  streamUrl: STREAM,
}

let t: TestDb
let app: RouteApp
const cookies: Partial<Record<Role, string>> = {}

const call = <T = unknown>(method: string, path: string, role: Role | null, body?: unknown) => app.call<T>(method, path, role ? cookies[role]! : null, body)

const audit = (action: string, target?: string) => searchAudit(t.db, { action, ...(target ? { target } : {}), limit: 100 })

beforeAll(async () => {
  t = await createTestDb()
  await t.db.exec(`
    INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
      ('quartiere-1', 'quartiere', '1', 'Santo Stefano', 'test', ST_MakeEnvelope(11.34, 44.48, 11.38, 44.50, 4326));
    INSERT INTO device (id, kind, name, geom, expected_interval_s, source) VALUES
      ('ztl-a', 'ztl-gate', 'Gate A', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), 300, 'open-data'),
      ('ztl-b', 'ztl-gate', 'Gate B', ST_SetSRID(ST_MakePoint(11.20, 44.49), 4326), 300, 'open-data'),
      ('ztl-c', 'ztl-gate', 'Gate C', ST_SetSRID(ST_MakePoint(11.36, 44.49), 4326), 300, 'registered'),
      ('loop-1', 'traffic-loop', 'Loop 1', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), 60, 'open-data')`)
  await t.db.transaction((tx) =>
    writeBatch(tx, {
      readings: [{ deviceId: 'ztl-a', kind: 'ztl-gate', stream: 'gate', shape: 'gate', seq: 1, observedAtMs: NOW - 60_000, receivedAtMs: NOW - 59_000, quality: 'good', values: { status: 'operational', intervalS: 300, vehicles: 57, unauthorized: 4 } }],
      quarantine: [],
      registrations: [],
    }),
  )
  app = await serveRoutes(t.db, (a) => mountCameraRoutes(a, { db: t.db, now: () => NOW }))
  cookies.admin = await app.account('cam-admin', ['admin'])
  cookies.operator = await app.account('cam-operator', ['operator'])
  cookies.planner = await app.account('cam-planner', ['planner'])
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('GET /api/cameras', () => {
  it('lists every gate with its live status and counts; an unconfigured gate is inactive and lacks every field', async () => {
    const r = await call<ListCamerasResponse>('GET', '/api/cameras', 'planner')
    expect(r.status).toBe(200)
    expect(r.body.serverTimeMs).toBe(NOW)
    expect(r.body.cameras.map((c) => c.deviceId)).toEqual(['ztl-a', 'ztl-b', 'ztl-c'])
    expect(r.body.cameras[0]).toEqual({
      deviceId: 'ztl-a',
      name: 'Gate A',
      position: [11.35, 44.49],
      district: 'Santo Stefano',
      live: { status: 'operational', vehicles: 57, unauthorized: 4, intervalS: 300, observedAtMs: NOW - 60_000, quality: 'good' },
      configured: false,
      status: 'inactive',
      compliant: false,
      missing: ['purpose', 'legalBasis', 'signage', 'retentionDays', 'dpiaRef', 'controller'],
      record: null,
    })
    expect(r.body.cameras[1]).toMatchObject({ district: null, live: null })
  })

  it('is refused to the public', async () => {
    expect((await call('GET', '/api/cameras', null)).status).toBe(401)
  })
})

describe('the compliance record', () => {
  it('may be written by an administrator only (camera:configure); an operator gets 403', async () => {
    const r = await call('PUT', '/api/cameras/ztl-a/record', 'operator', { purpose: 'x' })
    expect([r.status, r.error?.code]).toEqual([403, 'FORBIDDEN'])
  })

  it('starts as a draft that may be incomplete; the creation is audited with the values (not the stream URL)', async () => {
    const r = await call<Camera>('PUT', '/api/cameras/ztl-a/record', 'admin', { purpose: COMPLETE.purpose, streamUrl: STREAM })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ configured: true, status: 'draft', compliant: false, missing: ['legalBasis', 'signage', 'retentionDays', 'dpiaRef', 'controller'] })
    expect(r.body.record).toMatchObject({ purpose: COMPLETE.purpose, hasStream: true, version: 1, updatedBy: 'cam-admin', updatedAtMs: NOW })
    expect(r.text).not.toContain('gate-a.cams.example')
    const [row] = await audit('camera.record_create', 'camera:ztl-a')
    expect(row).toMatchObject({ actor: 'cam-admin', actorRole: 'admin', beforeHash: null, detail: { version: 1, status: 'draft', changed: ['purpose', 'streamUrl'] } })
    expect(row!.requestId).toBeTruthy()
    expect(JSON.stringify(row)).not.toContain('gate-a.cams.example')
  })

  it('refuses a change without the stored version, or from a stale one (CONFLICT), and changes nothing', async () => {
    const none = await call('PUT', '/api/cameras/ztl-a/record', 'admin', { ...COMPLETE })
    expect([none.status, none.error?.code]).toEqual([409, 'CONFLICT'])
    const stale = await call('PUT', '/api/cameras/ztl-a/record', 'admin', { ...COMPLETE, version: 7 })
    expect([stale.status, stale.error?.code]).toEqual([409, 'CONFLICT'])
    expect(stale.error?.message).toContain('version 7')
    const cam = (await call<ListCamerasResponse>('GET', '/api/cameras', 'admin')).body.cameras[0]!
    expect(cam.record).toMatchObject({ version: 1, legalBasis: null })
  })

  it('lets only one of two changes from the same version win (atomic compare-and-set)', async () => {
    await call('PUT', '/api/cameras/ztl-c/record', 'admin', { purpose: 'first' })
    const [a, b] = await Promise.all([
      call('PUT', '/api/cameras/ztl-c/record', 'admin', { purpose: 'edit A', version: 1 }),
      call('PUT', '/api/cameras/ztl-c/record', 'admin', { purpose: 'edit B', version: 1 }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const cam = (await call<ListCamerasResponse>('GET', '/api/cameras', 'admin')).body.cameras[2]!
    expect(cam.record?.version).toBe(2)
    expect(await audit('camera.record_update', 'camera:ztl-c')).toHaveLength(1)
  })

  it('refuses invalid input: credentials in the stream URL, an http stream, a retention beyond a year, unknown fields', async () => {
    for (const body of [{ streamUrl: 'rtsp://admin:secret@cam.example/live' }, { streamUrl: 'http://cam.example/live' }, { retentionDays: 400 }, { plate: 'AB123CD' }]) {
      const r = await call('PUT', '/api/cameras/ztl-b/record', 'admin', body)
      expect([r.status, r.error?.code]).toEqual([400, 'VALIDATION_FAILED'])
    }
    expect((await call('PUT', '/api/cameras/loop-1/record', 'admin', { purpose: 'x' })).error?.code).toBe('CAMERA_NOT_FOUND')
  })
})

describe('activation', () => {
  it('is refused naming every missing field, and nothing changes', async () => {
    const before = await audit('camera.activate')
    const r = await call('POST', '/api/cameras/ztl-a/activate', 'admin', {})
    expect([r.status, r.error?.code]).toEqual([409, 'CAMERA_NOT_COMPLIANT'])
    for (const words of ['legal basis', 'signage', 'retention', 'DPIA reference', 'data controller']) expect(r.error?.message).toContain(words)
    expect(r.error?.message).not.toMatch(/missing.*purpose/)
    expect(r.error?.details?.map((d) => d.path)).toEqual(['legalBasis', 'signage', 'retentionDays', 'dpiaRef', 'controller'])
    const cam = (await call<ListCamerasResponse>('GET', '/api/cameras', 'admin')).body.cameras[0]!
    expect(cam).toMatchObject({ status: 'draft', record: { version: 1 } })
    expect(await audit('camera.activate')).toEqual(before)
  })

  it('of a gate never configured is refused naming all the fields', async () => {
    const r = await call('POST', '/api/cameras/ztl-b/activate', 'admin', {})
    expect(r.error?.details?.map((d) => d.path)).toEqual(['purpose', 'legalBasis', 'signage', 'retentionDays', 'dpiaRef', 'controller'])
  })

  it('needs a justification for a retention beyond 7 days (Garante, municipal video surveillance)', async () => {
    const put = await call<Camera>('PUT', '/api/cameras/ztl-a/record', 'admin', { ...COMPLETE, retentionDays: 30, version: 1 })
    expect(put.body).toMatchObject({ compliant: false, missing: ['retentionJustification'] })
    const r = await call('POST', '/api/cameras/ztl-a/activate', 'admin', {})
    expect(r.error?.details?.map((d) => d.path)).toEqual(['retentionJustification'])
  })

  it('succeeds with a complete record; the activation is audited', async () => {
    const put = await call<Camera>('PUT', '/api/cameras/ztl-a/record', 'admin', { ...COMPLETE, version: 2 })
    expect(put.body).toMatchObject({ compliant: true, missing: [], record: { version: 3 } })
    const r = await call<Camera>('POST', '/api/cameras/ztl-a/activate', 'admin', { version: 3, reason: 'signage installed' })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'active', record: { version: 4, status: 'active' } })
    const [row] = await audit('camera.activate', 'camera:ztl-a')
    expect(row).toMatchObject({ actor: 'cam-admin', detail: { from: 'draft', to: 'active', version: 4, reason: 'signage installed' } })
    expect(row!.beforeHash).not.toBe(row!.afterHash)
  })

  it('keeps an active camera compliant: a change removing a required field is refused', async () => {
    const r = await call('PUT', '/api/cameras/ztl-a/record', 'admin', { ...COMPLETE, dpiaRef: null, version: 4 })
    expect([r.status, r.error?.code]).toEqual([409, 'CAMERA_NOT_COMPLIANT'])
    expect(r.error?.details?.map((d) => d.path)).toEqual(['dpiaRef'])
    const cam = (await call<ListCamerasResponse>('GET', '/api/cameras', 'admin')).body.cameras[0]!
    expect(cam).toMatchObject({ status: 'active', record: { version: 4, dpiaRef: COMPLETE.dpiaRef } })
  })

  it('never shows the stream URL in the listing, to anyone', async () => {
    for (const role of ['admin', 'operator', 'planner'] as const) {
      const r = await call<ListCamerasResponse>('GET', '/api/cameras', role)
      expect(r.text).not.toContain('streamUrl')
      expect(r.text).not.toContain('gate-a.cams.example')
      expect(r.body.cameras[0]!.record?.hasStream).toBe(true)
    }
  })
})

describe('the live view', () => {
  it('opens for an operator (camera:view) on an active camera, and the opening is audited', async () => {
    const r = await call<LiveView>('POST', '/api/cameras/ztl-a/live-view', 'operator', { reason: 'accident reported at the gate' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ deviceId: 'ztl-a', streamUrl: STREAM, expiresAtMs: NOW + LIVE_VIEW_TTL_MS })
    const rows = await audit('camera.live_view', 'camera:ztl-a')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ actor: 'cam-operator', actorRole: 'operator', atMs: NOW, detail: { reason: 'accident reported at the gate', expiresAtMs: NOW + LIVE_VIEW_TTL_MS } })
    await call('POST', '/api/cameras/ztl-a/live-view', 'operator', {})
    expect(await audit('camera.live_view', 'camera:ztl-a')).toHaveLength(2)
  })

  it('keeps the stored stream URL when a record update leaves it out (screens never receive it), and removes it only on null', async () => {
    const cams = async () => (await call<{ cameras: Camera[] }>('GET', '/api/cameras', 'admin')).body.cameras.find((c) => c.deviceId === 'ztl-a')!
    const before = await cams()
    const { streamUrl: _dropped, ...withoutStream } = COMPLETE
    void _dropped
    const r = await call<Camera>('PUT', '/api/cameras/ztl-a/record', 'admin', { ...withoutStream, purpose: `${COMPLETE.purpose} (revised)`, version: before.record!.version })
    expect(r.status).toBe(200)
    expect(r.body.record).toMatchObject({ hasStream: true, purpose: `${COMPLETE.purpose} (revised)` })
    expect((await call<LiveView>('POST', '/api/cameras/ztl-a/live-view', 'operator', {})).body.streamUrl).toBe(STREAM)
    // Back as it was, for the tests below (two more versions; the live view above is one more audited opening).
    await call('PUT', '/api/cameras/ztl-a/record', 'admin', { ...COMPLETE, version: r.body.record!.version })
  })

  it('is refused to a planner (403) and to an administrator (configuring is not viewing); both attempts are audited', async () => {
    for (const [role, username] of [['planner', 'cam-planner'], ['admin', 'cam-admin']] as const) {
      const r = await call('POST', '/api/cameras/ztl-a/live-view', role, {})
      expect([r.status, r.error?.code]).toEqual([403, 'FORBIDDEN'])
      expect(r.text).not.toContain('gate-a.cams.example')
      const refused = (await audit('camera.live_view_refused', 'camera:ztl-a')).filter((a) => a.actor === username)
      expect(refused).toHaveLength(1)
      expect(refused[0]!.detail).toMatchObject({ reason: 'forbidden', code: 'FORBIDDEN' })
    }
    expect((await audit('camera.live_view', 'camera:ztl-a')).map((a) => a.actor)).toEqual(['cam-operator', 'cam-operator', 'cam-operator'])
  })

  it('is refused (and audited) for a camera that is not active, has no stream, or is not a camera', async () => {
    const cases = [
      { id: 'ztl-c', status: 409, code: 'CAMERA_NOT_COMPLIANT', reason: 'not_active' },
      { id: 'loop-1', status: 404, code: 'CAMERA_NOT_FOUND', reason: 'not_a_camera' },
    ]
    await call('PUT', '/api/cameras/ztl-b/record', 'admin', { ...COMPLETE, streamUrl: null })
    await call('POST', '/api/cameras/ztl-b/activate', 'admin', {})
    cases.push({ id: 'ztl-b', status: 404, code: 'NOT_FOUND', reason: 'no_stream' })
    for (const c of cases) {
      const r = await call('POST', `/api/cameras/${c.id}/live-view`, 'operator', {})
      expect([c.id, r.status, r.error?.code]).toEqual([c.id, c.status, c.code])
      const [row] = await audit('camera.live_view_refused', `camera:${c.id}`)
      expect(row).toMatchObject({ actor: 'cam-operator', detail: { reason: c.reason, code: c.code } })
    }
  })

  it('closes with deactivation: the view is refused afterwards', async () => {
    const d = await call<Camera>('POST', '/api/cameras/ztl-a/deactivate', 'admin', { reason: 'signage damaged' })
    expect(d.body).toMatchObject({ status: 'inactive', record: { version: 7 } })
    expect((await audit('camera.deactivate', 'camera:ztl-a'))[0]).toMatchObject({ detail: { from: 'active', to: 'inactive', reason: 'signage damaged' } })
    const r = await call('POST', '/api/cameras/ztl-a/live-view', 'operator', {})
    expect([r.status, r.error?.code]).toEqual([409, 'CAMERA_NOT_COMPLIANT'])
    // Deactivating again changes nothing and writes nothing.
    await call('POST', '/api/cameras/ztl-a/deactivate', 'admin', {})
    expect(await audit('camera.deactivate', 'camera:ztl-a')).toHaveLength(1)
  })

  it('leaves an intact audit chain', async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true })
  })
})
