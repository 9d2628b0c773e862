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

  it('encodes path parameters', () => {
    expect(fillPath('/api/signal-controllers/:id/plans/:planId', { id: 'a b', planId: 'x/y' })).toBe('/api/signal-controllers/a%20b/plans/x%2Fy')
    expect(() => fillPath('/x/:id', {})).toThrow(/no value for :id/)
  })
})
