import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../../server/src/db/adapter'
import { createTestDb, type TestDb } from '../../tests/helpers/test-db'
import { TEST_TARGET } from '../../tests/helpers/test-env'
import { runCli, type CliIo } from './cli'
import { writeTinySumoFiles } from './sumo/tiny-sumo-net'
import { bowTie, makeTempDir, removeTempDirs, square, writeFeatureCollection } from './testing/edge-case-files'

/**
 * The CLI opens its own database from the environment, like `npm run import` does: an embedded
 * PGlite directory, or (services) a throwaway PostgreSQL database.
 */
const dir = makeTempDir('gemello-cli-')
let server: TestDb | null = null

beforeAll(async () => {
  if (TEST_TARGET === 'services') server = await createTestDb()
})
afterAll(async () => {
  await server?.drop()
  removeTempDirs()
})

function io(): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = []
  const errLines: string[] = []
  const env: NodeJS.ProcessEnv = { DATA_DIR: path.join(dir, 'data'), CITY_DATA_DIR: path.join(dir, 'city') }
  if (server?.url) env.DATABASE_URL = server.url
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, cwd: dir }
}

/** Runs `fn` on the database the CLI wrote to. */
async function inDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (server) return fn(server.db)
  const db = await openDb({ kind: 'embedded', dataDir: path.join(dir, 'data', 'pglite') })
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

const poly = (lon: number) => ({ type: 'Polygon', coordinates: [square(lon, 45.46, 0.0002)] })

describe('npm run import -- <kind> <file>', () => {
  const file = writeFeatureCollection(path.join(dir, 'Milano Centro.geojson'), [
    { properties: { cat: 1, height_med: 24 }, geometry: poly(9.19) },
    { properties: { cat: 2, height_med: null }, geometry: poly(9.191) },
    { properties: { cat: 3, height_med: 30 }, geometry: { type: 'Polygon', coordinates: [bowTie(9.192, 45.46, 0.0002)] } },
  ])

  it('imports a buildings file as an ad-hoc dataset and prints the per-feature report, refusals first', async () => {
    const t = io()
    expect(await runCli(['buildings', 'Milano Centro.geojson', '--attribution', '© OpenStreetMap contributors'], t)).toBe(0)
    expect(t.errLines).toEqual([])
    expect(t.outLines[1]).toMatch(/^buildings-milano-centro: 2 imported, 1 rejected, \d+ ms \(from .*Milano Centro\.geojson in EPSG:4326 \(no CRS declared: lon\/lat\), sha256 [0-9a-f]{12}…\)$/)
    expect(t.outLines.slice(2, 4)).toEqual([
      '  feature/row 3 [3]: rejected: invalid geometry (PostGIS: Self-intersection)',
      '  feature/row 2 [2]: kept: height_med is null; height estimated 10 m (default)',
    ])
    expect(t.outLines[4]).toBe('Note: no --licence given; the About page shows "licence not stated" for buildings-milano-centro.')
    const rows = await inDb(async (db) => ({
      buildings: (await db.query('SELECT id, height_m, height_estimated FROM building ORDER BY id')).rows,
      record: (await db.query("SELECT licence, attribution, report->>'kind' AS kind FROM dataset_import WHERE dataset_id = 'buildings-milano-centro'")).rows,
    }))
    expect(rows.buildings).toEqual([
      { id: 'buildings-milano-centro-1', height_m: 24, height_estimated: false },
      { id: 'buildings-milano-centro-2', height_m: 10, height_estimated: true },
    ])
    expect(rows.record).toEqual([{ licence: 'licence not stated', attribution: '© OpenStreetMap contributors', kind: 'buildings' }])
    // It opens the embedded database and migrates it first: on a loaded 2-core machine that alone took ~60 s.
  }, 180_000)

  it('re-imports the ad-hoc dataset by its id, from the file it recorded', async () => {
    const t = io()
    expect(await runCli(['buildings-milano-centro'], t)).toBe(0)
    expect(t.outLines[1]).toMatch(/^buildings-milano-centro: 2 imported, 1 rejected/)
    expect(await inDb(async (db) => (await db.query("SELECT count(*)::int AS n FROM building WHERE dataset = 'buildings-milano-centro'")).rows)).toEqual([{ n: 2 }])
  })

  it('says an ad-hoc id that was never imported is unknown', async () => {
    const t = io()
    expect(await runCli(['buildings-nowhere'], t)).toBe(2)
    expect(t.errLines[0]).toMatch(/^Unknown dataset "buildings-nowhere": no buildings-nowhere was imported into/)
  })

  it('fails on a file of the wrong format and writes nothing', async () => {
    const csv = path.join(dir, 'edifici.csv')
    await import('node:fs').then((fs) => fs.writeFileSync(csv, 'codice_ogg;altezza_gr\nA;12\n'))
    const points = writeFeatureCollection(path.join(dir, 'points.geojson'), [{ properties: { cat: 1, height_med: 5 }, geometry: { type: 'Point', coordinates: [9.19, 45.46] } }])
    const a = io()
    expect(await runCli(['buildings', csv, '--licence', 'CC BY 4.0'], a)).toBe(1)
    expect(a.errLines[0]).toMatch(/^buildings-edifici: nothing imported — .*edifici\.csv is not JSON/)
    const b = io()
    expect(await runCli(['buildings', points], b)).toBe(1)
    expect(b.errLines[0]).toMatch(/^buildings-points: nothing imported — .*points\.geojson has no feature Gemello can import as building \(1 in the file; feature 1: rejected: geometry is a Point/)
    expect(await inDb(async (db) => (await db.query("SELECT dataset_id FROM dataset_import WHERE dataset_id IN ('buildings-edifici', 'buildings-points')")).rows)).toEqual([])
  })
})

const HAS_GDAL = spawnSync('gdaltransform', ['--version']).status === 0

describe('npm run import -- buildings <file in EPSG:3003>', () => {
  if (!HAS_GDAL) it.skip('SKIPPED: gdaltransform is not installed (apt-get install gdal-bin) to make the Monte Mario fixture', () => undefined)

  it.skipIf(!HAS_GDAL)('reprojects a Monte Mario footprint to lon/lat and stores it at Piazza Maggiore', async () => {
    // A 0.0002° square at Piazza Maggiore, projected to Monte Mario / Italy zone 1 by GDAL.
    const ring = square(11.3426, 44.4939, 0.0002)
    const r = spawnSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:3003', '-output_xy'], { input: ring.map((p) => p.join(' ')).join('\n'), encoding: 'utf8' })
    const projected = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number))
    projected[projected.length - 1] = projected[0] as number[]
    const file = writeFeatureCollection(path.join(dir, 'edifici-3003.geojson'), [{ properties: { codice_ogg: 'E1', altezza_gr: 18 }, geometry: { type: 'Polygon', coordinates: [projected] } }], {
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3003' } },
    })
    const t = io()
    expect(await runCli(['buildings', file, '--licence', 'CC BY 4.0'], t)).toBe(0)
    expect(t.errLines).toEqual([])
    expect(t.outLines[1]).toMatch(/^buildings-edifici-3003: 1 imported, 0 rejected, \d+ ms \(from .*edifici-3003\.geojson in EPSG:3003 \(its "crs" member\), sha256/)
    const stored = await inDb(async (db) => ({
      centre: (await db.query<{ lon: number; lat: number }>("SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM building WHERE id = 'buildings-edifici-3003-e1'")).rows[0],
      report: (await db.query("SELECT report->>'sourceCrs' AS crs, report->>'sourceCrsFrom' AS from FROM dataset_import WHERE dataset_id = 'buildings-edifici-3003'")).rows,
    }))
    // GDAL and Gemello both use Monte Mario to WGS 84 (4) here: the square comes back to within millimetres; 0.5 m asked.
    const { lon, lat } = stored.centre as { lon: number; lat: number }
    expect(Math.abs(lon - 11.3427) * 79_400).toBeLessThan(0.5)
    expect(Math.abs(lat - 44.494) * 111_100).toBeLessThan(0.5)
    expect(stored.report).toEqual([{ crs: 'EPSG:3003', from: 'file' }])
  })

  it('refuses an unsupported --crs and --crs on a CSV kind before opening the database', async () => {
    const a = io()
    expect(await runCli(['buildings', 'x.geojson', '--crs', 'EPSG:2154'], a)).toBe(2)
    expect(a.errLines[0]).toMatch(/^--crs "EPSG:2154" is not a supported CRS\. Supported: EPSG:4326, /)
    const csv = path.join(dir, 'gates.csv')
    await import('node:fs').then((fs) => fs.writeFileSync(csv, 'varco;nome\n'))
    const b = io()
    expect(await runCli(['ztl-gates', csv, '--crs', 'EPSG:3003'], b)).toBe(2)
    expect(b.errLines[0]).toMatch(/^--crs applies to GeoJSON files; ztl-gates-gates is read from another format/)
  })
})

describe('npm run import -- sumo <net.xml>', () => {
  it('imports any SUMO network with its sibling additional files and prints what its detectors linked to', async () => {
    const files = writeTinySumoFiles(path.join(dir, 'tiny'), { base: 'crossing' })
    const t = io()
    expect(await runCli(['sumo', files.net, '--licence', 'EPL-2.0'], t)).toBe(0)
    expect(t.errLines).toEqual([])
    expect(t.outLines[1]).toMatch(/^sumo-crossing: \d+ imported, 0 rejected/)
    // No loop registry in this database: every detector is reported unmatched, with the reason.
    const summary = t.outLines.find((l) => l.startsWith('  sumo-crossing: '))
    expect(summary).toMatch(/0 of \d+ detectors linked to 0 open-data loops/)
    expect(t.outLines.some((l) => /unmatched .*: no traffic-loop device in the database/.test(l))).toBe(true)
  })

  it('reads the network\'s own additional files, not those of a bundle network lying in the same folder', async () => {
    const folder = path.join(dir, 'mixed')
    // joined_tls.add.xml is the name the manifest's sumo-joined reads; here it belongs to another net.
    writeTinySumoFiles(folder, { base: 'joined', detectors: [{ id: 'elsewhere', lane: 'nope_0', pos: 1 }] })
    const files = writeTinySumoFiles(folder, { base: 'mine' })
    const t = io()
    expect(await runCli(['sumo', files.net], t)).toBe(0)
    expect(t.outLines[1]).toMatch(/^sumo-mine: \d+ imported, 0 rejected/)
    expect(t.outLines.filter((l) => l.includes('joined_tls.add.xml') || l.includes('elsewhere'))).toEqual([])
  })
})
