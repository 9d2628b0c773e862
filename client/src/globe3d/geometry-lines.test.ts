import { describe, expect, it } from 'vitest'
import { geometryLines } from './geometry-lines'

describe('geometryLines', () => {
  it('draws a polygon with a hole as two rings and a multipolygon as all its rings', () => {
    const outer = [[0, 0], [1, 0], [1, 1], [0, 0]]
    const hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]
    expect(geometryLines({ type: 'Polygon', coordinates: [outer, hole] })).toEqual([outer, hole])
    expect(geometryLines({ type: 'MultiPolygon', coordinates: [[outer, hole], [outer]] })).toEqual([outer, hole, outer])
  })

  it('keeps line strings and ignores points and empty geometries', () => {
    const line = [[11.34, 44.49], [11.35, 44.5]]
    expect(geometryLines({ type: 'LineString', coordinates: line })).toEqual([line])
    expect(geometryLines({ type: 'MultiLineString', coordinates: [line, line] })).toEqual([line, line])
    expect(geometryLines({ type: 'Point', coordinates: [1, 2] })).toEqual([])
    expect(geometryLines(null)).toEqual([])
  })
})
