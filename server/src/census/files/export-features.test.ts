import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { deserialize as fromFlatGeobuf } from 'flatgeobuf/lib/mjs/geojson.js'
import yauzl from 'yauzl'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../http/api-error'
import { exportFeatures as exportIn, type ExportFormat, type ExportOptions } from './export-features'
import { readUpload as readIn } from './read-upload'
import { EXPORT_TEMP_PREFIX, UPLOAD_TEMP_PREFIX } from './temp-dir'
import { AREAS, countTempDirs, fixtureDir, ogrinfo, POLES, removeFixtureDirs } from './upload-fixtures'
import type { ExportFeatureCollection, Position } from './uploaded-features'

// GeoPackage and Shapefile run the real ogr2ogr: without GDAL these tests fail, they never skip.

// Temporary directories are made here, so that test files running in parallel do not see each other's.
let tempRoot = ''
beforeAll(() => {
  tempRoot = fixtureDir()
})
afterEach(() => {
  expect(countTempDirs(EXPORT_TEMP_PREFIX, tempRoot)).toBe(0)
  expect(countTempDirs(UPLOAD_TEMP_PREFIX, tempRoot)).toBe(0)
})
afterAll(removeFixtureDirs)

const exportFeatures = (fc: ExportFeatureCollection, format: ExportFormat, opts: ExportOptions) => exportIn(fc, format, { tempRoot, ...opts })
const readUpload = (input: { fileName: string; bytes: Buffer }) => readIn(input, { tempRoot })

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

const positions = (fc: { features: Array<{ geometry: unknown }> }): Position[] => {
  const flat = (c: unknown): Position[] => (typeof (c as unknown[])[0] === 'number' ? [c as Position] : (c as unknown[]).flatMap(flat))
  return fc.features.flatMap((f) => flat((f.geometry as { coordinates: unknown }).coordinates))
}

function expectClose(actual: Position[], expected: Position[]): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((p, i) => {
    expect(Math.abs((p[0] as number) - (expected[i]?.[0] as number))).toBeLessThan(1e-6)
    expect(Math.abs((p[1] as number) - (expected[i]?.[1] as number))).toBeLessThan(1e-6)
  })
}

/** Writes `bytes` to a fixture file and returns `ogrinfo -so -al` of it. */
function ogrinfoOf(bytes: Buffer, name: string): string {
  const dir = fixtureDir()
  writeFileSync(path.join(dir, name), bytes)
  return ogrinfo(['-ro', '-so', '-al', name], dir)
}

async function zipNames(bytes: Buffer): Promise<string[]> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true })
  const names: string[] = []
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      names.push(e.fileName)
      zip.readEntry()
    })
    zip.on('end', () => resolve())
    zip.on('error', reject)
    zip.readEntry()
  })
  return names.sort()
}

describe('exportFeatures: GeoJSON', () => {
  it('writes the collection as is', async () => {
    const out = await exportFeatures(POLES, 'geojson', { layerName: 'poles' })
    expect(out.contentType).toBe('application/geo+json')
    expect(out.fileExtension).toBe('geojson')
    expect(JSON.parse(out.bytes.toString('utf8'))).toEqual(POLES)
  })

  it('refuses another CRS: GeoJSON is lon/lat (RFC 7946)', async () => {
    const err = await refusal(exportFeatures(POLES, 'geojson', { layerName: 'poles', targetCrs: 7791 }))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toBe('GeoJSON is exported in lon/lat EPSG:4326 only; choose GeoPackage or Shapefile for EPSG:7791.')
  })
})

describe('exportFeatures: CSV', () => {
  it('writes a WKT column, the id and every property, RFC 4180 quoted', async () => {
    const out = await exportFeatures(POLES, 'csv', { layerName: 'poles' })
    expect(out.contentType).toBe('text/csv; charset=utf-8')
    expect(out.bytes.toString('utf8')).toBe(
      [
        'wkt,id,name,heightM,armCount',
        'POINT (11.342616 44.493671),1,Palo Piazza Maggiore,8.5,2',
        'POINT (11.345323 44.494192),2,"Palo via Rizzoli, 1",10,1',
        'POINT (11.357044 44.502515),3,Palo Porta San Donato «nuovo»,,0',
        '',
      ].join('\r\n'),
    )
  })

  it('reads back through readUpload with the same geometries', async () => {
    const fc: ExportFeatureCollection = { type: 'FeatureCollection', features: [...POLES.features, ...AREAS.features] }
    const out = await exportFeatures(fc, 'csv', { layerName: 'mixed' })
    const back = await readUpload({ fileName: 'mixed.csv', bytes: out.bytes })
    expect(back.problems).toEqual([])
    expect(back.features.map((f) => f.geometry)).toEqual(fc.features.map((f) => f.geometry))
    expect(back.features[1]?.properties).toEqual({ id: '2', name: 'Palo via Rizzoli, 1', heightM: '10', armCount: '1' })
  })

  it('defuses text a spreadsheet would run as a formula, leaving numbers alone', async () => {
    const fc: ExportFeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: null, properties: { a: '=HYPERLINK("http://x")', b: '-12.5', c: '@SUM(A1)', d: { k: [1, 2] }, e: true } }],
    }
    const out = await exportFeatures(fc, 'csv', { layerName: 'x' })
    expect(out.bytes.toString('utf8').split('\r\n')[1]).toBe(`,"'=HYPERLINK(""http://x"")",-12.5,'@SUM(A1),"{""k"":[1,2]}",true`)
  })
})

describe('exportFeatures: FlatGeobuf (no GDAL needed)', () => {
  it('round-trips through the flatgeobuf reader', async () => {
    const out = await exportFeatures(POLES, 'flatgeobuf', { layerName: 'poles' })
    expect(out.contentType).toBe('application/flatgeobuf')
    expect(out.fileExtension).toBe('fgb')
    const back = []
    for await (const f of fromFlatGeobuf(new Uint8Array(out.bytes))) back.push(f)
    expect(back.map((f) => f.geometry)).toEqual(POLES.features.map((f) => f.geometry))
    expect(back.map((f) => f.properties)).toEqual([
      { name: 'Palo Piazza Maggiore', heightM: 8.5, armCount: 2 },
      { name: 'Palo via Rizzoli, 1', heightM: 10, armCount: 1 },
      { name: 'Palo Porta San Donato «nuovo»', armCount: 0 },
    ])
  })

  it('types each column from every feature, not the first one only', async () => {
    const fc: ExportFeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [11.3, 44.5] }, properties: { code: null, n: 1 } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [11.4, 44.5] }, properties: { code: 7, n: 'seven', extra: true } },
      ],
    }
    const back = []
    for await (const f of fromFlatGeobuf(new Uint8Array((await exportFeatures(fc, 'flatgeobuf', { layerName: 'x' })).bytes))) back.push(f.properties)
    expect(back).toEqual([{ n: '1' }, { code: 7, n: 'seven', extra: true }])
  })

  it('is read by GDAL in EPSG:4326, polygons with holes included', async () => {
    const info = ogrinfoOf((await exportFeatures(AREAS, 'flatgeobuf', { layerName: 'areas' })).bytes, 'areas.fgb')
    expect(info).toContain('Geometry: Polygon')
    expect(info).toContain('Feature Count: 1')
    expect(info).toMatch(/ID\["EPSG",4326\]\]\s*Data axis/)
  })

  it('refuses a feature without geometry, naming it', async () => {
    const fc: ExportFeatureCollection = { type: 'FeatureCollection', features: [...POLES.features, { type: 'Feature', geometry: null, properties: {} }] }
    expect((await refusal(exportFeatures(fc, 'flatgeobuf', { layerName: 'x' }))).message).toBe('Feature 4 has no geometry, which FlatGeobuf cannot hold; export as GeoPackage or GeoJSON instead.')
  })
})

describe('exportFeatures: GeoPackage', () => {
  it('writes the layer in the CRS asked for, and reads back within 1e-6°', async () => {
    const out = await exportFeatures(POLES, 'gpkg', { layerName: 'street-lights', targetCrs: 7791 })
    expect(out.contentType).toBe('application/geopackage+sqlite3')
    expect(out.fileExtension).toBe('gpkg')
    const info = ogrinfoOf(out.bytes, 'out.gpkg')
    expect(info).toContain('Layer name: street-lights')
    expect(info).toMatch(/ID\["EPSG",7791\]\]\s*Data axis/)
    const back = await readUpload({ fileName: 'out.gpkg', bytes: out.bytes })
    expect(back).toMatchObject({ format: 'gpkg', layerName: 'street-lights', sourceCrs: 'EPSG:7791', problems: [] })
    expectClose(positions(back), positions(POLES))
    expect(back.features[2]?.properties).toMatchObject({ name: 'Palo Porta San Donato «nuovo»', heightM: null, armCount: 0 })
  })

  it('writes lon/lat EPSG:4326 without targetCrs', async () => {
    const info = ogrinfoOf((await exportFeatures(AREAS, 'gpkg', { layerName: 'areas' })).bytes, 'out.gpkg')
    expect(info).toMatch(/ID\["EPSG",4326\]\]\s*Data axis/)
  })

  it('refuses an EPSG code GDAL does not know', async () => {
    const err = await refusal(exportFeatures(POLES, 'gpkg', { layerName: 'x', targetCrs: 999_999 }))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toMatch(/^EPSG:999999 is not a coordinate reference system GDAL can write/)
  })

  it('answers GDAL_UNAVAILABLE (503) without ogr2ogr', async () => {
    const err = await refusal(exportFeatures(POLES, 'gpkg', { layerName: 'x', gdalBinDir: '/nonexistent/gdal/bin' }))
    expect(err.code).toBe('GDAL_UNAVAILABLE')
    expect(err.message).toContain('apt-get install gdal-bin')
  })
})

describe('exportFeatures: zipped Shapefile', () => {
  it('zips .shp .shx .dbf .prj .cpg named after the layer, reading back within 1e-6°', async () => {
    const out = await exportFeatures(POLES, 'shapefile', { layerName: 'street-lights', targetCrs: 7791 })
    expect(out.contentType).toBe('application/zip')
    expect(out.fileExtension).toBe('zip')
    expect(await zipNames(out.bytes)).toEqual(['street-lights.cpg', 'street-lights.dbf', 'street-lights.prj', 'street-lights.shp', 'street-lights.shx'])
    const back = await readUpload({ fileName: 'street-lights.zip', bytes: out.bytes })
    expect(back).toMatchObject({ format: 'shapefile', layerName: 'street-lights', problems: [] })
    expect(back.sourceCrs).toMatch(/^EPSG:(6707|7791)$/)
    expectClose(positions(back), positions(POLES))
    expect(back.features[2]?.properties).toMatchObject({ name: 'Palo Porta San Donato «nuovo»' })
  })

  it('writes points mixed with multipoints as multipoints', async () => {
    const fc: ExportFeatureCollection = {
      type: 'FeatureCollection',
      features: [...POLES.features, { type: 'Feature', geometry: { type: 'MultiPoint', coordinates: [[11.3, 44.5], [11.31, 44.5]] }, properties: { name: 'pair' } }],
    }
    const back = await readUpload({ fileName: 'x.zip', bytes: (await exportFeatures(fc, 'shapefile', { layerName: 'x' })).bytes })
    expect(back.features.map((f) => f.geometry?.type)).toEqual(['MultiPoint', 'MultiPoint', 'MultiPoint', 'MultiPoint'])
  })

  it('refuses mixing points and polygons, which a Shapefile cannot hold', async () => {
    const fc: ExportFeatureCollection = { type: 'FeatureCollection', features: [...POLES.features, ...AREAS.features] }
    const err = await refusal(exportFeatures(fc, 'shapefile', { layerName: 'x' }))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toBe('A Shapefile holds one kind of geometry, and these features are points and polygons; export them as GeoPackage, or one kind at a time.')
  })

  it('refuses a layer name that is not a plain file name', async () => {
    const err = await refusal(exportFeatures(POLES, 'shapefile', { layerName: '../../etc/x' }))
    expect(err.code).toBe('VALIDATION_FAILED')
  })
})
