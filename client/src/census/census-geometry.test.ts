import { describe, expect, it } from 'vitest'
import { distanceM, editableOf, pointFromText, sameGeometry, vertexCount } from './census-geometry'

describe('census geometry helpers', () => {
  it('compares geometries within a millimetre', () => {
    expect(sameGeometry({ type: 'Point', coordinates: [11.3426, 44.4937] }, { type: 'Point', coordinates: [11.342600001, 44.4937] })).toBe(true)
    expect(sameGeometry({ type: 'Point', coordinates: [11.3426, 44.4937] }, { type: 'Point', coordinates: [11.3427, 44.4937] })).toBe(false)
    expect(sameGeometry({ type: 'Point', coordinates: [1, 2] }, null)).toBe(false)
  })

  it('measures metres on the ground', () => {
    expect(Math.round(distanceM([11.3426, 44.4937], [11.3426, 44.4946]))).toBe(100)
  })

  it('counts vertices without a polygon’s closing one', () => {
    const ring = [[11.34, 44.49], [11.35, 44.49], [11.35, 44.5], [11.34, 44.49]] as [number, number][]
    expect(vertexCount({ type: 'Polygon', coordinates: [ring] })).toBe(3)
    expect(vertexCount({ type: 'LineString', coordinates: ring })).toBe(4)
  })

  it('reads a typed point with a decimal point or comma', () => {
    expect(pointFromText('11,3426', ' 44.4937 ')).toEqual({ type: 'Point', coordinates: [11.3426, 44.4937] })
    expect(pointFromText('11.34', '')).toBeNull()
    expect(pointFromText('200', '44')).toBeNull()
  })

  it('takes a repaired geometry only when it is of the census types', () => {
    expect(editableOf({ type: 'MultiPolygon', coordinates: [] })).toBeNull()
    expect(editableOf({ type: 'Point', coordinates: [11, 44] })).toEqual({ type: 'Point', coordinates: [11, 44] })
  })
})
