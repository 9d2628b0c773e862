/**
 * Real clients, not only our own: GDAL's OGC API – Features driver (OAPIF, `ogrinfo` and `ogr2ogr`
 * run with execFile, no shell) against /ogc over real HTTP, on the embedded database or PostgreSQL
 * (test:services). 250 poles on a grid inside the census extent, with varied attributes, generated
 * here (one SQL batch with their version rows, as census-seed.ts writes them). Covered: the layer
 * list, the layer's fields, geometry type and count (numberMatched), paging along the server's
 * `next` links, bbox, CRS (GDAL ≤ 3.6 cannot ask for one: the CRS84 download reprojected by GDAL
 * must match the server's own `crs=EPSG:6707`), an attribute filter (evaluated by GDAL or by the
 * server — the result must be right either way), and reading with a session cookie or a personal
 * access token (Basic with the token, or Bearer) versus the public view.
 *
 * What GDAL requested is read from its own debug output (`CPL_DEBUG ON`: one `HTTP: Fetch(url)`
 * line per request). GDAL is required: without `ogrinfo` this file fails (CI installs gdal-bin).
 *
 * Written against Debian's GDAL 3.6.2 (CI, the Docker image). GDAL ≥ 3.7 speaks Part 2 and opens a
 * layer in the collection's storageCrs (EPSG:7791 here) unless told otherwise: where its driver lists
 * the CRS open option, the reads are pinned to CRS84 (-oo CRS=…CRS84) so that the same expectations
 * hold, and the CRS test asks the server for EPSG:6707 itself. That branch follows GDAL's driver
 * documentation and has not been run here.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assetType, checkProperties, visibleAttributes } from '../../../contracts/schemas/census'
import { seedCensus } from '../db/census-seed'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { serveRoutes, type RouteApp } from '../../../tests/helpers/route-app'
import { mountCensusRoutes } from '../routes/census/census-routes'
import { mountOgcRoutes } from './ogc-routes'

const POLES = assetType('poles')!
const N = 250
const COLS = 25
/** Grid origin and spacing in degrees: 25 × 10 poles over ~2.6 × 4.5 km of central Bologna. */
const LON0 = 11.305
const LAT0 = 44.4725
const DLON = 0.0033
const DLAT = 0.0045
const STATUSES = ['functional', 'functional', 'disused', 'projected', 'underConstruction'] as const
const MATERIALS = ['steel', 'aluminium', 'concrete', 'castIron', 'wood'] as const

interface Feature { type: 'Feature'; id: number; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }
interface FC { type: 'FeatureCollection'; features: Feature[]; numberMatched: number; links: Array<{ rel: string; href: string }> }

let t: TestDb
let app: RouteApp
let dir: string
let gdalVersion = ''
let plannerCookie = ''
/** Whether the driver can ask for a CRS (GDAL ≥ 3.7: open options CRS / PREFERRED_CRS). */
let crsOption = false
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
/** Open options that keep a layer in CRS84 whatever the GDAL version. */
const pinCrs84 = () => (crsOption ? ['-oo', `CRS=${CRS84}`] : [])
const OGC = () => `OAPIF:${app.url}/ogc`

/** The generated poles: position (a jittered grid) and attributes, all a function of the index. */
function pole(i: number): { lon: number; lat: number; props: Record<string, unknown> } {
  const col = i % COLS
  const row = Math.floor(i / COLS)
  const props: Record<string, unknown> = {
    name: i % 50 === 7 ? `Palo ${i} — via dell'Indipendenza, è` : `Palo ${i}`,
    status: STATUSES[(i * 7) % 5],
    externalId: `P-${String(i).padStart(4, '0')}`,
    // Whole metres on the first pages, then halves and quarters: GDAL types the field from the
    // collection's schema (describedby), not from the first page — else 10.5 would come back as 10.
    heightM: i < 60 ? 4 + (i % 10) : 3.5 + ((i * 37) % 60) / 4,
  }
  if (i % 11 !== 0) props.armCount = i % 9
  if (i % 13 !== 0) props.material = MATERIALS[i % 5]
  if (i % 4 === 0) props.installedOn = `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 9}`
  if (i % 3 !== 2) props.owner = i % 3 === 0 ? 'Comune di Bologna' : 'Hera Luce'
  if (i % 2 === 0) props.notes = `Nota interna ${i}: verificare il plinto`
  return { lon: LON0 + col * DLON + ((i * 7919) % 97) / 1e6, lat: LAT0 + row * DLAT + ((i * 104729) % 89) / 1e6, props }
}

interface Run { code: number; stdout: string; stderr: string }

/** Runs a GDAL utility (no shell); never throws on a non-zero exit. */
function gdal(cmd: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' } }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${cmd} is not installed: these tests drive the server with GDAL's OGC API – Features driver. Install gdal-bin (GDAL ≥ 3.6 with the OAPIF driver; CI installs it).`))
        return
      }
      if (err && typeof (err as { code?: unknown }).code !== 'number') {
        reject(err)
        return
      }
      resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

/** Every URL GDAL fetched (CPL_DEBUG ON prints `HTTP: Fetch(url)` once per request). */
const fetched = (r: Run) => [...r.stderr.matchAll(/HTTP: Fetch\(([^)\s]+)\)/g)].map((m) => m[1]!)
const itemsFetches = (r: Run, c = 'poles') => fetched(r).filter((u) => new URL(u).pathname === `/ogc/collections/${c}/items`)

/** ogr2ogr of the poles layer to a GeoJSON file (FIDs kept: they are the features' ids); returns the run and the file. */
async function download(name: string, extra: string[], config: string[] = [], open = pinCrs84()): Promise<{ run: Run; fc: FC }> {
  const out = path.join(dir, `${name}.geojson`)
  rmSync(out, { force: true })
  const run = await gdal('ogr2ogr', ['--config', 'CPL_DEBUG', 'ON', ...config, '-preserve_fid', '-f', 'GeoJSON', out, OGC(), 'poles', ...open, ...extra])
  expect(run.code, run.stderr.slice(-2000)).toBe(0)
  return { run, fc: JSON.parse(readFileSync(out, 'utf8')) as FC }
}

/** The server's own answer (public view unless a cookie is given). */
async function serverItems(qs: string, cookie?: string): Promise<FC> {
  const res = await fetch(`${app.url}/ogc/collections/poles/items?limit=1000&${qs}`, { headers: cookie ? { cookie } : {} })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as FC
}

const ids = (fc: FC) => fc.features.map((f) => Number(f.id)).sort((a, b) => a - b)

/** ogrinfo -so: the fields as name → OGR type. */
function fieldsOf(summary: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of summary.matchAll(/^([A-Za-z_][\w]*): (String|Integer|Integer64|Real|Date|DateTime|Time)\b/gm)) out[m[1]!] = m[2]!
  return out
}

beforeAll(async () => {
  // GDAL first: its absence is the clearest failure of this file.
  const v = await gdal('ogrinfo', ['--version'])
  gdalVersion = v.stdout.trim()
  const drv = await gdal('ogrinfo', ['--format', 'OAPIF'])
  if (drv.code !== 0 || !/OGC API - Features/.test(drv.stdout)) throw new Error(`${gdalVersion} has no OAPIF (OGC API – Features) driver: install a GDAL built with libcurl (gdal-bin)`)
  crsOption = /<Option name="CRS"/.test(drv.stdout)
  dir = mkdtempSync(path.join(tmpdir(), 'gemello-gdal-'))

  t = await createTestDb()
  await t.db.query(`INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
    ('q1', 'quartiere', '1', 'Centro', 'test', ST_GeomFromText('POLYGON((11.30 44.47, 11.39 44.47, 11.39 44.52, 11.30 44.52, 11.30 44.47))', 4326))`)
  await seedCensus(t.db) // sets the census extent (no devices: nothing is seeded)
  const rows = Array.from({ length: N }, (_, i) => pole(i))
  for (const r of rows) expect(checkProperties(POLES, r.props, { partial: false }).ok).toBe(true)
  await t.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO census_feature (collection, version, properties, geom_point, created_at, updated_at, updated_by)
       SELECT 'poles', 1, x.e->'props', ST_Transform(ST_SetSRID(ST_MakePoint((x.e->>'lon')::float8, (x.e->>'lat')::float8), 4326), 7791), clock_timestamp(), clock_timestamp(), 'gdal-test'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY x.n`,
      [JSON.stringify(rows)],
    )
    await tx.query(
      `INSERT INTO census_feature_version (feature_id, version, collection, properties, geom, valid_from, editor, editor_role, note)
       SELECT id, 1, collection, properties, geom_point, updated_at, 'gdal-test', 'system', 'generated for the GDAL tests' FROM census_feature WHERE collection = 'poles'`,
    )
  })
  app = await serveRoutes(t.db, (a) => {
    mountCensusRoutes(a, { db: t.db })
    mountOgcRoutes(a, { db: t.db, accentInsensitive: false })
  })
  plannerCookie = await app.account('u-planner', ['planner'])
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe(`GDAL's OAPIF driver reads the census`, () => {
  it('lists every collection as a layer named by its id', async () => {
    const r = await gdal('ogrinfo', ['-ro', '-q', OGC()])
    expect(r.code, r.stderr).toBe(0)
    const layers = [...r.stdout.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1])
    const cols = ((await (await fetch(`${app.url}/ogc/collections`)).json()) as { collections: Array<{ id: string }> }).collections.map((c) => c.id)
    expect(layers).toEqual(cols)
    expect(layers).toContain('poles')
    expect(r.stdout).toMatch(/^\d+: poles \(title: Poles\) \(Point\)$/m)
  })

  it('reports the count from numberMatched (one request), the fields and the Point geometry in CRS84', async () => {
    const r = await gdal('ogrinfo', ['--config', 'CPL_DEBUG', 'ON', '-ro', '-so', OGC(), 'poles', ...pinCrs84()])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Geometry: Point$/m)
    expect(r.stdout).toMatch(new RegExp(`^Feature Count: ${N}$`, 'm'))
    // The count is the server's numberMatched: GDAL read a single page, it did not walk the collection.
    expect(itemsFetches(r)).toHaveLength(1)
    const fields = fieldsOf(r.stdout)
    expect(Object.keys(fields)).toEqual([...visibleAttributes(POLES, false).map((a) => a.name), '_version'])
    expect(fields).toMatchObject({ name: 'String', status: 'String', heightM: 'Real', armCount: 'Integer', _version: 'Integer' })
    expect(fields).not.toHaveProperty('notes') // not public
    expect(r.stdout).toMatch(crsOption ? /ID\["OGC","CRS84"\]|ID\["EPSG",4326\]/ : /ID\["EPSG",4326\]/)
    if (!crsOption) expect(r.stdout).toMatch(/Data axis to CRS axis mapping: 2,1/) // EPSG:4326 read as longitude, latitude: CRS84
    const extent = /^Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)$/m.exec(r.stdout)!.slice(1).map(Number)
    for (const p of Array.from({ length: N }, (_, i) => pole(i))) {
      expect(p.lon).toBeGreaterThanOrEqual(extent[0]! - 1e-6)
      expect(p.lat).toBeGreaterThanOrEqual(extent[1]! - 1e-6)
      expect(p.lon).toBeLessThanOrEqual(extent[2]! + 1e-6)
      expect(p.lat).toBeLessThanOrEqual(extent[3]! + 1e-6)
    }
  })

  it('reads one feature by id (GDAL appends /<id> to the items link)', async () => {
    const id = (await serverItems('bbox=11.2,44.4,11.5,44.6')).features[0]!.id
    const r = await gdal('ogrinfo', ['-ro', '-q', OGC(), 'poles', '-fid', String(id), ...pinCrs84()])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`OGRFeature\\(poles\\):${id}`))
  })

  it('pages along the server\'s next links: every feature exactly once, with the values the server serves', async () => {
    const { run, fc } = await download('paged', ['-oo', 'PAGE_SIZE=25'])
    expect(fc.features).toHaveLength(N)
    expect(new Set(fc.features.map((f) => f.id)).size).toBe(N)
    const server = await serverItems('')
    expect(ids(fc)).toEqual(ids(server))
    // After its first full page, GDAL requested exactly the server's chain of `next` links.
    const got = itemsFetches(run)
    const chain: string[] = []
    let next: string | undefined = got.find((u) => !new URL(u).searchParams.has('offset') && new URL(u).searchParams.get('limit') === '25')
    while (next) {
      chain.push(next)
      const page = (await (await fetch(next)).json()) as FC
      next = page.links.find((l) => l.rel === 'next')?.href
    }
    expect(chain).toHaveLength(N / 25)
    expect(got.filter((u) => new URL(u).searchParams.has('offset'))).toEqual(chain.slice(1))
    // GDAL 3.6 reads the first page twice (for the layer's fields, then for the data), always with PAGE_SIZE.
    expect(got.filter((u) => !chain.includes(u)).every((u) => !new URL(u).searchParams.has('offset'))).toBe(true)
    // Attribute values and positions survive GDAL's GeoJSON round trip.
    const byId = new Map(server.features.map((f) => [f.id, f]))
    for (const f of fc.features) {
      const s = byId.get(Number(f.id))!
      for (const [k, v] of Object.entries(s.properties)) expect(f.properties[k] ?? null, `${f.id}.${k}`).toEqual(v)
      expect(f.geometry.coordinates[0]).toBeCloseTo(s.geometry.coordinates[0]!, 7)
      expect(f.geometry.coordinates[1]).toBeCloseTo(s.geometry.coordinates[1]!, 7)
    }
  })

  it('sends a spatial filter as bbox and gets exactly the features in the box', async () => {
    // Box edges half-way between grid lines: no pole lies near an edge.
    const box = [LON0 + 5.5 * DLON, LAT0 + 2.5 * DLAT, LON0 + 14.5 * DLON, LAT0 + 6.5 * DLAT]
    const { run, fc } = await download('bbox', ['-spat', ...box.map(String), '-oo', 'PAGE_SIZE=100'])
    const server = await serverItems(`bbox=${box.join(',')}`)
    expect(server.numberMatched).toBe(9 * 4)
    expect(ids(fc)).toEqual(ids(server))
    const sent = itemsFetches(run).map((u) => new URL(u).searchParams.get('bbox')).filter((b): b is string => b !== null)
    expect(sent.length).toBeGreaterThan(0) // filtered by the server, not by downloading everything
    sent.forEach((b) => b.split(',').map(Number).forEach((x, k) => expect(x).toBeCloseTo(box[k]!, 9)))
  })
})

describe('CRS (Part 2) through GDAL', () => {
  it('EPSG:6707: GDAL 3.6 cannot ask for it (no CRS open option) and reprojects the CRS84 download itself — within 1 cm of the server\'s crs=EPSG:6707; GDAL ≥ 3.7 asks the server (-oo CRS)', async () => {
    const { run, fc } = crsOption
      ? await download('utm', ['-oo', 'PAGE_SIZE=100'], [], ['-oo', 'CRS=EPSG:6707'])
      : await download('utm', ['-t_srs', 'EPSG:6707', '-oo', 'PAGE_SIZE=100'])
    const asked = itemsFetches(run).map((u) => new URL(u).searchParams.get('crs'))
    if (crsOption) expect(asked.every((c) => c !== null && /6707/.test(c))).toBe(true)
    else expect(asked.every((c) => c === null)).toBe(true)
    expect(fc.features).toHaveLength(N)
    const server = await serverItems(`crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/6707')}`)
    const byId = new Map(server.features.map((f) => [f.id, f.geometry.coordinates]))
    let worst = 0
    for (const f of fc.features) {
      // ogr2ogr writes easting, northing (GIS order); the API answers in EPSG:6707's own order, northing, easting.
      const [e, n] = f.geometry.coordinates as [number, number]
      const [sn, se] = byId.get(Number(f.id))!
      expect(n).toBeGreaterThan(4_900_000)
      worst = Math.max(worst, Math.hypot(e - se!, n - sn!))
    }
    expect(worst).toBeLessThan(0.01)
  })

  it('a spatial filter given in EPSG:7791 metres (GDAL turns it into a CRS84 bbox) selects what the server\'s bbox-crs=EPSG:7791 selects', async () => {
    const corners = await t.db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      `SELECT ST_X(a) AS x0, ST_Y(a) AS y0, ST_X(b) AS x1, ST_Y(b) AS y1 FROM (SELECT
         ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 7791) AS a, ST_Transform(ST_SetSRID(ST_MakePoint($3, $4), 4326), 7791) AS b) p`,
      [LON0 + 10.5 * DLON, LAT0 + 0.5 * DLAT, LON0 + 20.5 * DLON, LAT0 + 4.5 * DLAT],
    )
    const c = corners.rows[0]!
    const box = [c.x0, c.y0, c.x1, c.y1].map((x) => Math.round(x))
    const { fc } = await download('bbox7791', ['-spat', ...box.map(String), '-spat_srs', 'EPSG:7791', '-oo', 'PAGE_SIZE=100'])
    const server = await serverItems(`bbox=${box.join(',')}&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/7791')}`)
    expect(server.numberMatched).toBeGreaterThan(20)
    expect(ids(fc)).toEqual(ids(server))
  })
})

describe('attribute filters through GDAL', () => {
  const cases = [
    { where: `status = 'disused' AND heightM > 8`, cql2: `status = 'disused' AND heightM > 8` },
    { where: `material = 'steel'`, cql2: `material = 'steel'` },
    { where: `name LIKE 'Palo 1%'`, cql2: `name LIKE 'Palo 1%'` },
  ]
  for (const c of cases) {
    it(`-where "${c.where}" returns what the server's CQL2 filter returns (evaluated by GDAL or by the server)`, async () => {
      const { run, fc } = await download(`where-${cases.indexOf(c)}`, ['-where', c.where, '-oo', 'PAGE_SIZE=100'])
      const server = await serverItems(`filter=${encodeURIComponent(c.cql2)}`)
      expect(server.numberMatched).toBeGreaterThan(0)
      expect(server.numberMatched).toBeLessThan(N)
      expect(ids(fc)).toEqual(ids(server))
      // Which side filtered: GDAL ≤ 3.6 filters on the client (it sends a filter only when the OpenAPI
      // document lists the attribute as a parameter of the items path, or a pre-standard filter-lang).
      const pushed = itemsFetches(run).some((u) => /[?&](filter|status|material|name|heightM)=/.test(u))
      const clientSide = /Full filter will be evaluated on client side/.test(run.stderr)
      expect(pushed || clientSide).toBe(true)
      console.info(`${gdalVersion}: -where "${c.where}" evaluated ${pushed ? (clientSide ? 'partly on the server' : 'on the server') : 'by GDAL on the client'} (${itemsFetches(run).length} item requests)`)
    })
  }
})

describe('who is asking: the public, a session, a personal access token', () => {
  const notesOf = (fc: FC) => new Map(fc.features.map((f) => [Number(f.id), f.properties.notes ?? null]))

  it('the public (no credentials) sees no internal attribute', async () => {
    const r = await gdal('ogrinfo', ['-ro', '-so', OGC(), 'poles'])
    expect(fieldsOf(r.stdout)).not.toHaveProperty('notes')
    const { fc } = await download('public', ['-oo', 'PAGE_SIZE=250'])
    expect(fc.features.some((f) => 'notes' in f.properties)).toBe(false)
  })

  for (const how of ['GDAL_HTTP_HEADERS', 'GDAL_HTTP_COOKIE'] as const) {
    it(`a planner's session cookie (--config ${how}) shows the internal attributes, with the server's values`, async () => {
      const config = how === 'GDAL_HTTP_HEADERS' ? ['--config', how, `Cookie: ${plannerCookie}`] : ['--config', how, plannerCookie]
      const r = await gdal('ogrinfo', [...config, '-ro', '-so', OGC(), 'poles'])
      expect(fieldsOf(r.stdout)).toHaveProperty('notes', 'String')
      const { fc } = await download(`cookie-${how}`, ['-oo', 'PAGE_SIZE=250'], config)
      const server = await serverItems('', plannerCookie)
      expect(notesOf(fc)).toEqual(notesOf(server))
      expect([...notesOf(fc).values()].filter((n) => n !== null)).toHaveLength(N / 2)
    })
  }

  it('a personal access token: Basic user:gmt_… (GDAL_HTTP_USERPWD, -oo USERPWD) and Bearer (GDAL_HTTP_HEADERS); a wrong token or the account password is a 401 GDAL shows', async () => {
    const { secret } = await app.identity.tokens.create('u-planner', { name: 'GDAL test', expiresInDays: 1 }, { actor: 'u-planner', actorRole: 'planner' })
    const ways: Array<{ label: string; args: string[] }> = [
      { label: 'GDAL_HTTP_USERPWD', args: ['--config', 'GDAL_HTTP_USERPWD', `u-planner:${secret}`] },
      { label: '-oo USERPWD', args: ['-oo', `USERPWD=u-planner:${secret}`] },
      { label: 'Bearer', args: ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${secret}`] },
    ]
    for (const w of ways) {
      const r = await gdal('ogrinfo', [...w.args, '-ro', '-so', OGC(), 'poles'])
      expect(r.code, `${w.label}: ${r.stderr}`).toBe(0)
      expect(fieldsOf(r.stdout), w.label).toHaveProperty('notes', 'String')
    }
    const { fc } = await download('token', ['-oo', 'PAGE_SIZE=250'], ways[0]!.args)
    expect(notesOf(fc)).toEqual(notesOf(await serverItems('', plannerCookie)))

    const wrong = await gdal('ogrinfo', ['--config', 'GDAL_HTTP_USERPWD', `u-planner:gmt_${'A'.repeat(43)}`, '-ro', '-so', OGC(), 'poles'])
    expect(wrong.code).not.toBe(0)
    expect(wrong.stderr).toMatch(/HTTP error code : 401/)
    expect(wrong.stderr).toMatch(/UNAUTHENTICATED/) // GDAL prints the server's reason
    // Basic with the account password instead of a token is refused too (a token is the only password here).
    const password = await gdal('ogrinfo', ['--config', 'GDAL_HTTP_USERPWD', 'u-planner:u-planner-long-password', '-ro', '-so', OGC(), 'poles'])
    expect(password.code).not.toBe(0)
    expect(password.stderr).toMatch(/HTTP error code : 401/)
  })
})
