import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { fetchPmoSites } from './pmo-sites-client'

const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/geo+json' } })
const site = {
  type: 'Feature',
  id: 'ztl-varchi-nuovi',
  geometry: { type: 'LineString', coordinates: [[11.34, 44.49], [11.341, 44.4905]] },
  properties: {
    id: 'ztl-varchi-nuovi', title: 'Nuovi varchi ZTL', line: 'infrastrutture-smart', lineTitle: 'Infrastrutture digitali e smart city', status: 'in_progress', health: 'on_track',
    startDate: '2026-09-01', endDate: '2027-06-30', closesRoad: true, closedFrom: '2027-01-10', closedTo: '2027-02-10',
  },
}

describe('the PMO sites client', () => {
  it('reads the sites from /api/pmo/sites.geojson, parsed', async () => {
    const urls: string[] = []
    const fetch = async (url: RequestInfo | URL) => {
      urls.push(String(url))
      return answer(200, { type: 'FeatureCollection', features: [site] })()
    }
    const sites = await fetchPmoSites(undefined, { fetch })
    expect(urls).toEqual(['/api/pmo/sites.geojson'])
    expect(sites.features[0]!.properties).toMatchObject({ id: 'ztl-varchi-nuovi', closesRoad: true, closedTo: '2027-02-10' })
    expect(sites.features[0]!.geometry.type).toBe('LineString')
  })

  it('fails with the contract code without pmo:read, and with NETWORK when the server is not reached', async () => {
    const forbidden = answer(403, { error: { code: 'FORBIDDEN', message: 'Not allowed' } })
    await expect(fetchPmoSites(undefined, { fetch: forbidden })).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 })
    const offline = async () => {
      throw new TypeError('fetch failed')
    }
    await expect(fetchPmoSites(undefined, { fetch: offline })).rejects.toBeInstanceOf(ApiError)
    await expect(fetchPmoSites(undefined, { fetch: offline })).rejects.toMatchObject({ code: 'NETWORK' })
  })

  it('skips a site that does not match the contract, and refuses what is not a collection', async () => {
    const oneBad = answer(200, { type: 'FeatureCollection', features: [{ ...site, geometry: { type: 'Circle', coordinates: [] } }, site] })
    expect((await fetchPmoSites(undefined, { fetch: oneBad })).features.map((f) => f.properties.id)).toEqual(['ztl-varchi-nuovi'])
    await expect(fetchPmoSites(undefined, { fetch: answer(200, { projects: [] }) })).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
  })
})
