/**
 * A stored scenario's estimate over HTTP on Bologna's real data (PGlite, or PostgreSQL under
 * test:services): the city imported and one real morning hour of loop counts written to the history,
 * as in server/src/scenarios/run-estimate.int.test.ts. Concurrent requests share one computation, the
 * second request is served from the cache table, the links are GeoJSON of the contract, and the
 * briefing is one self-contained page with the KPIs, the fit and the assumptions, its title escaped.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../../contracts/access'
import { EstimateLinksSchema, ScenarioEstimateSchema, type ScenarioEstimateDto } from '../../../../contracts/scenario-api'
import type { Scenario } from '../../../../contracts/schemas/scenario'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { buildAbout } from '../../app/start-server'
import { ScenarioEstimator } from '../../scenarios/scenario-estimator'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import { writeRealLoopCounts } from '../../../../tests/helpers/real-loop-counts'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { mountScenarioRoutes } from './scenario-routes'

const HOUR = 8
const TITLE = 'Via Costa <script>alert("x")</script> & co'
const BASE = '/api/scenarios/costa-closure/versions/1'
let t: TestDb
let app: RouteApp
let date = ''
let computations = 0
let estimator: ScenarioEstimator
let calibrationStarted!: () => void
const calibrating = new Promise<void>((resolve) => (calibrationStarted = resolve))
const cookies: Record<string, string> = {}
const call = <T = unknown>(path: string, who: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { headers: { cookie: cookies[who]!, ...headers } }).then(async (res) => ({ status: res.status, headers: res.headers, text: await res.text() })).then((r) => ({ ...r, json: () => JSON.parse(r.text) as T }))

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['osm-drive-nodes', 'osm-drive-edges', 'bologna-aree-statistiche', 'bologna-loops']) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  // The weekday of March 2024 with the most loops counting, and its 8:00–9:00 counts (rollups run as in the product).
  date = await writeRealLoopCounts(t.db, CITY_DATA_DIR, [HOUR])

  // The real estimator, counted: the routes must call it once per version and hour.
  estimator = new ScenarioEstimator(t.db, { onStep: (step) => step === 'calibrate' && calibrationStarted() })
  const counted = { estimate: (s: Scenario, o: { version?: number | null; hour?: number }) => (computations++, estimator.estimate(s, o)) }
  app = await serveRoutes(t.db, (a) => mountScenarioRoutes(a, { db: t.db, estimator: counted, attributions: async () => (await buildAbout(t.db, 'test', null)).attributions }))
  const accounts: Array<[string, Role[]]> = [['plan-neri', ['planner']], ['pmo-bianchi', ['pmo']]]
  for (const [name, roles] of accounts) cookies[name] = await app.account(name, roles)
  const busiest = await t.db.query<{ id: string }>(`SELECT e.id FROM road_edge e WHERE e.road_class IN ('primary', 'secondary') ORDER BY e.length_m DESC LIMIT 3`)
  const document = {
    id: 'costa-closure',
    title: TITLE,
    base: { kind: 'observed', date, hour: HOUR },
    edits: [{ kind: 'close-road', edges: busiest.rows.map((r) => r.id), note: 'works' }, { kind: 'speed-limit', edges: ['no-such-edge'], speedKmh: 30 }],
    assumptions: ['The detour is signed at via Saffi'],
  }
  const created = await app.call('POST', '/api/scenarios', cookies['plan-neri']!, { document, note: 'three arterials closed' })
  if (created.status !== 200) throw new Error(created.text)
}, 600_000)

afterAll(async () => {
  await app?.close()
  await estimator?.close()
  await t?.drop()
})

describe('the estimate of a stored version', () => {
  let first: ScenarioEstimateDto

  it('computes once for concurrent requests, with the KPIs, Δ and the fit', async () => {
    const all = Promise.all([call(`${BASE}/estimate`, 'plan-neri'), call(`${BASE}/estimate`, 'pmo-bianchi'), call(`${BASE}/estimate?hour=${HOUR}`, 'plan-neri'), call(`${BASE}/estimate/links`, 'pmo-bianchi')])
    let estimated = false
    void all.then(() => (estimated = true))
    // The base's calibration (≈ 12 s here) runs in the estimator's worker: the API answers meanwhile.
    await calibrating
    const list = await call<{ scenarios: unknown[] }>('/api/scenarios', 'pmo-bianchi')
    expect(list.status, list.text).toBe(200)
    expect(estimated).toBe(false)
    const [a, b, c, links] = await all
    for (const r of [a, b, c, links]) expect(r.status, r.text).toBe(200)
    expect(computations).toBe(1)
    first = ScenarioEstimateSchema.parse(a.json())
    expect(ScenarioEstimateSchema.parse(b.json()).computedAtMs).toBe(first.computedAtMs)
    expect(first).toMatchObject({ scenario: { id: 'costa-closure', version: 1, title: TITLE }, hour: HOUR, inactiveEdits: [] })
    expect(first.calibration.loops.length).toBeGreaterThan(30)
    const fit = first.calibration
    console.info(`city calibration on ${date} ${HOUR}:00 — ${fit.loops.length} loops, mean GEH ${fit.meanGeh.toFixed(2)}, GEH < 5 for ${(fit.fitShare * 100).toFixed(0)} %, RMSE ${fit.rmseVehH.toFixed(0)} veh/h`)
    expect(first.compare.vehHours.delta).toBeGreaterThan(0)
    // An edge the network lacks is a problem naming the edit, never a silent no-op.
    expect(first.problems).toEqual([expect.objectContaining({ edit: 1, kind: 'speed-limit' })])
  }, 600_000)

  it('serves the second request from the cache table', async () => {
    const again = ScenarioEstimateSchema.parse((await call(`${BASE}/estimate`, 'pmo-bianchi')).json())
    expect(again.computedAtMs).toBe(first.computedAtMs)
    expect(again).toEqual(first)
    expect(computations).toBe(1)
    const rows = await t.db.query<{ hour: number; ms: number }>(`SELECT hour, round(extract(epoch FROM computed_at) * 1000)::float8 AS ms FROM scenario_estimate WHERE scenario_id = 'costa-closure' AND version = 1`)
    expect(rows.rows.map((r) => [r.hour, Number(r.ms)])).toEqual([[HOUR, first.computedAtMs]])
  })

  it('gives the links as GeoJSON of the contract, the closed roads among them', async () => {
    const r = await call(`${BASE}/estimate/links`, 'plan-neri')
    expect(r.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    const fc = EstimateLinksSchema.parse(r.json())
    expect(fc.features.length).toBeGreaterThan(1000)
    expect(fc.features.some((f) => f.properties.closed)).toBe(true)
    expect(fc.features.some((f) => f.properties.deltaVehH > 0)).toBe(true)
    expect(computations).toBe(1)
  })
})

describe('the briefing', () => {
  it('is one self-contained page, in Italian when asked, the hostile title escaped', async () => {
    const r = await call(`${BASE}/briefing?lang=it`, 'pmo-bianchi')
    expect(r.status, r.text).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'")
    const page = r.text
    expect(page).toContain('<html lang="it">')
    expect(page).not.toMatch(/<script|<link|<img|@import|url\(|src=/i)
    expect(page).toContain('Via Costa &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co')
    expect(page).toMatch(/<tr><td>Veicoli·ora<\/td><td>[\d.]+<\/td><td>[\d.]+<\/td><td class="up">\+[\d.]+<\/td><td class="up">\+[\d,]+ %<\/td><\/tr>/)
    expect(page).toMatch(/<span class="badge (ok|no)">Il modello (è|non è ancora) calibrato<\/span>/)
    expect(page).toContain('<li>The detour is signed at via Saffi</li>')
    expect(page).toMatch(/<li>Chiusura di [^<]+ \(3 archi stradali\) — <em>works<\/em><\/li><li>Limite di velocità 30 km\/h su no-such-edge \(1 arco stradale\)<br><span class="flag">Problema: [^<]*no-such-edge/)
    expect(page).toMatch(/<svg class="map"[^>]*>[\s\S]*<path d="M/)
    expect(page).toContain('OpenStreetMap')
    expect(computations).toBe(1)
  })

  it('follows Accept-Language', async () => {
    const r = await call(`${BASE}/briefing`, 'plan-neri', { 'accept-language': 'en-GB,en;q=0.9' })
    expect(r.text).toContain('<html lang="en">')
    expect(r.text).toContain('Vehicle-hours')
    expect(r.headers.get('vary')).toContain('Accept-Language')
  })
})
