import { get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../http/app'
import { mountStyleRoutes, type AreaSource } from './style-routes'

/** Two generated districts and a zone, as the base-map cache serves them. */
const square = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]
const areas: AreaSource = {
  get: async (layer) => {
    const features =
      layer === 'quartieri'
        ? [
            { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(11.3, 44.48, 0.02) }, properties: { id: 'q1', name: 'Navile', code: '12' } },
            { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(11.32, 44.48, 0.02) }, properties: { id: 'q2', name: 'Savena', code: '16' } },
          ]
        : [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: square(11.3, 44.48, 0.01) }, properties: { id: 'z1', name: 'Bolognina', code: 'A' } }]
    return { body: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })) }
  },
}

let server: Server
let base: string

beforeAll(async () => {
  const app = createApp({ clientDir: null, mountRoutes: (a) => mountStyleRoutes(a, areas) })
  server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('GET /styles/<theme>.json', () => {
  it('serves each theme with tile URLs on the host the browser used', async () => {
    for (const theme of ['dark', 'light']) {
      const res = await fetch(`${base}/styles/${theme}.json`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/application\/json/)
      expect(res.headers.get('vary')).toMatch(/Host/)
      const style = (await res.json()) as { metadata: Record<string, string>; sources: Record<string, { url: string }> }
      expect(style.metadata['gemello:theme']).toBe(theme)
      expect(style.sources.base?.url).toBe(`${base}/tiles/base.json`)
    }
  })

  it('answers an unchanged style with 304 to a revalidation', async () => {
    const first = await fetch(`${base}/styles/dark.json`)
    const etag = first.headers.get('etag')
    expect(etag).toBeTruthy()
    // node:http, not fetch: fetch turns a conditional request into a no-cache reload.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${base}/styles/dark.json`, { headers: { 'if-none-match': etag! } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      }).on('error', reject)
    })
    expect(status).toBe(304)
  })

  it('serves one label point per district and zone, inside it', async () => {
    const res = await fetch(`${base}/styles/area-labels.geojson`)
    expect(res.status).toBe(200)
    const fc = (await res.json()) as { features: Array<{ geometry: { coordinates: [number, number] }; properties: { kind: string; name: string } }> }
    expect(fc.features.map((f) => `${f.properties.kind}:${f.properties.name}`)).toEqual(['quartiere:Navile', 'quartiere:Savena', 'zona:Bolognina'])
    const [x, y] = fc.features[0]!.geometry.coordinates
    expect(x).toBeCloseTo(11.31, 3)
    expect(y).toBeCloseTo(44.49, 3)
  })

  it('says which styles exist when asked for another', async () => {
    const res = await fetch(`${base}/styles/sepia.json`)
    expect(res.status).toBe(404)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('NOT_FOUND')
    expect(body.error.message).toMatch(/dark\.json, light\.json/)
  })
})
