import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeTempDirs, square, writeFeatureCollection } from '../testing/edge-case-files'
import { readOsmLandUse } from './osm-landuse'

afterAll(removeTempDirs)

const poly = (lon: number) => ({ type: 'Polygon', coordinates: [square(lon, 44.49)] })

/** A land-use feature as the bundle writes it (OSM tags nested under `tags`); override any property. */
function landUse(id: number, props: Record<string, unknown> = {}, geometry: unknown = poly(11.34)) {
  return { properties: { landuse: 'grass', military: null, id, osm_type: 'way', tags: { visible: false }, ...props }, geometry }
}

describe('readOsmLandUse on a generated file', () => {
  const file = writeFeatureCollection(path.join(makeTempDir(), 'landuse.geojson'), [
    landUse(1, { tags: { name: 'Giardino', operator: 'Comune' } }),
    landUse(1, { osm_type: 'relation', landuse: 'military', military: 'airfield' }, { type: 'MultiPolygon', coordinates: [[square(11.35, 44.49)], [square(11.36, 44.49)]] }),
    landUse(2, { landuse: null, tags: { leisure: 'park', name: 'Parco' } }),
    landUse(3, { landuse: null, tags: {} }),
    landUse(4, {}, { type: 'LineString', coordinates: square(11.34, 44.49) }),
    landUse(5, {}, { type: 'Polygon', coordinates: [] }),
    landUse(1),
  ])
  const r = readOsmLandUse(file)

  it('classes areas by landuse, then leisure/natural/amenity, top level or in tags', () => {
    expect(r.records.map((a) => [a.id, a.class, a.name, a.geometry.type])).toEqual([
      ['way-1', 'grass', 'Giardino', 'Polygon'],
      ['relation-1', 'military', null, 'MultiPolygon'],
      ['way-2', 'park', 'Parco', 'Polygon'],
    ])
    expect(r.records[0]?.props).toEqual({ osmType: 'way', osmId: '1', classKey: 'landuse', operator: 'Comune' })
    expect(r.records[1]?.props).toEqual({ osmType: 'relation', osmId: '1', classKey: 'landuse', detail: 'airfield' })
    expect(r.records[2]?.props.classKey).toBe('leisure')
  })

  it('refuses features without class, non-polygons (not even closed lines) and empty polygons', () => {
    expect(r.problems.map((p) => [p.row, p.problem])).toEqual([
      [4, 'rejected: no class (none of landuse, leisure, natural, amenity)'],
      [5, 'rejected: geometry is a LineString; a land-use area is a Polygon or MultiPolygon (not converted)'],
      [6, 'rejected: empty Polygon'],
      [7, 'rejected: duplicate id (first at feature 1)'],
    ])
  })
})
