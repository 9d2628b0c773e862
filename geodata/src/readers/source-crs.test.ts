import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeTempDirs, writeFeatureCollection } from '../testing/edge-case-files'
import { DatasetFileError } from './read-result'
import { crsCode, crsOptionProblem } from './source-crs'
import { readStreetNodes } from './street-nodes'

afterAll(removeTempDirs)

const HAS_GDAL = spawnSync('gdaltransform', ['--version']).status === 0
const dir = makeTempDir('gemello-crs-')

type Xy = [number, number]
/** Piazza Maggiore (Nettuno side) and the Stazione Centrale forecourt, lon/lat WGS 84. */
const PLACES: Xy[] = [
  [11.3426, 44.4939],
  [11.3431, 44.5058],
]

/** GDAL's (PROJ's own choice of transformation) lon/lat → `code`; x, y in GeoJSON (traditional GIS) order. */
function gdalFromLonLat(code: string, pts: readonly Xy[]): Xy[] {
  const r = spawnSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', code, '-output_xy'], { input: pts.map((p) => `${p[0]} ${p[1]}`).join('\n'), encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`gdaltransform failed: ${r.stderr}`)
  return r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as Xy)
}

/** Metres between two nearby lon/lat points (equirectangular; exact enough below a kilometre). */
const metres = (a: Xy, b: Xy) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574)

const named = (name: string) => ({ crs: { type: 'name', properties: { name } } })
const nodes = (pts: readonly Xy[]) => pts.map((p, i) => ({ properties: { codice: String(i + 1) }, geometry: { type: 'Point', coordinates: p } }))
const positions = (file: string, crs?: string) => readStreetNodes(file, crs === undefined ? {} : { crs }).records.map((r) => r.position as Xy)

describe('crsCode', () => {
  it('reads the EPSG and CRS84 spellings of the GeoJSON crs member', () => {
    expect(['EPSG:3003', 'epsg:3003', 'urn:ogc:def:crs:EPSG::3003', 'urn:ogc:def:crs:EPSG:6.6:3003', 'urn:x-ogc:def:crs:EPSG:3003', 'http://www.opengis.net/def/crs/EPSG/0/3003'].map(crsCode)).toEqual(Array(6).fill('EPSG:3003'))
    expect(['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84', 'OGC:CRS84', 'CRS84'].map(crsCode)).toEqual(Array(4).fill('OGC:CRS84'))
    expect(['Monte Mario', 'EPSG:', 'ESRI:102092'].map(crsCode)).toEqual([null, null, null])
  })

  it('accepts a supported --crs and names the supported list otherwise', () => {
    expect(crsOptionProblem('EPSG:7791')).toBeNull()
    expect(crsOptionProblem('EPSG:2154')).toMatch(/^--crs "EPSG:2154" is not a supported CRS\. Supported: EPSG:4326, OGC:CRS84, .*EPSG:3003, EPSG:3004, EPSG:23032\.$/)
  })
})

describe('reading a GeoJSON file in an Italian CRS', () => {
  // The fixtures are GDAL's projection of the places; the reader must bring them back. Where GDAL and
  // Gemello use the same transformation (all the codes below for Bologna: PROJ picks Monte Mario to
  // WGS 84 (4), ED50 to WGS 84 (1) and the ETRS89/RDN2008 null transformation, as our proj4 strings
  // do) they agree to millimetres; 0.5 m is the tolerance asked of the importer. ED50 is the
  // exception: for Bologna PROJ 9 / GDAL 3.6 pick "ED50 to WGS 84 (2)" (Austria, Denmark, France,
  // Germany west, Netherlands, Switzerland — chosen because Bologna falls in that area's bounding box
  // and it is rated 6 m against 10 m), while Gemello uses "(1)", the one whose area lists Italy. The
  // two differ by 2.0 m at Piazza Maggiore, within both transformations' stated accuracy.
  const TOLERANCE_M: Record<string, number> = { 'EPSG:23032': 2.5 }
  const CODES = ['EPSG:32632', 'EPSG:32633', 'EPSG:3003', 'EPSG:3004', 'EPSG:23032', 'EPSG:25832', 'EPSG:25833', 'EPSG:6707', 'EPSG:6708', 'EPSG:7791', 'EPSG:7792', 'EPSG:3857', 'EPSG:4258', 'EPSG:6706']

  if (!HAS_GDAL) it.skip('CRS conversion vs GDAL: SKIPPED, gdaltransform is not installed (apt-get install gdal-bin)', () => undefined)

  it.skipIf(!HAS_GDAL).each(CODES)('converts %s (declared in the crs member) to within 0.5 m of GDAL (ED50: 2.5 m)', (code) => {
    const file = writeFeatureCollection(path.join(dir, `${code.replace(':', '-')}.geojson`), nodes(gdalFromLonLat(code, PLACES)), named(`urn:ogc:def:crs:EPSG::${code.slice(5)}`))
    const r = readStreetNodes(file)
    expect([r.rejected, r.sourceCrs]).toEqual([0, { code, from: 'file' }])
    r.records.forEach((rec, i) => expect(metres(rec.position as Xy, PLACES[i] as Xy)).toBeLessThan(TOLERANCE_M[code] ?? 0.5))
  })

  it.skipIf(!HAS_GDAL)('takes --crs for a file without a crs member', () => {
    const file = writeFeatureCollection(path.join(dir, 'no-member-3003.geojson'), nodes(gdalFromLonLat('EPSG:3003', PLACES)))
    const r = readStreetNodes(file, { crs: 'EPSG:3003' })
    expect([r.rejected, r.sourceCrs]).toEqual([0, { code: 'EPSG:3003', from: 'option' }])
    r.records.forEach((rec, i) => expect(metres(rec.position as Xy, PLACES[i] as Xy)).toBeLessThan(0.5))
  })

  it('lets --crs override the crs member', () => {
    // UTM 32N metres labelled as Monte Mario: read as declared they land ~1,000 km west, outside the city.
    const utm: Xy[] = [[686251.84, 4929400.82]]
    const file = writeFeatureCollection(path.join(dir, 'mislabelled.geojson'), nodes(utm), named('EPSG:3003'))
    expect(readStreetNodes(file).records).toEqual([])
    const [p] = positions(file, 'EPSG:32632')
    expect(metres(p as Xy, PLACES[0] as Xy)).toBeLessThan(0.01)
  })

  it('refuses a file declaring an unsupported code, naming it and the supported ones', () => {
    const file = writeFeatureCollection(path.join(dir, '2154.geojson'), nodes([[650000, 6860000]]), named('urn:ogc:def:crs:EPSG::2154'))
    expect(() => readStreetNodes(file)).toThrow(DatasetFileError)
    expect(() => readStreetNodes(file)).toThrow(/declares CRS "urn:ogc:def:crs:EPSG::2154" \(EPSG:2154\), which Gemello does not convert\. Supported: EPSG:4326, .*EPSG:3003/)
    expect(() => readStreetNodes(file, { crs: 'EPSG:9999' })).toThrow(/--crs names CRS "EPSG:9999".*Supported:/)
  })

  it('refuses a crs member that is not a named CRS', () => {
    const file = writeFeatureCollection(path.join(dir, 'linked.geojson'), nodes(PLACES), { crs: { type: 'link', properties: { href: 'x.prj' } } })
    expect(() => readStreetNodes(file)).toThrow(/"crs" member that is not of the form .*--crs EPSG:<code>/)
  })

  it('reads a CRS84 urn, and no crs member, as lon/lat unchanged', () => {
    const crs84 = writeFeatureCollection(path.join(dir, 'crs84.geojson'), nodes(PLACES), named('urn:ogc:def:crs:OGC:1.3:CRS84'))
    const plain = writeFeatureCollection(path.join(dir, 'plain.geojson'), nodes(PLACES))
    expect(positions(crs84)).toEqual(PLACES)
    expect(readStreetNodes(crs84).sourceCrs).toEqual({ code: 'OGC:CRS84', from: 'file' })
    expect(positions(plain)).toEqual(PLACES)
    expect(readStreetNodes(plain).sourceCrs).toEqual({ code: 'EPSG:4326', from: 'default' })
  })

  it('checks the envelope after conversion, and says which CRS was assumed for metres read as lon/lat', () => {
    const milanUtm: Xy[] = [[514_800, 5_035_400]]
    const file = writeFeatureCollection(path.join(dir, 'milan-32632.geojson'), nodes(milanUtm), named('EPSG:32632'))
    expect(readStreetNodes(file).problems.map((p) => p.problem)).toEqual([expect.stringMatching(/^rejected: vertex 9\.18\d+, 45\.4\d+ is outside the city envelope/)])
    const wrong = writeFeatureCollection(path.join(dir, 'metres-as-4326.geojson'), nodes(milanUtm), named('EPSG:4326'))
    expect(readStreetNodes(wrong).problems.map((p) => p.problem)).toEqual([
      'rejected: vertex 514800, 5035400 is not lon/lat (projected metres?); the file is read as EPSG:4326 (its "crs" member); give the right one with --crs EPSG:<code>',
    ])
  })
})
