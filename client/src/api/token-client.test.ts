import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { createTokenClient } from './token-client'

type Call = { url: string; init: RequestInit | undefined }
function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init })
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}
const token = { id: 4, username: 'gis-marco', name: 'QGIS, office PC', prefix: 'gmt_ab12', status: 'active', createdAtMs: 1, expiresAtMs: 2, lastUsedAtMs: null, revokedAtMs: null }

describe('the token client', () => {
  it('lists, creates and revokes on the contract paths', async () => {
    const calls: Call[] = []
    await createTokenClient({ fetch: fakeFetch(200, { tokens: [token] }, calls) }).list()
    const created = await createTokenClient({ fetch: fakeFetch(200, { ...token, secret: `gmt_${'a'.repeat(43)}` }, calls) }).create({ name: 'QGIS, office PC', expiresInDays: 90 })
    expect(created.secret).toMatch(/^gmt_/)
    await createTokenClient({ fetch: fakeFetch(200, { ...token, status: 'revoked', revokedAtMs: 3 }, calls) }).revoke(4)
    expect(calls.map((c) => `${c.init!.method} ${c.url}`)).toEqual(['GET /api/tokens', 'POST /api/tokens', 'DELETE /api/tokens/4'])
    expect(JSON.parse(String(calls[1]!.init!.body))).toEqual({ name: 'QGIS, office PC', expiresInDays: 90 })
  })

  it('refuses a created token without a well-formed secret', async () => {
    const err = await createTokenClient({ fetch: fakeFetch(200, { ...token, secret: 'password' }) }).create({ name: 'x', expiresInDays: 1 }).catch((e: unknown) => e)
    expect((err as ApiError).code).toBe('BAD_RESPONSE')
  })
})
