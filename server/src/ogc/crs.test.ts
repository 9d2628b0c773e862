import { describe, expect, it } from 'vitest'
import { CRS84, CrsError, SUPPORTED_CRS, bboxToStoredOrder, contentCrsHeader, parseCrs, toCrsAxisOrder } from './crs'

describe('parseCrs', () => {
  it('defaults to CRS84 when absent', () => {
    expect(parseCrs(undefined, 'crs').uri).toBe(CRS84)
    expect(parseCrs('', 'Content-Crs').uri).toBe(CRS84)
  })

  it('reads the URI with or without angle brackets, and the EPSG CURIE forms', () => {
    expect(parseCrs('<http://www.opengis.net/def/crs/EPSG/0/6707>', 'Content-Crs')).toMatchObject({ srid: 6707, swapAxes: true })
    expect(parseCrs('http://www.opengis.net/def/crs/EPSG/0/3003', 'crs')).toMatchObject({ srid: 3003, swapAxes: false })
    expect(parseCrs('[EPSG:4326]', 'bbox-crs')).toMatchObject({ srid: 4326, swapAxes: true })
    expect(parseCrs('EPSG:7791', 'crs')).toMatchObject({ srid: 7791, swapAxes: false })
    expect(parseCrs('https://www.opengis.net/def/crs/EPSG/0/3857', 'crs').srid).toBe(3857)
  })

  it('refuses an unsupported CRS, listing the supported ones', () => {
    expect(() => parseCrs('http://www.opengis.net/def/crs/EPSG/0/32632', 'crs')).toThrow(CrsError)
    expect(() => parseCrs('EPSG:32632', 'crs')).toThrow(/use one of http:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84/)
  })

  it('lists CRS84 first, every code once', () => {
    expect(SUPPORTED_CRS[0]!.uri).toBe(CRS84)
    expect(new Set(SUPPORTED_CRS.map((c) => c.uri)).size).toBe(SUPPORTED_CRS.length)
    expect(contentCrsHeader(SUPPORTED_CRS[0]!)).toBe(`<${CRS84}>`)
  })
})

describe('axis order', () => {
  const epsg4326 = parseCrs('EPSG:4326', 'crs')
  const crs84 = parseCrs(undefined, 'crs')

  it('swaps a point, a polygon and a collection for a latitude-first CRS, and back', () => {
    const point = { type: 'Point', coordinates: [11.3426, 44.4949] }
    expect(toCrsAxisOrder(point, epsg4326).coordinates).toEqual([44.4949, 11.3426])
    expect(toCrsAxisOrder(toCrsAxisOrder(point, epsg4326), epsg4326)).toEqual(point)
    const poly = { type: 'Polygon', coordinates: [[[11, 44], [12, 44], [12, 45], [11, 44]]] }
    expect(toCrsAxisOrder(poly, epsg4326).coordinates).toEqual([[[44, 11], [44, 12], [45, 12], [44, 11]]])
    const coll = { type: 'GeometryCollection', geometries: [point, { type: 'LineString', coordinates: [[1, 2, 3], [4, 5, 6]] }] }
    expect(toCrsAxisOrder(coll, epsg4326).geometries).toEqual([{ type: 'Point', coordinates: [44.4949, 11.3426] }, { type: 'LineString', coordinates: [[2, 1, 3], [5, 4, 6]] }])
  })

  it('leaves CRS84 and E-N coordinates as they are', () => {
    const point = { type: 'Point', coordinates: [11.3426, 44.4949] }
    expect(toCrsAxisOrder(point, crs84)).toBe(point)
    expect(toCrsAxisOrder(null, epsg4326)).toBeNull()
  })

  it('reads a bbox in the CRS axis order into the stored order, and catches a swapped one', () => {
    expect(bboxToStoredOrder([44.4, 11.2, 44.6, 11.5], epsg4326)).toEqual([11.2, 44.4, 11.5, 44.6])
    expect(bboxToStoredOrder([11.2, 44.4, 11.5, 44.6], crs84)).toEqual([11.2, 44.4, 11.5, 44.6])
    expect(bboxToStoredOrder([11.2, 44.4, 0, 11.5, 44.6, 100], crs84)).toEqual([11.2, 44.4, 11.5, 44.6])
    expect(() => bboxToStoredOrder([11.5, 44.4, 11.2, 44.6], crs84)).toThrow(/lower corner above/)
    expect(() => bboxToStoredOrder([1, 2, 3], crs84)).toThrow(/give 4/)
  })
})
