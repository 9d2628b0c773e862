/**
 * GET /tiles, /tiles/<source>.json and /tiles/<source>/<z>/<x>/<y>.pbf (docs/map-layers.md,
 * docs/life-of-a-tile.md). The tile route is mounted without the contract's zod parsing: it is
 * the hottest path of the server, and its checks need the source's zoom range anyway. Valid tile
 * requests are answered before Express (withTileFastPath); the Express route answers the rest
 * with the error envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'
import type { Express, Request } from 'express'
import { ROUTES } from '../../../contracts/api'
import { ApiError } from '../http/api-error'
import { APP_HEADERS, requestIdOf } from '../http/app'
import { mount } from '../http/route'
import { parseTileCoord } from './tile-grid'
import { presentSourceInfo, presentTileJson } from './tile-json'
import type { CachedTile } from './tile-cache'
import type { TileService } from './tile-service'
import { TILE_SOURCES, tileSource, type TileSource } from './tile-sources'
import { guarded } from '../http/access'

/**
 * Tiles change only on a re-import: browsers may reuse one for a minute without asking, then
 * revalidate with If-None-Match (a 304 costs no body), and show a stale one meanwhile.
 */
export const TILE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=3600'
export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile'

/** Scheme and host as the client used them (X-Forwarded-* only when the app trusts the proxy). */
const baseUrl = (req: Request) => `${req.protocol}://${req.host}`

function sourceOr404(id: string): TileSource {
  const s = tileSource(id)
  if (!s) throw new ApiError('NOT_FOUND', `Unknown tile source "${id}". The sources are ${TILE_SOURCES.map((x) => x.id).join(', ')}; GET /tiles lists them.`)
  return s
}

/** If-None-Match holds a list of tags, or *; weak comparison as RFC 9110 asks for GET. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  const bare = etag.replace(/^W\//, '')
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare)
}

/**
 * Whether Accept-Encoding allows gzip: `gzip`, `x-gzip` or `*` with a weight above 0 (RFC 9110
 * 12.5.3); `gzip;q=0` refuses it. No header: the plain tile.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  let any = false
  for (const item of header.split(',')) {
    const [coding = '', ...params] = item.split(';')
    const name = coding.trim().toLowerCase()
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue
    const q = params.find((p) => /^\s*q\s*=/i.test(p))
    const allowed = q === undefined || Number(q.slice(q.indexOf('=') + 1)) > 0
    if (name !== '*') return allowed
    any = allowed
  }
  return any
}

export function mountTileRoutes(app: Express, service: TileService): void {
  mount(app, ROUTES.listTileSources, async ({ req, res }) => {
    res.setHeader('Cache-Control', 'no-cache')
    const base = baseUrl(req)
    return Promise.all(service.sources().map(async (s) => presentSourceInfo(s, await service.sourceMetadata(s), base)))
  })

  mount(app, ROUTES.tileJson, async ({ params, req, res }) => {
    const source = sourceOr404(params.source)
    res.setHeader('Cache-Control', 'no-cache')
    return presentTileJson(source, await service.sourceMetadata(source), baseUrl(req))
  })

  guarded(app, ROUTES.vectorTile.method, ROUTES.vectorTile.path, ROUTES.vectorTile.permission, async (req, res, next) => {
    try {
      if (RENDER_FAILURE in req) throw (req as FailedTileRequest)[RENDER_FAILURE]
      const p = req.params as Record<'source' | 'z' | 'x' | 'y', string>
      const source = sourceOr404(p.source)
      const coord = parseTileCoord(p.z, p.x, p.y, source.maxzoom, source.id)
      if (!coord.ok) throw new ApiError('VALIDATION_FAILED', coord.message, [{ path: 'path', message: coord.message }])
      sendTile(req, res, await service.tile(source, coord.tile))
    } catch (err) {
      next(err)
    }
  })
}

/** The tile response, the same from Express and from the fast path. */
function sendTile(req: IncomingMessage, res: ServerResponse, tile: CachedTile): void {
  res.setHeader('Cache-Control', TILE_CACHE_CONTROL)
  res.setHeader('ETag', tile.etag)
  res.setHeader('Vary', 'Accept-Encoding')
  if (etagMatches(req.headers['if-none-match'], tile.etag)) {
    res.statusCode = 304
    res.end()
    return
  }
  // An empty tile is a 204: nothing to download or decode, and MapLibre draws it as empty.
  if (tile.rawBytes === 0) {
    res.statusCode = 204
    res.end()
    return
  }
  res.setHeader('Content-Type', MVT_CONTENT_TYPE)
  if (acceptsGzip(req.headers['accept-encoding'])) {
    res.setHeader('Content-Encoding', 'gzip')
    res.end(tile.gz)
  } else {
    res.end(gunzipSync(tile.gz))
  }
}

const TILE_URL = /^\/tiles\/([a-z]+)\/(0|[1-9]\d{0,9})\/(0|[1-9]\d{0,9})\/(0|[1-9]\d{0,9})\.pbf$/

/** A render that failed before Express: the route rethrows it, so the app's error handler answers. */
const RENDER_FAILURE = Symbol('tile render failure')
type FailedTileRequest = IncomingMessage & { [RENDER_FAILURE]?: unknown }

/**
 * The HTTP server's request listener: a GET of a valid tile is answered here, before Express —
 * synchronously when the tile is in the cache (and the data version was read less than its TTL
 * ago), else once rendered. Everything else, invalid tile URLs and failed renders included, goes to
 * the app. Express's routing and response helpers cost about as much as the rest of a cached tile
 * and ~5 % of the server's CPU for a rendered one. The answer is the same as the route's (tested).
 */
export function withTileFastPath(service: TileService, app: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  const send = (req: IncomingMessage, res: ServerResponse, tile: CachedTile) => {
    for (const [k, v] of Object.entries(APP_HEADERS)) res.setHeader(k, v)
    res.setHeader('X-Request-Id', requestIdOf(req.headers['x-request-id']))
    sendTile(req, res, tile)
  }
  return (req, res) => {
    const m = req.method === 'GET' && req.url ? TILE_URL.exec(req.url) : null
    const source = m ? tileSource(m[1]!) : undefined
    const coord = m && source ? parseTileCoord(m[2]!, m[3]!, m[4]!, source.maxzoom, source.id) : undefined
    if (!source || !coord?.ok) {
      app(req, res)
      return
    }
    const { z, x, y } = coord.tile
    const cached = service.cachedTile(source.id, z, x, y)
    if (cached) {
      send(req, res, cached)
      return
    }
    service
      .tile(source, coord.tile)
      .then(
        (tile) => send(req, res, tile),
        (err: unknown) => {
          ;(req as FailedTileRequest)[RENDER_FAILURE] = err
          app(req, res)
        },
      )
      .catch((err: unknown) => res.destroy(err as Error))
  }
}
