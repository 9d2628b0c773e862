/**
 * Incidents and the shift log on the real database (PGlite, or PostgreSQL under test:services):
 * all-or-nothing creation from alarms, PostGIS validation of the affected area, the version
 * compare-and-set (also between two concurrent changes), closing, listing, and the audit row written
 * in the same transaction as each change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateIncidentBody, Polygon } from '../../../contracts/incident-api'
import { searchAudit, stateHash, verifyAuditChain } from '../audit/audit-log'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { addIncidentAction, appendShiftLog, closeIncident, createIncident, getIncidentDetail, IncidentError, listIncidents, listShiftLog, updateIncident, type ChangedBy } from './incidents'

const T0 = Date.parse('2026-11-26T08:00:00Z')
const ADA: ChangedBy = { actor: 'ada', actorRole: 'operator', requestId: 'req-1' }
const BRUNO: ChangedBy = { actor: 'bruno', actorRole: 'operator', requestId: 'req-2' }

/** A square around [lon, lat], `d` degrees wide. */
const square = (lon: number, lat: number, d = 0.002): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - d / 2, lat - d / 2],
      [lon + d / 2, lat - d / 2],
      [lon + d / 2, lat + d / 2],
      [lon - d / 2, lat + d / 2],
      [lon - d / 2, lat - d / 2],
    ],
  ],
})
/** Two triangles meeting at a point: a closed ring of 5 positions whose edges cross. */
const BOWTIE: Polygon = { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.5], [11.35, 44.49], [11.34, 44.5], [11.34, 44.49]]] }

const incident = (over: Partial<CreateIncidentBody> = {}): CreateIncidentBody => ({
  type: 'accident',
  title: 'Collision on viale Masini',
  description: '',
  priority: 'medium',
  position: [11.3464, 44.5048],
  area: null,
  assignee: null,
  ...over,
})

let t: TestDb
let alarmSeq = 0

async function seedAlarm(): Promise<number> {
  alarmSeq++
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO alarm (rule_id, rule_version, subject, device_id, priority, active, acked, message, raised_at, last_change_at)
     VALUES ('loop-congestion', 1, $1, $1, 'high', true, false, 'occupancy 92 % for 5 min', now(), now()) RETURNING id`,
    [`loop-${alarmSeq}`],
  )
  return Number(r.rows[0]!.id)
}

async function counts(): Promise<Record<string, number>> {
  const r = await t.db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM incident)::int AS incident, (SELECT count(*) FROM incident_alarm)::int AS incident_alarm,
            (SELECT count(*) FROM incident_log)::int AS incident_log, (SELECT count(*) FROM audit_log)::int AS audit_log,
            (SELECT count(*) FROM shift_log)::int AS shift_log`,
  )
  return r.rows[0]!
}

async function refusal(p: Promise<unknown>): Promise<IncidentError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(IncidentError)
  return err as IncidentError
}

beforeAll(async () => {
  t = await createTestDb()
  await t.db.query(`INSERT INTO staff_user (username, display_name, source, password_hash) VALUES ('bruno', 'Bruno', 'local', 'x'), ('gone', 'Gone', 'local', 'x')`)
  await t.db.query(`UPDATE staff_user SET disabled_at = now() WHERE username = 'gone'`)
})

afterAll(async () => {
  await t?.drop()
})

describe('creating an incident', () => {
  it('from two alarms: links both, logs the creation and writes one audit row with the actor, in one transaction', async () => {
    const [a1, a2] = [await seedAlarm(), await seedAlarm()]
    const area = square(11.3464, 44.5048)
    const { incident: i, log } = await createIncident(t.db, incident({ alarmIds: [a2, a1], area, assignee: 'bruno', priority: 'high' }), ADA, T0)
    expect(i).toMatchObject({ status: 'open', priority: 'high', position: [11.3464, 44.5048], assignee: 'bruno', createdBy: 'ada', createdAtMs: T0, updatedAtMs: T0, version: 1, alarmIds: [a1, a2], closedAtMs: null })
    expect(i.area?.coordinates[0]?.map(([x, y]) => [Number(x.toFixed(6)), Number(y.toFixed(6))])).toEqual(area.coordinates[0]!.map(([x, y]) => [Number(x.toFixed(6)), Number(y.toFixed(6))]))
    expect(log.map((e) => [e.kind, e.author, e.text])).toEqual([
      ['create', 'ada', `Opened: accident, high priority from alarms #${a1}, #${a2}`],
      ['assign', 'ada', 'Assigned to bruno'],
    ])
    const [row, ...more] = await searchAudit(t.db, { target: `incident:${i.id}` })
    expect(more).toEqual([])
    expect(row).toMatchObject({ actor: 'ada', actorRole: 'operator', action: 'incident.create', requestId: 'req-1', beforeHash: null, afterHash: stateHash(i), atMs: T0 })
    expect(row!.detail).toEqual({ type: 'accident', priority: 'high', alarmIds: [a2, a1] })
  })

  it('with one unknown alarm among known ones creates nothing (ALARM_NOT_FOUND)', async () => {
    const known = await seedAlarm()
    const before = await counts()
    const err = await refusal(createIncident(t.db, incident({ alarmIds: [known, 999_999] }), ADA, T0))
    expect(err.code).toBe('ALARM_NOT_FOUND')
    expect(err.message).toContain('#999999')
    expect(await counts()).toEqual(before)
  })

  it('with a self-crossing area is refused with the PostGIS reason, and nothing is written', async () => {
    const before = await counts()
    const err = await refusal(createIncident(t.db, incident({ area: BOWTIE }), ADA, T0))
    expect([err.code, err.field]).toEqual(['VALIDATION_FAILED', 'body.area'])
    expect(err.message).toMatch(/not a valid polygon: Self-intersection/)
    expect(await counts()).toEqual(before)
  })

  it('assigned to an unknown or disabled account is refused', async () => {
    const before = await counts()
    expect((await refusal(createIncident(t.db, incident({ assignee: 'nobody' }), ADA, T0))).message).toContain('no staff account "nobody"')
    expect((await refusal(createIncident(t.db, incident({ assignee: 'gone' }), ADA, T0))).message).toContain('disabled')
    expect(await counts()).toEqual(before)
  })
})

describe('changing an incident', () => {
  it('on the version it was read at: bumps the version, logs what changed, audits before and after', async () => {
    const { incident: v1 } = await createIncident(t.db, incident(), ADA, T0)
    const { incident: v2, log } = await updateIncident(t.db, v1.id, { version: 1, priority: 'high', title: 'Collision, two lanes closed', assignee: 'bruno' }, BRUNO, T0 + 60_000)
    expect(v2).toMatchObject({ version: 2, priority: 'high', title: 'Collision, two lanes closed', assignee: 'bruno', updatedAtMs: T0 + 60_000, createdAtMs: T0 })
    expect(log.slice(1).map((e) => [e.kind, e.author, e.text])).toEqual([
      ['assign', 'bruno', 'Assigned to bruno'],
      ['update', 'bruno', 'Changed title, priority medium → high'],
    ])
    const [row] = await searchAudit(t.db, { target: `incident:${v1.id}`, action: 'incident.update' })
    expect(row).toMatchObject({ actor: 'bruno', beforeHash: stateHash(v1), afterHash: stateHash(v2), detail: { fields: ['title', 'priority', 'assignee'], fromVersion: 1 } })
  })

  it('on a stale version is refused (CONFLICT, reload) and changes nothing', async () => {
    const { incident: v1 } = await createIncident(t.db, incident(), ADA, T0)
    await updateIncident(t.db, v1.id, { version: 1, priority: 'low' }, ADA, T0 + 1)
    const before = await counts()
    const err = await refusal(updateIncident(t.db, v1.id, { version: 1, title: 'An older view of it' }, BRUNO, T0 + 2))
    expect(err.code).toBe('CONFLICT')
    expect(err.message).toMatch(/you had version 1, it is now version 2\)\. Reload it/)
    expect(await counts()).toEqual(before)
    expect((await getIncidentDetail(t.db, v1.id))?.incident).toMatchObject({ version: 2, title: v1.title, priority: 'low' })
  })

  it('two changes made at once on the same version: exactly one is saved, the other is a CONFLICT', async () => {
    const { incident: v1 } = await createIncident(t.db, incident(), ADA, T0)
    const results = await Promise.allSettled([
      updateIncident(t.db, v1.id, { version: 1, title: 'Title by Ada' }, ADA, T0 + 1),
      updateIncident(t.db, v1.id, { version: 1, title: 'Title by Bruno' }, BRUNO, T0 + 1),
    ])
    const saved = results.filter((r) => r.status === 'fulfilled')
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as IncidentError] : []))
    expect([saved.length, refused.map((e) => e.code)]).toEqual([1, ['CONFLICT']])
    const now = (await getIncidentDetail(t.db, v1.id))!
    expect(now.incident.version).toBe(2)
    expect(await searchAudit(t.db, { target: `incident:${v1.id}`, action: 'incident.update' })).toHaveLength(1)
  })

  it('to an invalid area is refused with the reason, the old area kept; area null removes it', async () => {
    const area = square(11.35, 44.5)
    const { incident: v1 } = await createIncident(t.db, incident({ area }), ADA, T0)
    const err = await refusal(updateIncident(t.db, v1.id, { version: 1, area: BOWTIE }, ADA, T0 + 1))
    expect(err.message).toContain('Self-intersection')
    expect((await getIncidentDetail(t.db, v1.id))?.incident).toMatchObject({ version: 1, area: v1.area })
    const { incident: v2, log } = await updateIncident(t.db, v1.id, { version: 1, area: null, position: [11.351, 44.501] }, ADA, T0 + 2)
    expect(v2).toMatchObject({ version: 2, area: null, position: [11.351, 44.501] })
    expect(log.at(-1)?.text).toBe('Changed position, area removed')
  })

  it('that changes nothing saves nothing: same version, no audit row', async () => {
    const { incident: v1 } = await createIncident(t.db, incident(), ADA, T0)
    const before = await counts()
    const { incident: same } = await updateIncident(t.db, v1.id, { version: 1, title: v1.title, priority: v1.priority }, ADA, T0 + 1)
    expect(same.version).toBe(1)
    expect(await counts()).toEqual(before)
  })

  it('of an incident that does not exist is INCIDENT_NOT_FOUND', async () => {
    expect((await refusal(updateIncident(t.db, 987_654, { version: 1, title: 'Nothing here' }, ADA, T0))).code).toBe('INCIDENT_NOT_FOUND')
    expect((await refusal(addIncidentAction(t.db, 987_654, { text: 'hello' }, ADA, T0))).code).toBe('INCIDENT_NOT_FOUND')
    expect((await refusal(closeIncident(t.db, 987_654, 'done', ADA, T0))).code).toBe('INCIDENT_NOT_FOUND')
  })
})

describe('actions, links and closing', () => {
  it('a note and a link each bump the version; an alarm linked already is skipped; an unknown one links nothing', async () => {
    const [a1, a2, a3] = [await seedAlarm(), await seedAlarm(), await seedAlarm()]
    const { incident: v1 } = await createIncident(t.db, incident({ alarmIds: [a1] }), ADA, T0)
    const noted = await addIncidentAction(t.db, v1.id, { text: 'Police on site' }, BRUNO, T0 + 1)
    expect(noted.incident.version).toBe(2)
    const linked = await addIncidentAction(t.db, v1.id, { alarmIds: [a1, a2, a3] }, BRUNO, T0 + 2)
    expect(linked.incident).toMatchObject({ version: 3, alarmIds: [a1, a2, a3] })
    expect(linked.log.slice(1).map((e) => [e.kind, e.text])).toEqual([
      ['note', 'Police on site'],
      ['link', `Linked alarms #${a2}, #${a3}`],
    ])
    const before = await counts()
    expect((await refusal(addIncidentAction(t.db, v1.id, { alarmIds: [a1, 888_888], text: 'with a typo' }, BRUNO, T0 + 3))).code).toBe('ALARM_NOT_FOUND')
    expect(await counts()).toEqual(before)
    const again = await addIncidentAction(t.db, v1.id, { alarmIds: [a2] }, BRUNO, T0 + 4)
    expect(again.incident.version).toBe(3)
    expect(await counts()).toEqual(before)
    expect((await searchAudit(t.db, { target: `incident:${v1.id}` })).map((r) => r.action)).toEqual(['incident.link', 'incident.note', 'incident.create'])
  })

  it('closing records who, when and the note; closing again, changing or logging on it is a CONFLICT', async () => {
    const { incident: v1 } = await createIncident(t.db, incident(), ADA, T0)
    const { incident: closed, log } = await closeIncident(t.db, v1.id, '  Road reopened at 09:40  ', BRUNO, T0 + 5_000)
    expect(closed).toMatchObject({ status: 'closed', closedAtMs: T0 + 5_000, closedBy: 'bruno', closingNote: 'Road reopened at 09:40', version: 2 })
    expect(log.at(-1)).toMatchObject({ kind: 'status', author: 'bruno', text: 'Closed: Road reopened at 09:40' })
    const before = await counts()
    const again = await refusal(closeIncident(t.db, v1.id, 'once more', ADA, T0 + 6_000))
    expect([again.code, again.message]).toEqual(['CONFLICT', expect.stringContaining('was closed by bruno')])
    expect((await refusal(updateIncident(t.db, v1.id, { version: 2, title: 'Too late' }, ADA, T0 + 7_000))).code).toBe('CONFLICT')
    expect((await refusal(addIncidentAction(t.db, v1.id, { text: 'Too late' }, ADA, T0 + 7_000))).code).toBe('CONFLICT')
    expect(await counts()).toEqual(before)
  })

  it('a closing note is required', async () => {
    const { incident: v1 } = await createIncident(t.db, incident(), ADA, T0)
    expect((await refusal(closeIncident(t.db, v1.id, '   ', ADA, T0))).code).toBe('VALIDATION_FAILED')
    expect((await getIncidentDetail(t.db, v1.id))?.incident.status).toBe('open')
  })
})

describe('listing', () => {
  it('open first by priority then newest, closed ones by the status filter, and a bbox meeting the point or the area', async () => {
    // Far from the incidents of the other tests: every list below is limited to this region.
    const region = [11.95, 44.95, 12.55, 45.55] as const
    const low = (await createIncident(t.db, incident({ priority: 'low', title: 'Low one', position: [12.0, 45.0] }), ADA, T0)).incident
    const high = (await createIncident(t.db, incident({ priority: 'high', title: 'High one', position: [12.2, 45.2] }), ADA, T0 + 1)).incident
    const medOld = (await createIncident(t.db, incident({ title: 'Medium, older', position: [12.0, 45.0] }), ADA, T0 + 2)).incident
    const medNew = (await createIncident(t.db, incident({ title: 'Medium, newer', position: [12.5, 45.5], area: square(12.5, 45.5, 0.1) }), ADA, T0 + 3)).incident
    await closeIncident(t.db, medOld.id, 'Cleared', ADA, T0 + 4)

    const ids = async (status: 'open' | 'closed' | 'all', limit = 10, bbox: readonly [number, number, number, number] = region) => (await listIncidents(t.db, { status, limit, bbox })).map((i) => i.id)
    expect(await ids('open')).toEqual([high.id, medNew.id, low.id])
    expect(await ids('closed')).toEqual([medOld.id])
    expect(await ids('all')).toEqual([high.id, medNew.id, low.id, medOld.id])
    expect(await ids('open', 1)).toEqual([high.id])
    // This box holds high's point, and a corner of medNew's area (not its point).
    expect(await ids('open', 10, [12.15, 45.15, 12.46, 45.46])).toEqual([high.id, medNew.id])
    expect((await listIncidents(t.db, { status: 'open', limit: 1000 })).every((i) => i.status === 'open')).toBe(true)
  })
})

describe('the shift log', () => {
  it('lists newest first with paging; a hand-over note keeps its open items; each entry is audited', async () => {
    const note = await appendShiftLog(t.db, { kind: 'note', text: 'Quiet morning' }, ADA, T0)
    const handover = await appendShiftLog(t.db, { kind: 'handover', text: 'Hand-over to the afternoon shift', openItems: 'Loop 1042 flat-lining: technician at 15:00' }, ADA, T0 + 1)
    const last = await appendShiftLog(t.db, { kind: 'note', text: 'Afternoon shift on duty' }, BRUNO, T0 + 2)
    expect(handover).toMatchObject({ kind: 'handover', author: 'ada', atMs: T0 + 1, openItems: 'Loop 1042 flat-lining: technician at 15:00' })

    const page1 = await listShiftLog(t.db, { limit: 2 })
    expect(page1.entries.map((e) => e.id)).toEqual([last.id, handover.id])
    expect(page1.nextBeforeId).toBe(handover.id)
    const page2 = await listShiftLog(t.db, { limit: 2, beforeId: page1.nextBeforeId! })
    expect(page2).toEqual({ entries: [note], nextBeforeId: null })

    const [row] = await searchAudit(t.db, { target: `shift_log:${handover.id}` })
    expect(row).toMatchObject({ actor: 'ada', action: 'shift_log.append', beforeHash: null, afterHash: stateHash(handover), detail: { kind: 'handover' } })
  })

  it('refuses open items on a plain note at the database too', async () => {
    await expect(t.db.query(`INSERT INTO shift_log (at, author, kind, text, open_items) VALUES (now(), 'ada', 'note', 'x', 'y')`)).rejects.toThrow(/shift_log/)
  })
})

describe('the audit chain', () => {
  it('is intact after every change above', async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true })
  })
})
