import { describe, expect, it } from 'vitest'
import type { DashboardAreaCollection } from '../../../../contracts/theme-dashboard-api'
import { fitBox, mercator, polygonsOf, projectAreas, ringsPath } from './area-projection'

const square = (lon: number, lat: number, size: number) => [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]
const collection = (features: DashboardAreaCollection['features']): DashboardAreaCollection => ({ type: 'FeatureCollection', features })

describe('the choropleth’s projection', () => {
  it('is Web Mercator: the equator at 0, north up, longitude linear', () => {
    expect(mercator([0, 0])[0]).toBe(0)
    expect(mercator([0, 0])[1]).toBeCloseTo(0)
    expect(mercator([180, 0])[0]).toBeCloseTo(Math.PI)
    expect(mercator([11.34, 44.5])[1]).toBeCloseTo(Math.log(Math.tan(Math.PI / 4 + (44.5 * Math.PI) / 360)))
    expect(mercator([0, 90])[1]).toBeLessThan(3.2) // clamped at the projection's limit, not infinite
  })
  it('fits the bounds to the width with padding, north at the top, the height keeping the shape', () => {
    const fit = fitBox({ minX: 0, minY: 0, maxX: 2, maxY: 1 }, 220, 10)
    expect(fit.height).toBe(120)
    expect(fit.toBox([0, 1])).toEqual([10, 10]) // north-west corner
    expect(fit.toBox([2, 0])).toEqual([210, 110]) // south-east corner
  })
  it('writes each ring as a closed path with one decimal, repeated points left out, too-small rings dropped', () => {
    expect(ringsPath([[[0, 0], [10.04, 0], [10.01, 0], [10, 5.55], [0, 0]]])).toBe('M0,0L10,0L10,5.6Z')
    expect(ringsPath([[[0, 0], [1, 1], [0, 0]]])).toBe('')
  })
  it('projects districts into one box: the western one left of the eastern one, each anchored inside itself', () => {
    const districts = collection([
      { type: 'Feature', id: 'q1', properties: { code: '1', name: 'Ovest' }, geometry: { type: 'Polygon', coordinates: square(11.3, 44.48, 0.02) } },
      { type: 'Feature', id: 'q2', properties: { code: '2', name: 'Est' }, geometry: { type: 'MultiPolygon', coordinates: [square(11.32, 44.48, 0.02), square(11.32, 44.5, 0.01)] } },
    ])
    const map = projectAreas(districts, 600, 8)
    expect(map.width).toBe(600)
    expect(map.height).toBeGreaterThan(300) // 0.04° by 0.03° at 44.5° N: taller than half the width
    const [west, east] = map.areas
    expect(west).toMatchObject({ id: 'q1', code: '1', name: 'Ovest', anchor: [154, expect.any(Number)] })
    expect(west!.d).toMatch(/^M8,[\d.]+L300,[\d.]+L300,[\d.]+L8,[\d.]+Z$/)
    expect(east!.d.match(/M/g)).toHaveLength(2) // two polygons in one path
    expect(east!.anchor[0]).toBe(446)
    expect(projectAreas(districts, 600, 8)).toEqual(map) // deterministic
  })
  it('drops malformed coordinates instead of drawing garbage', () => {
    expect(polygonsOf({ type: 'Polygon', coordinates: [[['x', 1]]] as unknown[][] })).toEqual([])
    expect(polygonsOf({ type: 'MultiPolygon', coordinates: [square(0, 0, 1), [[[Number.NaN, 0]]]] })).toHaveLength(1)
    expect(projectAreas(collection([])).areas).toEqual([])
  })
})
