/**
 * The incident and shift-log API over real HTTP, real sessions and the real database (PGlite, or
 * PostgreSQL under test:services): what an operator relies on — who may read and who may change,
 * incidents made from alarms, refusals that say what to do and write nothing, the version check,
 * closing, the map's GeoJSON, the shift log, and the audit rows naming the signed-in person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorEnvelope } from '../../../../contracts/errors'
import {
  IncidentDetailSchema,
  IncidentFeatureCollectionSchema,
  ListIncidentsResponseSchema,
  ShiftLogEntrySchema,
  ShiftLogResponseSchema,
  type Incident,
} from '../../../../contracts/incident-api'
import { searchAudit, stateHash } from '../../audit/audit-log'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { mountIncidentRoutes } from './incident-routes'

const T0 = Date.parse('2026-11-26T08:00:00Z')
const SQUARE = { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.49], [11.35, 44.5], [11.34, 44.5], [11.34, 44.49]]] }
const BOWTIE = { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.5], [11.35, 44.49], [11.34, 44.5], [11.34, 44.49]]] }

let t: TestDb
let app: RouteApp
let url: string
let clock = T0
const pushed: Incident[] = []
/** Cookie headers of signed-in staff. */
const as: Record<'ada' | 'bruno' | 'pia', string> = { ada: '', bruno: '', pia: '' }

const call = (method: string, path: string, cookie: string | null, body?: unknown) =>
  fetch(`${url}${path}`, { method, headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })

async function ok<T>(res: Response, schema: { parse(v: unknown): T }): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(200)
  return schema.parse(JSON.parse(text))
}

async function refused(res: Response): Promise<[number, string, string]> {
  const e = ((await res.json()) as ErrorEnvelope).error
  return [res.status, e.code, e.message]
}

async function seedAlarm(subject: string): Promise<number> {
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO alarm (rule_id, rule_version, subject, device_id, priority, active, acked, message, raised_at, last_change_at)
     VALUES ('loop-congestion', 1, $1, $1, 'high', true, false, 'occupancy 92 % for 5 min', now(), now()) RETURNING id`,
    [subject],
  )
  return Number(r.rows[0]!.id)
}

async function written(): Promise<Record<string, number>> {
  const r = await t.db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM incident)::int AS incident, (SELECT count(*) FROM incident_alarm)::int AS incident_alarm,
            (SELECT count(*) FROM incident_log)::int AS incident_log, (SELECT count(*) FROM shift_log)::int AS shift_log,
            (SELECT count(*) FROM audit_log WHERE action LIKE 'incident.%' OR action LIKE 'shift_log.%')::int AS audit`,
  )
  return r.rows[0]!
}

const create = async (cookie: string, body: Record<string, unknown> = {}) =>
  ok(await call('POST', '/api/incidents', cookie, { type: 'accident', title: 'Collision on viale Masini', position: [11.3464, 44.5048], ...body }), IncidentDetailSchema)

beforeAll(async () => {
  t = await createTestDb()
  app = await serveRoutes(t.db, (a) => mountIncidentRoutes(a, { db: t.db, now: () => clock, onChange: (i) => pushed.push(i) }))
  url = app.url
  as.ada = await app.account('ada', ['operator'])
  as.bruno = await app.account('bruno', ['traffic_engineer'])
  as.pia = await app.account('pia', ['planner'])
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('who may read and who may change', () => {
  it('without a session: 401 on reading and on changing, and nothing is written', async () => {
    const before = await written()
    for (const [method, path, body] of [
      ['GET', '/api/incidents', undefined],
      ['GET', '/api/incidents.geojson', undefined],
      ['GET', '/api/shift-log', undefined],
      ['POST', '/api/incidents', { type: 'other', title: 'Anonymous', position: [11.34, 44.49] }],
      ['POST', '/api/shift-log', { text: 'Anonymous' }],
    ] as const) {
      expect((await refused(await call(method, path, null, body)))[1], `${method} ${path}`).toBe('UNAUTHENTICATED')
    }
    expect(await written()).toEqual(before)
  })

  it('a planner reads incidents and the shift log but may not change them: 403, nothing written', async () => {
    const { incident } = await create(as.ada)
    const before = await written()
    await ok(await call('GET', '/api/incidents', as.pia), ListIncidentsResponseSchema)
    await ok(await call('GET', `/api/incidents/${incident.id}`, as.pia), IncidentDetailSchema)
    await ok(await call('GET', '/api/shift-log', as.pia), ShiftLogResponseSchema)
    for (const [method, path, body] of [
      ['POST', '/api/incidents', { type: 'other', title: 'By a planner', position: [11.34, 44.49] }],
      ['PATCH', `/api/incidents/${incident.id}`, { version: 1, title: 'By a planner' }],
      ['POST', `/api/incidents/${incident.id}/actions`, { text: 'By a planner' }],
      ['POST', `/api/incidents/${incident.id}/close`, { note: 'By a planner' }],
      ['POST', '/api/shift-log', { text: 'By a planner' }],
    ] as const) {
      const [status, code, message] = await refused(await call(method, path, as.pia, body))
      expect([status, code], `${method} ${path}`).toEqual([403, 'FORBIDDEN'])
      expect(message).toContain('ask an administrator')
    }
    expect(await written()).toEqual(before)
  })
})

describe('an operator turns alarms into an incident', () => {
  it('from two alarms: both linked, the creation logged and audited under the operator and the request id, pushed to the screens', async () => {
    const [a1, a2] = [await seedAlarm('loop-1042'), await seedAlarm('loop-1043')]
    clock = T0 + 1_000
    const res = await call('POST', '/api/incidents', as.ada, { type: 'accident', title: 'Collision at Porta San Felice', priority: 'high', position: [11.3291, 44.4992], area: SQUARE, assignee: 'bruno', alarmIds: [a1, a2] })
    const { incident, log } = await ok(res, IncidentDetailSchema)
    expect(incident).toMatchObject({ status: 'open', priority: 'high', assignee: 'bruno', createdBy: 'ada', createdAtMs: T0 + 1_000, version: 1, alarmIds: [a1, a2], area: SQUARE })
    expect(log.map((e) => e.kind)).toEqual(['create', 'assign'])
    expect(pushed.at(-1)).toEqual(incident)

    const [row] = await searchAudit(t.db, { target: `incident:${incident.id}` })
    expect(row).toMatchObject({ actor: 'ada', actorRole: 'operator', action: 'incident.create', requestId: res.headers.get('x-request-id'), afterHash: stateHash(incident) })
    const got = await ok(await call('GET', `/api/incidents/${incident.id}`, as.bruno), IncidentDetailSchema)
    expect(got).toEqual({ incident, log })
  })

  it('with an alarm that does not exist: 404 ALARM_NOT_FOUND and nothing is created', async () => {
    const known = await seedAlarm('loop-2001')
    const before = await written()
    const [status, code, message] = await refused(await call('POST', '/api/incidents', as.ada, { type: 'accident', title: 'From a lost alarm', position: [11.34, 44.49], alarmIds: [known, 424_242] }))
    expect([status, code]).toEqual([404, 'ALARM_NOT_FOUND'])
    expect(message).toContain('#424242')
    expect(await written()).toEqual(before)
  })

  it('with a self-crossing affected area: 400 with the PostGIS reason on body.area, nothing written', async () => {
    const before = await written()
    const res = await call('POST', '/api/incidents', as.ada, { type: 'flooding', title: 'Underpass flooded', position: [11.345, 44.495], area: BOWTIE })
    const body = (await res.json()) as ErrorEnvelope
    expect([res.status, body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(body.error.message).toMatch(/not a valid polygon: Self-intersection/)
    expect(body.error.details?.[0]?.path).toBe('body.area')
    expect(await written()).toEqual(before)
  })

  it('with a malformed area (ring not closed, too few positions) or no position: 400 naming the field, nothing written', async () => {
    const before = await written()
    const open = { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.49], [11.35, 44.5], [11.34, 44.5]]] }
    const [s1, c1, m1] = await refused(await call('POST', '/api/incidents', as.ada, { type: 'event', title: 'Concert', position: [11.34, 44.49], area: open }))
    expect([s1, c1]).toEqual([400, 'VALIDATION_FAILED'])
    expect(m1).toContain('must be closed')
    const [, , m2] = await refused(await call('POST', '/api/incidents', as.ada, { type: 'event', title: 'Concert', position: [11.34, 44.49], area: { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.49], [11.34, 44.49]]] } }))
    expect(m2).toContain('at least 4 positions')
    const [, , m3] = await refused(await call('POST', '/api/incidents', as.ada, { type: 'event', title: 'Concert' }))
    expect(m3).toContain('body.position')
    expect(await written()).toEqual(before)
  })
})

describe('changing an incident', () => {
  it('on the version read: 200 with the next version; on a stale version: 409 telling to reload, nothing changed', async () => {
    const { incident: v1 } = await create(as.ada)
    clock = T0 + 2_000
    const saved = await ok(await call('PATCH', `/api/incidents/${v1.id}`, as.bruno, { version: 1, priority: 'high', assignee: 'ada' }), IncidentDetailSchema)
    expect(saved.incident).toMatchObject({ version: 2, priority: 'high', assignee: 'ada', updatedAtMs: T0 + 2_000 })
    expect(pushed.at(-1)).toEqual(saved.incident)

    const before = await written()
    const [status, code, message] = await refused(await call('PATCH', `/api/incidents/${v1.id}`, as.ada, { version: 1, title: 'Made on the old version' }))
    expect([status, code]).toEqual([409, 'CONFLICT'])
    expect(message).toContain('Reload it')
    expect(await written()).toEqual(before)
    expect((await ok(await call('GET', `/api/incidents/${v1.id}`, as.ada), IncidentDetailSchema)).incident).toEqual(saved.incident)

    const [audit] = await searchAudit(t.db, { target: `incident:${v1.id}`, action: 'incident.update' })
    expect(audit).toMatchObject({ actor: 'bruno', actorRole: 'traffic_engineer', beforeHash: stateHash(v1), afterHash: stateHash(saved.incident) })
  })

  it('without a version, with nothing to change, or on an unknown incident: refused', async () => {
    const { incident } = await create(as.ada)
    expect(await refused(await call('PATCH', `/api/incidents/${incident.id}`, as.ada, { title: 'No version' }))).toEqual([400, 'VALIDATION_FAILED', expect.stringContaining('body.version')])
    expect((await refused(await call('PATCH', `/api/incidents/${incident.id}`, as.ada, { version: 1 })))[2]).toContain('change at least one of')
    expect((await refused(await call('PATCH', '/api/incidents/777777', as.ada, { version: 1, title: 'Nowhere' })))[1]).toBe('INCIDENT_NOT_FOUND')
    expect((await refused(await call('GET', '/api/incidents/777777', as.ada)))[1]).toBe('INCIDENT_NOT_FOUND')
    expect((await refused(await call('GET', '/api/incidents/abc', as.ada)))[1]).toBe('VALIDATION_FAILED')
  })

  it('logging an action and linking an alarm: each in the log with its author, audited', async () => {
    const alarm = await seedAlarm('loop-3001')
    const { incident } = await create(as.ada)
    await ok(await call('POST', `/api/incidents/${incident.id}/actions`, as.bruno, { text: 'Tow truck called' }), IncidentDetailSchema)
    const { incident: after, log } = await ok(await call('POST', `/api/incidents/${incident.id}/actions`, as.ada, { alarmIds: [alarm] }), IncidentDetailSchema)
    expect(after).toMatchObject({ version: 3, alarmIds: [alarm] })
    expect(log.slice(1).map((e) => [e.kind, e.author, e.text])).toEqual([
      ['note', 'bruno', 'Tow truck called'],
      ['link', 'ada', `Linked alarm #${alarm}`],
    ])
    expect((await searchAudit(t.db, { target: `incident:${incident.id}` })).map((r) => [r.action, r.actor])).toEqual([
      ['incident.link', 'ada'],
      ['incident.note', 'bruno'],
      ['incident.create', 'ada'],
    ])
    expect((await refused(await call('POST', `/api/incidents/${incident.id}/actions`, as.ada, {})))[0]).toBe(400)
  })
})

describe('closing an incident', () => {
  it('needs a closing note; closes with who and when; closing again is 409', async () => {
    const { incident } = await create(as.ada)
    const before = await written()
    expect(await refused(await call('POST', `/api/incidents/${incident.id}/close`, as.ada, {}))).toEqual([400, 'VALIDATION_FAILED', expect.stringContaining('body.note')])
    expect((await refused(await call('POST', `/api/incidents/${incident.id}/close`, as.ada, { note: '  ' })))[2]).toContain('closing note')
    expect(await written()).toEqual(before)

    clock = T0 + 3_000
    const { incident: closed } = await ok(await call('POST', `/api/incidents/${incident.id}/close`, as.ada, { note: 'Vehicles removed, lanes reopened' }), IncidentDetailSchema)
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'ada', closedAtMs: T0 + 3_000, closingNote: 'Vehicles removed, lanes reopened' })
    expect(pushed.at(-1)).toEqual(closed)
    expect((await searchAudit(t.db, { target: `incident:${incident.id}`, action: 'incident.close' }))[0]).toMatchObject({ actor: 'ada' })

    const [status, code] = await refused(await call('POST', `/api/incidents/${incident.id}/close`, as.bruno, { note: 'Closing again' }))
    expect([status, code]).toEqual([409, 'CONFLICT'])
  })
})

describe('the map and the wall', () => {
  it('GET /api/incidents.geojson lists the open incidents only, as points, in application/geo+json', async () => {
    const open = (await create(as.ada, { type: 'road-works', title: 'Works on via Irnerio', priority: 'low', position: [11.3505, 44.4991] })).incident
    const closed = (await create(as.ada, { title: 'Closed already' })).incident
    await ok(await call('POST', `/api/incidents/${closed.id}/close`, as.ada, { note: 'Nothing to do' }), IncidentDetailSchema)

    const res = await call('GET', '/api/incidents.geojson', as.pia)
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    const fc = await ok(res, IncidentFeatureCollectionSchema)
    const { incidents } = await ok(await call('GET', '/api/incidents?status=open&limit=1000', as.pia), ListIncidentsResponseSchema)
    expect(fc.features.map((f) => f.id).sort()).toEqual(incidents.map((i) => i.id).sort())
    expect(fc.features.find((f) => f.id === closed.id)).toBeUndefined()
    expect(fc.features.find((f) => f.id === open.id)).toEqual({
      type: 'Feature',
      id: open.id,
      geometry: { type: 'Point', coordinates: [11.3505, 44.4991] },
      properties: { id: open.id, type: 'road-works', title: 'Works on via Irnerio', priority: 'low', status: 'open' },
    })
    const all = await ok(await call('GET', '/api/incidents?status=closed', as.pia), ListIncidentsResponseSchema)
    expect(all.incidents.every((i) => i.status === 'closed') && all.incidents.some((i) => i.id === closed.id)).toBe(true)
    expect((await refused(await call('GET', '/api/incidents?bbox=1,2,3', as.pia)))[1]).toBe('VALIDATION_FAILED')
  })
})

describe('the shift log', () => {
  it('newest first; a hand-over note carries its open items; entries are audited and cannot be changed or removed', async () => {
    clock = T0 + 10_000
    const first = await ok(await call('POST', '/api/shift-log', as.ada, { text: 'Quiet morning, two loops stale' }), ShiftLogEntrySchema)
    clock = T0 + 20_000
    const res = await call('POST', '/api/shift-log', as.ada, { kind: 'handover', text: 'Hand-over to the afternoon shift', openItems: 'Incident at Porta San Felice still open' })
    const handover = await ok(res, ShiftLogEntrySchema)
    expect(handover).toMatchObject({ kind: 'handover', author: 'ada', atMs: T0 + 20_000, openItems: 'Incident at Porta San Felice still open' })
    expect((await refused(await call('POST', '/api/shift-log', as.ada, { text: 'A note', openItems: 'x' })))[2]).toContain('openItems')

    const { entries } = await ok(await call('GET', '/api/shift-log', as.bruno), ShiftLogResponseSchema)
    expect(entries.slice(0, 2)).toEqual([handover, first])
    expect((await searchAudit(t.db, { target: `shift_log:${handover.id}` }))[0]).toMatchObject({ actor: 'ada', action: 'shift_log.append', requestId: res.headers.get('x-request-id') })

    for (const method of ['PATCH', 'PUT', 'DELETE']) expect((await call(method, `/api/shift-log/${first.id}`, as.ada, method === 'DELETE' ? undefined : { text: 'rewritten' })).status).toBe(404)
    expect((await ok(await call('GET', '/api/shift-log', as.bruno), ShiftLogResponseSchema)).entries.slice(0, 2)).toEqual([handover, first])
  })
})
