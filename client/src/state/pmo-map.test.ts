import { describe, expect, it } from 'vitest'
import { pmoSiteOf, siteCenter } from './pmo-map'

const feature = (o: Record<string, unknown> = {}) => ({
  type: 'Feature',
  id: 'ztl',
  geometry: { type: 'LineString', coordinates: [[11.34, 44.49], [11.36, 44.51]] },
  properties: { id: 'ztl', title: 'Varchi', health: 'at_risk', closesRoad: true, closedFrom: '2027-01-10', closedTo: null },
  ...o,
})

describe('pmoSiteOf', () => {
  it('reads a site of /api/pmo/sites.geojson', () => expect(pmoSiteOf(feature())).toMatchObject({ id: 'ztl', title: 'Varchi', health: 'at_risk', closesRoad: true, closedFrom: '2027-01-10', closedTo: null }))
  it('skips a feature without a valid geometry', () => expect(pmoSiteOf(feature({ geometry: { type: 'LineString', coordinates: [[0, 0]] } }))).toBeNull())
  it('skips what is not a feature', () => expect(pmoSiteOf('x')).toBeNull())
})

describe('siteCenter', () => {
  it('is the middle of the bounding box', () => {
    const [lon, lat] = siteCenter(pmoSiteOf(feature())!)
    expect(lon).toBeCloseTo(11.35)
    expect(lat).toBeCloseTo(44.5)
  })
})
