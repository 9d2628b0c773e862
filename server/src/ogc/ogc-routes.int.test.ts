/**
 * The OGC API – Features at /ogc over real HTTP, real sessions and the real database (PGlite, or
 * PostgreSQL under test:services): Part 1 documents and paging, Part 2 CRSs and axis order, Part 3
 * queryables and CQL2, Part 4 writes with ETags (reliability-security.md §3.3 cases 1–5, 8, 10, 13),
 * the requests QGIS makes when editing (OPTIONS, POST, PUT without If-Match, PATCH, DELETE), the
 * public view without the internal attributes, and the injection cases of §4.4 (3–5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../contracts/access'
import { searchAudit } from '../audit/audit-log'
import { seedCensus } from '../db/census-seed'
import { createFeature, deleteFeature } from '../db/census-write'
import { assetType } from '../../../contracts/schemas/census'
import { CensusPageSchema, CollectionsDocSchema } from '../../../contracts/census-api'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { serveRoutes, type RouteApp } from '../../../tests/helpers/route-app'
import { mountOgcRoutes } from './ogc-routes'
import { mountCensusRoutes } from '../routes/census/census-routes'

let t: TestDb
let app: RouteApp
const cookies: Partial<Record<Role, string>> = {}

interface Feature { type: 'Feature'; id: number; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }
interface FC { type: 'FeatureCollection'; features: Feature[]; numberMatched: number; numberReturned: number; links: Array<{ rel: string; href: string }> }

async function req(method: string, path: string, o: { role?: Role | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(o.role ? { cookie: cookies[o.role]! } : {}), ...(o.body !== undefined ? { 'content-type': 'application/geo+json' } : {}), ...(o.headers ?? {}) }
  const res = await fetch(`${app.url}${path}`, { method, headers, ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}) })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    /* HTML or empty */
  }
  return { status: res.status, headers: res.headers, body: body as Record<string, unknown>, text }
}
const items = (c: string, qs = '', role: Role | null = 'gis_editor') => req('GET', `/ogc/collections/${c}/items${qs}`, { role }).then((r) => ({ ...r, fc: r.body as unknown as FC }))
const pole = (lon: number, lat: number, props: Record<string, unknown> = {}) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { status: 'functional', ...props } })

beforeAll(async () => {
  t = await createTestDb()
  await t.db.query(`INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
    ('q1', 'quartiere', '1', 'Centro', 'test', ST_GeomFromText('POLYGON((11.30 44.47, 11.39 44.47, 11.39 44.52, 11.30 44.52, 11.30 44.47))', 4326))`)
  // 25 ZTL gates in a row (seeded as ztl-cameras), for paging.
  const values = Array.from({ length: 25 }, (_, i) => `('gate-${String(i).padStart(2, '0')}', 'ztl-gate', 'Varco ${i}', ST_SetSRID(ST_MakePoint(${11.33 + i * 0.001}, 44.495), 4326), 60, 'open-data', 'bologna-ztl-gates', '{"varco":"${i}","via":"Via ${i}","zona":"${i < 10 ? 'Centro' : 'Università'}"}')`)
  await t.db.query(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props) VALUES ${values.join(',')}`)
  await seedCensus(t.db)
  app = await serveRoutes(t.db, (a) => {
    mountCensusRoutes(a, { db: t.db })
    mountOgcRoutes(a, { db: t.db, accentInsensitive: false })
  })
  for (const role of ['gis_editor', 'planner', 'operator'] as Role[]) cookies[role] = await app.account(`u-${role.replace('_', '-')}`, [role])
}, 120_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('Part 1 core', () => {
  it('serves the landing page, the conformance classes it implements, the collections and an OpenAPI 3.0 document', async () => {
    const landing = await req('GET', '/ogc')
    expect(landing.status).toBe(200)
    expect((landing.body.links as Array<{ rel: string }>).map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']))
    const conf = (await req('GET', '/ogc/conformance')).body.conformsTo as string[]
    expect(conf).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter', 'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete',
    ]))
    expect(conf).not.toContain('http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison')
    const cols = (await req('GET', '/ogc/collections')).body.collections as Array<{ id: string; storageCrs: string; crs: string[]; numberOfFeatures: number }>
    expect(cols.find((c) => c.id === 'ztl-cameras')).toMatchObject({ storageCrs: 'http://www.opengis.net/def/crs/EPSG/0/7791', numberOfFeatures: 25 })
    expect(cols[0]!.crs).toEqual(expect.arrayContaining(['http://www.opengis.net/def/crs/EPSG/0/6707', 'http://www.opengis.net/def/crs/EPSG/0/3003']))
    const api = await req('GET', '/ogc/api')
    expect(api.headers.get('content-type')).toMatch(/openapi/)
    const SwaggerParser = (await import('@apidevtools/swagger-parser')).default
    await expect(SwaggerParser.validate(structuredClone(api.body) as never)).resolves.toBeTruthy()
  })

  it('pages items with numberMatched, numberReturned and next/prev links that walk every feature once', async () => {
    const seen: number[] = []
    let path: string | null = '/ogc/collections/ztl-cameras/items?limit=10'
    let pages = 0
    while (path) {
      const r = await req('GET', path, { role: 'gis_editor' })
      const fc = r.body as unknown as FC
      expect(r.headers.get('content-type')).toMatch(/application\/geo\+json/)
      expect(fc.numberMatched).toBe(25)
      expect(fc.numberReturned).toBe(fc.features.length)
      seen.push(...fc.features.map((f) => f.id))
      const next = fc.links.find((l) => l.rel === 'next')
      if (pages > 0) expect(fc.links.some((l) => l.rel === 'prev')).toBe(true)
      path = next ? new URL(next.href).pathname + new URL(next.href).search : null
      pages++
    }
    expect(pages).toBe(3)
    expect(new Set(seen).size).toBe(25)
    // The shapes Gemello's own web editor reads (contracts/census-api.ts) match what the server sends.
    const page = (await items('ztl-cameras', '?limit=3')).body
    const cols = (await req('GET', '/ogc/collections?f=json', { role: 'gis_editor' })).body
    expect(() => CensusPageSchema.parse(page)).not.toThrow()
    expect(() => CollectionsDocSchema.parse(cols)).not.toThrow()
  })

  it('next links are a keyset cursor: deleting features already read does not make the walk skip any', async () => {
    const poles = assetType('road-signs')!
    const made: number[] = []
    for (let i = 0; i < 30; i++) made.push((await createFeature(t.db, poles, { properties: { status: 'functional', signClass: 'danger' }, geometry: { geometry: { type: 'Point', coordinates: [11.35 + i * 0.0005, 44.5] }, srid: 4326 } }, { actor: 'setup', actorRole: 'gis_editor', requestId: null })).id)
    const seen: number[] = []
    let path: string | null = '/ogc/collections/road-signs/items?limit=10'
    let first = true
    while (path) {
      const fc = (await req('GET', path, { role: 'gis_editor' })).body as unknown as FC
      seen.push(...fc.features.map((f) => f.id))
      if (first) {
        // Someone deletes three features of the page just read.
        for (const id of seen.slice(0, 3)) await deleteFeature(t.db, poles, id, { version: 1, source: 'if-match' }, { actor: 'other', actorRole: 'gis_editor', requestId: null })
        first = false
      }
      const next = fc.links.find((l) => l.rel === 'next')
      path = next ? new URL(next.href).pathname + new URL(next.href).search : null
    }
    expect(seen.sort((a, b) => a - b)).toEqual(made)
  })

  it('answers a browser with HTML and a client with GeoJSON; unknown parameters are a 400 naming them', async () => {
    const html = await req('GET', '/ogc/collections/ztl-cameras/items?limit=2', { headers: { accept: 'text/html,application/xhtml+xml' } })
    expect(html.headers.get('content-type')).toMatch(/text\/html/)
    expect(html.text).toMatch(/<html lang="en"/)
    const bad = await items('ztl-cameras', '?sortby=name')
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', error: { code: 'VALIDATION_FAILED' } })
    expect(String(bad.body.description)).toMatch(/sortby: unknown parameter/)
    expect((await items('no-such-collection')).status).toBe(404)
  })
})

describe('FIWARE view', () => {
  it('serves the seeded ZTL gates as FIWARE Camera entities with the @context link; poles have no FIWARE type', async () => {
    const r = await req('GET', '/api/census/ztl-cameras/fiware?limit=100')
    expect(r.status).toBe(200)
    expect(r.headers.get('link')).toMatch(/smartdatamodels\.org\/context\.jsonld/)
    const entities = r.body as unknown as Array<Record<string, unknown>>
    expect(entities.length).toBe(25)
    expect(entities[0]).toMatchObject({ type: 'Camera', id: expect.stringMatching(/^urn:ngsi-ld:Camera:gemello-census-ztl-cameras-\d+$/), location: { type: 'Point' } })
    expect((await req('GET', '/api/census/poles/fiware')).status).toBe(404)
  })
})

describe('Part 2 CRS and axis order', () => {
  it('answers in EPSG:6707 (northing, easting) and in EPSG:4326 (lat, lon) with Content-Crs', async () => {
    const crs84 = (await items('ztl-cameras', '?limit=1')).fc.features[0]!
    const r = await items('ztl-cameras', `?limit=1&crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/6707')}`)
    expect(r.headers.get('content-crs')).toBe('<http://www.opengis.net/def/crs/EPSG/0/6707>')
    // RFC 7946 geometry: no `crs` member (PostGIS adds one for SRIDs other than 4326 unless told not to).
    expect(Object.keys(r.fc.features[0]!.geometry).sort()).toEqual(['coordinates', 'type'])
    const [n, e] = r.fc.features[0]!.geometry.coordinates
    expect(n!).toBeGreaterThan(4_900_000)
    expect(e!).toBeLessThan(800_000)
    const latlon = (await items('ztl-cameras', `?limit=1&crs=EPSG:4326`)).fc.features[0]!.geometry.coordinates
    expect(latlon).toEqual([crs84.geometry.coordinates[1], crs84.geometry.coordinates[0]])
  })

  it('bbox in CRS84 and the same bbox in EPSG:4326 (lat/lon order) select the same features', async () => {
    const a = await items('ztl-cameras', '?bbox=11.3295,44.49,11.3345,44.50&limit=100')
    const b = await items('ztl-cameras', `?bbox=44.49,11.3295,44.50,11.3345&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4326')}&limit=100`)
    expect(a.fc.numberMatched).toBe(5)
    expect(b.fc.features.map((f) => f.id)).toEqual(a.fc.features.map((f) => f.id))
  })

  it('a POST in EPSG:4326 (lat, lon) stores the same point as the POST in CRS84 (lon, lat), within 1 cm', async () => {
    const a = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: pole(11.342616, 44.493672) })
    const b = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: { ...pole(0, 0), geometry: { type: 'Point', coordinates: [44.493672, 11.342616] } }, headers: { 'content-crs': '<http://www.opengis.net/def/crs/EPSG/0/4326>' } })
    expect([a.status, b.status]).toEqual([201, 201])
    const d = await t.db.query<{ d: number }>(`SELECT ST_Distance(x.geom_point, y.geom_point) AS d FROM census_feature x, census_feature y WHERE x.id = $1 AND y.id = $2`, [a.body.id, b.body.id])
    expect(d.rows[0]!.d).toBeLessThan(0.01)
    // The same coordinates with the axes swapped land outside the comune: refused, with the hint.
    const swapped = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: pole(44.493672, 11.342616) })
    expect(swapped.status).toBe(422)
    expect(String(swapped.body.description)).toMatch(/axes swapped/)
  })
})

describe('Part 3 filtering', () => {
  it('filters with CQL2 text, CQL2 JSON and queryables as parameters, with the same result', async () => {
    const text = await items('ztl-cameras', `?limit=100&filter=${encodeURIComponent("zone = 'Centro' AND S_INTERSECTS(geometry, BBOX(11.3295, 44.49, 11.3345, 44.50))")}`)
    const json = await items('ztl-cameras', `?limit=100&filter-lang=cql2-json&filter=${encodeURIComponent(JSON.stringify({ op: 'and', args: [{ op: '=', args: [{ property: 'zone' }, 'Centro'] }, { op: 's_intersects', args: [{ property: 'geometry' }, { bbox: [11.3295, 44.49, 11.3345, 44.5] }] }] }))}`)
    const params = await items('ztl-cameras', '?limit=100&zone=Centro&bbox=11.3295,44.49,11.3345,44.50')
    expect(text.fc.numberMatched).toBe(5)
    expect(json.fc.features.map((f) => f.id)).toEqual(text.fc.features.map((f) => f.id))
    expect(params.fc.features.map((f) => f.id)).toEqual(text.fc.features.map((f) => f.id))
  })

  it('serves the queryables as JSON Schema; the public cannot see or filter on internal attributes', async () => {
    const q = await req('GET', '/ogc/collections/ztl-cameras/queryables', { role: 'gis_editor' })
    expect(q.headers.get('content-type')).toMatch(/application\/schema\+json/)
    expect(Object.keys(q.body.properties as object)).toEqual(expect.arrayContaining(['geometry', 'zone', 'status', 'ipAddress']))
    const pub = await req('GET', '/ogc/collections/ztl-cameras/queryables')
    expect(Object.keys(pub.body.properties as object)).not.toContain('ipAddress')
    const f = (await items('ztl-cameras', '?limit=1', null)).fc.features[0]!
    expect(Object.keys(f.properties)).not.toContain('notes')
    expect(Object.keys(f.properties)).not.toContain('ipAddress')
    expect((await items('ztl-cameras', `?filter=${encodeURIComponent("ipAddress = '10.0.0.1'")}`, null)).status).toBe(400)
  })

  it('injection: property names, literals and ids are never SQL (§4.4 cases 3–5)', async () => {
    const cases = [
      "name'); DROP TABLE census_feature;-- = 'x'",
      'pg_sleep(5) = 1',
      'pg_read_file(\'/etc/passwd\') = \'x\'',
      `zone IN (${Array.from({ length: 1001 }, (_, i) => `'z${i}'`).join(',')})`,
      `${'('.repeat(1000)}zone = 'x'${')'.repeat(1000)}`,
    ]
    for (const c of cases) expect((await items('ztl-cameras', `?filter=${encodeURIComponent(c)}`)).status, c).toBe(400)
    const literal = await items('ztl-cameras', `?filter=${encodeURIComponent("zone = ''' OR ''1''=''1'")}`)
    expect(literal.status).toBe(200)
    expect(literal.fc.numberMatched).toBe(0)
    expect((await req('GET', `/ogc/collections/ztl-cameras/items/1'%20OR%20'1'='1`, { role: 'gis_editor' })).status).toBe(404)
    expect((await items('ztl-cameras', '?properties=exec(java.lang.Runtime)')).status).toBe(400)
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM census_feature')).rows[0]!.n).toBeGreaterThan(0)
  })
})

describe('Part 4 writes, ETags and QGIS', () => {
  it('A and B edit the same version: A wins, B gets 412 and the feature keeps A\'s change (§3.3 case 1); a weak ETag never matches (case 4)', async () => {
    const created = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: pole(11.343, 44.494, { heightM: 8 }) })
    expect(created.status).toBe(201)
    const id = created.body.id as number
    expect(created.headers.get('location')).toMatch(new RegExp(`/ogc/collections/poles/items/${id}$`))
    const got = await req('GET', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor' })
    const etag = got.headers.get('etag')!
    expect(etag).toBe(`"${id}:v1"`)
    const a = await req('PUT', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: pole(11.343, 44.494, { heightM: 9 }), headers: { 'if-match': etag } })
    expect(a.status).toBe(200)
    expect(a.headers.get('etag')).toBe(`"${id}:v2"`)
    const b = await req('PUT', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: pole(11.343, 44.494, { heightM: 10 }), headers: { 'if-match': etag } })
    expect(b.status).toBe(412)
    const weak = await req('PATCH', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: { properties: { heightM: 11 } }, headers: { 'if-match': `W/"${id}:v2"` } })
    expect(weak.status).toBe(412)
    expect(((await req('GET', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor' })).body.properties as Record<string, unknown>).heightM).toBe(9)
  })

  it('50 concurrent PATCH requests with the same If-Match: exactly one 200, 49 × 412, the version moves by one (§3.3 case 2)', async () => {
    const created = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: pole(11.3452, 44.494) })
    const id = created.body.id as number
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => req('PATCH', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: { properties: { armCount: (i % 8) + 1 } }, headers: { 'if-match': `"${id}:v1"` } })))
    expect(all.filter((r) => r.status === 200).length).toBe(1)
    expect(all.filter((r) => r.status === 412).length).toBe(49)
    expect(((await req('GET', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor' })).body.properties as Record<string, unknown>)._version).toBe(2)
  })

  it('replays a QGIS editing session: OPTIONS, POST, PUT without If-Match (Content-Crs, id at the top), PATCH, DELETE', async () => {
    const opts = await req('OPTIONS', '/ogc/collections/poles/items', { role: 'gis_editor' })
    expect(opts.headers.get('allow')).toMatch(/POST/)
    expect((await req('OPTIONS', '/ogc/collections/poles/items', { role: 'planner' })).headers.get('allow')).not.toMatch(/POST/)
    expect((await req('OPTIONS', '/ogc/collections/poles/items/1', { role: 'gis_editor' })).headers.get('allow')).toMatch(/PUT, PATCH, DELETE/)
    const created = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: { ...pole(0, 0), geometry: { type: 'Point', coordinates: [44.4951, 11.3441] } }, headers: { 'content-crs': '<http://www.opengis.net/def/crs/EPSG/0/4326>' } })
    const id = created.body.id as number
    // QGIS sends back every field it read, _version included: a stale one is caught without If-Match.
    const read = (await req('GET', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor' })).body as unknown as Feature
    expect(read.properties._version).toBe(1)
    const put = await req('PUT', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: { type: 'Feature', id, geometry: { type: 'Point', coordinates: [44.4952, 11.3441] }, properties: { ...read.properties, heightM: 7 } }, headers: { 'content-crs': '<http://www.opengis.net/def/crs/EPSG/0/4326>' } })
    expect(put.status).toBe(200)
    expect(put.headers.get('x-lost-update-risk')).toBeNull()
    const stale = await req('PUT', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: { type: 'Feature', id, geometry: read.geometry, properties: { ...read.properties, heightM: 6 } } })
    expect(stale.status).toBe(412)
    // A PATCH with only the changed field: last writer wins, flagged in the response, the audit and the conflict report.
    const patch = await req('PATCH', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: { properties: { armCount: 2 } }, headers: { 'content-type': 'application/merge-patch+json' } })
    expect(patch.status).toBe(200)
    expect(patch.headers.get('x-lost-update-risk')).toMatch(/last-writer-wins/)
    expect((patch.body.properties as Record<string, unknown>)).toMatchObject({ heightM: 7, armCount: 2, _version: 3 })
    const conflicts = await app.call<{ conflicts: Array<{ id: number; version: number }> }>('GET', '/api/census/conflicts', cookies.gis_editor!)
    expect(conflicts.body.conflicts).toContainEqual(expect.objectContaining({ id, version: 3 }))
    const del = await req('DELETE', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', headers: { 'if-match': `"${id}:v3"` } })
    expect(del.status).toBe(204)
    const gone = await req('GET', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor' })
    expect(gone.status).toBe(404)
    expect(String(gone.body.description)).toMatch(/was deleted on/)
    const history = await app.call<{ versions: Array<{ version: number; deleted: boolean; editor: string }> }>('GET', `/api/census/poles/${id}/history`, cookies.gis_editor!)
    expect(history.body.versions.map((v) => [v.version, v.deleted])).toEqual([[1, false], [2, false], [3, false], [4, true]])
    expect(history.body.versions[0]!.editor).toBe('u-gis-editor')
  })

  it('a strict collection answers 428 without If-Match; a planner may read but not write; the public may not write', async () => {
    const area = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.49], [11.35, 44.5], [11.34, 44.5], [11.34, 44.49]]] }, properties: { status: 'functional' } }
    const created = await req('POST', '/ogc/collections/service-areas/items', { role: 'gis_editor', body: area })
    expect((await req('PUT', `/ogc/collections/service-areas/items/${created.body.id}`, { role: 'gis_editor', body: area })).status).toBe(428)
    expect((await req('POST', '/ogc/collections/poles/items', { role: 'planner', body: pole(11.343, 44.494) })).status).toBe(403)
    const anon = await req('POST', '/ogc/collections/poles/items', { body: pole(11.343, 44.494) })
    expect(anon.status).toBe(401)
    // A page of another site cannot use a GIS editor's browser credentials to change the census.
    const foreign = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: pole(11.343, 44.494), headers: { origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect(foreign.body).toMatchObject({ error: { code: 'ORIGIN_REFUSED' } })
  })

  it('as of a time, the item and the items are the version of that time (§3.3 case 10)', async () => {
    const created = await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: pole(11.344, 44.494, { heightM: 1 }) })
    const id = created.body.id as number
    const marks: string[] = []
    for (let v = 2; v <= 5; v++) {
      await new Promise((r) => setTimeout(r, 20))
      marks.push(new Date().toISOString())
      await new Promise((r) => setTimeout(r, 20))
      expect((await req('PATCH', `/ogc/collections/poles/items/${id}`, { role: 'gis_editor', body: { properties: { heightM: v } }, headers: { 'if-match': `"${id}:v${v - 1}"` } })).status).toBe(200)
    }
    const at3 = await req('GET', `/ogc/collections/poles/items/${id}?datetime=${marks[2]}`, { role: 'gis_editor' })
    expect((at3.body.properties as Record<string, unknown>)).toMatchObject({ heightM: 3, _version: 3 })
    const list = await items('poles', `?datetime=${marks[0]}&filter=${encodeURIComponent(`id = ${id}`)}`)
    expect(list.fc.features[0]!.properties).toMatchObject({ heightM: 1, _version: 1 })
  })

  it('refuses hostile bodies with a clear error, stores nothing, and audits a refused geometry', async () => {
    const deep = `{"type":"Feature","properties":{},"geometry":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
    expect((await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: deep })).status).toBe(400)
    expect((await req('POST', '/ogc/collections/poles/items', { role: 'gis_editor', body: '{"type":"Feature","properties":{"status":"functional"},"geometry":{"type":"Point","coordinates":[1e400,44.49]}}' })).status).toBe(400)
    const bowtie = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.5], [11.35, 44.49], [11.34, 44.5], [11.34, 44.49]]] }, properties: { status: 'functional' } }
    const r = await req('POST', '/ogc/collections/service-areas/items', { role: 'gis_editor', body: bowtie })
    expect(r.status).toBe(422)
    expect(String(r.body.description)).toMatch(/Self-intersection/)
    const refused = await searchAudit(t.db, { action: 'census.create.refused', limit: 10 })
    expect(refused.some((a) => String(a.detail.reason).includes('Self-intersection'))).toBe(true)
    const preview = await app.call<{ repairedType: string; acceptable: boolean }>('POST', '/api/census/service-areas/repair-preview', cookies.gis_editor!, { geometry: bowtie.geometry })
    expect(preview.body).toMatchObject({ repairedType: 'MultiPolygon', acceptable: false })
  })
})
