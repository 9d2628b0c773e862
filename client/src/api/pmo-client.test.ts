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
})
