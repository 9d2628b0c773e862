import { describe, expect, it } from 'vitest'
import type { DashboardAreaCollection, ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { createDashboardsClient, dashboardPath } from './dashboards-client'

const DASHBOARD: ThemeDashboard = {
  id: 'cases', kind: 'theme', title: { it: 'Segnalazioni', en: 'Reports' }, description: { it: 'd', en: 'd' }, generatedAtMs: 1, window: { fromMs: 0, toMs: 1, days: 30 }, days: { default: 30, max: 366 },
  measures: [], panels: [], sources: [{ title: 'Segnalazioni', licence: 'CC BY 4.0', attribution: 'Comune di Bologna', url: null }],
}
const AREAS: DashboardAreaCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', id: '1', properties: { code: '01', name: 'Navile' }, geometry: { type: 'Polygon', coordinates: [[[11, 44], [11.1, 44], [11, 44.1], [11, 44]]] } }] }

/** A fetch answering from a table of paths, recording what was asked. */
function fakeFetch(answers: Record<string, () => Response>) {
  const asked: string[] = []
  const fetch = (async (input: RequestInfo | URL) => {
    const path = String(input)
    asked.push(path)
    const answer = answers[path]
    return answer ? answer() : new Response(JSON.stringify({ error: { code: 'DASHBOARD_NOT_FOUND', message: 'There is no dashboard "x".' } }), { status: 404 })
  }) as typeof globalThis.fetch
  return { fetch, asked }
}

describe('the dashboards client', () => {
  it('asks for a dashboard with the period only when one is given', async () => {
    const f = fakeFetch({ '/api/public/dashboards/cases?days=90': () => Response.json(DASHBOARD), '/api/public/dashboards/cases': () => Response.json(DASHBOARD) })
    const client = createDashboardsClient({ fetch: f.fetch })
    expect((await client.dashboard('cases', 90)).sources[0]!.attribution).toBe('Comune di Bologna')
    await client.dashboard('cases', null)
    expect(f.asked).toEqual(['/api/public/dashboards/cases?days=90', '/api/public/dashboards/cases'])
    expect(dashboardPath('welfare-2024', null)).toBe('/api/public/dashboards/welfare-2024')
  })
  it('refuses an answer that does not match the contract, and reports the server’s error code', async () => {
    const f = fakeFetch({ '/api/public/dashboards/cases': () => Response.json({ ...DASHBOARD, panels: [{ kind: 'pie' }] }) })
    const client = createDashboardsClient({ fetch: f.fetch })
    await expect(client.dashboard('cases', null)).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
    await expect(client.dashboard('nope', null)).rejects.toMatchObject({ code: 'DASHBOARD_NOT_FOUND', status: 404 })
  })
  it('asks for a level’s areas once, and again after a failure', async () => {
    let fail = true
    const f = fakeFetch({ '/api/public/dashboard-areas/quartiere': () => (fail ? new Response('busy', { status: 503 }) : Response.json(AREAS)) })
    const client = createDashboardsClient({ fetch: f.fetch })
    await expect(client.areas('quartiere')).rejects.toMatchObject({ status: 503 })
    fail = false
    expect((await client.areas('quartiere')).features[0]!.properties.name).toBe('Navile')
    await client.areas('quartiere')
    expect(f.asked).toHaveLength(2)
  })
})
