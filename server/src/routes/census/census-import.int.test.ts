/**
 * Census import and export over real HTTP and the real database (PGlite, or PostgreSQL under
 * test:services), with Debian's GDAL for GeoPackage and Shapefile: all or nothing with a report per
 * feature (reliability-security.md §3.3 case 12), a dry run, replacing by id with the version the file
 * was exported at, every format downloaded and read back, the public export without internal
 * attributes, and a hostile archive refused before anything is read (§4.4 case 8).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportReport } from '../../../../contracts/census-api'
import type { Role } from '../../../../contracts/access'
import { seedCensus } from '../../db/census-seed'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { mountCensusRoutes } from './census-routes'
import { rawZip } from '../../census/files/upload-fixtures'

let t: TestDb
let app: RouteApp
const cookies: Partial<Record<Role, string>> = {}

async function upload(collection: string, bytes: Buffer | string, qs = '', role: Role = 'gis_editor') {
  const res = await fetch(`${app.url}/api/census/${collection}/import${qs}`, { method: 'POST', headers: { cookie: cookies[role]!, 'content-type': 'application/octet-stream' }, body: new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes) : bytes) })
  return { status: res.status, body: (await res.json()) as ImportReport & { error?: { code: string; message: string }; report?: ImportReport } }
}
async function download(collection: string, format: string, role: Role | null = 'gis_editor') {
  const res = await fetch(`${app.url}/api/census/${collection}/export?format=${format}`, { headers: role ? { cookie: cookies[role]! } : {} })
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) }
}
const count = async (collection: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM census_feature WHERE collection = $1', [collection])).rows[0]!.n

/** n poles on a grid in the centre of Bologna; `bad` gets a height of 99 m (the model allows 40). */
function polesGeoJson(n: number, bad?: number): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [11.32 + (i % 40) * 0.001, 44.48 + Math.floor(i / 40) * 0.001] },
      properties: { status: 'functional', heightM: i === bad ? 99 : 6 + (i % 5), material: 'steel', name: `Palo ${i}` },
    })),
  })
}

beforeAll(async () => {
  t = await createTestDb()
  await t.db.query(`INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
    ('q1', 'quartiere', '1', 'Centro', 'test', ST_GeomFromText('POLYGON((11.30 44.47, 11.39 44.47, 11.39 44.52, 11.30 44.52, 11.30 44.47))', 4326))`)
  await seedCensus(t.db)
  app = await serveRoutes(t.db, (a) => mountCensusRoutes(a, { db: t.db }))
  cookies.gis_editor = await app.account('gis-1', ['gis_editor'])
  cookies.planner = await app.account('planner-1', ['planner'])
}, 120_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('import', () => {
  it('1,000 features with #500 invalid: nothing is stored, the report names feature 500 and why', async () => {
    const r = await upload('poles', polesGeoJson(1000, 500))
    expect(r.status).toBe(422)
    expect(r.body.error!.code).toBe('IMPORT_REJECTED')
    expect(r.body.report!.problems).toEqual([expect.objectContaining({ index: 500, path: 'features[500].properties.heightM', message: expect.stringMatching(/at most 40/) })])
    expect(await count('poles')).toBe(0)
  })

  it('a dry run reports and stores nothing; the import stores every feature with its version and audit row', async () => {
    const dry = await upload('poles', polesGeoJson(1000), '?dryRun=true')
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({ features: 1000, created: 1000, replaced: 0, stored: false, problems: [] })
    expect(await count('poles')).toBe(0)
    const real = await upload('poles', polesGeoJson(1000), `?note=${encodeURIComponent('Censimento 2026, lotto 1')}`)
    expect(real.body).toMatchObject({ features: 1000, created: 1000, stored: true })
    expect(await count('poles')).toBe(1000)
    const v = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM census_feature_version WHERE collection = 'poles' AND note = 'Censimento 2026, lotto 1'`)
    const a = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'census.create' AND actor = 'gis-1'`)
    expect([v.rows[0]!.n, a.rows[0]!.n]).toEqual([1000, 1000])
  })

  it('a CSV with lon/lat columns and a bad row: the row is named, nothing stored', async () => {
    const before = await count('road-signs')
    const csv = 'lon;lat;status;signClass;figure\n11.341;44.494;functional;prohibition;II 46\n11.342;abc;functional;danger;II 1\n'
    const r = await upload('road-signs', csv, '?fileName=cartelli.csv')
    expect(r.status).toBe(422)
    expect(r.body.report!.problems[0]!.index).toBe(1)
    expect(await count('road-signs')).toBe(before)
  })

  it('exports a GeoPackage, and re-importing it with a change replaces those features by id (the version must match)', async () => {
    const gpkg = await download('poles', 'gpkg')
    expect(gpkg.status).toBe(200)
    expect(gpkg.bytes.subarray(0, 15).toString()).toBe('SQLite format 3')
    // Change two features' height in the GeoPackage with GDAL, as a GIS person would in QGIS.
    const dir = mkdtempSync(path.join(tmpdir(), 'census-it-'))
    try {
      const file = path.join(dir, 'poles.gpkg')
      writeFileSync(file, gpkg.bytes)
      execFileSync('ogrinfo', [file, '-dialect', 'SQLite', '-sql', `UPDATE poles SET heightM = 12 WHERE id IN (SELECT id FROM poles ORDER BY id LIMIT 2)`])
      execFileSync('ogr2ogr', ['-f', 'GPKG', path.join(dir, 'two.gpkg'), file, '-sql', 'SELECT * FROM poles ORDER BY id LIMIT 2', '-nln', 'poles'])
      const two = await import('node:fs').then((fs) => fs.readFileSync(path.join(dir, 'two.gpkg')))
      const r = await upload('poles', two)
      expect(r.body).toMatchObject({ features: 2, created: 0, replaced: 2, stored: true })
      const heights = await t.db.query<{ h: string }>(`SELECT properties->>'heightM' AS h FROM census_feature WHERE collection = 'poles' ORDER BY id LIMIT 2`)
      expect(heights.rows.map((x) => Number(x.h))).toEqual([12, 12])
      // The same file again: the features are now at version 2, the file says 1 → refused, nothing changed.
      const again = await upload('poles', two)
      expect(again.status).toBe(422)
      expect(again.body.report!.problems[0]!.message).toMatch(/is at version 2, the file has version 1/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a zip that reaches outside its folder before reading anything', async () => {
    const r = await upload('poles', rawZip([{ name: '../../evil.shp', data: Buffer.from('x') }, { name: 'a.shx', data: Buffer.from('x') }, { name: 'a.dbf', data: Buffer.from('x') }]))
    expect(r.status).toBe(422)
    expect(r.body.error!.code).toBe('UPLOAD_REFUSED')
  })

  it('only census:write may import', async () => {
    expect((await upload('poles', polesGeoJson(1), '', 'planner')).status).toBe(403)
  })
})

describe('export', () => {
  it('downloads every format, each readable; the public export has no internal attributes', async () => {
    const gj = await download('poles', 'geojson')
    expect(gj.disposition).toBe('attachment; filename="poles.geojson"')
    const fc = JSON.parse(gj.bytes.toString()) as { features: Array<{ properties: Record<string, unknown> }> }
    expect(fc.features.length).toBe(1000)
    expect(Object.keys(fc.features[0]!.properties)).toContain('notes')
    const pub = JSON.parse((await download('poles', 'geojson', null)).bytes.toString()) as typeof fc
    expect(Object.keys(pub.features[0]!.properties)).not.toContain('notes')
    const csv = (await download('poles', 'csv')).bytes.toString()
    expect(csv.split('\n')[0]).toMatch(/wkt/i)
    const fgb = await download('poles', 'flatgeobuf')
    expect([...fgb.bytes.subarray(0, 3)]).toEqual([0x66, 0x67, 0x62])
    const shp = await download('poles', 'shapefile')
    expect(shp.type).toBe('application/zip')
    const dir = mkdtempSync(path.join(tmpdir(), 'census-it-'))
    try {
      writeFileSync(path.join(dir, 'poles.fgb'), fgb.bytes)
      expect(execFileSync('ogrinfo', ['-ro', '-so', '-al', path.join(dir, 'poles.fgb')]).toString()).toMatch(/Feature Count: 1000/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
