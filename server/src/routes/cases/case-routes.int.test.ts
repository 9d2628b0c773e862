/**
 * The offices' case cycle over HTTP (PGlite, or PostgreSQL under test:services) on Bologna's real
 * districts: who may do what, accepting a batch request (its token then gives its id), triage,
 * routing, assignment, status with a note the citizen reads through Open311, internal notes, links,
 * duplicate suggestions and marking, the version check (a stale change writes nothing), the audited
 * reveal of a reporter's contact data, the SLA job, the retention purge, and statistics and a CSV
 * with no personal data in them.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASE_CSV_COLUMNS, CaseCatalogueSchema, CaseSummarySchema, type CaseCatalogue, type CaseDetail, type CasePersonal, type CaseStats, type CaseSummary, type ListCasesResponse } from '../../../../contracts/case-api'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { searchAudit } from '../../audit/audit-log'
import { caseJobs } from '../../cases/case-jobs'
import { caseOfToken, createCase, listPublicCases, listPublicUpdates, seedCaseCatalogue, type NewCase } from '../../db/cases'
import { createIncident } from '../../db/incidents'
import { mountOpen311Routes } from '../../open311/open311-routes'
import { CLEAN_JPEG, jpegWithMetadata } from '../../../../tests/helpers/photos'
import { mountCaseRoutes } from './case-routes'

const NOW = Date.parse('2026-11-27T10:00:00Z')
let clock = NOW
const HOUR = 3_600_000
const DAY = 24 * HOUR
// Piazza Maggiore; 20 m east of it; via Rizzoli (≈ 280 m away).
const MAGGIORE = { lon: 11.34297, lat: 44.49381 }
const NEARBY = { lon: 11.34322, lat: 44.49381 }
const RIZZOLI = { lon: 11.3464, lat: 44.4942 }
const EMAIL = 'mario.rossi@example.org'
const PHONE = '+39 051 123 4567'
const FISCAL = 'RSSMRA80A01A944X'

let t: TestDb
let app: RouteApp
let operator = ''
let planner = ''
let pmo = ''
const pushed: CaseSummary[] = []
const SYSTEM = { actor: 'open311:test', actorRole: 'system', requestId: null }

function newCase(o: Partial<NewCase> & { at?: { lon: number; lat: number } } = {}): NewCase {
  const at = o.at ?? MAGGIORE
  return { serviceCode: 'buca-stradale', lon: at.lon, lat: at.lat, description: 'Buca profonda davanti al civico 3', attributes: { dimensione: 2 }, address: null, addressId: null, mediaUrl: null, personal: {}, source: 'open311', open311ClientId: null, ...o }
}
const detail = async (id: number) => (await app.call<CaseDetail>('GET', `/api/cases/${id}`, operator)).body
const patch = (id: number, body: unknown, who = operator) => app.call<CaseDetail>('PATCH', `/api/cases/${id}`, who, body)

beforeAll(async () => {
  t = await createTestDb()
  await importDataset(t.db, 'bologna-quartieri', path.join(CITY_DATA_DIR, datasetById('bologna-quartieri')!.file), { cityDataDir: CITY_DATA_DIR })
  await seedCaseCatalogue(t.db)
  app = await serveRoutes(t.db, (a) => {
    mountCaseRoutes(a, { db: t.db, now: () => clock, personalRetentionDays: 365, onChange: (c) => pushed.push(c) })
    mountOpen311Routes(a, { db: t.db, jurisdictionId: null, now: () => clock })
  })
  operator = await app.account('m.bianchi', ['operator'])
  planner = await app.account('p.verdi', ['planner'])
  pmo = await app.account('l.neri', ['pmo'])
}, 300_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('who may do what', () => {
  it('refuses the list to the public (401) and to a planner (403), gives PMO the statistics only', async () => {
    expect((await app.call('GET', '/api/cases', null)).status).toBe(401)
    expect((await app.call('GET', '/api/cases', planner)).error?.code).toBe('FORBIDDEN')
    expect((await app.call('GET', '/api/cases', pmo)).status).toBe(403)
    expect((await app.call('GET', '/api/case-stats', pmo)).status).toBe(200)
    expect((await app.call('GET', '/api/cases.csv', pmo)).status).toBe(200)
    expect((await app.call('GET', '/api/cases', operator)).status).toBe(200)
  })

  it('gives the office screens every service with its office, SLA, fee and legal-notice flag, and the offices', async () => {
    const c = (await app.call<CaseCatalogue>('GET', '/api/case-catalogue', operator)).body
    expect(c.offices.map((o) => o.id)).toContain('strade')
    const pothole = c.services.find((s) => s.code === 'buca-stradale')!
    expect(pothole).toMatchObject({ office: 'strade', slaHours: 72, feeCents: null, active: true })
    expect(c.services.some((s) => s.feeCents !== null && s.legalNotice)).toBe(true)
    expect(CaseCatalogueSchema.safeParse(c).success).toBe(true)
    expect((await app.call('GET', '/api/case-catalogue', planner)).status).toBe(403)
  })
})

describe('the office cycle', () => {
  it('accepts a batch request: it becomes public, its token gives its id, the event says accept', async () => {
    clock = NOW
    const c = await createCase(t.db, newCase({ serviceCode: 'passo-carrabile', attributes: { larghezza_m: 3.5 } }), SYSTEM, clock)
    expect(await caseOfToken(t.db, c.token!)).toEqual({ id: null })
    const waiting = (await app.call<ListCasesResponse>('GET', '/api/cases?state=unpublished', operator)).body.cases.map((x) => x.id)
    expect(waiting).toContain(c.id)
    clock += HOUR
    const r = await patch(c.id, { version: 1, status: 'triaged' })
    expect(r.status).toBe(200)
    expect(r.body.case).toMatchObject({ status: 'triaged', published: true, version: 2 })
    expect(r.body.events.map((e) => e.kind)).toEqual(['create', 'accept', 'status'])
    expect(await caseOfToken(t.db, c.token!)).toEqual({ id: c.id })
    expect(pushed.at(-1)).toMatchObject({ id: c.id, status: 'triaged', version: 2 })
    expect(Object.keys(pushed.at(-1)!).sort()).toEqual(Object.keys(CaseSummarySchema.shape).sort())
  })

  it('routes, assigns and changes the status with a note the citizen reads through Open311; closing stops the clock and reopening restarts it', async () => {
    clock = NOW
    const c = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    await app.account('g.russo', ['operator'])
    clock += HOUR
    let r = await patch(c.id, { version: 1, officeId: 'verde', assignee: 'g.russo', priority: 'high' })
    expect(r.body.case).toMatchObject({ officeId: 'verde', assignee: 'g.russo', priority: 'high', version: 2 })
    expect(r.body.events.slice(1).map((e) => e.kind)).toEqual(['triage', 'route', 'assign'])
    expect(r.body.events.slice(1).every((e) => e.actor === 'm.bianchi' && !e.public)).toBe(true)
    clock += HOUR
    r = await patch(c.id, { version: 2, status: 'fixed', statusNote: 'Buca chiusa con asfalto a freddo' })
    expect(r.body.case).toMatchObject({ status: 'fixed', closedAtMs: clock, statusNotes: 'Buca chiusa con asfalto a freddo' })
    const [pub] = await listPublicCases(t.db, { ids: [c.id], limit: 10 })
    expect(pub).toMatchObject({ status: 'fixed', statusNotes: 'Buca chiusa con asfalto a freddo' })
    const updates = await listPublicUpdates(t.db, new Date(NOW).toISOString(), new Date(clock).toISOString(), 100)
    expect(updates.filter((u) => u.caseId === c.id).map((u) => [u.status, u.note])).toEqual([
      ['new', null],
      ['fixed', 'Buca chiusa con asfalto a freddo'],
    ])
    r = await patch(c.id, { version: 3, status: 'in_progress', statusNote: 'Riaperta: la buca si è riformata' })
    expect(r.body.case).toMatchObject({ status: 'in_progress', closedAtMs: null })
  })

  it('refuses a change made on an older version (CONFLICT) and writes nothing', async () => {
    const c = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    await patch(c.id, { version: 1, priority: 'low' })
    const before = await detail(c.id)
    const r = await patch(c.id, { version: 1, status: 'fixed' })
    expect(r.status).toBe(409)
    expect(r.error).toMatchObject({ code: 'CONFLICT' })
    expect(r.error!.message).toMatch(/version 2/)
    expect(await detail(c.id)).toEqual(before)
  })

  it('names the field when an assignee, office or incident does not exist, and writes nothing', async () => {
    const c = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    const a = await patch(c.id, { version: 1, assignee: 'nobody.here', priority: 'high' })
    expect(a.status).toBe(400)
    expect(a.error!.details?.[0]?.path).toBe('assignee')
    expect((await patch(c.id, { version: 1, officeId: 'astronauti' })).error!.details?.[0]?.path).toBe('officeId')
    expect((await patch(c.id, { version: 1, incidentId: 999_999 })).error?.code).toBe('INCIDENT_NOT_FOUND')
    expect((await patch(c.id, { version: 1, status: 'duplicate' })).error?.code).toBe('VALIDATION_FAILED')
    expect((await detail(c.id)).case).toMatchObject({ version: 1, priority: 'medium', assignee: null })
    expect((await app.call('PATCH', `/api/cases/${c.id}`, planner, { version: 1, priority: 'high' })).status).toBe(403)
  })

  it('links an incident and a PMO work site, and keeps internal notes from the citizen', async () => {
    const c = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    const inc = await createIncident(t.db, { type: 'road-works', title: 'Cedimento via Rizzoli', description: '', priority: 'high', position: [RIZZOLI.lon, RIZZOLI.lat], area: null, assignee: null }, { actor: 'm.bianchi', actorRole: 'operator', requestId: null }, clock)
    let r = await patch(c.id, { version: 1, incidentId: inc.incident.id, pmoSiteId: 'PNRR-M2-017' })
    expect(r.body.case).toMatchObject({ incidentId: inc.incident.id, pmoSiteId: 'PNRR-M2-017' })
    r = await app.call<CaseDetail>('POST', `/api/cases/${c.id}/notes`, operator, { version: 2, text: 'Chiamata la ditta: interviene domani' })
    expect(r.body.events.at(-1)).toMatchObject({ kind: 'note', public: false, note: 'Chiamata la ditta: interviene domani' })
    r = await app.call<CaseDetail>('POST', `/api/cases/${c.id}/notes`, operator, { version: 3, text: 'Intervento previsto domani', public: true })
    const updates = await listPublicUpdates(t.db, new Date(0).toISOString(), new Date(clock + DAY).toISOString(), 1000)
    const notes = updates.filter((u) => u.caseId === c.id).map((u) => u.note)
    expect(notes).toContain('Intervento previsto domani')
    expect(notes).not.toContain('Chiamata la ditta: interviene domani')
  })
})

describe('the list', () => {
  it('filters by a box on the map, and names a wrong box', async () => {
    const inBox = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    const outside = await createCase(t.db, newCase(), SYSTEM, clock)
    const ids = (await app.call<ListCasesResponse>('GET', '/api/cases?state=all&limit=5000&bbox=11.345,44.493,11.35,44.496', operator)).body.cases.map((c) => c.id)
    expect(ids).toContain(inBox.id)
    expect(ids).not.toContain(outside.id)
    const bad = await app.call('GET', '/api/cases?bbox=11.35,44.49,11.34,44.50', operator)
    expect(bad.status).toBe(400)
    expect(bad.error!.message).toMatch(/west < east/)
  })
})

describe('duplicates', () => {
  it('suggests a case of the same service within 50 m, not one farther away or of another service; marking points at the original', async () => {
    clock = NOW + 2 * DAY
    const first = await createCase(t.db, newCase(), SYSTEM, clock)
    const far = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    const other = await createCase(t.db, newCase({ at: NEARBY, serviceCode: 'rifiuti-abbandonati', attributes: {} }), SYSTEM, clock)
    clock += HOUR
    const second = await createCase(t.db, newCase({ at: NEARBY }), SYSTEM, clock)
    const d = await detail(second.id)
    const ids = d.duplicates.map((x) => x.id)
    expect(ids).toContain(first.id)
    expect(ids).not.toContain(far.id)
    expect(ids).not.toContain(other.id)
    expect(d.duplicates.find((x) => x.id === first.id)!.distanceM).toBeGreaterThan(15)
    expect(d.duplicates.find((x) => x.id === first.id)!.distanceM).toBeLessThan(25)
    const r = await patch(second.id, { version: 1, status: 'duplicate', duplicateOf: first.id, statusNote: 'Già segnalata' })
    expect(r.body.case).toMatchObject({ status: 'duplicate', duplicateOf: first.id })
    expect(r.body.case.closedAtMs).not.toBeNull()
    expect(r.body.events.at(-1)).toMatchObject({ kind: 'duplicate', status: 'duplicate', public: true, note: 'Già segnalata' })
    // A third one marked as a duplicate of the duplicate points at the original.
    const third = await createCase(t.db, newCase({ at: NEARBY }), SYSTEM, clock)
    expect((await patch(third.id, { version: 1, status: 'duplicate', duplicateOf: second.id })).body.case.duplicateOf).toBe(first.id)
  })
})

describe('personal data', () => {
  let withPersonal = 0
  beforeAll(async () => {
    clock = NOW + 3 * DAY
    withPersonal = (
      await createCase(
        t.db,
        newCase({ at: RIZZOLI, description: `Buca enorme. Contattatemi a ${EMAIL} o al ${PHONE}, c.f. ${FISCAL}`, personal: { email: EMAIL, firstName: 'Mario', lastName: 'Rossi', phone: PHONE } }),
        SYSTEM,
        clock,
      )
    ).id
  })

  it('shows none of it in the list, the case, the map, the statistics or the CSV', async () => {
    const answers = [
      (await app.call('GET', '/api/cases?state=all', operator)).text,
      (await app.call('GET', `/api/cases/${withPersonal}`, operator)).text,
      (await app.call('GET', '/api/cases.geojson', operator)).text,
      (await app.call('GET', '/api/case-stats', operator)).text,
    ]
    for (const text of answers) {
      for (const v of [EMAIL, PHONE, FISCAL, 'Rossi']) expect(text).not.toContain(v)
      for (const key of ['email', 'firstName', 'lastName', 'phone', 'first_name', 'last_name']) expect(text).not.toContain(`"${key}"`)
    }
    // The description the citizen wrote is shown to the office scrubbed as well.
    expect((await detail(withPersonal)).case.description).toBe('Buca enorme. Contattatemi a […] o al […], c.f. […]')
    expect((await detail(withPersonal)).case.hasPersonalData).toBe(true)
    const csv = (await app.call('GET', '/api/cases.csv', operator)).text
    for (const v of [EMAIL, PHONE, FISCAL, 'Mario', 'Rossi']) expect(csv).not.toContain(v)
    expect(csv).toContain('Buca enorme. Contattatemi a […]')
  })

  it('reveals it with a reason, audited with who asked and why; refuses without a reason or to a role without case:reveal', async () => {
    expect((await app.call('POST', `/api/cases/${withPersonal}/personal`, operator, { reason: 'why' })).error?.code).toBe('VALIDATION_FAILED')
    expect((await app.call('POST', `/api/cases/${withPersonal}/personal`, pmo, { reason: 'Richiamare il cittadino per il sopralluogo' })).status).toBe(403)
    const r = await app.call<CasePersonal>('POST', `/api/cases/${withPersonal}/personal`, operator, { reason: 'Richiamare il cittadino per il sopralluogo' })
    expect(r.body).toEqual({ email: EMAIL, firstName: 'Mario', lastName: 'Rossi', phone: PHONE, purgeAfterMs: null })
    const audit = await searchAudit(t.db, { action: 'case.reveal-personal', target: `case:${withPersonal}`, limit: 10 })
    expect(audit[0]).toMatchObject({ actor: 'm.bianchi', actorRole: 'operator', detail: { reason: 'Richiamare il cittadino per il sopralluogo', found: true } })
    const none = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    expect((await app.call('POST', `/api/cases/${none.id}/personal`, operator, { reason: 'Richiamare il cittadino per il sopralluogo' })).error?.code).toBe('NOT_FOUND')
  })

  it('is deleted by the retention job once the closed case is past its period, not before', async () => {
    const v = (await detail(withPersonal)).case.version
    clock = NOW + 4 * DAY
    await patch(withPersonal, { version: v, status: 'fixed' })
    const reveal = () => app.call<CasePersonal>('POST', `/api/cases/${withPersonal}/personal`, operator, { reason: 'Verifica della cancellazione dei dati' })
    expect((await reveal()).body.purgeAfterMs).toBe(clock + 365 * DAY)
    let jobClock = clock + 364 * DAY
    const jobs = caseJobs({ db: t.db, log: { info: () => undefined, warn: () => undefined, error: () => undefined }, clock: () => jobClock })
    expect(await jobs.retention.runOnce()).toBe('ran')
    expect((await reveal()).status).toBe(200)
    jobClock = clock + 366 * DAY
    expect(await jobs.retention.runOnce()).toBe('ran')
    expect((await reveal()).error?.code).toBe('NOT_FOUND')
    expect((await detail(withPersonal)).case.hasPersonalData).toBe(false)
    const audit = await searchAudit(t.db, { action: 'case.purge-personal', limit: 10 })
    expect(audit[0]).toMatchObject({ actor: 'system:retention' })
    await jobs.stop()
  })
})

describe('SLA', () => {
  it('flags an open case once when its SLA runs out, pushes it and lists it as overdue; a closed one is not flagged', async () => {
    clock = NOW + 10 * DAY
    const open = await createCase(t.db, newCase({ serviceCode: 'semaforo-guasto', attributes: {} }), SYSTEM, clock)
    const closed = await createCase(t.db, newCase({ serviceCode: 'semaforo-guasto', attributes: {} }), SYSTEM, clock)
    await patch(closed.id, { version: 1, status: 'fixed' })
    let jobClock = clock + 3 * HOUR
    const breached: CaseSummary[] = []
    const jobs = caseJobs({ db: t.db, log: { info: () => undefined, warn: () => undefined, error: () => undefined }, clock: () => jobClock, onBreach: (l) => breached.push(...l) })
    await jobs.sla.runOnce()
    expect(breached.map((c) => c.id)).not.toContain(open.id)
    jobClock = clock + 5 * HOUR
    await jobs.sla.runOnce()
    await jobs.sla.runOnce()
    expect(breached.filter((c) => c.id === open.id)).toHaveLength(1)
    expect(breached.map((c) => c.id)).not.toContain(closed.id)
    const d = await detail(open.id)
    expect(d.case.slaBreachedAtMs).toBe(jobClock)
    expect(d.events.filter((e) => e.kind === 'sla-breach')).toHaveLength(1)
    clock = jobClock
    const overdue = (await app.call<ListCasesResponse>('GET', '/api/cases?state=overdue&service=semaforo-guasto', operator)).body.cases.map((c) => c.id)
    expect(overdue).toEqual([open.id])
    await jobs.stop()
  })
})

describe('statistics and CSV', () => {
  it('counts by service and district with SLA breaches and the median time to close; the CSV has the listed columns only and defuses formulas', async () => {
    clock = NOW + 20 * DAY
    const from = new Date(clock - HOUR).toISOString()
    const a = await createCase(t.db, newCase({ description: '=HYPERLINK("http://evil")' }), SYSTEM, clock)
    const b = await createCase(t.db, newCase(), SYSTEM, clock)
    await createCase(t.db, newCase(), SYSTEM, clock)
    clock += 10 * HOUR
    await patch(a.id, { version: 1, status: 'fixed' })
    clock += 20 * HOUR
    await patch(b.id, { version: 1, status: 'no_further_action' })
    const to = new Date(clock).toISOString()
    const s = (await app.call<CaseStats>('GET', `/api/case-stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, operator)).body
    expect(s.rows).toEqual([{ serviceCode: 'buca-stradale', districtName: expect.any(String), total: 3, open: 1, closed: 2, slaBreached: 0, medianHoursToClose: 20 }])
    expect(s.rows[0]!.districtName).toMatch(/Santo Stefano/i)
    expect(s.totals).toMatchObject({ total: 3, closed: 2 })
    const csv = (await app.call('GET', `/api/cases.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, operator)).text
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe(CASE_CSV_COLUMNS.join(','))
    expect(lines).toHaveLength(4)
    expect(lines[1]).toContain(`${a.id},buca-stradale,fixed,medium,`)
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect((await app.call('GET', '/api/case-stats?from=2010-01-01T00:00:00Z', operator)).error?.code).toBe('RANGE_TOO_LARGE')
  })
})

describe('photos', () => {
  const upload = (id: number, body: Buffer, who: string | null = operator, query = '') =>
    fetch(`${app.url}/api/cases/${id}/attachments${query}`, { method: 'POST', headers: { 'content-type': 'image/jpeg', ...(who ? { cookie: who } : {}) }, body: new Uint8Array(body) })

  it('stores a photo without its GPS position, camera serial or author, once however often it is sent, and the office reads it back', async () => {
    const c = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    const dirty = jpegWithMetadata()
    const res = await upload(c.id, dirty)
    expect(res.status).toBe(201)
    const body = (await res.json()) as { attachment: { id: number; size: number; public: boolean }; created: boolean; removed: string[] }
    expect(body).toMatchObject({ created: true, attachment: { size: CLEAN_JPEG.length, public: false } })
    expect(body.removed).toContain('APP1 (Exif)')
    const back = await fetch(`${app.url}/api/cases/${c.id}/attachments/${body.attachment.id}`, { headers: { cookie: operator } })
    expect(back.headers.get('content-type')).toBe('image/jpeg')
    const bytes = Buffer.from(await back.arrayBuffer())
    expect(bytes.equals(CLEAN_JPEG)).toBe(true)
    for (const s of ['Exif', 'SERIAL', 'Rossi', 'GPS']) expect(bytes.includes(s)).toBe(false)
    const again = await upload(c.id, dirty)
    expect(again.status).toBe(200)
    expect(((await again.json()) as { created: boolean }).created).toBe(false)
    const d = await detail(c.id)
    expect(d.attachments).toHaveLength(1)
    expect(d.events.filter((e) => e.kind === 'attach')).toHaveLength(1)
    expect(d.case.version).toBe(2)
    // Another case's photo is not reachable through this case.
    const other = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    expect((await fetch(`${app.url}/api/cases/${other.id}/attachments/${body.attachment.id}`, { headers: { cookie: operator } })).status).toBe(404)
  })

  it('refuses what is not a JPEG or PNG (422), a photo over 10 MiB (413), and a role without case:act (403), storing nothing', async () => {
    const c = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    const svg = await upload(c.id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))
    expect(svg.status).toBe(422)
    expect(((await svg.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_REFUSED')
    const big = await upload(c.id, Buffer.concat([CLEAN_JPEG, Buffer.alloc(10 * 1024 * 1024)]))
    expect(big.status).toBe(413)
    expect((await upload(c.id, CLEAN_JPEG, planner)).status).toBe(403)
    expect((await upload(c.id, CLEAN_JPEG, null)).status).toBe(401)
    expect((await detail(c.id)).attachments).toEqual([])
  })

  it('gives a public photo of a published request as its Open311 media_url, and no private one', async () => {
    const c = await createCase(t.db, newCase({ at: RIZZOLI }), SYSTEM, clock)
    const priv = (await (await upload(c.id, CLEAN_JPEG)).json()) as { attachment: { id: number } }
    const request = async () => ((await (await fetch(`${app.url}/open311/v2/requests/${c.id}.json`)).json()) as Array<{ media_url?: string }>)[0]!
    expect(await request()).not.toHaveProperty('media_url')
    expect((await fetch(`${app.url}/open311/v2/media/${priv.attachment.id}`)).status).toBe(404)
    // Another photo (one scan byte differs): the same image again would be the stored private one.
    const second = Buffer.from(jpegWithMetadata())
    second[second.indexOf(Buffer.from([0xff, 0xd9])) - 1] = 0x3e
    const pub = (await (await upload(c.id, second, operator, '?public=true')).json()) as { attachment: { id: number; public: boolean } }
    expect(pub.attachment.public).toBe(true)
    const media = (await request()).media_url!
    expect(media).toBe(`${app.url}/open311/v2/media/${pub.attachment.id}`)
    const photo = await fetch(media)
    expect(photo.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await photo.arrayBuffer()).includes('Exif')).toBe(false)
  })
})
