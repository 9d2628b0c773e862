import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { bowTie, makeTempDir, removeTempDirs, square, writeFeatureCollection } from '../testing/edge-case-files'
import { DEFAULT_HEIGHT_M, detectBuildingFormat, footprintAreaM2 } from './building-heights'
import { readBuildings } from './buildings'

afterAll(removeTempDirs)

const MILAN = path.join(CITY_DATA_DIR, 'buildings/milan_centro_osm_footprints_lidar_height.geojson')
/** About 19.8 m × 27.8 m (551 m²) at Bologna's latitude. */
const poly = (lon = 11.34, lat = 44.49) => ({ type: 'Polygon', coordinates: [square(lon, lat, 0.00025)] })

describe('detectBuildingFormat', () => {
  it('tells the three formats apart by their properties', () => {
    expect(detectBuildingFormat([{ codice_ogg: 'A', altezza_gr: 9 }])).toBe('comune-edifici')
    expect(detectBuildingFormat([{ cat: 1, height_med: 9 }])).toBe('lidar-height-med')
    expect(detectBuildingFormat([{ id: 'way/1', height: '9' }, {}])).toBe('osm')
  })
})

describe('footprintAreaM2', () => {
  it('measures a footprint minus its courtyard', () => {
    const outer = square(11.34, 44.49, 0.001)
    const hole = square(11.3402, 44.4902, 0.0005).reverse()
    const full = footprintAreaM2({ type: 'Polygon', coordinates: [outer] })
    expect(full).toBeGreaterThan(8800)
    expect(full).toBeLessThan(8900)
    expect(footprintAreaM2({ type: 'Polygon', coordinates: [outer, hole] })).toBeCloseTo(full * 0.75, 0)
  })
})

describe('readBuildings: LiDAR-height footprints (the Milan format)', () => {
  const file = writeFeatureCollection(path.join(makeTempDir(), 'lidar.geojson'), [
    { properties: { cat: 1, height_med: 27.85 }, geometry: { type: 'Polygon', coordinates: [square(9.19, 45.46)] } },
    { properties: { cat: 2, height_med: null }, geometry: poly(9.19, 45.46) },
    { properties: { cat: 3, height_med: 0 }, geometry: poly(9.19, 45.46) },
    { properties: { cat: 4, height_med: 12 }, geometry: { type: 'MultiPolygon', coordinates: [[square(9.19, 45.46)], [square(9.2, 45.46)]] } },
    { properties: { cat: 5, height_med: 12 }, geometry: { type: 'Point', coordinates: [9.19, 45.46] } },
    { properties: { cat: 6, height_med: 12 }, geometry: { type: 'MultiPolygon', coordinates: [] } },
    { properties: { cat: 7, height_med: 12 }, geometry: { type: 'Polygon', coordinates: [bowTie(9.19, 45.46)] } },
    { properties: { cat: 8, height_med: 12 }, geometry: { type: 'Polygon', coordinates: [square(515000, 5035000, 10)] } },
  ])
  const r = readBuildings(file)
  const byId = new Map(r.records.map((b) => [b.localId, b]))

  it('uses height_med when above 0', () => {
    expect(r.format).toBe('lidar-height-med')
    expect(byId.get('1')).toMatchObject({ heightM: 27.85, heightEstimated: false, heightSource: 'height_med', baseM: 0, props: { format: 'lidar-height-med', heightMed: 27.85 } })
    expect(byId.get('4')?.geometry.type).toBe('MultiPolygon')
  })

  it('estimates null and 0 heights with the default and flags them', () => {
    for (const id of ['2', '3']) expect(byId.get(id)).toMatchObject({ heightM: DEFAULT_HEIGHT_M, heightEstimated: true, heightSource: 'default' })
    expect(r.problems.filter((p) => p.row === 2 || p.row === 3).map((p) => p.problem)).toEqual([
      'kept: height_med is null; height estimated 10 m (default)',
      'kept: height_med is 0; height estimated 10 m (default)',
    ])
  })

  it('keeps a self-intersecting footprint for PostGIS to judge, refuses points, empty and projected geometries', () => {
    expect(byId.has('7')).toBe(true)
    expect(r.problems.filter((p) => p.problem.startsWith('rejected')).map((p) => [p.row, p.problem.replace(/ \(lon.*$/, '')])).toEqual([
      [5, 'rejected: geometry is a Point; a building footprint is a Polygon or MultiPolygon'],
      [6, 'rejected: empty MultiPolygon'],
      [8, 'rejected: vertex 515000, 5035000 is not lon/lat (projected metres?); the file declares no CRS: give it with --crs EPSG:<code>'],
    ])
  })
})

describe('readBuildings: Comune di Bologna "edifici volumetrici"', () => {
  const ogg = (code: string, p: Record<string, unknown>) => ({ properties: { codice_ogg: code, altezza_gr: null, quota_gron: null, quota_pied: null, volume: null, ...p }, geometry: poly() })
  const file = writeFeatureCollection(path.join(makeTempDir(), 'edifici.geojson'), [
    ogg('E1', { altezza_gr: 14.5, quota_gron: 70.5, quota_pied: 56, volume: 5200 }),
    ogg('E2', { altezza_gr: 0, quota_gron: 62.4, quota_pied: 54.1 }),
    ogg('E3', { altezza_gr: null, volume: 2384 }),
    ogg('E4', {}),
    ogg('', { altezza_gr: 9 }),
  ])
  const r = readBuildings(file)
  const byId = new Map(r.records.map((b) => [b.localId, b]))

  it('uses altezza_gr (eaves height) as measured', () => {
    expect(r.format).toBe('comune-edifici')
    expect(byId.get('e1')).toMatchObject({ heightM: 14.5, heightEstimated: false, heightSource: 'altezza_gr', props: { quotaGron: 70.5, quotaPied: 56, volume: 5200 } })
  })

  it('estimates from quota_gron − quota_pied, then volume / footprint area, then the default', () => {
    expect(byId.get('e2')).toMatchObject({ heightM: 8.3, heightEstimated: true, heightSource: 'quota_gron-quota_pied' })
    const e3 = byId.get('e3')
    expect(e3).toMatchObject({ heightEstimated: true, heightSource: 'volume/area' })
    expect(e3?.heightM).toBeCloseTo(2384 / (e3?.props.footprintM2 as number), 1)
    expect(e3?.heightM).toBeGreaterThan(4.2)
    expect(e3?.heightM).toBeLessThan(4.45)
    expect(byId.get('e4')).toMatchObject({ heightM: 10, heightEstimated: true, heightSource: 'default' })
  })

  it('refuses a footprint without codice_ogg', () => {
    expect(r.problems.filter((p) => p.problem.startsWith('rejected'))).toEqual([{ row: 5, problem: 'rejected: no building id (codice_ogg)' }])
  })
})

describe('readBuildings: OSM-style footprints', () => {
  const file = writeFeatureCollection(path.join(makeTempDir(), 'osm.geojson'), [
    { properties: { '@id': 'way/10', height: '21.5 m', name: 'Torre' }, geometry: poly() },
    { properties: { '@id': 'way/11', 'building:levels': '4', min_height: 3 }, geometry: poly() },
  ])
  const r = readBuildings(file)

  it('reads height, building:levels × 3 m + 1 m and min_height', () => {
    expect(r.records.map((b) => [b.localId, b.name, b.heightM, b.baseM, b.heightSource, b.heightEstimated])).toEqual([
      ['way-10', 'Torre', 21.5, 0, 'height', false],
      ['way-11', null, 13, 3, 'levels', true],
    ])
  })
})

describe.skipIf(!existsSync(MILAN))('the Milan centre footprints', () => {
  it('reads 4,013 footprints, 62 of them (16 null, 46 zero) with estimated heights', () => {
    const r = readBuildings(MILAN)
    expect([r.records.length, r.rejected, r.records.filter((b) => b.heightEstimated).length]).toEqual([4013, 0, 62])
  })
})
