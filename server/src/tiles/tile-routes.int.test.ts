/**
 * The tile endpoints over real HTTP on a real database (embedded or PostgreSQL), with the
 * generated edge-case rows: headers, revalidation, errors, TileJSON and the source list.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TileJsonSchema, TileSourceListSchema } from '../../../contracts/api'
import { ErrorEnvelopeSchema } from '../../../contracts/errors'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { createApp } from '../http/app'
import { buildOpenApi } from '../http/openapi'
import { mountTileRoutes, withTileFastPath } from './tile-routes'
import { TileService } from './tile-service'
import { decodeTile } from './testing/tile-dump'
import { FIXTURE_TILE as T, insertTileFixtures } from './testing/tile-fixtures'

let t: TestDb
let service: TileService
const servers: Server[] = []
let base = ''
let proxied = ''
let expressOnly = ''
let fast = ''
let expressRequests = 0

/** A server as gemello.ts builds it (cached tiles before Express), or Express alone. */
async function listen(o: { trustProxy: boolean; fastPath: boolean; service?: TileService }): Promise<string> {
  const svc = o.service ?? service
  const app = createApp({
    clientDir: null,
    mountRoutes: (a) => {
      if (o.trustProxy) a.set('trust proxy', true)
      a.use((_req, _res, next) => {
        expressRequests++
        next()
      })
      mountTileRoutes(a, svc)
    },
  })
  const server = createServer(o.fastPath ? withTileFastPath(svc, app) : app).listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  t = await createTestDb()
  await insertTileFixtures(t.db)
  service = new TileService(t.db, { versionTtlMs: 0 })
  base = await listen({ trustProxy: false, fastPath: true })
  proxied = await listen({ trustProxy: true, fastPath: false })
  // The fast path needs a data version younger than its TTL: a service that trusts it for a minute.
  const steady = new TileService(t.db, { versionTtlMs: 60_000 })
  fast = await listen({ trustProxy: false, fastPath: true, service: steady })
  expressOnly = await listen({ trustProxy: false, fastPath: false, service: steady })
}, 240_000)
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r))
  await t?.drop()
})

/** Raw HTTP (fetch would decompress and hide what went over the wire). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
      .on('error', reject)
      .end()
  })
}
const tileUrl = (source = 'base', z = T.z, x = T.x, y = T.y) => `${base}/tiles/${source}/${z}/${x}/${y}.pbf`
const errorOf = (body: Buffer) => ErrorEnvelopeSchema.parse(JSON.parse(body.toString())).error

describe('GET /tiles/<source>/<z>/<x>/<y>.pbf', () => {
  it('sends the MVT gzipped when the client accepts gzip, with content type, ETag and Cache-Control', async () => {
    const r = await get(tileUrl(), { 'accept-encoding': 'gzip, deflate' })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile')
    expect(r.headers['content-encoding']).toBe('gzip')
    expect(r.headers.vary).toMatch(/Accept-Encoding/)
    expect(r.headers['cache-control']).toMatch(/max-age=\d+/)
    expect(r.headers.etag).toMatch(/^W\/".+"$/)
    expect(Object.keys(decodeTile(gunzipSync(r.body)))).toEqual(expect.arrayContaining(['areas', 'roads', 'buildings', 'land_use', 'streets']))
  })

  it.each([['no Accept-Encoding', {}], ['gzip;q=0', { 'accept-encoding': 'gzip;q=0, identity' }], ['br only', { 'accept-encoding': 'br' }]])(
    'sends the plain MVT to a client that does not accept gzip (%s)',
    async (_case, headers: Record<string, string>) => {
      const r = await get(tileUrl(), headers)
      expect(r.headers['content-encoding']).toBeUndefined()
      expect(decodeTile(r.body).roads?.features.length).toBeGreaterThan(0)
    },
  )

  it('answers 304 without a body when If-None-Match holds the current ETag', async () => {
    const first = await get(tileUrl())
    const again = await get(tileUrl(), { 'if-none-match': `"other", ${first.headers.etag!}` })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    expect(again.headers.etag).toBe(first.headers.etag)
  })

  it('answers 204 for a tile with no feature', async () => {
    const r = await get(tileUrl('base', 14, 0, 0))
    expect(r.status).toBe(204)
    expect(r.body.length).toBe(0)
    expect(r.headers['cache-control']).toMatch(/max-age/)
  })

  it.each([
    ['17/0/0', /above the maxzoom 16/],
    ['14/16384/5926', /outside the grid: at zoom 14, x and y run from 0 to 16383/],
    ['1.5/0/0', /z must be a non-negative integer/],
    ['14/-1/0', /x must be a non-negative integer/],
    ['14/8708/05926', /y must be a non-negative integer/],
  ])('refuses %s with 400 VALIDATION_FAILED and says what is valid', async (zxy, message) => {
    const r = await get(`${base}/tiles/base/${zxy}.pbf`)
    expect(r.status).toBe(400)
    const e = errorOf(r.body)
    expect(e.code).toBe('VALIDATION_FAILED')
    expect(e.message).toMatch(message)
  })

  it('answers 404 NOT_FOUND naming the sources for an unknown source', async () => {
    const r = await get(tileUrl('satellite'))
    expect(r.status).toBe(404)
    expect(errorOf(r.body)).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('base, network, assets') })
  })

  it('serves a re-imported dataset at once: new content, new ETag, the old one no longer revalidates', async () => {
    const before = await get(tileUrl('assets'))
    await t.db.query(`UPDATE device SET name = 'Loop renamed' WHERE id = 'dev-in'`)
    await t.db.query(`UPDATE dataset_import SET imported_at = now() + interval '1 second' WHERE dataset_id = 'tile-fixtures'`)
    const after = await get(tileUrl('assets'), { 'if-none-match': before.headers.etag! })
    expect(after.status).toBe(200)
    expect(after.headers.etag).not.toBe(before.headers.etag)
    expect(decodeTile(after.body).devices!.features.find((f) => f.properties.id === 'dev-in')!.properties.name).toBe('Loop renamed')
  })

  it('answers a valid tile before Express, rendered or cached, exactly as the Express route does (status, headers, body; 200, 304, 204)', async () => {
    const p = `/tiles/base/15/${T.x * 2}/${T.y * 2}.pbf`
    // A caller's request id comes back from both paths (without one, each answer gets its own new id).
    const rid = { 'x-request-id': 'proxy-7' }
    const cases: Array<[string, Record<string, string>]> = [[p, { 'accept-encoding': 'gzip', ...rid }], [p, rid], ['/tiles/base/14/1/1.pbf', rid]]
    const strip = ({ date: _d, ...rest }: IncomingHttpHeaders) => rest
    for (const [path, headers] of cases) {
      const rendered = expressRequests
      const first = await get(`${fast}${path}`, headers)
      expect(expressRequests).toBe(rendered)
      for (const h of [headers, { ...headers, 'if-none-match': first.headers.etag! }]) {
        const before = expressRequests
        const viaFastPath = await get(`${fast}${path}`, h)
        expect(expressRequests).toBe(before)
        const viaExpress = await get(`${expressOnly}${path}`, h)
        expect(expressRequests).toBe(before + 1)
        expect({ status: viaFastPath.status, headers: strip(viaFastPath.headers), body: viaFastPath.body.toString('base64') }).toEqual({
          status: viaExpress.status,
          headers: strip(viaExpress.headers),
          body: viaExpress.body.toString('base64'),
        })
      }
    }
  })

  it('answers a tile it cannot render with the error envelope: 503 DB_UNAVAILABLE while the database is down', async () => {
    const down = {
      capabilities: { asMvt: true },
      query: async () => {
        throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
      },
    }
    const url = await listen({ trustProxy: false, fastPath: true, service: new TileService(down) })
    const r = await get(`${url}/tiles/base/${T.z}/${T.x}/${T.y}.pbf`)
    expect(r.status).toBe(503)
    expect(r.headers['retry-after']).toBe('5')
    expect(errorOf(r.body).code).toBe('DB_UNAVAILABLE')
  })

  it('keeps tiles in its cache between requests', async () => {
    await get(tileUrl('base', 16, T.x * 4, T.y * 4))
    const hits = service.cache.stats().hits
    await get(tileUrl('base', 16, T.x * 4, T.y * 4))
    expect(service.cache.stats().hits).toBe(hits + 1)
  })
})

describe('GET /tiles/<source>.json', () => {
  it('is TileJSON 3.0.0 with absolute tile URLs, the layers and their fields, bounds from the data and the attribution with its licence', async () => {
    const r = await get(`${base}/tiles/base.json`)
    expect(r.status).toBe(200)
    const tj = TileJsonSchema.parse(JSON.parse(r.body.toString()))
    expect(tj.tiles).toEqual([`${base}/tiles/base/{z}/{x}/{y}.pbf`])
    expect(tj).toMatchObject({ minzoom: 0, maxzoom: 16, scheme: 'xyz' })
    expect(tj.vector_layers.map((l) => l.id)).toEqual(['land_use', 'areas', 'roads', 'streets', 'buildings'])
    expect(Object.keys(tj.vector_layers.find((l) => l.id === 'roads')!.fields)).toEqual(['id', 'name', 'class', 'lanes', 'oneway'])
    expect(tj.vector_layers.find((l) => l.id === 'buildings')!.minzoom).toBe(14)
    expect(tj.attribution).toBe('Generated tile fixtures (CC0-1.0)')
    const [w, s, e, n] = tj.bounds
    expect(w).toBeLessThan(11.3426)
    expect(e).toBeGreaterThan(11.3426)
    expect(s).toBeLessThan(44.4939)
    expect(n).toBeGreaterThan(44.4939)
    expect(e - w).toBeLessThan(5)
  })

  it('builds URLs from X-Forwarded-Proto and -Host only when the app trusts the proxy', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'twin.example.org' }
    const direct = TileJsonSchema.parse(JSON.parse((await get(`${base}/tiles/network.json`, headers)).body.toString()))
    expect(direct.tiles[0]).toBe(`${base}/tiles/network/{z}/{x}/{y}.pbf`)
    const behindProxy = TileJsonSchema.parse(JSON.parse((await get(`${proxied}/tiles/network.json`, headers)).body.toString()))
    expect(behindProxy.tiles[0]).toBe('https://twin.example.org/tiles/network/{z}/{x}/{y}.pbf')
  })

  it('answers 404 for an unknown source', async () => {
    const r = await get(`${base}/tiles/nope.json`)
    expect(r.status).toBe(404)
    expect(errorOf(r.body).code).toBe('NOT_FOUND')
  })
})

describe('GET /tiles', () => {
  it('lists the three sources with their TileJSON URL, layers, zoom range and attribution', async () => {
    const list = TileSourceListSchema.parse(JSON.parse((await get(`${base}/tiles`)).body.toString()))
    expect(list.map((s) => s.id)).toEqual(['base', 'network', 'assets'])
    expect(list[1]).toMatchObject({ tilejson: `${base}/tiles/network.json`, layers: ['sumo_lanes', 'sumo_junctions', 'sumo_detectors', 'signals'], minzoom: 12, maxzoom: 16 })
    expect(list[2]!.attribution).toBe('Generated tile fixtures (CC0-1.0)')
  })

  it('is described in the OpenAPI document with the tile endpoints', () => {
    const paths = buildOpenApi('test').paths as Record<string, unknown>
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/tiles', '/tiles/{source}.json', '/tiles/{source}/{z}/{x}/{y}.pbf']))
  })
})
