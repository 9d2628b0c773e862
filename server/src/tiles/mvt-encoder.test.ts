import { describe, expect, it } from 'vitest'
import { encodeMvt, ringArea2, type TileFeature } from './mvt-encoder'
import { decodeTile } from './testing/tile-dump'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'

const layer = (features: TileFeature[], name = 'l') => decodeTile(encodeMvt([{ name, features }]))[name]

describe('encodeMvt, read back with @mapbox/vector-tile', () => {
  it('writes a version 2 layer with extent 4096 and the attributes of each feature, typed', () => {
    const l = layer([{ properties: { id: 'a', n: 3, neg: -2, f: 1.5, b: true, none: null }, geometry: { type: 'Point', coordinates: [10, 20] } }])!
    expect(l.version).toBe(2)
    expect(l.extent).toBe(4096)
    expect(l.features).toEqual([{ type: 'Point', id: undefined, properties: { id: 'a', n: 3, neg: -2, f: 1.5, b: true }, geometry: [[[10, 20]]] }])
  })

  it('shares keys and values between features', () => {
    const bytes = encodeMvt([{ name: 'l', features: ['x', 'y', 'x'].map((v) => ({ properties: { kind: v }, geometry: { type: 'Point' as const, coordinates: [1, 1] } })) }])
    const vt = new VectorTile(new PbfReader(bytes)).layers.l!
    expect((vt as unknown as { _keys: string[] })._keys).toEqual(['kind'])
    expect((vt as unknown as { _values: string[] })._values).toEqual(['x', 'y'])
  })

  it('writes multipoints as one MoveTo and negative coordinates of the buffer', () => {
    const l = layer([{ properties: {}, geometry: { type: 'MultiPoint', coordinates: [[-5, -64], [4100, 7]] } }])!
    expect(l.features[0]!.geometry).toEqual([[[-5, -64]], [[4100, 7]]])
  })

  it('writes lines with relative moves and drops repeated points and collapsed parts', () => {
    const l = layer([{ properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[0, 0], [0, 0], [10, 5], [3, 9]], [[7, 7], [7, 7]]] } }])!
    expect(l.features[0]).toMatchObject({ type: 'LineString', geometry: [[[0, 0], [10, 5], [3, 9]]] })
  })

  it('orients exterior rings with a positive area (clockwise in tile coordinates) and holes negative, whatever the input order', () => {
    const ccwOuter = [[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]]
    const cwHole = [[10, 10], [20, 10], [20, 20], [10, 20], [10, 10]]
    const l = layer([{ properties: { id: 'p' }, geometry: { type: 'Polygon', coordinates: [ccwOuter, cwHole] } }])!
    const [outer, hole] = l.features[0]!.geometry
    expect(ringArea2(outer!)).toBeGreaterThan(0)
    expect(ringArea2(hole!)).toBeLessThan(0)
    const gj = new VectorTile(new PbfReader(encodeMvt([{ name: 'l', features: [{ properties: {}, geometry: { type: 'Polygon', coordinates: [ccwOuter, cwHole] } }] }]))).layers.l!.feature(0).toGeoJSON(0, 0, 0)
    expect(gj.geometry.type).toBe('Polygon')
    expect((gj.geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2)
  })

  it('keeps the polygons of a multipolygon apart and drops zero-area rings', () => {
    const sq = (x: number) => [[x, 0], [x + 10, 0], [x + 10, 10], [x, 10], [x, 0]]
    const flat = [[0, 0], [5, 0], [9, 0], [0, 0]]
    const bytes = encodeMvt([{ name: 'l', features: [{ properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[sq(0)], [flat], [sq(50)]] } }] }])
    const gj = new VectorTile(new PbfReader(bytes)).layers.l!.feature(0).toGeoJSON(0, 0, 0)
    expect(gj.geometry.type).toBe('MultiPolygon')
    expect((gj.geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2)
  })

  it('leaves out features with nothing drawable and layers with no feature', () => {
    const tile = decodeTile(
      encodeMvt([
        { name: 'empty', features: [{ properties: {}, geometry: { type: 'LineString', coordinates: [[1, 1], [1, 1]] } }] },
        { name: 'kept', features: [{ properties: {}, geometry: { type: 'Point', coordinates: [1, 1] } }] },
      ]),
    )
    expect(Object.keys(tile)).toEqual(['kept'])
    expect(encodeMvt([]).length).toBe(0)
  })

  it('writes feature ids when given', () => {
    expect(layer([{ id: 42, properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } }])!.features[0]!.id).toBe(42)
  })
})
