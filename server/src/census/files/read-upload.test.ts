import { describe, expect, it } from 'vitest'
import { ApiError } from '../../http/api-error'
import { fileStem, readUpload } from './read-upload'
import { UPLOAD_TEMP_PREFIX } from './temp-dir'
import { countTempDirs, POLES } from './upload-fixtures'

const upload = (text: string | Buffer, fileName = 'census.geojson', limits = {}) => readUpload({ fileName, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8') }, limits)

/** The ApiError `promise` rejects with (the test fails when it resolves or throws something else). */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry })
const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })

describe('readUpload: format sniffing', () => {
  it('reads GeoJSON whatever the file is called', async () => {
    const r = await upload(JSON.stringify(POLES), 'pali.shp')
    expect(r).toMatchObject({ format: 'geojson', layerName: 'pali', sourceCrs: 'EPSG:4326', problems: [] })
    expect(r.features).toHaveLength(3)
  })

  it('refuses KML naming the accepted formats', async () => {
    const err = await refusal(upload('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>', 'a.kml'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toMatch(/^The file is KML, which is not accepted.*GeoJSON.*CSV.*GeoPackage.*Shapefile/)
  })

  it('refuses XML with an external entity (XXE) without reading it', async () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<kml><Placemark><name>&xxe;</name></Placemark></kml>'
    const err = await refusal(upload(xxe, 'evil.kml'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toContain('DOCTYPE or ENTITY')
    expect(err.message).not.toContain('root:')
  })

  it('refuses GML and a GDAL VRT (a file naming other files)', async () => {
    const gml = '<wfs:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2"></wfs:FeatureCollection>'
    expect((await refusal(upload(gml, 'a.gml'))).message).toMatch(/^The file is GML/)
    const vrt = '<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>'
    expect((await refusal(upload(vrt, 'a.vrt'))).message).toMatch(/^The file is a GDAL VRT/)
  })

  it('refuses a bare .shp, a gzip and an empty file with what to do instead', async () => {
    const shp = Buffer.from([0x00, 0x00, 0x27, 0x0a, 0, 0, 0, 0])
    expect((await refusal(upload(shp, 'roads.shp'))).message).toContain('zip the .shp, .shx, .dbf and .prj together')
    expect((await refusal(upload(Buffer.from([0x1f, 0x8b, 8, 0]), 'a.geojson.gz'))).message).toContain('gzip archive')
    expect((await refusal(upload(Buffer.alloc(0)))).message).toBe('The file is empty.')
  })

  it('refuses text that is not UTF-8', async () => {
    const latin1 = Buffer.from('lon;lat;nome\n11.3;44.5;Citt\xe0\n', 'latin1')
    expect((await refusal(upload(latin1, 'a.csv'))).message).toContain('not UTF-8')
  })

  it('refuses a file over the upload limit before looking at it (413)', async () => {
    const err = await refusal(upload(Buffer.alloc(50 * 1024 * 1024 + 1, 0x20)))
    expect(err.code).toBe('PAYLOAD_TOO_LARGE')
    expect(err.status).toBe(413)
    expect(err.message).toBe('The file is 50.0 MiB; at most 50 MiB are accepted. Split it, or zip a Shapefile.')
  })

  it('makes no temporary directory for GeoJSON and CSV', async () => {
    const before = countTempDirs(UPLOAD_TEMP_PREFIX)
    await upload(JSON.stringify(POLES))
    await upload('lon,lat\n11.3,44.5\n', 'a.csv')
    expect(countTempDirs(UPLOAD_TEMP_PREFIX)).toBe(before)
  })
})

describe('readUpload: GeoJSON', () => {
  it('keeps ids, properties and lon/lat positions', async () => {
    const r = await upload(JSON.stringify({ ...POLES, name: 'pali' }))
    expect(r.layerName).toBe('pali')
    expect(r.features[0]).toEqual({ index: 0, id: 1, geometry: { type: 'Point', coordinates: [11.342616, 44.493671] }, properties: { name: 'Palo Piazza Maggiore', heightM: 8.5, armCount: 2 } })
  })

  it('reads a single Feature and a null geometry', async () => {
    const r = await upload(JSON.stringify(feature(null, { a: 1 })))
    expect(r.features).toEqual([{ index: 0, geometry: null, properties: { a: 1 } }])
    expect(r.problems).toEqual([])
  })

  it('accepts a crs member naming CRS84 or EPSG:4326 and refuses any other', async () => {
    const crs = (name: string) => JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name } }, features: [] })
    await expect(upload(crs('urn:ogc:def:crs:OGC:1.3:CRS84'))).resolves.toMatchObject({ sourceCrs: 'EPSG:4326' })
    await expect(upload(crs('EPSG:4326'))).resolves.toMatchObject({ features: [] })
    const err = await refusal(upload(crs('urn:ogc:def:crs:EPSG::3003')))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toContain('the CRS "urn:ogc:def:crs:EPSG::3003"')
    expect(err.message).toContain('ogr2ogr -t_srs EPSG:4326')
  })

  it('reports each bad feature as a problem naming it, and keeps the good ones', async () => {
    const r = await upload(
      fc(
        feature({ type: 'Point', coordinates: [11.34, 44.49] }),
        feature({ type: 'Polygon', coordinates: [[[11.33, 44.49], [11.35, 44.49], [11.35, 44.5], [11.33, 44.5]]] }),
        feature({ type: 'Point', coordinates: [1686282.64, 4929418.14] }),
        feature({ type: 'Point', coordinates: [44.49, 181] }),
        feature({ type: 'Circle', coordinates: [11.34, 44.49] }),
        { type: 'Feature', id: 'p-7', properties: 'x', geometry: null },
        feature({ type: 'LineString', coordinates: [[11.34, 44.49]] }),
        42,
      ),
    )
    expect(r.features).toHaveLength(8)
    expect(r.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [11.34, 44.49] })
    expect(r.problems).toEqual([
      { index: 1, message: 'Feature 2: the outer ring of a polygon is not closed: its last position must repeat the first.' },
      { index: 2, message: 'Feature 3: the position [1686282.64, 4929418.14] is not lon/lat in degrees: the coordinates look projected (metres); positions must be longitude, latitude in WGS 84 (EPSG:4326).' },
      { index: 3, message: 'Feature 4: the position [44.49, 181] is not lon/lat in degrees: longitude and latitude may be swapped; positions must be longitude, latitude in WGS 84 (EPSG:4326).' },
      { index: 4, message: 'Feature 5: the geometry type "Circle" is not a GeoJSON type (Point, LineString, Polygon, their Multi forms, GeometryCollection).' },
      { index: 5, message: 'Feature 6 (id "p-7"): "properties" is not an object.' },
      { index: 6, message: 'Feature 7: a line has 1 position; it needs at least 2.' },
      { index: 7, message: 'Feature 8 is not a GeoJSON Feature (an object with "type": "Feature").' },
    ])
    expect(r.features.slice(1).every((f) => f.geometry === null)).toBe(true)
  })

  it('refuses JSON that is not GeoJSON', async () => {
    expect((await refusal(upload('{"type":"Topology","objects":{}}'))).message).toBe('The JSON is TopoJSON, not a GeoJSON FeatureCollection or Feature.')
    expect((await refusal(upload('{"type":"Point","coordinates":[1,2]}'))).message).toContain('a bare Point geometry (wrap it in a Feature)')
    expect((await refusal(upload('[1,2]'))).code).toBe('UPLOAD_REFUSED')
  })

  it('answers malformed JSON with 400 and the parser position', async () => {
    const err = await refusal(upload('{"type": "FeatureCollection", "features": [}'))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toMatch(/^The file is not valid JSON: Unexpected token/)
  })

  it('refuses 10,000-deep nesting by scanning, before parsing (400)', async () => {
    const deep = `{"type":"FeatureCollection","features":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
    const err = await refusal(upload(deep))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.status).toBe(400)
    expect(err.message).toBe('The JSON nests arrays and objects more than 64 deep (at character 103); GeoJSON needs fewer than 10 levels.')
  })

  it('ignores brackets inside strings when measuring depth', async () => {
    const r = await upload(fc(feature(null, { note: `${'['.repeat(100)}"\\"${'{'.repeat(100)}` })))
    expect(r.features[0]?.properties.note).toHaveLength(203)
  })

  it('refuses 1e400 (JSON.parse would make it Infinity) naming where it is (400)', async () => {
    const err = await refusal(upload('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e400,44.5]}}]}'))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toBe('The JSON holds a number too large to represent (like 1e400); every number must be finite, at features[0].geometry.coordinates[0].')
    expect(err.details).toEqual([{ path: 'features[0].geometry.coordinates[0]', message: 'a number too large to represent (like 1e400); every number must be finite' }])
    expect((await refusal(upload(fc(feature(null, { 'power W': 0 })).replace('0}', '-1e999}')))).details?.[0]?.path).toBe('features[0].properties["power W"]')
  })

  it('refuses a polygon of 10⁶ vertices with 413, naming the feature', async () => {
    const ring = Array.from({ length: 1_000_000 }, (_, i) => [11 + (i % 1000) / 1e4, 44 + Math.floor(i / 1000) / 1e4])
    ring.push(ring[0] as number[])
    const text = fc(feature({ type: 'Point', coordinates: [11, 44] }), feature({ type: 'Polygon', coordinates: [ring] }))
    const err = await refusal(upload(text))
    expect(err.code).toBe('PAYLOAD_TOO_LARGE')
    expect(err.message).toBe('Feature 2 has more than 100,000 vertices, the most accepted per feature. Simplify or split it (QGIS: Vector → Geometry Tools → Simplify).')
  })

  it('refuses more features than the limit (413)', async () => {
    const err = await refusal(upload(fc(...Array.from({ length: 11 }, () => feature(null))), 'a.geojson', { maxFeatures: 10 }))
    expect(err.code).toBe('PAYLOAD_TOO_LARGE')
    expect(err.message).toBe('The file holds 11 features; at most 10 are accepted per file. Split it.')
  })
})

describe('readUpload: CSV', () => {
  it('reads lon/lat columns, comma-separated, with a BOM', async () => {
    const r = await upload('\uFEFFid,Name,Longitude,Latitude\n1,Palo A,11.342616,44.493671\n2,"Palo B, via Rizzoli",11.345323,44.494192\n', 'pali.csv')
    expect(r).toMatchObject({ format: 'csv', layerName: 'pali', sourceCrs: 'EPSG:4326', problems: [] })
    expect(r.features).toEqual([
      { index: 0, geometry: { type: 'Point', coordinates: [11.342616, 44.493671] }, properties: { id: '1', Name: 'Palo A' } },
      { index: 1, geometry: { type: 'Point', coordinates: [11.345323, 44.494192] }, properties: { id: '2', Name: 'Palo B, via Rizzoli' } },
    ])
  })

  it('reads a ;-separated Italian spreadsheet export with decimal commas', async () => {
    const r = await upload('nome;longitudine;latitudine;altezza\nPalo A;11,342616;44,493671;8,5\nPalo B;11.345323;44.494192;\n', 'pali.csv')
    expect(r.problems).toEqual([])
    expect(r.features.map((f) => f.geometry)).toEqual([
      { type: 'Point', coordinates: [11.342616, 44.493671] },
      { type: 'Point', coordinates: [11.345323, 44.494192] },
    ])
    expect(r.features[1]?.properties).toEqual({ nome: 'Palo B', altezza: null })
  })

  it('reads a WKT column of any geometry type', async () => {
    const r = await upload('wkt;name\nPOINT (11.34 44.49);a\n"LINESTRING (11.34 44.49, 11.35 44.5)";b\nPOLYGON ((11.33 44.49, 11.35 44.49, 11.35 44.5, 11.33 44.49));c\n', 'x.csv')
    expect(r.problems).toEqual([])
    expect(r.features.map((f) => f.geometry?.type)).toEqual(['Point', 'LineString', 'Polygon'])
  })

  it('reports a bad row as a problem naming the row and its line, and reads the others', async () => {
    const csv = ['WKT,name', '"POINT (11.34 44.49)",ok', '"POINT (11.34",broken', '"POINT (1686282 4929418)",projected', ',no geometry', '"POINT (11.35 44.5)",ok,extra'].join('\n')
    const r = await upload(csv, 'x.csv')
    expect(r.features).toHaveLength(5)
    expect(r.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [11.34, 44.49] })
    expect(r.features[3]).toEqual({ index: 3, geometry: null, properties: { name: 'no geometry' } })
    expect(r.problems).toEqual([
      { index: 1, message: 'Row 2 (line 3): the WKT geometry cannot be read: the text ends in the middle of a position.' },
      { index: 2, message: 'Row 3 (line 4): the position [1686282, 4929418] is not lon/lat in degrees: the coordinates look projected (metres); positions must be longitude, latitude in WGS 84 (EPSG:4326).' },
      { index: 4, message: 'Row 5 (line 6) has 3 values where the header has 2 columns.' },
    ])
  })

  it('reports a lon that is not a number', async () => {
    const r = await upload('lon,lat\n11.3,44.5\nundici,44.5\n', 'x.csv')
    expect(r.problems).toEqual([{ index: 1, message: 'Row 2 (line 3): lon "undici" is not a number.' }])
  })

  it('refuses a CSV without a geometry column, listing the columns found', async () => {
    const err = await refusal(upload('name,height\nA,8\n', 'x.csv'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toMatch(/^The CSV has no geometry column\. Expected a WKT column \(wkt, .*\); found: name, height\.$/)
  })

  it('refuses a header naming a column twice', async () => {
    expect((await refusal(upload('lon,lat,a,a\n1,2,3,4\n', 'x.csv'))).message).toBe('The CSV header names the column "a" twice; every column needs its own name.')
  })

  it('refuses a WKT geometry over the vertex limit (413)', async () => {
    const line = `LINESTRING (${Array.from({ length: 20 }, (_, i) => `11.${i} 44.5`).join(', ')})`
    const err = await refusal(upload(`wkt\n"${line}"\n`, 'x.csv', { maxVerticesPerFeature: 10 }))
    expect(err.code).toBe('PAYLOAD_TOO_LARGE')
    expect(err.message).toMatch(/^Row 1 \(line 2\) has more than 10 vertices/)
  })

  it('refuses more rows than the limit (413)', async () => {
    const rows = Array.from({ length: 11 }, () => '11.3,44.5').join('\n')
    expect((await refusal(upload(`lon,lat\n${rows}\n`, 'x.csv', { maxFeatures: 10 }))).message).toBe('The CSV holds more than 10 rows, the most accepted per file. Split it.')
  })
})

describe('fileStem', () => {
  it('keeps only the name of the file', () => {
    expect(fileStem('C:\\dati\\lampioni.csv')).toBe('lampioni')
    expect(fileStem('../../etc/passwd')).toBe('passwd')
    expect(fileStem('.geojson')).toBe('.geojson')
    expect(fileStem('')).toBe('upload')
  })
})
