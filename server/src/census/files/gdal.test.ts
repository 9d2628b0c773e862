import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALLOWED_DRIVERS, driverSkipList, GdalFailure, parseFormats, runGdal, type GdalRun } from './gdal'
import { epsgOf, isStandardTrigger, parseLayerInfo, parseSqlRows } from './gdal-reader'
import { fixtureDir, removeFixtureDirs } from './upload-fixtures'

// These tests run the real GDAL tools: without them they fail (CI installs gdal-bin), they never skip.

afterAll(removeFixtureDirs)

const sandbox = (o: Partial<GdalRun> = {}): GdalRun => ({ cwd: fixtureDir(), timeoutMs: 30_000, memoryBytes: 512 * 1024 * 1024, ...o })

async function failure(promise: Promise<unknown>): Promise<GdalFailure> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(GdalFailure)
  return err as GdalFailure
}

describe('the GDAL sandbox', () => {
  it('leaves only the GPKG, ESRI Shapefile and GeoJSON drivers', async () => {
    expect(await driverSkipList()).toContain('KML')
    const formats = parseFormats(await runGdal('ogrinfo', ['--formats'], sandbox()))
    expect(formats.sort()).toEqual([...ALLOWED_DRIVERS].sort())
  })

  describe('network', () => {
    let server: Server
    let hits = 0
    let base = ''
    beforeAll(async () => {
      server = createServer((_req, res) => {
        hits++
        res.end('{"type":"FeatureCollection","features":[]}')
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    it('makes no request, whatever the path names (/vsicurl/, a URL for the GeoJSON driver)', async () => {
      await failure(runGdal('ogrinfo', ['-ro', '-so', `/vsicurl/${base}/layer.gpkg`], sandbox()))
      await failure(runGdal('ogrinfo', ['-ro', '-so', `/vsicurl/${base}/layer.gemello-no-network`], sandbox()))
      await failure(runGdal('ogrinfo', ['-ro', '-so', `${base}/layer.geojson`], sandbox()))
      expect(hits).toBe(0)
    })
  })

  it('kills a run past its timeout', async () => {
    const err = await failure(runGdal('ogrinfo', ['--formats'], sandbox({ timeoutMs: 1 })))
    expect(err.kind).toBe('timeout')
  })

  it('caps the address space (prlimit --as)', async () => {
    const err = await failure(runGdal('ogrinfo', ['--formats'], sandbox({ memoryBytes: 8 * 1024 * 1024 })))
    expect(['crash', 'exit']).toContain(err.kind)
  })

  it('reports GDAL errors without the temporary directory', async () => {
    const run = sandbox()
    const err = await failure(runGdal('ogrinfo', ['-ro', 'missing.gpkg'], run))
    expect(err.kind).toBe('exit')
    expect(err.detail).toContain('missing.gpkg')
    expect(err.detail).not.toContain(run.cwd)
  })
})

describe('reading ogrinfo output (GDAL 3.6 has no -json)', () => {
  const WKT_3003 = `PROJCRS["Monte Mario / Italy zone 1",
    BASEGEOGCRS["Monte Mario",
        DATUM["Monte Mario",
            ELLIPSOID["International 1924",6378388,297,
                LENGTHUNIT["metre",1]]],
        ID["EPSG",4265]],
    CONVERSION["Italy zone 1",
        METHOD["Transverse Mercator",
            ID["EPSG",9807]]],
    USAGE[
        SCOPE["Engineering survey, topographic mapping."],
        BBOX[36.53,5.93,47.04,12]],
    ID["EPSG",3003]]`

  it('takes the EPSG code of the CRS itself, not of a part of it', () => {
    expect(epsgOf(WKT_3003)).toBe('EPSG:3003')
    expect(epsgOf(WKT_3003.replace(/,\n {4}ID\["EPSG",3003\]\]$/, ']'))).toBeNull()
    expect(epsgOf('PROJCS["x",GEOGCS["y",AUTHORITY["EPSG","4326"]],AUTHORITY["EPSG","32632"]]')).toBe('EPSG:32632')
    expect(epsgOf('PROJCRS["a ""quoted"" ID[\\"EPSG\\",1] name",ID["EPSG",7791]]')).toBe('EPSG:7791')
    expect(epsgOf(null)).toBeNull()
  })

  it('reads the feature count, geometry and SRS of `ogrinfo -so`', () => {
    const out = `INFO: Open of \`layer.shp'\n      using driver \`ESRI Shapefile' successful.\n\nLayer name: layer\nGeometry: Point\nFeature Count: 3\nLayer SRS WKT:\n${WKT_3003}\nData axis to CRS axis mapping: 1,2\nname: String (80.0)\n`
    expect(parseLayerInfo(out)).toEqual({ featureCount: 3, geometry: 'Point', srsWkt: WKT_3003 })
    expect(parseLayerInfo('Geometry: None\nFeature Count: 2\nLayer SRS WKT:\n(unknown)\nh: Real (24.15)\n')).toEqual({ featureCount: 2, geometry: 'None', srsWkt: null })
  })

  it('reads the rows of `ogrinfo -sql`', () => {
    const out = 'Layer name: SELECT\nOGRFeature(SELECT):0\n  type (String) = trigger\n  name (String) = 6576696C\n\nOGRFeature(SELECT):1\n  type (String) = view\n  name (String) = (null)\n'
    expect(parseSqlRows(out)).toEqual([{ type: 'trigger', name: '6576696C' }, { type: 'view', name: '' }])
  })

  it.each([
    ['rtree_pali_geom_insert', 'pali', true],
    ['rtree_pali_geom_update7', 'pali', true],
    ['trigger_insert_feature_count_pali', 'pali', true],
    ['gpkg_tile_matrix_zoom_level_insert', 'gpkg_tile_matrix', true],
    ['gpkg_metadata_reference_column_name_update', 'gpkg_metadata_reference', true],
    ['rtree_pali_geom_insert', 'aree', false],
    ['wipe', 'pali', false],
    ['gpkg_tile_matrix_evil', 'gpkg_tile_matrix', false],
  ])('tells whether %s on %s is a standard GeoPackage trigger', (name, table, standard) => {
    expect(isStandardTrigger(name, table)).toBe(standard)
  })
})
