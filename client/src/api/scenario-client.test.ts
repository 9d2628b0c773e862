import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { createScenarioClient, fillScenarioPath } from './scenario-client'
import { estimate, links, scenarioDetail, sumoRun } from '../scenarios/testing/scenario-fixtures'

type Call = { url: string; init: RequestInit | undefined }
function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init })
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}

describe('the scenario REST client', () => {
  it('lists scenarios with the status filter in the query', async () => {
    const calls: Call[] = []
    const { latest: _l, versions: _v, branches: _b, ...summary } = scenarioDetail()
    const api = createScenarioClient({ fetch: fakeFetch(200, { scenarios: [summary] }, calls) })
    const list = await api.list({ status: 'published' })
    expect(list.map((s) => s.id)).toEqual(['chiusura-via-rizzoli'])
    expect(calls[0]!.url).toBe('/api/scenarios?status=published')
    expect(calls[0]!.init!.method).toBe('GET')
  })

  it('asks the estimate of a version at the slider hour, and parses it', async () => {
    const calls: Call[] = []
    const api = createScenarioClient({ fetch: fakeFetch(200, estimate({ hour: 17 }), calls) })
    const e = await api.estimate({ id: 'chiusura-via-rizzoli', version: 2 }, 17)
    expect(e.hour).toBe(17)
    expect(calls[0]!.url).toBe('/api/scenarios/chiusura-via-rizzoli/versions/2/estimate?hour=17')
  })

  it("asks the estimate at the base's own hour when no hour is given", async () => {
    const calls: Call[] = []
    const api = createScenarioClient({ fetch: fakeFetch(200, links(), calls) })
    const fc = await api.links({ id: 'a', version: 1 }, undefined)
    expect(fc.features).toHaveLength(2)
    expect(calls[0]!.url).toBe('/api/scenarios/a/versions/1/estimate/links')
  })

  it('saves a version with its base version as JSON', async () => {
    const calls: Call[] = []
    const detail = scenarioDetail()
    const api = createScenarioClient({ fetch: fakeFetch(200, detail, calls) })
    await api.save('chiusura-via-rizzoli', { document: detail.latest.document, baseVersion: 2, note: 'more' })
    expect(calls[0]!.url).toBe('/api/scenarios/chiusura-via-rizzoli/versions')
    expect(calls[0]!.init!.method).toBe('POST')
    expect(JSON.parse(String(calls[0]!.init!.body))).toMatchObject({ baseVersion: 2, note: 'more' })
  })

  it('turns a 409 into CONFLICT (someone saved a version meanwhile)', async () => {
    const api = createScenarioClient({ fetch: fakeFetch(409, { error: { code: 'CONFLICT', message: 'Version 3 was saved meanwhile' } }) })
    const err = await api.save('a', { document: scenarioDetail().latest.document, baseVersion: 2 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('CONFLICT')
    expect((err as ApiError).status).toBe(409)
  })

  it('refuses an estimate that does not match the contract', async () => {
    const api = createScenarioClient({ fetch: fakeFetch(200, { ...estimate(), hour: 31 }) })
    const err = await api.estimate({ id: 'a', version: 1 }, 8).catch((e: unknown) => e)
    expect((err as ApiError).code).toBe('BAD_RESPONSE')
    expect((err as ApiError).message).toContain('hour')
  })

  it('polls, cancels and reads the edges of a SUMO run on their own routes', async () => {
    const calls: Call[] = []
    const run = sumoRun()
    const api = createScenarioClient({ fetch: fakeFetch(200, run, calls) })
    await api.getSumoRun(7)
    await api.cancelSumoRun(7)
    await api.createSumoRun({ id: 'a', version: 2 }, { network: 'joined', durationS: 600 })
    expect(calls.map((c) => `${c.init!.method} ${c.url}`)).toEqual(['GET /api/scenario-sumo-runs/7', 'POST /api/scenario-sumo-runs/7/cancel', 'POST /api/scenarios/a/versions/2/sumo-runs'])
  })

  it('gives the briefing as a URL with the hour and the language', () => {
    const api = createScenarioClient()
    expect(api.briefingUrl({ id: 'a', version: 3 }, 8)).toBe('/api/scenarios/a/versions/3/briefing?hour=8')
    expect(api.briefingUrl({ id: 'a', version: 3 }, undefined)).toBe('/api/scenarios/a/versions/3/briefing')
    expect(api.briefingUrl({ id: 'a', version: 3 }, 17, 'it')).toBe('/api/scenarios/a/versions/3/briefing?hour=17&lang=it')
  })

  it('encodes path parameters and names a missing one', () => {
    expect(fillScenarioPath('/api/scenarios/:id', { id: 'a b' })).toBe('/api/scenarios/a%20b')
    expect(() => fillScenarioPath('/api/scenarios/:id', {})).toThrow(/:id/)
  })
})
