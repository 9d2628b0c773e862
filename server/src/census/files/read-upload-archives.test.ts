import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../http/api-error'
import { readUpload, type ReadUploadOptions } from './read-upload'
import { UPLOAD_TEMP_PREFIX } from './temp-dir'
import { AREAS, countTempDirs, fixtureDir, geoPackage, POLES, rawZip, removeFixtureDirs, shapefileParts, zipOf } from './upload-fixtures'
import type { Position, UploadedFeatures } from './uploaded-features'

// These tests run the real ogr2ogr: without GDAL they fail (CI installs gdal-bin), they never skip.

// Conversions make their directories here, so that test files running in parallel do not see each other's.
let tempRoot = ''
beforeAll(() => {
  tempRoot = fixtureDir()
})
afterEach(() => {
  // Every conversion removes its directory, refused or not.
  expect(countTempDirs(UPLOAD_TEMP_PREFIX, tempRoot)).toBe(0)
})
afterAll(removeFixtureDirs)

const upload = (bytes: Buffer, fileName: string, options: ReadUploadOptions & { layerName?: string } = {}) => {
  const { layerName, ...limits } = options
  return readUpload({ fileName, bytes, ...(layerName !== undefined ? { layerName } : {}) }, { tempRoot, ...limits })
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

/** Every position of `actual` within 1e-6° of `expected`'s. */
function expectSamePositions(actual: UploadedFeatures, expected: typeof POLES): void {
  const flat = (c: unknown): Position[] => (typeof (c as unknown[])[0] === 'number' ? [c as Position] : (c as unknown[]).flatMap(flat))
  expect(actual.features).toHaveLength(expected.features.length)
  actual.features.forEach((f, i) => {
    const want = expected.features[i]?.geometry
    expect(f.geometry?.type).toBe(want?.type)
    const a = flat((f.geometry as { coordinates: unknown }).coordinates)
    const b = flat((want as { coordinates: unknown }).coordinates)
    expect(a).toHaveLength(b.length)
    a.forEach((p, j) => {
      expect(Math.abs((p[0] as number) - (b[j]?.[0] as number))).toBeLessThan(1e-6)
      expect(Math.abs((p[1] as number) - (b[j]?.[1] as number))).toBeLessThan(1e-6)
    })
  })
}

const parts3003 = () => shapefileParts(POLES, 3003)
/** A custom Transverse Mercator (central meridian 9.123°) no EPSG code describes. */
const unknownPrj = (prj: Buffer) => Buffer.from(prj.toString('utf8').replace('"Central_Meridian",9.0', '"Central_Meridian",9.123'))

describe('readUpload: zipped Shapefile', () => {
  it('reads a Gauss-Boaga (EPSG:3003) Shapefile into lon/lat within 1e-6°', async () => {
    const p = parts3003()
    const zip = await zipOf([
      ['lampioni/lampioni.shp', p.shp],
      ['lampioni/lampioni.shx', p.shx],
      ['lampioni/lampioni.dbf', p.dbf],
      ['lampioni/lampioni.prj', p.prj],
      ['lampioni/lampioni.cpg', p.cpg],
      ['__MACOSX/lampioni/._lampioni.shp', Buffer.from('AppleDouble')],
    ])
    const r = await upload(zip, 'export.zip')
    expect(r).toMatchObject({ format: 'shapefile', layerName: 'lampioni', sourceCrs: 'EPSG:3003', problems: [] })
    expectSamePositions(r, POLES)
    expect(r.features.map((f) => f.properties)).toEqual([
      { name: 'Palo Piazza Maggiore', heightM: 8.5, armCount: 2 },
      { name: 'Palo via Rizzoli, 1', heightM: 10, armCount: 1 },
      { name: 'Palo Porta San Donato «nuovo»', heightM: null, armCount: 0 },
    ])
  })

  it.each(['shx', 'dbf'] as const)('refuses a Shapefile without its .%s', async (missing) => {
    const p = parts3003()
    const zip = await zipOf((['shp', 'shx', 'dbf', 'prj'] as const).filter((e) => e !== missing).map((e) => [`lampioni.${e}`, p[e]]))
    const err = await refusal(upload(zip, 'x.zip'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toBe(`lampioni.shp comes without its .${missing}; a Shapefile needs .shp, .shx, .dbf and .prj together. Zip all of them.`)
  })

  it('makes its directory under os.tmpdir() by default, and removes it', async () => {
    const p = parts3003()
    const zip = await zipOf([['a.shp', p.shp], ['a.shx', p.shx], ['a.dbf', p.dbf], ['a.prj', p.prj]])
    const before = countTempDirs(UPLOAD_TEMP_PREFIX)
    await expect(readUpload({ fileName: 'a.zip', bytes: zip })).resolves.toMatchObject({ sourceCrs: 'EPSG:3003' })
    await refusal(readUpload({ fileName: 'a.zip', bytes: zip }, { maxFeatures: 1 }))
    expect(countTempDirs(UPLOAD_TEMP_PREFIX)).toBe(before)
  })

  it('refuses a Shapefile without .prj: no guessing of the CRS', async () => {
    const p = parts3003()
    const err = await refusal(upload(await zipOf([['lampioni.shp', p.shp], ['lampioni.shx', p.shx], ['lampioni.dbf', p.dbf]]), 'x.zip'))
    expect(err.message).toMatch(/^lampioni\.shp comes without its \.prj, so its coordinate reference system is unknown, and Gemello does not guess it\./)
  })

  it('refuses a .prj GDAL cannot match to an EPSG code', async () => {
    const p = parts3003()
    const zip = await zipOf([['lampioni.shp', p.shp], ['lampioni.shx', p.shx], ['lampioni.dbf', p.dbf], ['lampioni.prj', unknownPrj(p.prj)]])
    const err = await refusal(upload(zip, 'x.zip'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toMatch(/^The layer "lampioni" has a coordinate reference system without an EPSG code, and Gemello does not guess one\./)
  })

  it('refuses a .prj that is not a CRS at all', async () => {
    const p = parts3003()
    const zip = await zipOf([['lampioni.shp', p.shp], ['lampioni.shx', p.shx], ['lampioni.dbf', p.dbf], ['lampioni.prj', Buffer.from('hello')]])
    expect((await refusal(upload(zip, 'x.zip'))).message).toMatch(/^The layer "lampioni" has no coordinate reference system/)
  })

  it('refuses parts other than .shp .shx .dbf .prj .cpg, listing those', async () => {
    const p = parts3003()
    const zip = await zipOf([['lampioni.shp', p.shp], ['lampioni.shx', p.shx], ['lampioni.dbf', p.dbf], ['lampioni.prj', p.prj], ['lampioni.qmd', Buffer.from('<qgis/>')]])
    expect((await refusal(upload(zip, 'x.zip'))).message).toBe('The archive holds "lampioni.qmd", which is not part of a Shapefile. Accepted in a zip: .shp, .shx, .dbf, .prj, .cpg; remove the rest and zip again.')
  })

  it('refuses two layers in one archive, and parts of another name', async () => {
    const p = parts3003()
    const two = await zipOf([['a.shp', p.shp], ['b.shp', p.shp], ['a.shx', p.shx], ['a.dbf', p.dbf], ['a.prj', p.prj]])
    expect((await refusal(upload(two, 'x.zip'))).message).toBe('The archive holds 2 Shapefiles (a.shp, b.shp); upload one layer per archive.')
    const mixed = await zipOf([['a.shp', p.shp], ['a.shx', p.shx], ['b.dbf', p.dbf], ['a.prj', p.prj]])
    expect((await refusal(upload(mixed, 'x.zip'))).message).toBe('The archive entry "b.dbf" does not belong to a.shp: a Shapefile\'s parts share its name and folder.')
  })

  it('refuses a .shp that is not a Shapefile', async () => {
    const p = parts3003()
    const zip = await zipOf([['a.shp', Buffer.from('not a shapefile at all')], ['a.shx', p.shx], ['a.dbf', p.dbf], ['a.prj', p.prj]])
    expect((await refusal(upload(zip, 'x.zip'))).message).toBe('The archive entry "a.shp" is not a Shapefile geometry (.shp) file.')
  })
})

describe('readUpload: hostile archives', () => {
  it.each([
    ['../../x.shp', 'The archive entry "../../x.shp" points outside the archive (zip slip); entries must be plain relative paths.'],
    ['dati/../../x.shp', 'The archive entry "dati/../../x.shp" points outside the archive (zip slip); entries must be plain relative paths.'],
    ['/etc/x.shp', 'The archive entry "/etc/x.shp" points outside the archive (zip slip); entries must be plain relative paths.'],
    ['C:/temp/x.shp', 'The archive entry "C:/temp/x.shp" points outside the archive (zip slip); entries must be plain relative paths.'],
    ['..\\..\\x.shp', 'The archive entry "..\\\\..\\\\x.shp" points outside the archive (zip slip); entries must be plain relative paths. Backslashes are refused.'],
  ])('refuses the zip slip entry %j', async (name, message) => {
    const zip = rawZip([{ name: 'x.shx', data: Buffer.alloc(100) }, { name, data: Buffer.alloc(100) }])
    const err = await refusal(upload(zip, 'x.zip'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toBe(message)
  })

  it('refuses a zip bomb from its central directory, before inflating (ratio over 100:1)', async () => {
    const p = parts3003()
    const bomb = rawZip([{ name: 'a.shp', data: p.shp }, { name: 'a.shx', data: p.shx }, { name: 'a.dbf', data: Buffer.alloc(10 * 1024 * 1024) }, { name: 'a.prj', data: p.prj }])
    expect(bomb.length).toBeLessThan(100_000)
    const err = await refusal(upload(bomb, 'x.zip'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toMatch(/^The archive entry "a\.dbf" expands \d+:1 \(10 MiB\); at most 100:1 is accepted, so it is refused as a possible zip bomb\.$/)
  })

  it('refuses entries declaring more than 200 MiB in total (a 4 GiB claim)', async () => {
    const zip = rawZip([{ name: 'a.shp', data: Buffer.alloc(10), declaredSize: 0xfffffff0 }])
    expect((await refusal(upload(zip, 'x.zip'))).message).toBe("The archive's entries declare more than 200 MiB uncompressed (the most accepted); it may be a zip bomb.")
  })

  it('counts the inflated bytes: an entry lying about its size is stopped while extracting', async () => {
    const p = parts3003()
    const liar = rawZip([{ name: 'a.shp', data: p.shp }, { name: 'a.shx', data: p.shx }, { name: 'a.prj', data: p.prj }, { name: 'a.dbf', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 1000 }])
    const err = await refusal(upload(liar, 'x.zip'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toBe('The archive entry "a.dbf" inflates to more than the 1000 bytes its header declares: the archive lies about its sizes (a zip bomb?) and is refused.')
  })

  it('refuses 100,000 entries from the count alone', async () => {
    const zip = rawZip(Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}.dbf` })))
    const err = await refusal(upload(zip, 'x.zip'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toBe("The archive holds 100,000 entries; at most 100 are accepted. Zip only the layer's .shp, .shx, .dbf, .prj and .cpg.")
  })

  it('refuses a nested archive, by name and by content', async () => {
    const p = parts3003()
    const inner = await zipOf([['a.shp', p.shp]])
    expect((await refusal(upload(await zipOf([['inner.zip', inner]]), 'x.zip'))).message).toBe('The archive holds another archive, "inner.zip"; nested archives are refused. Upload the Shapefile\'s parts zipped once.')
    const disguised = await zipOf([['a.shp', p.shp], ['a.shx', p.shx], ['a.dbf', inner], ['a.prj', p.prj]])
    expect((await refusal(upload(disguised, 'x.zip'))).message).toBe('The archive entry "a.dbf" is itself a zip archive; nested archives are refused.')
  })

  it('refuses a GeoPackage inside a zip, saying to upload it directly', async () => {
    expect((await refusal(upload(await zipOf([['a.gpkg', Buffer.from('x')]]), 'x.zip'))).message).toBe('The archive holds "a.gpkg": upload a .gpkg file directly, not zipped. A zip must hold a Shapefile.')
  })

  it('refuses a damaged zip', async () => {
    const p = parts3003()
    const zip = await zipOf([['a.shp', p.shp]])
    expect((await refusal(upload(zip.subarray(0, zip.length - 30), 'x.zip'))).message).toMatch(/^The zip archive cannot be read: /)
  })
})

describe('readUpload: GeoPackage', () => {
  it('reads a Gauss-Boaga (EPSG:3003) layer into lon/lat within 1e-6°', async () => {
    const r = await upload(geoPackage(AREAS, 3003, 'aree'), 'aree.gpkg')
    expect(r).toMatchObject({ format: 'gpkg', layerName: 'aree', sourceCrs: 'EPSG:3003', problems: [] })
    expectSamePositions(r, AREAS)
    expect(r.features[0]?.properties).toEqual({ name: 'Area Centro' })
  })

  it('reads a layer in the census storage CRS (EPSG:7791, northing-easting)', async () => {
    const r = await upload(geoPackage(POLES, 7791, 'pali'), 'pali.gpkg')
    expect(r.sourceCrs).toBe('EPSG:7791')
    expectSamePositions(r, POLES)
  })

  it('keeps a layer name with spaces and accents', async () => {
    const r = await upload(geoPackage(POLES, 3003, 'pali città'), 'x.gpkg')
    expect(r.layerName).toBe('pali città')
    expect(r.features).toHaveLength(3)
  })

  it('refuses a GeoPackage with a trigger of its own', async () => {
    const gpkg = geoPackage(POLES, 3003, 'pali', { sql: ['CREATE TRIGGER wipe AFTER INSERT ON pali BEGIN DELETE FROM pali; END'] })
    const err = await refusal(upload(gpkg, 'x.gpkg'))
    expect(err.code).toBe('UPLOAD_REFUSED')
    expect(err.message).toMatch(/^The GeoPackage defines the trigger "wipe" on "pali", which is not one of the GeoPackage standard's\./)
  })

  it('refuses a GeoPackage with a view', async () => {
    const gpkg = geoPackage(POLES, 3003, 'pali', { sql: ['CREATE VIEW pali_view AS SELECT * FROM pali'] })
    expect((await refusal(upload(gpkg, 'x.gpkg'))).message).toMatch(/^The GeoPackage defines the view "pali_view"; views are refused\./)
  })

  it('asks which layer when there are several, and reads the one named', async () => {
    const gpkg = geoPackage(POLES, 3003, 'pali', { more: [['aree', AREAS]] })
    expect((await refusal(upload(gpkg, 'x.gpkg'))).message).toBe('The GeoPackage holds 2 layers ("pali", "aree"); choose the one to import.')
    const r = await upload(gpkg, 'x.gpkg', { layerName: 'aree' })
    expect(r.layerName).toBe('aree')
    expectSamePositions(r, AREAS)
    expect((await refusal(upload(gpkg, 'x.gpkg', { layerName: 'strade' }))).message).toBe('The GeoPackage has no layer "strade"; its layers are "pali", "aree".')
  })

  it('refuses an SQLite database that is not a GeoPackage', async () => {
    const gpkg = Buffer.from(geoPackage(POLES, 3003, 'pali'))
    gpkg.fill(0, 68, 72)
    expect((await refusal(upload(gpkg, 'x.gpkg'))).message).toMatch(/^The file is an SQLite database but not a GeoPackage/)
  })

  it('refuses more features than the limit from the layer count, before converting (413)', async () => {
    const err = await refusal(upload(geoPackage(POLES, 3003, 'pali'), 'x.gpkg', { maxFeatures: 2 }))
    expect(err.code).toBe('PAYLOAD_TOO_LARGE')
    expect(err.message).toBe('The layer "pali" holds 3 features; at most 2 are accepted per file. Split it.')
  })

  it('answers GDAL_UNAVAILABLE (503) when ogr2ogr is not installed', async () => {
    const err = await refusal(upload(geoPackage(POLES, 3003, 'pali'), 'x.gpkg', { gdalBinDir: '/nonexistent/gdal/bin' }))
    expect(err.code).toBe('GDAL_UNAVAILABLE')
    expect(err.status).toBe(503)
    expect(err.message).toContain('apt-get install gdal-bin')
  })
})
