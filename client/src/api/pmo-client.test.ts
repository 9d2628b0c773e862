import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { createPmoClient } from './pmo-client'

/** A fetch that answers one JSON body and records what it was asked. */
function fakeFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; method: string; body: unknown }> = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined })
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }
  return { calls, fetch: fetch as typeof globalThis.fetch }
}

const PORTFOLIO = { asOfMs: 1, today: '2026-11-28', totals: { plannedCents: 0, committedCents: 0, spentCents: 0, projects: 0 }, lines: [{ line: 'pmo', projects: 1, plannedCents: 0, committedCents: 0, spentCents: 0, byHealth: { at_risk: 1 } }], funding: [], projects: [] }

const SITE = {
  type: 'Feature',
  id: 'ztl-varchi-nuovi',
  geometry: { type: 'LineString', coordinates: [[11.34, 44.49], [11.341, 44.4905]] },
  properties: {
    id: 'ztl-varchi-nuovi', title: 'Nuovi varchi ZTL', line: 'infrastrutture-smart', lineTitle: 'Infrastrutture digitali e smart city', status: 'in_progress', health: 'on_track',
    startDate: '2026-09-01', endDate: '2027-06-30', closesRoad: true, closedFrom: '2027-01-10', closedTo: '2027-02-10',
  },
}

describe('createPmoClient', () => {
  it('reads the portfolio, parsed with the contract (a line names only the healths it has)', async () => {
    const f = fakeFetch(200, PORTFOLIO)
    expect(await createPmoClient({ fetch: f.fetch }).portfolio()).toEqual(PORTFOLIO)
    expect(f.calls[0]).toMatchObject({ url: '/api/pmo/portfolio', method: 'GET' })
  })
  it('saves on a base version with PUT', async () => {
    const f = fakeFetch(409, { error: { code: 'CONFLICT', message: 'saved meanwhile' } })
    const project = { id: 'pp', line: 'pmo' as const, title: 'P', status: 'planned' as const, startDate: '2026-01-01', endDate: '2026-02-01' }
    const err = await createPmoClient({ fetch: f.fetch }).save('pp', project, 3, 'n').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('CONFLICT')
    expect(f.calls[0]).toMatchObject({ url: '/api/pmo/projects/pp', method: 'PUT', body: { project, baseVersion: 3, note: 'n' } })
  })
  it('refuses an answer that does not match the contract', async () => {
    const f = fakeFetch(200, { projects: 'none' })
    await expect(createPmoClient({ fetch: f.fetch }).list({ line: 'pmo' })).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
    expect(f.calls[0]!.url).toBe('/api/pmo/projects?line=pmo')
  })
  it('links the report with its language and line', () => {
    expect(createPmoClient().reportUrl('it')).toBe('/api/pmo/report.pdf?lang=it')
    expect(createPmoClient().reportUrl('en', 'governo-dati')).toBe('/api/pmo/report.pdf?lang=en&line=governo-dati')
  })

  it('reads the sites from /api/pmo/sites.geojson, each parsed with the contract', async () => {
    const f = fakeFetch(200, { type: 'FeatureCollection', features: [SITE] })
    const sites = await createPmoClient({ fetch: f.fetch }).sites()
    expect(f.calls[0]).toMatchObject({ url: '/api/pmo/sites.geojson', method: 'GET' })
    expect(sites.features[0]!.properties).toMatchObject({ id: 'ztl-varchi-nuovi', closesRoad: true, closedTo: '2027-02-10' })
    expect(sites.features[0]!.geometry.type).toBe('LineString')
  })
  it('skips a site that does not match the contract, and refuses what is not a collection', async () => {
    const oneBad = fakeFetch(200, { type: 'FeatureCollection', features: [{ ...SITE, geometry: { type: 'Circle', coordinates: [] } }, { ...SITE, properties: { ...SITE.properties, health: 'lost' } }, SITE] })
    expect((await createPmoClient({ fetch: oneBad.fetch }).sites()).features.map((s) => s.id)).toEqual(['ztl-varchi-nuovi'])
    await expect(createPmoClient({ fetch: fakeFetch(200, { projects: [] }).fetch }).sites()).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
  })
  it('fails the sites with the contract code without pmo:read, and with NETWORK when the server is not reached', async () => {
    await expect(createPmoClient({ fetch: fakeFetch(403, { error: { code: 'FORBIDDEN', message: 'Not allowed' } }).fetch }).sites()).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 })
    const offline = (async () => {
      throw new TypeError('fetch failed')
    }) as typeof globalThis.fetch
    const err = await createPmoClient({ fetch: offline }).sites().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('NETWORK')
  })
})
