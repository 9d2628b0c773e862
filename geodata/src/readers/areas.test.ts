import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { bowTie, makeTempDir, removeTempDirs, square, writeFeatureCollection } from '../testing/edge-case-files'
import { readAreas } from './areas'
import { DatasetFileError } from './read-result'

afterAll(removeTempDirs)

const OPEN = path.join(CITY_DATA_DIR, 'bologna-opendata')

describe.skipIf(!existsSync(OPEN))('readAreas on the Comune files', () => {
  it('reads 6 quartieri, 18 zone, 90 aree statistiche and 14 ZTL polygons', () => {
    expect(readAreas(path.join(OPEN, 'quartieri.geojson'), 'quartiere').records).toHaveLength(6)
    expect(readAreas(path.join(OPEN, 'zone.geojson'), 'zona').records).toHaveLength(18)
    expect(readAreas(path.join(OPEN, 'aree_statistiche.geojson'), 'area_statistica').records).toHaveLength(90)
    expect(readAreas(path.join(OPEN, 'ztl_zona_traffico_limitato.geojson'), 'ztl').records).toHaveLength(14)
  })

  it('names and codes areas', () => {
    const q = readAreas(path.join(OPEN, 'quartieri.geojson'), 'quartiere').records.find((r) => r.code === '11')
    expect(q).toMatchObject({ id: 'quartiere-11', kind: 'quartiere', name: 'Borgo Panigale - Reno' })
    const z = readAreas(path.join(OPEN, 'zone.geojson'), 'zona').records.find((r) => r.code === 'F')
    expect(z).toMatchObject({ id: 'zona-f', name: 'Costa Saragozza', props: { numquart: '13' } })
    const ztl = readAreas(path.join(OPEN, 'ztl_zona_traffico_limitato.geojson'), 'ztl').records
    expect(ztl.find((r) => r.code === '26')?.name).toBe('ZTL 26 — VIA GIOVANNI BRUGNOLI')
    expect(ztl.find((r) => r.code === '43')?.name).toBe('ZTL 43')
    // The publisher flags ZTL 40 as self-intersecting; the record says so, PostGIS decides at import.
    expect(ztl.find((r) => r.code === '40')?.props.sourceCheck).toBe('Risultato non valido: Auto intersezione')
  })
})

describe('readAreas on a generated file', () => {
  const dir = makeTempDir()
  const file = writeFeatureCollection(path.join(dir, 'zone.geojson'), [
    { properties: { codzona: 'A', nomezona: 'Alfa' }, geometry: { type: 'Polygon', coordinates: [square(11.34, 44.49)] } },
    { properties: { codzona: 'B', nomezona: 'Beta' }, geometry: { type: 'Polygon', coordinates: [square(11.34, 44.49).slice(0, 4)] } },
    { properties: { codzona: 'C', nomezona: 'Gamma' }, geometry: { type: 'Polygon', coordinates: [square(12.5, 44.49)] } },
    { properties: { codzona: 'A', nomezona: 'Alfa bis' }, geometry: { type: 'Polygon', coordinates: [square(11.35, 44.49)] } },
    { properties: { codzona: 'D', nomezona: '' }, geometry: { type: 'Polygon', coordinates: [square(11.35, 44.49)] } },
    { properties: { codzona: 'E', nomezona: 'Epsilon' }, geometry: null },
    { properties: { codzona: 'F', nomezona: 'Zeta' }, geometry: { type: 'Point', coordinates: [11.34, 44.49] } },
    { properties: { codzona: 'G', nomezona: 'Eta' }, geometry: { type: 'Polygon', coordinates: [bowTie(11.34, 44.49)] } },
    { properties: { codzona: 'H', nomezona: 'Theta' }, geometry: { type: 'Polygon', coordinates: [square(11.34, 44.49).map(([x, y]) => [x, y, 50])] } },
  ])
  const result = readAreas(file, 'zona')
  const problemAt = (row: number) => result.problems.filter((p) => p.row === row).map((p) => p.problem)

  it('keeps the structurally sound features (PostGIS judges validity at import)', () => {
    expect(result.records.map((r) => r.code)).toEqual(['A', 'G', 'H'])
  })

  it('reports every refused feature', () => {
    expect(problemAt(2)).toEqual(['rejected: a ring is not closed (first and last positions differ)'])
    expect(problemAt(3)).toEqual([expect.stringMatching(/^rejected: vertex 12\.5, 44\.49 is outside the city envelope/)])
    expect(problemAt(4)).toEqual(['rejected: duplicate codzona (first at feature 1)'])
    expect(problemAt(5)).toEqual(['rejected: no name ("nomezona")'])
    expect(problemAt(6)).toEqual(['rejected: no geometry'])
    expect(problemAt(7)).toEqual(['rejected: geometry is a Point; an area is a Polygon or MultiPolygon'])
  })

  it('refuses a file in a CRS Gemello does not convert as a whole', () => {
    const lambert93 = writeFeatureCollection(path.join(dir, '2154.geojson'), [], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } } })
    expect(() => readAreas(lambert93, 'zona')).toThrow(DatasetFileError)
    expect(() => readAreas(lambert93, 'zona')).toThrow(/declares CRS "urn:ogc:def:crs:EPSG::2154" \(EPSG:2154\), which Gemello does not convert/)
  })

  it('refuses a file that is missing, not JSON or not a FeatureCollection as a whole', () => {
    writeFileSync(path.join(dir, 'broken.geojson'), '{"type": "FeatureCollection", "features": [')
    writeFileSync(path.join(dir, 'point.geojson'), '{"type": "Point", "coordinates": [11.34, 44.49]}')
    expect(() => readAreas(path.join(dir, 'missing.geojson'), 'zona')).toThrow(/does not exist/)
    expect(() => readAreas(path.join(dir, 'broken.geojson'), 'zona')).toThrow(/is not JSON/)
    expect(() => readAreas(path.join(dir, 'point.geojson'), 'zona')).toThrow(/is not a GeoJSON FeatureCollection/)
  })
})
