/**
 * The public-works and citizen-cases dashboards over HTTP (PGlite, or PostgreSQL under test:services)
 * on Bologna's real districts and statistical areas: projects with sites and cases seeded through the
 * product's own writes, then every figure checked against hand-computed values — KPIs, every area of
 * both levels (empty ones too), SLA shares, Europe/Rome Monday weeks, the period's bounds, the budget
 * split — and the JSON checked for the texts and persons it must never carry.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectSchema, type ProjectInput } from '../../../../contracts/schemas/pmo'
import { ThemeDashboardSchema, type AreaRow, type ChartPanel, type ChoroplethPanel, type KpiPanel, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import { updateCase } from '../../db/case-cycle'
import { createCase, seedCaseCatalogue, type NewCase } from '../../db/cases'
import { createProject } from '../../db/pmo'
import { mountThemeDashboardRoutes } from '../../routes/dashboards/theme-dashboard-routes'

const NOW = Date.parse('2026-11-27T10:00:00Z')
const H = 3_600_000
const at = (iso: string) => Date.parse(iso)
// Points and the areas containing them (the real layers).
const MAGGIORE = { lon: 11.34297, lat: 44.49381 } // quartiere-15 Santo Stefano, area-statistica-53
const RIZZOLI = { lon: 11.3464, lat: 44.4942 } // quartiere-15, area-statistica-53
const BOLOGNINA = { lon: 11.3445, lat: 44.5115 } // quartiere-12 Navile, area-statistica-17
const BORGO = { lon: 11.285, lat: 44.511 } // quartiere-11 Borgo Panigale - Reno, area-statistica-9
const SAVENA = { lon: 11.38, lat: 44.478 } // quartiere-16 Savena
const SAN_DONATO = { lon: 11.38, lat: 44.505 } // quartiere-14
const SARAGOZZA = { lon: 11.32, lat: 44.488 } // quartiere-13

// What must never reach a public dashboard.
const SECRETS = {
  description: 'Buca davanti al civico 7 segnalata da Mario Rossi',
  address: 'Via dell’Indipendenza 5',
  email: 'mario.rossi@example.org',
  phone: '+39 051 987 6543',
  name: 'Rossini',
  statusNote: 'Chiusa con asfalto a freddo dalla squadra B',
  assignee: 'g.russo',
  projectDescription: 'Installazione di 12 varchi e 40 spire',
  owner: 'RUP – Settore Mobilità',
  risk: 'Ritardo della fornitura',
  kpi: 'Varchi attivi',
}

let t: TestDb
let app: RouteApp
const SYSTEM = { actor: 'open311:test', actorRole: 'system', requestId: null }
const OFFICE = { actor: 'm.bianchi', actorRole: 'operator', requestId: null }
const CYCLE = { personalRetentionDays: 365 }

function newCase(where: { lon: number; lat: number }, serviceCode = 'buca-stradale'): NewCase {
  return {
    serviceCode, lon: where.lon, lat: where.lat, description: SECRETS.description, attributes: {}, address: SECRETS.address, addressId: null, mediaUrl: null,
    personal: { email: SECRETS.email, phone: SECRETS.phone, lastName: SECRETS.name }, source: 'open311', open311ClientId: null,
  }
}

/** A case reported at `requested`, closed (fixed, with a note) at `closed` when given. */
async function seedCase(where: { lon: number; lat: number }, requested: string, closed: string | null, serviceCode?: string): Promise<number> {
  const c = await createCase(t.db, newCase(where, serviceCode), SYSTEM, at(requested))
  if (closed) await updateCase(t.db, c.id, { version: 1, status: 'fixed', statusNote: SECRETS.statusNote, assignee: SECRETS.assignee }, OFFICE, at(closed), CYCLE)
  return c.id
}

const project = (o: Partial<ProjectInput>): ProjectInput => ({
  id: 'x', line: 'infrastrutture-smart', title: 'Progetto', description: SECRETS.projectDescription, cup: null, status: 'in_progress', owners: [SECRETS.owner],
  startDate: '2026-01-15', endDate: '2027-06-30', funding: [], committedCents: 0, spentCents: 0, milestones: [], activities: [],
  kpis: [{ key: 'varchi', title: SECRETS.kpi, unit: 'n', baseline: 0, target: 12, targetDate: '2027-06-30', live: null, actual: 2, actualDate: '2026-11-20' }],
  risks: [{ key: 'fornitura', title: SECRETS.risk, probability: 4, impact: 4, mitigation: 'Penali', owner: 'Settore Mobilità', status: 'open' }],
  site: null, ...o,
})

async function seedProjects() {
  const by = { actor: 'g.neri', actorRole: 'pmo', requestId: null }
  const projects: ProjectInput[] = [
    // A line across the boundary of Porto - Saragozza and Santo Stefano (and of two statistical areas), closing the road today.
    project({
      id: 'varchi', funding: [{ source: 'PN Metro Plus 2021-2027', plannedCents: 1_000_000_00 }, { source: 'Bilancio comunale', plannedCents: 250_000_01 }], committedCents: 600_000_00, spentCents: 150_000_00,
      site: { geometry: { type: 'LineString', coordinates: [[11.3431, 44.4975], [11.3462, 44.4981]] }, closesRoad: true, fromDate: '2026-11-01', toDate: '2027-02-10' },
    }),
    // A point in Navile; the site takes the project's dates (not active today: it opens in January).
    project({ id: 'sportello', line: 'servizi-digitali', status: 'planned', startDate: '2027-01-01', endDate: '2027-12-31', funding: [{ source: 'PNRR', plannedCents: 900_000_01 }], site: { geometry: { type: 'Point', coordinates: [BOLOGNINA.lon, BOLOGNINA.lat] }, closesRoad: false, fromDate: null, toDate: null } }),
    project({ id: 'dati', line: 'governo-dati', status: 'completed', endDate: '2026-10-31', funding: [{ source: 'PN Metro Plus 2021-2027', plannedCents: 200_000_00 }], committedCents: 200_000_00, spentCents: 180_000_00 }),
    // Suspended: its site (a small square at Piazza Maggiore) is on the map but not active.
    project({
      id: 'sensori', status: 'suspended', funding: [{ source: 'Bilancio comunale', plannedCents: 50_000_00 }], committedCents: 10_000_00,
      site: { geometry: { type: 'Polygon', coordinates: [[[11.3429, 44.4937], [11.3431, 44.4937], [11.3431, 44.4939], [11.3429, 44.4939], [11.3429, 44.4937]]] }, closesRoad: true, fromDate: '2026-10-01', toDate: '2027-03-31' },
    }),
    project({ id: 'annullato', line: 'pmo', status: 'cancelled', kpis: [], risks: [] }),
  ]
  for (const p of projects) await createProject(t.db, { project: ProjectSchema.parse(p), note: '' }, by, NOW - 30 * 24 * H)
}

async function seedCases() {
  // Received in the default 90-day period ([2026-08-29T10:00Z, NOW]).
  const a = await seedCase(MAGGIORE, '2026-11-02T08:00:00Z', '2026-11-03T08:00:00Z') // 24 h, in time
  await seedCase(RIZZOLI, '2026-11-02T09:00:00Z', '2026-11-06T09:00:00Z') // 96 h > 72 h: breached
  await seedCase(BOLOGNINA, '2026-11-20T10:00:00Z', null, 'semaforo-guasto') // open past its 4 h: breached
  await seedCase(BOLOGNINA, '2026-11-26T10:00:00Z', null) // open, not yet due
  await seedCase(BORGO, '2026-10-10T10:00:00Z', '2026-10-11T20:00:00Z', 'rifiuti-abbandonati') // 34 h of 48: in time
  const dup = await createCase(t.db, newCase(MAGGIORE), SYSTEM, at('2026-11-02T10:00:00Z'))
  await updateCase(t.db, dup.id, { version: 1, status: 'duplicate', duplicateOf: a }, OFFICE, at('2026-11-02T12:00:00Z'), CYCLE) // closed in 2 h
  // Sunday 23:30 and Monday 00:30 in Rome (both Sunday in UTC): two different Rome weeks.
  await seedCase(MAGGIORE, '2026-11-22T22:30:00Z', '2026-11-23T02:30:00Z') // 4 h
  await seedCase(MAGGIORE, '2026-11-22T23:30:00Z', '2026-11-23T03:30:00Z') // 4 h
  // Not public: a batch request never accepted, and a case the office hid.
  await createCase(t.db, newCase(SAVENA, 'passo-carrabile'), SYSTEM, at('2026-11-10T10:00:00Z'))
  const hidden = await createCase(t.db, newCase(SAVENA), SYSTEM, at('2026-11-11T10:00:00Z'))
  await updateCase(t.db, hidden.id, { version: 1, published: false }, OFFICE, at('2026-11-11T11:00:00Z'), CYCLE)
  // Before the period: one closed before it too, one closed within it (counted as closed in its week only).
  await seedCase(SAN_DONATO, '2026-08-01T10:00:00Z', '2026-08-02T10:00:00Z')
  await seedCase(SARAGOZZA, '2026-08-20T10:00:00Z', '2026-09-02T10:00:00Z')
}

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['bologna-quartieri', 'bologna-aree-statistiche']) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  await seedCaseCatalogue(t.db)
  app = await serveRoutes(t.db, (a) => mountThemeDashboardRoutes(a, { db: t.db, now: () => NOW }))
  await app.account(SECRETS.assignee, ['operator'])
  await seedProjects()
  await seedCases()
}, 300_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

async function dashboard(id: string, query = ''): Promise<{ d: ThemeDashboard; text: string }> {
  const r = await app.call('GET', `/api/public/dashboards/${id}${query}`, null)
  expect(r.status).toBe(200)
  const parsed = ThemeDashboardSchema.safeParse(r.body)
  expect(parsed.error?.issues ?? []).toEqual([])
  return { d: parsed.data!, text: r.text }
}
const kpis = (d: ThemeDashboard) => Object.fromEntries(d.panels.filter((p): p is KpiPanel => p.kind === 'kpi').map((p) => [p.id, p.value]))
const chart = (d: ThemeDashboard, id: string) => d.panels.find((p): p is ChartPanel => p.kind === 'chart' && p.id === id)!
const series = (c: ChartPanel, id: string) => Object.fromEntries(c.series.find((s) => s.id === id)!.points.map((p) => [p.x, p.y]))
const choropleth = (d: ThemeDashboard) => d.panels.find((p): p is ChoroplethPanel => p.kind === 'choropleth')!
const byArea = (rows: readonly AreaRow[] | undefined) => Object.fromEntries((rows ?? []).map((r) => [r.areaId, r.values]))
const DISTRICTS = ['quartiere-11', 'quartiere-12', 'quartiere-13', 'quartiere-14', 'quartiere-15', 'quartiere-16']

describe('public works', () => {
  it('is public, parses, and gives the portfolio’s totals today', async () => {
    const { d } = await dashboard('works')
    expect(d).toMatchObject({ id: 'works', kind: 'theme', window: null, days: null, generatedAtMs: NOW })
    expect(kpis(d)).toEqual({ projects: 5, 'planned-budget': 2_400_000.02, committed: 810_000, spent: 330_000, 'active-sites': 1, 'road-closures': 1 })
    expect(d.sources.map((s) => s.title)).toEqual(expect.arrayContaining(['Progetti del portafoglio di trasformazione digitale', 'Quartieri — city districts (Comune di Bologna)']))
    expect(d.sources.every((s) => s.licence.length > 0 && s.attribution.length > 0)).toBe(true)
  })

  it('places each site in every area it touches, lists every area, and splits the budget so that it adds up', async () => {
    const c = choropleth((await dashboard('works')).d)
    const q = byArea(c.levels.quartiere)
    expect(Object.keys(q).sort()).toEqual(DISTRICTS)
    expect(q['quartiere-13']).toEqual({ projects: 1, activeSites: 1, plannedBudget: 625_000.01 })
    expect(q['quartiere-15']).toEqual({ projects: 2, activeSites: 1, plannedBudget: 675_000 })
    expect(q['quartiere-12']).toEqual({ projects: 1, activeSites: 0, plannedBudget: 900_000.01 })
    for (const empty of ['quartiere-11', 'quartiere-14', 'quartiere-16']) expect(q[empty]).toEqual({ projects: 0, activeSites: 0, plannedBudget: 0 })
    const s = byArea(c.levels.area_statistica)
    expect(Object.keys(s)).toHaveLength(90)
    expect(s['area-statistica-30']).toEqual({ projects: 1, activeSites: 1, plannedBudget: 625_000.01 })
    expect(s['area-statistica-60']).toEqual({ projects: 1, activeSites: 1, plannedBudget: 625_000 })
    expect(s['area-statistica-53']).toEqual({ projects: 1, activeSites: 0, plannedBudget: 50_000 })
    expect(s['area-statistica-17']).toEqual({ projects: 1, activeSites: 0, plannedBudget: 900_000.01 })
    // The projects with a site plan 1,250,000.01 + 900,000.01 + 50,000 €: both levels add up to it, to the cent.
    for (const level of [q, s]) expect(Math.round(Object.values(level).reduce((sum, v) => sum + (v.plannedBudget ?? 0), 0) * 100)).toBe(2_200_000_02)
  })

  it('charts money by line (spent, committed, the rest), projects by status and sites over the next 12 months', async () => {
    const { d } = await dashboard('works')
    const lines = chart(d, 'budget-by-line')
    expect(lines.categories!.map((c) => c.key)).toEqual(['processi-interni', 'servizi-digitali', 'governo-dati', 'infrastrutture-smart', 'pmo'])
    expect(series(lines, 'spent')).toMatchObject({ 'infrastrutture-smart': 150_000, 'governo-dati': 180_000, 'servizi-digitali': 0 })
    expect(series(lines, 'committed-not-spent')).toMatchObject({ 'infrastrutture-smart': 460_000, 'governo-dati': 20_000 })
    expect(series(lines, 'planned-not-committed')).toMatchObject({ 'infrastrutture-smart': 690_000.01, 'servizi-digitali': 900_000.01, 'governo-dati': 0, pmo: 0 })
    expect(series(chart(d, 'projects-by-status'), 'projects')).toEqual({ planned: 1, in_progress: 1, suspended: 1, completed: 1, cancelled: 1 })
    const months = chart(d, 'sites-by-month')
    expect(months.categories!.map((c) => c.key)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10'])
    expect(series(months, 'active')).toMatchObject({ '2026-11': 1, '2026-12': 1, '2027-01': 2, '2027-02': 2, '2027-03': 1, '2027-10': 1 })
    expect(series(months, 'starting')).toMatchObject({ '2026-11': 1, '2026-12': 0, '2027-01': 1 })
    expect(series(months, 'ending')).toMatchObject({ '2027-01': 0, '2027-02': 1 })
  })
})

describe('citizen cases', () => {
  it('counts the public cases received in the period: open, closed within the SLA, median hours', async () => {
    const { d } = await dashboard('cases')
    expect(d.window).toEqual({ fromMs: NOW - 90 * 24 * H, toMs: NOW, days: 90 })
    expect(d.days).toEqual({ default: 90, max: 366 })
    // 8 public cases in the period (the unpublished, the hidden and the two earlier ones left out); 2 open;
    // closed 24, 96, 34, 2, 4, 4 h → 5 of 6 within the SLA, median (4 + 24) / 2.
    expect(kpis(d)).toEqual({ received: 8, open: 2, 'in-time': 5 / 6, 'median-hours': 14 })
  })

  it('gives every district and statistical area its cases, share past the SLA and median (empty areas: 0 and no share)', async () => {
    const c = choropleth((await dashboard('cases')).d)
    const q = byArea(c.levels.quartiere)
    expect(Object.keys(q).sort()).toEqual(DISTRICTS)
    expect(q['quartiere-15']).toEqual({ received: 5, breachedShare: 0.2, medianHours: 4 })
    expect(q['quartiere-12']).toEqual({ received: 2, breachedShare: 0.5, medianHours: null })
    expect(q['quartiere-11']).toEqual({ received: 1, breachedShare: 0, medianHours: 34 })
    // Savena has only unpublished cases, San Donato and Saragozza only cases before the period.
    for (const empty of ['quartiere-13', 'quartiere-14', 'quartiere-16']) expect(q[empty]).toEqual({ received: 0, breachedShare: null, medianHours: null })
    const s = byArea(c.levels.area_statistica)
    expect(Object.keys(s)).toHaveLength(90)
    expect(s['area-statistica-53']).toEqual(q['quartiere-15'])
    expect(s['area-statistica-17']).toEqual(q['quartiere-12'])
    expect(s['area-statistica-9']).toEqual(q['quartiere-11'])
    expect(Object.values(s).reduce((n, v) => n + (v.received ?? 0), 0)).toBe(8)
  })

  it('counts by Europe/Rome week from Monday: received by the week reported, closed by the week closed', async () => {
    const w = chart((await dashboard('cases')).d, 'weekly-volumes')
    expect(w).toMatchObject({ chart: 'line', xKind: 'time' })
    const weeks = w.series[0]!.points.map((p) => p.x as number)
    // 2026-08-24 (the week of the period's start) to 2026-11-23, each Monday 00:00 in Rome (summer and winter time).
    expect(weeks).toHaveLength(14)
    expect(weeks[0]).toBe(at('2026-08-23T22:00:00Z'))
    expect(weeks.at(-1)).toBe(at('2026-11-22T23:00:00Z'))
    const rome = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    for (const x of weeks) expect(rome.format(x)).toBe('Mon 00:00')
    const received = series(w, 'received')
    const closed = series(w, 'closed')
    expect(received[at('2026-10-04T22:00:00Z')]).toBe(1)
    expect(received[at('2026-11-01T23:00:00Z')]).toBe(3)
    // Sunday 23:30 in Rome with the Friday's case; Monday 00:30 in Rome with the Thursday's.
    expect(received[at('2026-11-15T23:00:00Z')]).toBe(2)
    expect(received[at('2026-11-22T23:00:00Z')]).toBe(2)
    expect(Object.values(received).reduce<number>((n, v) => n + (v ?? 0), 0)).toBe(8)
    // The case received before the period and closed within it counts as closed in its week; the one closed before, nowhere.
    expect(closed).toMatchObject({ [at('2026-08-30T22:00:00Z')]: 1, [at('2026-10-04T22:00:00Z')]: 1, [at('2026-11-01T23:00:00Z')]: 3, [at('2026-11-22T23:00:00Z')]: 2 })
    expect(Object.values(closed).reduce<number>((n, v) => n + (v ?? 0), 0)).toBe(7)
  })

  it('charts by service with the catalogue’s names and open cases by district and service', async () => {
    const { d } = await dashboard('cases')
    const s = chart(d, 'cases-by-service')
    expect(s.categories!.find((c) => c.key === 'buca-stradale')!.label).toEqual({ it: 'Buca nella strada', en: 'Pothole' })
    expect(series(s, 'received')).toMatchObject({ 'buca-stradale': 6, 'semaforo-guasto': 1, 'rifiuti-abbandonati': 1, 'alberi-verde': 0, 'passo-carrabile': 0 })
    expect(series(s, 'breached')).toMatchObject({ 'buca-stradale': 1, 'semaforo-guasto': 1, 'rifiuti-abbandonati': 0 })
    const open = chart(d, 'open-by-district')
    expect(open.categories!.map((c) => c.key).sort()).toEqual(DISTRICTS)
    expect(series(open, 'buca-stradale')).toMatchObject({ 'quartiere-12': 1, 'quartiere-15': 0, 'quartiere-16': 0 })
    expect(series(open, 'semaforo-guasto')).toMatchObject({ 'quartiere-12': 1 })
  })

  it('follows ?days: a shorter period leaves out the older case, and more than 366 days is refused', async () => {
    const { d } = await dashboard('cases', '?days=30')
    expect(d.window).toEqual({ fromMs: NOW - 30 * 24 * H, toMs: NOW, days: 30 })
    expect(kpis(d)).toMatchObject({ received: 7, open: 2, 'in-time': 4 / 5 })
    expect(byArea(choropleth(d).levels.quartiere)['quartiere-11']).toEqual({ received: 0, breachedShare: null, medianHours: null })
    expect((await app.call('GET', '/api/public/dashboards/cases?days=367', null)).error?.code).toBe('VALIDATION_FAILED')
  })
})

describe('privacy', () => {
  it('carries no description, address, note, reporter, assignee, owner, risk or KPI text in either dashboard', async () => {
    for (const id of ['works', 'cases']) {
      const { text } = await dashboard(id)
      for (const [what, s] of Object.entries(SECRETS)) expect(text.includes(s), `${id} carries the ${what}`).toBe(false)
      for (const projectId of ['"varchi"', '"sportello"', '"sensori"']) expect(text).not.toContain(projectId)
    }
  })
})
