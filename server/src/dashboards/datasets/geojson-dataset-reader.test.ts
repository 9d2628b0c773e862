import { describe, expect, it } from 'vitest'
import { ApiError } from '../../http/api-error'
import { readGeoJsonDataset } from './geojson-dataset-reader'

const fc = (features: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'FeatureCollection', ...extra, features })
const point = (lon: number, lat: number, properties: Record<string, unknown> | null = {}) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } })
const refusal = (text: string): ApiError => {
  try {
    readGeoJsonDataset(text)
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error('the GeoJSON was read')
}

describe('readGeoJsonDataset', () => {
  it('reads one row per feature, its properties as cells and the columns of every feature', () => {
    const f = readGeoJsonDataset(fc([point(11.34, 44.49, { landuse: 'grass' }), point(11.35, 44.5, { landuse: 'retail', area_m2: 120 })]))
    expect(f.columns).toEqual(['landuse', 'area_m2'])
    expect(f.rows.map((r) => [r.row, r.where, r.cells])).toEqual([
      [1, 'feature 1', { landuse: 'grass' }],
      [2, 'feature 2', { landuse: 'retail', area_m2: 120 }],
    ])
    expect(f.rows[0]!.geometry).toEqual({ type: 'Point', coordinates: [11.34, 44.49] })
  })

  it('keeps a feature without geometry or properties as a row (it will count unplaced)', () => {
    const f = readGeoJsonDataset(fc([{ type: 'Feature', properties: null, geometry: null }]))
    expect(f.rows).toEqual([{ row: 1, where: 'feature 1', cells: {}, geometry: null }])
  })

  it('refuses text that is not JSON, and JSON that is not a FeatureCollection', () => {
    expect(refusal('{"type": "FeatureCollection", ').code).toBe('DASHBOARD_DATA_INVALID')
    expect(refusal('{"type": "FeatureCollection", ').message).toMatch(/cannot be read/)
    expect(refusal(JSON.stringify(point(11, 44))).message).toContain('not a FeatureCollection')
  })

  it('refuses a malformed feature, naming it: not a Feature, bad properties, a broken geometry', () => {
    expect(refusal(fc([point(11, 44), { type: 'Point', coordinates: [11, 44] }])).message).toContain('feature 2 is not a Feature')
    expect(refusal(fc([{ ...point(11, 44), properties: [1, 2] }])).message).toContain('feature 1: "properties" is not an object')
    const ring = [[11, 44], [11.1, 44], [11.1, 44.1], [11, 44.2]]
    expect(refusal(fc([point(11, 44), point(11, 44), { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }])).message).toMatch(/feature 3: the outer ring of a polygon is not closed/)
    expect(refusal(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1_240_000, 4_930_000] } }])).message).toMatch(/feature 1: .*projected/)
  })

  it('refuses a CRS other than lon/lat WGS 84 and accepts the named CRS84', () => {
    expect(refusal(fc([point(11, 44)], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32632' } } })).message).toContain('32632')
    expect(readGeoJsonDataset(fc([point(11, 44)], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } })).rows).toHaveLength(1)
  })
})
