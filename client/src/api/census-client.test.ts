import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { createCensusClient, versionOfEtag } from './census-client'

type Call = { url: string; init: RequestInit | undefined }
interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}
function fakeFetch(answers: Answer[], calls: Call[] = []): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init })
    const a = answers.shift() ?? { status: 500, body: {} }
    const body = a.status === 204 ? null : JSON.stringify(a.body ?? {})
    return new Response(body, { status: a.status, headers: { 'content-type': 'application/json', ...a.headers } })
  }) as typeof fetch
}
const headersOf = (c: Call) => new Headers(c.init?.headers)
const pole = (id: number, version: number, props: Record<string, unknown> = {}) => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [11.3426, 44.4937] },
  properties: { status: 'functional', _version: version, ...props },
  links: [],
})

describe('the census client', () => {
  it('reads the features of a box from /ogc as GeoJSON, with numberMatched', async () => {
    const calls: Call[] = []
    const api = createCensusClient({ fetch: fakeFetch([{ status: 200, body: { type: 'FeatureCollection', features: [pole(7, 2)], numberMatched: 9, numberReturned: 1, links: [] } }], calls) })
    const page = await api.items('poles', { bbox: [11.3, 44.4, 11.4, 44.5], limit: 5000 })
    expect(page.numberMatched).toBe(9)
    expect(page.features[0]!.properties._version).toBe(2)
    expect(calls[0]!.url).toBe('/ogc/collections/poles/items?f=json&bbox=11.3%2C44.4%2C11.4%2C44.5&limit=5000')
    expect(headersOf(calls[0]!).get('accept')).toBe('application/geo+json')
  })

  it('returns a feature with its ETag and version', async () => {
    const api = createCensusClient({ fetch: fakeFetch([{ status: 200, body: pole(7, 3), headers: { etag: '"7:v3"' } }]) })
    const got = await api.feature('poles', 7)
    expect(got).toMatchObject({ etag: '"7:v3"', version: 3, feature: { id: 7 } })
  })

  it('creates with POST application/geo+json and the change note, and returns the new ETag', async () => {
    const calls: Call[] = []
    const api = createCensusClient({ fetch: fakeFetch([{ status: 201, body: pole(12, 1), headers: { etag: '"12:v1"', location: '/ogc/collections/poles/items/12' } }], calls) })
    const saved = await api.create('poles', { geometry: { type: 'Point', coordinates: [11.34, 44.49] }, properties: { status: 'functional' } }, 'Nuovo palo, via Irnerio')
    expect(saved.version).toBe(1)
    const h = headersOf(calls[0]!)
    expect(calls[0]!.init!.method).toBe('POST')
    expect(h.get('content-type')).toBe('application/geo+json')
    expect(decodeURIComponent(h.get('x-gemello-note')!)).toBe('Nuovo palo, via Irnerio')
    expect(JSON.parse(String(calls[0]!.init!.body))).toEqual({ type: 'Feature', geometry: { type: 'Point', coordinates: [11.34, 44.49] }, properties: { status: 'functional' } })
  })

  it('always sends If-Match with a change, as a JSON merge patch', async () => {
    const calls: Call[] = []
    const api = createCensusClient({ fetch: fakeFetch([{ status: 200, body: pole(7, 4, { heightM: 9 }), headers: { etag: '"7:v4"' } }], calls) })
    const saved = await api.update('poles', 7, '"7:v3"', { properties: { heightM: 9, notes: null } })
    expect(saved.etag).toBe('"7:v4"')
    const h = headersOf(calls[0]!)
    expect(calls[0]!.init!.method).toBe('PATCH')
    expect(h.get('if-match')).toBe('"7:v3"')
    expect(h.get('content-type')).toBe('application/merge-patch+json')
    expect(h.has('x-gemello-note')).toBe(false)
    expect(JSON.parse(String(calls[0]!.init!.body))).toEqual({ properties: { heightM: 9, notes: null } })
  })

  it('turns a 412 into PRECONDITION_FAILED (someone else changed the feature)', async () => {
    const envelope = { code: 'PRECONDITION_FAILED', description: 'If-Match "7:v3" …', error: { code: 'PRECONDITION_FAILED', message: 'If-Match "7:v3" is not the current version 4' } }
    const api = createCensusClient({ fetch: fakeFetch([{ status: 412, body: envelope }]) })
    const err = await api.update('poles', 7, '"7:v3"', { properties: { heightM: 9 } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('PRECONDITION_FAILED')
    expect((err as ApiError).status).toBe(412)
  })

  it('keeps the details of INVALID_FEATURE for the form', async () => {
    const envelope = { error: { code: 'INVALID_FEATURE', message: 'The attributes do not match', details: [{ path: 'properties.heightM', message: 'Height (heightM) is 50 m; at most 40' }] } }
    const api = createCensusClient({ fetch: fakeFetch([{ status: 422, body: envelope }]) })
    const err = (await api.create('poles', { geometry: { type: 'Point', coordinates: [11.34, 44.49] }, properties: { heightM: 50 } }).catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('INVALID_FEATURE')
    expect(err.details).toEqual([{ path: 'properties.heightM', message: 'Height (heightM) is 50 m; at most 40' }])
  })

  it('deletes with If-Match and accepts 204; FEATURE_IN_USE is an ApiError', async () => {
    const calls: Call[] = []
    const api = createCensusClient({ fetch: fakeFetch([{ status: 204 }, { status: 409, body: { error: { code: 'FEATURE_IN_USE', message: 'Street light 3 is on this pole' } } }], calls) })
    await api.remove('poles', 7, '"7:v4"', 'rimosso')
    expect(calls[0]!.init!.method).toBe('DELETE')
    expect(headersOf(calls[0]!).get('if-match')).toBe('"7:v4"')
    const err = (await api.remove('poles', 7, '"7:v4"').catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('FEATURE_IN_USE')
  })

  it('refuses a written feature without a strong ETag', async () => {
    const api = createCensusClient({ fetch: fakeFetch([{ status: 200, body: pole(7, 4), headers: { etag: 'W/"7:v4"' } }]) })
    const err = (await api.feature('poles', 7).catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('BAD_RESPONSE')
  })

  it('reads the history and the repair preview on their contract paths', async () => {
    const calls: Call[] = []
    const version = { version: 1, deleted: false, properties: { status: 'functional' }, geometry: { type: 'Point', coordinates: [11.34, 44.49] }, validFromMs: 1, validToMs: null, editor: 'marco', editorRole: 'gis_editor', requestId: null, note: null, lastWriterWins: false }
    const api = createCensusClient({
      fetch: fakeFetch(
        [
          { status: 200, body: { collection: 'poles', id: 7, versions: [version] } },
          { status: 200, body: { valid: false, reason: 'Self-intersection[11.345 44.495]', repaired: { type: 'MultiPolygon', coordinates: [] }, repairedType: 'MultiPolygon', acceptable: false, message: 'makes two polygons' } },
        ],
        calls,
      ),
    })
    expect((await api.history('poles', 7)).versions[0]!.editor).toBe('marco')
    expect((await api.repairPreview('service-areas', { type: 'Polygon', coordinates: [] })).acceptable).toBe(false)
    expect(calls.map((c) => `${c.init!.method} ${c.url}`)).toEqual(['GET /api/census/poles/7/history', 'POST /api/census/service-areas/repair-preview'])
  })

  it('uploads an import as raw bytes with dryRun and the note in the query', async () => {
    const calls: Call[] = []
    const report = { collection: 'poles', format: 'geojson', sourceCrs: 'CRS84', features: 2, created: 2, replaced: 0, stored: false, problems: [] }
    const api = createCensusClient({ fetch: fakeFetch([{ status: 200, body: report }], calls) })
    const file = new Blob(['{"type":"FeatureCollection","features":[]}'])
    expect(await api.importFile('poles', file, { dryRun: true, note: 'rilievo 2026' })).toEqual(report)
    expect(calls[0]!.url).toBe('/api/census/poles/import?dryRun=true&note=rilievo+2026')
    expect(headersOf(calls[0]!).get('content-type')).toBe('application/octet-stream')
    expect(calls[0]!.init!.body).toBe(file)
  })

  it('links the exports and reads ETags', () => {
    expect(createCensusClient().exportUrl('ducts', 'flatgeobuf')).toBe('/api/census/ducts/export?format=flatgeobuf')
    expect(versionOfEtag('"12:v5"')).toBe(5)
    expect(versionOfEtag('W/"12:v5"')).toBeNull()
    expect(versionOfEtag(null)).toBeNull()
  })

  it('a network failure is NETWORK, not a crash', async () => {
    const api = createCensusClient({ fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch })
    expect(((await api.model().catch((e: unknown) => e)) as ApiError).code).toBe('NETWORK')
  })
})
