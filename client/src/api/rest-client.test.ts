import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { createRestClient } from './rest-client'

function fakeFetch(status: number, body: unknown, calls: string[] = []): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    calls.push(String(input))
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}

const device = {
  id: 'loop-450',
  kind: 'traffic-loop',
  name: 'Via Irnerio',
  position: [11.35, 44.5],
  expectedIntervalS: 60,
  source: 'open-data',
  dataset: 'spire',
  props: { street: 'VIA IRNERIO' },
  states: [],
}

describe('createRestClient', () => {
  it('parses a device with its contract schema', async () => {
    const api = createRestClient({ fetch: fakeFetch(200, device) })
    const got = await api.getDevice('loop-450')
    expect(got.name).toBe('Via Irnerio')
  })

  it('builds the history query string', async () => {
    const calls: string[] = []
    const api = createRestClient({ fetch: fakeFetch(200, { deviceId: 'loop-450', stream: 'traffic', agg: '15m', fromMs: 1, toMs: 2, points: [] }, calls) })
    await api.deviceHistory('loop-450', { stream: 'traffic', fromMs: 1000, toMs: 2000, agg: '15m' })
    expect(calls[0]).toBe('/api/devices/loop-450/history?stream=traffic&from=1000&to=2000&agg=15m')
  })

  it('maps the error envelope to an ApiError with code and status', async () => {
    const api = createRestClient({ fetch: fakeFetch(404, { error: { code: 'DEVICE_NOT_FOUND', message: 'No device loop-9' } }) })
    const err = await api.getDevice('loop-9').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'DEVICE_NOT_FOUND', status: 404, message: 'No device loop-9' })
  })

  it('reports a response that breaks the contract as BAD_RESPONSE', async () => {
    const api = createRestClient({ fetch: fakeFetch(200, { ...device, kind: 'toaster' }) })
    await expect(api.getDevice('loop-450')).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
  })

  it('reports a non-envelope error body as HTTP_ERROR', async () => {
    const api = createRestClient({ fetch: fakeFetch(502, '<html>bad gateway</html>') })
    await expect(api.about()).rejects.toMatchObject({ code: 'HTTP_ERROR', status: 502 })
  })

  it('reports a failed connection as NETWORK', async () => {
    const api = createRestClient({ fetch: (async () => { throw new TypeError('fetch failed') }) as typeof fetch })
    await expect(api.about()).rejects.toMatchObject({ code: 'NETWORK', status: 0 })
  })
})
