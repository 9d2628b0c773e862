import { describe, expect, it } from 'vitest'
import type { Geometry } from './uploaded-features'
import { parseWkt, toWkt, WktError, WktVertexLimitError } from './wkt'

describe('parseWkt', () => {
  it.each<[string, Geometry]>([
    ['POINT (11.34 44.49)', { type: 'Point', coordinates: [11.34, 44.49] }],
    ['point(11.34 44.49)', { type: 'Point', coordinates: [11.34, 44.49] }],
    ['POINT Z (11.34 44.49 52.5)', { type: 'Point', coordinates: [11.34, 44.49, 52.5] }],
    ['POINTZ (1 2 3)', { type: 'Point', coordinates: [1, 2, 3] }],
    ['POINT M (1 2 7)', { type: 'Point', coordinates: [1, 2] }],
    ['POINT ZM (1 2 3 7)', { type: 'Point', coordinates: [1, 2, 3] }],
    ['POINT (1 2 3)', { type: 'Point', coordinates: [1, 2, 3] }],
    ['SRID=4326;POINT(1 2)', { type: 'Point', coordinates: [1, 2] }],
    ['POINT (-1.5e1 +.5)', { type: 'Point', coordinates: [-15, 0.5] }],
    ['LINESTRING (1 2, 3 4, 5 6)', { type: 'LineString', coordinates: [[1, 2], [3, 4], [5, 6]] }],
    ['POLYGON ((0 0, 1 0, 1 1, 0 0), (0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.2))', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]] }],
    ['MULTIPOINT (1 2, 3 4)', { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }],
    ['MULTIPOINT ((1 2), (3 4))', { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }],
    ['MULTILINESTRING ((1 2, 3 4), (5 6, 7 8))', { type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] }],
    ['MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))', { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] }],
    ['GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (1 2, 3 4))', { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'LineString', coordinates: [[1, 2], [3, 4]] }] }],
  ])('reads %s', (text, geometry) => {
    expect(parseWkt(text)).toEqual(geometry)
  })

  it.each([
    ['POINT (1 2', 'the text ends where ")" or "," was expected'],
    ['POINT (1)', 'a position has 1 number where 2 or 3 or 4 were expected'],
    ['POINT Z (1 2)', 'a position has 2 numbers where 3 were expected'],
    ['CIRCLE (1 2)', '"CIRCLE" is not a WKT geometry type'],
    ['POINT (1 2) extra', 'unexpected "EXTRA" at character 13 after the end of the geometry'],
    ['POINT (1 ; 2)', 'unexpected ";" at character 10'],
    ['POINT EMPTY', 'POINT EMPTY has no position'],
    ['POINT (1e400 2)', 'the number 1e400 at character 8 is too large'],
    ['SRID=3003;POINT (1686282 4929418)', 'SRID=3003 is not lon/lat WGS 84'],
    ['', 'the text ends where a geometry type'],
  ])('refuses %j, saying where', (text, message) => {
    expect(() => parseWkt(text)).toThrow(WktError)
    expect(() => parseWkt(text)).toThrow(message)
  })

  it('stops counting positions past the limit', () => {
    const line = `LINESTRING (${Array.from({ length: 1000 }, (_, i) => `${i} 0`).join(', ')})`
    expect(() => parseWkt(line, 999)).toThrow(WktVertexLimitError)
    expect(parseWkt(line, 1000).type).toBe('LineString')
  })
})

describe('toWkt', () => {
  it.each<Geometry>([
    { type: 'Point', coordinates: [11.342616, 44.493671] },
    { type: 'Point', coordinates: [1, 2, 3] },
    { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] },
    { type: 'LineString', coordinates: [[1, 2], [3, 4]] },
    { type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
    { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] },
    { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] },
  ])('writes $type so parseWkt reads it back', (g) => {
    expect(parseWkt(toWkt(g))).toEqual(g)
  })

  it('writes the ISO forms', () => {
    expect(toWkt({ type: 'Point', coordinates: [11.34, 44.49] })).toBe('POINT (11.34 44.49)')
    expect(toWkt({ type: 'Point', coordinates: [1, 2, 3] })).toBe('POINT Z (1 2 3)')
    expect(toWkt({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] })).toBe('MULTIPOINT ((1 2), (3 4))')
  })
})
