/**
 * The PMO's portfolio over HTTP (PGlite, or PostgreSQL under test:services), with real sessions: who
 * may read and write, a project created with funding, milestones, activities, KPIs (hand-entered and
 * live from the twin), risks and a site; validation that writes nothing; versions with the conflict
 * check (of concurrent saves on one version exactly one wins); health with its reasons; the portfolio's
 * figures by line and funding source; the sites on the map; the progress report; the audit rows; and
 * the open dataset that publishes the portfolio without owners, risks or free text.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PmoSitesSchema, type Portfolio, type ProjectDetail } from '../../../../contracts/pmo-api'
import type { ProjectInput } from '../../../../contracts/schemas/pmo'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { searchAudit } from '../../audit/audit-log'
import { seedCaseCatalogue } from '../../db/cases'
import { datasetFile } from '../../db/opendata'
import { pmoProjectsDataset } from '../../opendata/datasets/pmo-datasets'
import { refreshOpenData } from '../../opendata/opendata-refresh'
import { mountPmoRoutes } from './pmo-routes'

const NOW = Date.parse('2026-11-28T10:00:00Z')
const TODAY = '2026-11-28'
let t: TestDb
let app: RouteApp
let pmo = ''
let planner = ''
let operator = ''
let admin = ''

const project = (o: Partial<ProjectInput> = {}): ProjectInput => ({
  id: 'ztl-varchi-nuovi',
  line: 'infrastrutture-smart',
  title: 'Nuovi varchi ZTL e sensori di traffico',
  description: 'Installazione di 12 varchi e 40 spire.',
  cup: 'F31B22000350006',
  status: 'in_progress',
  owners: ['RUP – Settore Mobilità'],
  startDate: '2026-01-15',
  endDate: '2027-06-30',
  funding: [{ source: 'PN Metro Plus 2021-2027', plannedCents: 1_000_000_00 }, { source: 'Bilancio comunale', plannedCents: 250_000_00 }],
  committedCents: 600_000_00,
  spentCents: 150_000_00,
  milestones: [
    { key: 'gara', title: 'Aggiudicazione gara', kind: 'milestone', dueDate: '2026-04-30', doneDate: '2026-05-10' },
    { key: 'collaudo-1', title: 'Collaudo primo lotto', kind: 'deliverable', dueDate: '2026-11-15', doneDate: null },
    { key: 'collaudo-2', title: 'Collaudo secondo lotto', kind: 'deliverable', dueDate: '2027-05-31', doneDate: null },
  ],
  activities: [
    { key: 'progetto', title: 'Progettazione', startDate: '2026-01-15', endDate: '2026-03-31', progressPct: 100, after: [] },
    { key: 'posa', title: 'Posa dei varchi', startDate: '2026-06-01', endDate: '2027-04-30', progressPct: 35, after: ['progetto'] },
  ],
  kpis: [
    { key: 'servizi', title: 'Servizi online', unit: 'n', baseline: 0, target: 5, targetDate: '2027-06-30', live: 'services-online', actual: null, actualDate: null },
    { key: 'varchi', title: 'Varchi attivi', unit: 'n', baseline: 0, target: 12, targetDate: '2027-06-30', live: null, actual: 2, actualDate: '2026-11-20' },
  ],
  risks: [{ key: 'fornitura', title: 'Ritardo della fornitura', probability: 4, impact: 4, mitigation: 'Penali nel contratto', owner: 'Settore Mobilità', status: 'open' }],
  site: { geometry: { type: 'LineString', coordinates: [[11.3431, 44.4975], [11.3462, 44.4981]] }, closesRoad: true, fromDate: '2027-01-10', toDate: '2027-02-10' },
  ...o,
})

beforeAll(async () => {
  t = await createTestDb()
  await seedCaseCatalogue(t.db)
  app = await serveRoutes(t.db, (a) => mountPmoRoutes(a, { db: t.db, now: () => NOW, liveTtlMs: 0 }))
  pmo = await app.account('g.neri', ['pmo'])
  planner = await app.account('p.verdi', ['planner'])
  operator = await app.account('m.bianchi', ['operator'])
  admin = await app.account('a.rossi', ['admin'])
}, 300_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('who may do what', () => {
  it('lets the PMO write, planners and administrators read, and nobody else in', async () => {
    expect((await app.call('GET', '/api/pmo/portfolio', null)).status).toBe(401)
    expect((await app.call('GET', '/api/pmo/portfolio', operator)).error?.code).toBe('FORBIDDEN')
    expect((await app.call('GET', '/api/pmo/portfolio', planner)).status).toBe(200)
    expect((await app.call('GET', '/api/pmo/portfolio', admin)).status).toBe(200)
    expect((await app.call('POST', '/api/pmo/projects', planner, { project: project() })).error?.code).toBe('FORBIDDEN')
    expect((await app.call('GET', '/api/pmo/projects', pmo)).status).toBe(200)
  })
})

describe('a project', () => {
  let created: ProjectDetail

  it('refuses a project that does not add up, naming each problem, and writes nothing', async () => {
    const bad = await app.call('POST', '/api/pmo/projects', pmo, { project: project({ cup: 'short', endDate: '2025-01-01', spentCents: 700_000_00 }) })
    expect(bad.error?.code).toBe('VALIDATION_FAILED')
    const paths = bad.error!.details!.map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['body.project.cup', 'body.project.endDate', 'body.project.spentCents']))
    const badKpi = await app.call('POST', '/api/pmo/projects', pmo, { project: project({ kpis: [{ key: 'x', title: 'X', unit: 'n', target: 1, targetDate: '2027-01-01', live: 'case-sla', actual: 3 }] }) })
    expect(badKpi.error?.details?.map((d) => d.path)).toContain('body.project.kpis.0.actual')
    expect((await app.call<{ projects: unknown[] }>('GET', '/api/pmo/projects', pmo)).body.projects).toEqual([])
  })

  it('is created with its figures: budget, next and late milestones, KPIs measured now, health with its reasons', async () => {
    const r = await app.call<ProjectDetail>('POST', '/api/pmo/projects', pmo, { project: project(), note: 'avvio' })
    expect(r.status).toBe(201)
    created = r.body
    expect(created.summary).toMatchObject({
      plannedCents: 1_250_000_00, committedCents: 600_000_00, spentCents: 150_000_00, lateMilestones: 1, openRisks: 1, topRiskScore: 16,
      nextMilestone: { key: 'collaudo-1', dueDate: '2026-11-15' }, health: 'at_risk', version: 1, updatedBy: 'g.neri', hasSite: true,
    })
    expect(created.summary.reasons).toEqual([
      { code: 'milestones_late', count: 1, titles: ['Collaudo primo lotto'], text: '1 milestone late (Collaudo primo lotto)' },
      { code: 'severe_risks', count: 1, score: 15, titles: ['Ritardo della fornitura'], text: '1 open risk scoring 15 or more (Ritardo della fornitura)' },
      { code: 'kpis_behind', count: 1, titles: ['Varchi attivi'], text: '1 KPI behind (Varchi attivi)' },
    ])
    const services = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_service WHERE active`)
    expect(created.kpis[0]).toMatchObject({ key: 'servizi', live: 'services-online', actual: Number(services.rows[0]!.n), measuredAtMs: NOW })
    // 2 of 12 gates ten and a half months into an eighteen-month straight line (≈ 7 expected): behind.
    expect(created.kpis[1]).toMatchObject({ key: 'varchi', actual: 2, status: 'behind' })
    expect(created.versions).toEqual([{ version: 1, atMs: NOW, by: 'g.neri', note: 'avvio' }])
    expect((await app.call('POST', '/api/pmo/projects', pmo, { project: project() })).error?.code).toBe('CONFLICT')
  })

  it('saves versions on the version they were edited from: a stale save is a CONFLICT, of concurrent ones exactly one wins', async () => {
    const done = project({ milestones: project().milestones!.map((m) => (m.key === 'collaudo-1' ? { ...m, doneDate: '2026-11-25' } : m)) })
    const v2 = await app.call<ProjectDetail>('PUT', '/api/pmo/projects/ztl-varchi-nuovi', pmo, { project: done, baseVersion: 1, note: 'collaudo fatto' })
    expect(v2.body.summary).toMatchObject({ version: 2, lateMilestones: 0 })
    expect((await app.call('PUT', '/api/pmo/projects/ztl-varchi-nuovi', pmo, { project: done, baseVersion: 1 })).error?.code).toBe('CONFLICT')
    const racers = await Promise.all([1, 2, 3, 4, 5].map((i) => app.call('PUT', '/api/pmo/projects/ztl-varchi-nuovi', pmo, { project: { ...done, spentCents: 150_000_00 + i }, baseVersion: 2 })))
    expect(racers.filter((r) => r.status === 200)).toHaveLength(1)
    expect(racers.filter((r) => r.error?.code === 'CONFLICT')).toHaveLength(4)
    const v1 = await app.call<{ project: { milestones: Array<{ doneDate: string | null }> } }>('GET', '/api/pmo/projects/ztl-varchi-nuovi/versions/1', planner)
    expect(v1.body.project.milestones[1]!.doneDate).toBeNull()
    expect((await app.call('PUT', '/api/pmo/projects/ztl-varchi-nuovi', pmo, { project: project({ id: 'altro' }), baseVersion: 3 })).error?.details?.[0]?.path).toBe('body.project.id')
    expect((await app.call('GET', '/api/pmo/projects/nessuno', pmo)).error?.code).toBe('PROJECT_NOT_FOUND')
    const audit = await searchAudit(t.db, { target: 'project:ztl-varchi-nuovi*', limit: 10 })
    expect(audit.map((e) => e.action).sort()).toEqual(['pmo.create', 'pmo.save', 'pmo.save'])
  })

  it('is off track past a milestone late by more than 30 days, and named in the portfolio by line and funding source', async () => {
    await app.call('POST', '/api/pmo/projects', pmo, {
      project: project({ id: 'open-data-piattaforma', line: 'governo-dati', title: 'Piattaforma open data', cup: null, site: null, risks: [], kpis: [], funding: [{ source: 'PN Metro Plus 2021-2027', plannedCents: 300_000_00 }], committedCents: 0, spentCents: 0, milestones: [{ key: 'rilascio', title: 'Rilascio', kind: 'milestone', dueDate: '2026-09-30', doneDate: null }], activities: [] }),
    })
    const p = (await app.call<Portfolio>('GET', '/api/pmo/portfolio', planner)).body
    expect(p.today).toBe(TODAY)
    expect(p.totals).toMatchObject({ projects: 2, plannedCents: 1_550_000_00 })
    const data = p.lines.find((l) => l.line === 'governo-dati')!
    expect(data).toMatchObject({ projects: 1, plannedCents: 300_000_00, byHealth: { off_track: 1 } })
    expect(p.lines.map((l) => l.line)).toEqual(['processi-interni', 'servizi-digitali', 'governo-dati', 'infrastrutture-smart', 'pmo'])
    expect(p.funding).toEqual([{ source: 'PN Metro Plus 2021-2027', plannedCents: 1_300_000_00 }, { source: 'Bilancio comunale', plannedCents: 250_000_00 }])
    expect(p.projects.find((x) => x.id === 'open-data-piattaforma')!.reasons).toEqual([{ code: 'milestones_very_late', count: 1, days: 30, titles: ['Rilascio'], text: '1 milestone more than 30 days late (Rilascio)' }])
  })
})

describe('on the map, in the report, as open data', () => {
  it('gives the sites as GeoJSON, with whether and when they close the road', async () => {
    const r = await app.call('GET', '/api/pmo/sites.geojson', planner)
    expect(r.headers.get('content-type')).toMatch(/application\/geo\+json/)
    // Every site as the contract declares it (the PMO client parses each feature with it).
    const sites = PmoSitesSchema.parse(r.body)
    expect(sites.features).toHaveLength(1)
    expect(sites.features[0]).toMatchObject({ id: 'ztl-varchi-nuovi', geometry: { type: 'LineString' }, properties: { closesRoad: true, closedFrom: '2027-01-10', closedTo: '2027-02-10', line: 'infrastrutture-smart' } })
  })

  it('exports the progress report as a PDF named for its date', async () => {
    const res = await fetch(`${app.url}/api/pmo/report.pdf?lang=it`, { headers: { cookie: planner } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="pmo-report-${TODAY}.pdf"`)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    if (existsSync('/usr/bin/pdftotext')) {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'gemello-pmo-')), 'r.pdf')
      writeFileSync(file, bytes)
      const text = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-']).toString()
      expect(text).toContain('Nuovi varchi ZTL e sensori di traffico')
      expect(text).toContain('Piattaforma open data')
    }
  })

  it('publishes the portfolio as open data without owners, risks, KPIs or descriptions', async () => {
    const config = { publisherName: 'Comune di Bologna', ipaCode: 'c_a944', place: { name: 'Bologna', geonames: 'http://sws.geonames.org/3181928/' }, contactName: 'Open data', contactEmail: 'opendata@comune.bologna.it', baseUrl: 'https://g.example', refreshMs: 3_600_000, historyDays: 2, shapesDir: '/nonexistent' }
    const s = await refreshOpenData({ db: t.db, config, log: { info: () => undefined, warn: () => undefined, error: () => undefined }, datasets: [pmoProjectsDataset] }, NOW)
    expect(s.refused).toEqual([])
    const csv = (await datasetFile(t.db, 'progetti-pmo', 'csv'))!.bytes().toString()
    expect(csv.split('\r\n')[0]).toBe('wkt,id,line,line_title,title,cup,status,start_date,end_date,planned_eur,committed_eur,spent_eur,funding_sources')
    expect(csv).toContain('F31B22000350006')
    expect(csv).toContain('1250000')
    for (const s of ['RUP', 'Ritardo', 'Installazione', 'Varchi attivi']) expect(csv).not.toContain(s)
  })
})
