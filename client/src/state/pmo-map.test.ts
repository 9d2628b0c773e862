import { describe, expect, it } from 'vitest'
import type { PmoSiteFeature } from '../../../contracts/pmo-api'
import { pmoSiteOf, siteCenter } from './pmo-map'

const feature = (): PmoSiteFeature => ({
  type: 'Feature',
  id: 'ztl',
  geometry: { type: 'LineString', coordinates: [[11.34, 44.49], [11.36, 44.51]] },
  properties: { id: 'ztl', title: 'Varchi', line: 'infrastrutture-smart', lineTitle: 'Infrastrutture digitali e smart city', status: 'in_progress', health: 'at_risk', startDate: '2026-09-01', endDate: '2027-06-30', closesRoad: true, closedFrom: '2027-01-10', closedTo: null },
})

describe('pmoSiteOf', () => {
  it('reads a site of /api/pmo/sites.geojson as the layer draws it', () =>
    expect(pmoSiteOf(feature())).toEqual({ id: 'ztl', title: 'Varchi', health: 'at_risk', closesRoad: true, closedFrom: '2027-01-10', closedTo: null, geometry: feature().geometry }))
})

describe('siteCenter', () => {
  it('is the middle of the bounding box', () => {
    const [lon, lat] = siteCenter(pmoSiteOf(feature()))
    expect(lon).toBeCloseTo(11.35)
    expect(lat).toBeCloseTo(44.5)
  })
})
