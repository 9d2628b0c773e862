/**
 * The thematic dashboards over HTTP (PGlite, or PostgreSQL under test:services) with real sessions, on
 * Bologna's real districts and statistical areas: the public list and areas, a dataset loaded from a
 * CSV placed by district name and by statistical-area code (figures checked by hand), the real
 * OpenStreetMap land use placed by point through the documented CLI and example definition, refusals
 * that write nothing, replacement, removal, who may load, and the body limit.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChartPanel, ChoroplethPanel, DatasetLoad, KpiPanel, ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import { searchAudit } from '../../audit/audit-log'
import { runDatasetLoadCli } from '../../dashboards/datasets/dataset-load-cli'
import { mountThemeDashboardRoutes } from './theme-dashboard-routes'

const REPO = fileURLToPath(new URL('../../../../', import.meta.url))
const OSM_LANDUSE = path.join(CITY_DATA_DIR, 'osm/bologna_osm_landuse.geojson')
let clock = Date.parse('2026-11-28T10:00:00Z')
let t: TestDb
let app: RouteApp
let pmo = ''
let admin = ''
let planner = ''
let operator = ''

type Load = Omit<DatasetLoad, 'source' | 'categoryColumn' | 'measures'> & Partial<Pick<DatasetLoad, 'source' | 'categoryColumn' | 'measures'>>
const SOURCE = { title: 'Imprese attive (prova)', licence: 'CC BY 4.0', attribution: 'Fonte: Comune di Bologna', url: null }

/** Businesses by district, written the way offices write them: names in any case, an accent, a code, Italian decimals, an empty cell. */
const BY_DISTRICT = [
  'quartiere;addetti;fatturato;settore',
  'Santo Stefano;10;1.000,5;commercio',
  'SANTO STEFANO;4;;servizi',
  'Navile;3;200;commercio',
  '"San Donato-San Vitale";;50,5;servizi',
  'borgo panigale - reno;2;10;commercio',
  'Marte;7;1;servizi',
  '15;1;99,5;commercio',
  'Sàvena;5;3;servizi',
].join('\n')

const districtLoad = (o: Partial<Load> = {}): Load => ({
  id: 'imprese-prova',
  title: { it: 'Imprese (prova)', en: 'Businesses (test)' },
  description: { it: 'Imprese attive per quartiere', en: 'Active businesses by district' },
  source: SOURCE,
  format: 'csv',
  content: BY_DISTRICT,
  area: { by: 'column', column: 'quartiere', level: 'quartiere' },
  categoryColumn: 'settore',
  measures: [
    { id: 'imprese', label: { it: 'Imprese', en: 'Businesses' }, agg: 'count', unit: null, format: 'integer', higherIsWorse: false },
    { id: 'addetti', label: { it: 'Addetti', en: 'Employees' }, column: 'addetti', agg: 'sum', unit: null, format: 'integer', higherIsWorse: false },
    { id: 'fatturatoMedio', label: { it: 'Fatturato medio', en: 'Mean turnover' }, column: 'fatturato', agg: 'mean', unit: 'k€', format: 'decimal', higherIsWorse: false },
  ],
  ...o,
})

const put = (body: Load, who: string | null = pmo) => app.call<{ id: string; rows: number; placed: number; unplaced: { rows: number; examples: Array<{ row: number; reason: string }> }; loadedAtMs: number }>('PUT', `/api/dashboard-datasets/${body.id}`, who, body)
const dashboard = async (id: string) => {
  const r = await app.call<ThemeDashboard>('GET', `/api/public/dashboards/${id}`, null)
  expect(r.status, r.text).toBe(200)
  return r.body
}
const panel = <P>(d: ThemeDashboard, id: string) => d.panels.find((p) => p.id === id) as P
const kpi = (d: ThemeDashboard, id: string) => panel<KpiPanel>(d, `kpi-${id}`).value
/** A choropleth level as areaName → values. */
const byName = (d: ThemeDashboard, level: 'quartiere' | 'area_statistica') => Object.fromEntries((panel<ChoroplethPanel>(d, 'areas').levels[level] ?? []).map((a) => [a.name, a.values]))
const figureRows = async (id: string) => Number((await t.db.query<{ n: number }>('SELECT count(*) AS n FROM dashboard_dataset_figure WHERE dataset_id = $1', [id])).rows[0]!.n)

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['bologna-quartieri', 'bologna-aree-statistiche']) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  app = await serveRoutes(t.db, (a) => mountThemeDashboardRoutes(a, { db: t.db, now: () => clock }))
  pmo = await app.account('g.neri', ['pmo'])
  admin = await app.account('a.rossi', ['admin'])
  planner = await app.account('p.verdi', ['planner'])
  operator = await app.account('m.bianchi', ['operator'])
}, 300_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('the public dashboards and their areas', () => {
  it('lists the four built-in themes to anyone, without sign-in', async () => {
    const r = await app.call<{ dashboards: Array<{ id: string; kind: string }> }>('GET', '/api/public/dashboards', null)
    expect(r.status).toBe(200)
    expect(r.body.dashboards.filter((d) => d.kind === 'theme').map((d) => d.id)).toEqual(['mobility', 'environment', 'works', 'cases'])
  })

  it('serves the 6 districts and the 90 statistical areas as GeoJSON whose feature ids are the area ids', async () => {
    for (const [level, n] of [['quartiere', 6], ['area_statistica', 90]] as const) {
      const r = await app.call<{ type: string; features: Array<{ id: string; properties: { code: string; name: string } }> }>('GET', `/api/public/dashboard-areas/${level}`, null)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toContain('application/geo+json')
      const ids = (await t.db.query<{ id: string }>('SELECT id FROM area WHERE kind = $1 ORDER BY id', [level])).rows.map((a) => a.id)
      expect(r.body.features).toHaveLength(n)
      expect(r.body.features.map((f) => f.id).sort()).toEqual(ids)
    }
    expect((await app.call('GET', '/api/public/dashboard-areas/zona', null)).status).toBe(400)
  })

  it('answers 404 DASHBOARD_NOT_FOUND for an id that is neither a theme nor a loaded dataset', async () => {
    const r = await app.call('GET', '/api/public/dashboards/no-such-dashboard', null)
    expect(r.status).toBe(404)
    expect(r.error?.code).toBe('DASHBOARD_NOT_FOUND')
  })
})

describe('loading a dataset', () => {
  it('refuses the public (401), planners and operators (403), and lets the PMO and administrators load', async () => {
    expect((await put(districtLoad(), null)).status).toBe(401)
    expect((await put(districtLoad(), planner)).status).toBe(403)
    expect((await put(districtLoad(), operator)).status).toBe(403)
    expect((await put(districtLoad({ id: 'imprese-admin' }), admin)).status).toBe(200)
    expect((await app.call('DELETE', '/api/dashboard-datasets/imprese-admin', operator)).status).toBe(403)
    expect((await app.call('DELETE', '/api/dashboard-datasets/imprese-admin', admin)).status).toBe(200)
    expect((await put(districtLoad(), pmo)).status).toBe(200)
  })

  it('places rows by district name or code, case, accents and punctuation aside, and reports the unplaced row', async () => {
    const r = await put(districtLoad())
    expect(r.body).toEqual({ id: 'imprese-prova', rows: 8, placed: 7, unplaced: { rows: 1, examples: [{ row: 6, reason: expect.stringContaining('"Marte"') }] }, loadedAtMs: clock })
    const d = await dashboard('imprese-prova')
    expect(d).toMatchObject({ kind: 'dataset', title: { it: 'Imprese (prova)' }, window: null, sources: [{ title: SOURCE.title, licence: 'CC BY 4.0', attribution: 'Fonte: Comune di Bologna', url: null }] })
    // Every district listed; an empty cell is no value (San Donato's employees), a district without rows is null.
    expect(byName(d, 'quartiere')).toEqual({
      'Santo Stefano': { imprese: 3, addetti: 15, fatturatoMedio: 550 },
      Navile: { imprese: 1, addetti: 3, fatturatoMedio: 200 },
      'San Donato - San Vitale': { imprese: 1, addetti: null, fatturatoMedio: 50.5 },
      'Borgo Panigale - Reno': { imprese: 1, addetti: 2, fatturatoMedio: 10 },
      Savena: { imprese: 1, addetti: 5, fatturatoMedio: 3 },
      'Porto - Saragozza': { imprese: null, addetti: null, fatturatoMedio: null },
    })
    expect(panel<ChoroplethPanel>(d, 'areas').levels.area_statistica).toBeUndefined()
    // City figures count the unplaced row too: 8 rows, 32 employees, mean turnover 1364.5 / 7.
    expect([kpi(d, 'rows'), kpi(d, 'imprese'), kpi(d, 'addetti')]).toEqual([8, 8, 32])
    expect(kpi(d, 'fatturatoMedio')).toBeCloseTo(1364.5 / 7, 9)
    const sectors = panel<ChartPanel>(d, 'by-category-addetti')
    expect(sectors.categories?.map((c) => c.key)).toEqual(['commercio', 'servizi'])
    expect(sectors.series[0]!.points).toEqual([{ x: 'commercio', y: 16 }, { x: 'servizi', y: 16 }])
    const stacked = panel<ChartPanel>(d, 'by-quartiere-category-imprese')
    expect(stacked.chart).toBe('stacked')
    const santoStefano = (await t.db.query<{ id: string }>("SELECT id FROM area WHERE kind = 'quartiere' AND name = 'Santo Stefano'")).rows[0]!.id
    expect(stacked.series.map((s) => [s.label.it, s.points.find((p) => p.x === santoStefano)?.y])).toEqual([['commercio', 2], ['servizi', 1]])
  })

  it('places rows by statistical-area code at that level only, every one of the 90 areas listed', async () => {
    const content = 'codice,valore,persone\n1,10,2\n"01","5,0",4\n2,7.5,1\n99,1,1\n'
    const r = await put(districtLoad({
      id: 'aree-prova',
      content,
      area: { by: 'column', column: 'codice', level: 'area_statistica' },
      categoryColumn: null,
      measures: [
        { id: 'valore', label: { it: 'Valore', en: 'Value' }, column: 'valore', agg: 'sum', unit: null, format: 'decimal', higherIsWorse: false },
        { id: 'persone', label: { it: 'Persone per riga', en: 'People per row' }, column: 'persone', agg: 'mean', unit: null, format: 'decimal', higherIsWorse: false },
      ],
    }))
    expect(r.body).toMatchObject({ rows: 4, placed: 3, unplaced: { rows: 1, examples: [{ row: 4 }] } })
    const d = await dashboard('aree-prova')
    const areas = panel<ChoroplethPanel>(d, 'areas')
    expect(Object.keys(areas.levels)).toEqual(['area_statistica'])
    const rows = areas.levels.area_statistica!
    expect(rows).toHaveLength(90)
    const byCode = Object.fromEntries(rows.map((a) => [a.code, a.values]))
    expect(byCode['1']).toEqual({ valore: 15, persone: 3 })
    expect(byCode['2']).toEqual({ valore: 7.5, persone: 1 })
    expect(rows.filter((a) => a.values.valore !== null)).toHaveLength(2)
    expect(panel<ChartPanel>(d, 'by-area-valore').series[0]!.points).toHaveLength(90)
    expect(d.panels.some((p) => p.id.startsWith('by-category'))).toBe(false)
  })

  it('places CSV rows by their lon/lat columns at both levels, the statistical area inside its district', async () => {
    const r = await put(districtLoad({
      id: 'punti-prova',
      content: 'lon;lat;n\n11,3426;44,4939;2\n;;5\n0;0;1\n',
      area: { by: 'point', lonColumn: 'lon', latColumn: 'lat' },
      categoryColumn: null,
      measures: [{ id: 'n', label: { it: 'N', en: 'N' }, column: 'n', agg: 'sum', unit: null, format: 'integer', higherIsWorse: false }],
    }))
    expect(r.body).toMatchObject({ rows: 3, placed: 1, unplaced: { rows: 2, examples: [{ row: 2, reason: expect.stringContaining('no position') }, { row: 3, reason: expect.stringContaining('outside') }] } })
    const d = await dashboard('punti-prova')
    const levels = panel<ChoroplethPanel>(d, 'areas').levels
    const district = levels.quartiere!.filter((a) => a.values.n !== null)
    const area = levels.area_statistica!.filter((a) => a.values.n !== null)
    expect([district.map((a) => a.values.n), area.map((a) => a.values.n)]).toEqual([[2], [2]])
    const inside = await t.db.query<{ ok: boolean }>("SELECT (SELECT props->>'codQuartiere' FROM area WHERE id = $1) = (SELECT code FROM area WHERE id = $2) AS ok", [area[0]!.areaId, district[0]!.areaId])
    expect(inside.rows[0]!.ok).toBe(true)
    expect(kpi(d, 'n')).toBe(8)
  })

  it('loads the real OpenStreetMap land use by point with the CLI and the example definition: districts and unplaced add up to the file', async () => {
    const { secret } = await app.identity.tokens.create('g.neri', { name: 'dashboards CLI', expiresInDays: 1 }, { actor: 'g.neri', actorRole: 'pmo' })
    const out: string[] = []
    const err: string[] = []
    const code = await runDatasetLoadCli(['--url', app.url, 'docs/examples/dashboards/osm-landuse.json', OSM_LANDUSE], { out: (l) => out.push(l), err: (l) => err.push(l), env: { GEMELLO_TOKEN: secret }, cwd: REPO })
    expect(err).toEqual([])
    expect(code).toBe(0)
    expect(out[0]).toMatch(/^Loaded osm-uso-del-suolo: 4095 rows, \d+ placed in an area, \d+ in the city's totals only\.$/)
    const features = (JSON.parse(readFileSync(OSM_LANDUSE, 'utf8')) as { features: Array<{ properties: { landuse: string } }> }).features
    const d = await dashboard('osm-uso-del-suolo')
    expect(d.sources).toEqual([{ title: 'OpenStreetMap land use (Bologna)', licence: 'ODbL 1.0', attribution: '© OpenStreetMap contributors, ODbL', url: 'https://www.openstreetmap.org/copyright' }])
    expect(kpi(d, 'areas')).toBe(features.length)
    const placed = Number(/(\d+) placed/.exec(out[0]!)![1])
    const unplaced = Number(/(\d+) in the city/.exec(out[0]!)![1])
    const districts = Object.values(byName(d, 'quartiere'))
    expect(districts).toHaveLength(6)
    expect(districts.reduce((s, v) => s + (v.areas ?? 0), 0)).toBe(placed)
    expect(placed + unplaced).toBe(features.length)
    expect(placed).toBeGreaterThan(features.length * 0.9)
    // Statistical areas sit inside their district: their counts add up to the districts'.
    expect(Object.values(byName(d, 'area_statistica')).reduce((s, v) => s + (v.areas ?? 0), 0)).toBeLessThanOrEqual(placed)
    // The chart by category counts every feature of the file with that landuse tag.
    const count = (tag: string) => features.filter((f) => f.properties.landuse === tag).length
    const byTag = Object.fromEntries(panel<ChartPanel>(d, 'by-category-areas').series[0]!.points.map((p) => [p.x, p.y]))
    expect(byTag).toMatchObject({ grass: count('grass'), farmland: count('farmland'), residential: count('residential') })
    expect(Object.values(byTag).reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(features.length)
    const stacked = panel<ChartPanel>(d, 'by-quartiere-category-areas')
    expect(stacked.series.reduce((s, x) => s + x.points.reduce((a, p) => a + (p.y ?? 0), 0), 0)).toBe(placed)
  })
})

describe('refusals write nothing', () => {
  it('refuses text in a sum column naming the row, and keeps serving the previous version', async () => {
    const before = await dashboard('imprese-prova')
    const figures = await figureRows('imprese-prova')
    const audits = (await searchAudit(t.db, { target: 'dashboard_dataset:imprese-prova', limit: 50 })).length
    const r = await put(districtLoad({ content: 'quartiere;addetti;fatturato;settore\nNavile;3;1;commercio\nSavena;tre;2;servizi\n' }))
    expect(r.status).toBe(422)
    expect(r.error?.code).toBe('DASHBOARD_DATA_INVALID')
    expect(r.error?.message).toContain('row 2 (line 3): "tre"')
    expect(r.error?.message).toContain('"addetti"')
    expect(await figureRows('imprese-prova')).toBe(figures)
    expect((await searchAudit(t.db, { target: 'dashboard_dataset:imprese-prova', limit: 50 })).length).toBe(audits)
    expect({ ...(await dashboard('imprese-prova')), generatedAtMs: 0 }).toEqual({ ...before, generatedAtMs: 0 })
  })

  it('refuses a column the file does not have, listing the file’s columns', async () => {
    const r = await put(districtLoad({ categoryColumn: 'Settore' }))
    expect(r.status).toBe(422)
    expect(r.error?.message).toContain('no column "Settore" (categoryColumn)')
    expect(r.error?.message).toContain('"quartiere", "addetti", "fatturato", "settore"')
  })

  it('refuses a deny-listed category column and a category value that is a fiscal code', async () => {
    const denied = await put(districtLoad({ content: 'quartiere;codice_fiscale\nNavile;RSSMRA80A01A944X\n', categoryColumn: 'codice_fiscale', measures: [districtLoad().measures![0]!] }))
    expect(denied.status).toBe(422)
    expect(denied.error?.message).toMatch(/codice_fiscale.*deny list/)
    const value = await put(districtLoad({ content: 'quartiere;titolare\nNavile;ditta\nSavena;RSSMRA80A01A944X\n', categoryColumn: 'titolare', measures: [districtLoad().measures![0]!] }))
    expect(value.status).toBe(422)
    expect(value.error?.message).toMatch(/row 2, column titolare .*fiscal code/)
  })

  it('refuses a file of which no row can be placed, and a malformed CSV naming the line', async () => {
    const nowhere = await put(districtLoad({ id: 'nowhere', content: 'quartiere;addetti;fatturato;settore\nMarte;1;1;a\nVenere;2;2;b\n' }))
    expect(nowhere.status).toBe(422)
    expect(nowhere.error?.message).toMatch(/No row of the 2 could be placed/)
    const malformed = await put(districtLoad({ id: 'nowhere', content: 'quartiere;addetti;fatturato;settore\nNavile;1;1;a\nSavena;2;2\n' }))
    expect(malformed.status).toBe(422)
    expect(malformed.error?.message).toContain('row 2 (line 3) has 3 cells')
    expect((await app.call('GET', '/api/public/dashboards/nowhere', null)).status).toBe(404)
  })

  it('refuses a body over 32 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const r = await put(districtLoad({ content: `quartiere;addetti\n${'Navile;1\n'.repeat(3_600_000)}` }), admin)
    expect(r.status).toBe(413)
    expect(r.error?.code).toBe('PAYLOAD_TOO_LARGE')
  })
})

describe('replacing and removing', () => {
  it('replaces a dataset as a whole: figures of the old file are gone, the load time and the audit follow', async () => {
    clock += 60_000
    const r = await put(districtLoad({ content: 'quartiere;addetti;fatturato;settore\nNavile;4;8;commercio\n' }))
    expect(r.body).toMatchObject({ rows: 1, placed: 1, loadedAtMs: clock })
    const d = await dashboard('imprese-prova')
    expect(byName(d, 'quartiere')['Navile']).toEqual({ imprese: 1, addetti: 4, fatturatoMedio: 8 })
    expect(byName(d, 'quartiere')['Santo Stefano']).toEqual({ imprese: null, addetti: null, fatturatoMedio: null })
    const listed = await app.call<{ dashboards: Array<{ id: string; kind: string; loadedAtMs: number | null }> }>('GET', '/api/public/dashboards', null)
    expect(listed.body.dashboards.filter((x) => x.kind === 'dataset').map((x) => [x.id, x.loadedAtMs])).toContainEqual(['imprese-prova', clock])
    const audit = await searchAudit(t.db, { target: 'dashboard_dataset:imprese-prova', limit: 50 })
    const loads = audit.filter((a) => a.action === 'dashboard_dataset.load').sort((a, b) => a.seq - b.seq)
    const [previous, last] = loads.slice(-2)
    expect(last).toMatchObject({ actor: 'g.neri', actorRole: 'pmo', beforeHash: previous!.afterHash, detail: { rows: 1, placed: 1, replaced: true } })
  })

  it('removes a dataset: its dashboard is 404 after, it leaves the list, and a second removal is 404', async () => {
    const r = await app.call('DELETE', '/api/dashboard-datasets/imprese-prova', pmo)
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ deleted: true })
    expect((await app.call('GET', '/api/public/dashboards/imprese-prova', null)).error?.code).toBe('DASHBOARD_NOT_FOUND')
    expect(await figureRows('imprese-prova')).toBe(0)
    const listed = await app.call<{ dashboards: Array<{ id: string }> }>('GET', '/api/public/dashboards', null)
    expect(listed.body.dashboards.map((x) => x.id)).not.toContain('imprese-prova')
    expect(listed.body.dashboards.map((x) => x.id)).toEqual(expect.arrayContaining(['aree-prova', 'osm-uso-del-suolo']))
    expect((await app.call('DELETE', '/api/dashboard-datasets/imprese-prova', pmo)).error?.code).toBe('DASHBOARD_NOT_FOUND')
    const audit = await searchAudit(t.db, { target: 'dashboard_dataset:imprese-prova', limit: 50 })
    expect(audit.filter((a) => a.action === 'dashboard_dataset.delete')).toHaveLength(1)
  })
})
