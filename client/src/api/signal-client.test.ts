import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { createSignalClient, fillPath } from './signal-client'

type Call = { url: string; init: RequestInit | undefined }
function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init })
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}

describe('the signal REST client', () => {
  it('fills the contract path and method, and parses the answer', async () => {
    const calls: Call[] = []
    const api = createSignalClient({ fetch: fakeFetch(200, { deployments: [] }, calls) })
    expect(await api.listDeployments('2.09')).toEqual([])
    expect(calls[0]!.url).toBe('/api/signal-controllers/2.09/deployments')
    expect(calls[0]!.init!.method).toBe('GET')
  })

  it('sends the body as JSON to the action route', async () => {
    const calls: Call[] = []
    const api = createSignalClient({ fetch: fakeFetch(500, {}, calls) })
    await api.actOnPlanVersion('209', 'day', 3, { action: 'approve' }).catch(() => undefined)
    expect(calls[0]!.url).toBe('/api/signal-controllers/209/plans/day/versions/3/actions')
    expect(calls[0]!.init!.method).toBe('POST')
    expect(JSON.parse(String(calls[0]!.init!.body))).toEqual({ action: 'approve' })
  })

  it('turns the error envelope into an ApiError with the contract code (four-eyes)', async () => {
    const api = createSignalClient({ fetch: fakeFetch(403, { error: { code: 'FOUR_EYES', message: 'You wrote this version: another engineer must approve it.' } }) })
    const err = await api.actOnPlanVersion('209', 'day', 3, { action: 'approve' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('FOUR_EYES')
    expect((err as ApiError).message).toContain('another engineer')
  })

  it('refuses an answer that does not match the contract', async () => {
    const api = createSignalClient({ fetch: fakeFetch(200, { controllers: [{ id: 1 }] }) })
    const err = await api.listControllers().catch((e: unknown) => e)
    expect((err as ApiError).code).toBe('BAD_RESPONSE')
  })

  it('asks for the junction geometry and parses the GeoJSON', async () => {
    const calls: Call[] = []
    const line = { type: 'Feature', geometry: { type: 'LineString', coordinates: [[11.3, 44.5], [11.31, 44.5]] }, properties: { kind: 'lane', groupId: 'S1', laneId: 'a31_0', type: 'vehicle', turn: 'mixed' } }
    const api = createSignalClient({ fetch: fakeFetch(200, { type: 'FeatureCollection', features: [line] }, calls) })
    expect((await api.getGeometry('210')).features).toEqual([line])
    expect(calls[0]!.url).toBe('/api/signal-controllers/210/geometry')
  })

  it('starts, follows and cancels SUMO runs on their contract paths', async () => {
    const calls: Call[] = []
    const api = createSignalClient({ fetch: fakeFetch(500, {}, calls) })
    await api.createSumoRun('210', { planId: 'utopia', version: 2, demand: 'scenario', hour: 8, durationS: 600 }).catch(() => undefined)
    await api.getSumoRun(7).catch(() => undefined)
    await api.cancelSumoRun(7).catch(() => undefined)
    expect(calls.map((c) => `${c.init!.method} ${c.url}`)).toEqual(['POST /api/signal-controllers/210/sumo-runs', 'GET /api/sumo-runs/7', 'POST /api/sumo-runs/7/cancel'])
    expect(JSON.parse(String(calls[0]!.init!.body))).toEqual({ planId: 'utopia', version: 2, demand: 'scenario', hour: 8, durationS: 600 })
  })

  it('encodes path parameters', () => {
    expect(fillPath('/api/signal-controllers/:id/plans/:planId', { id: 'a b', planId: 'x/y' })).toBe('/api/signal-controllers/a%20b/plans/x%2Fy')
    expect(() => fillPath('/x/:id', {})).toThrow(/no value for :id/)
  })
})
