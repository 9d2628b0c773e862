/**
 * GET /tiles, /tiles/<source>.json and /tiles/<source>/<z>/<x>/<y>.pbf (docs/map-layers.md,
 * docs/life-of-a-tile.md). The tile route is mounted without the contract's zod parsing: it is
 * the hottest path of the server, and its checks need the source's zoom range anyway.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'
import type { Express, Request } from 'express'
import { ROUTES } from '../../../contracts/api'
import { ApiError } from '../http/api-error'
import { APP_HEADERS } from '../http/app'
import { mount } from '../http/route'
import { parseTileCoord } from './tile-grid'
import { presentSourceInfo, presentTileJson } from './tile-json'
import type { CachedTile } from './tile-cache'
import type { TileService } from './tile-service'
import { TILE_SOURCES, tileSource, type TileSource } from './tile-sources'

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

  app.get(ROUTES.vectorTile.path, async (req, res, next) => {
    try {
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
  if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    res.setHeader('Content-Encoding', 'gzip')
    res.end(tile.gz)
  } else {
    res.end(gunzipSync(tile.gz))
  }
}

const CACHED_TILE_URL = /^\/tiles\/([a-z]+)\/(0|[1-9]\d{0,9})\/(0|[1-9]\d{0,9})\/(0|[1-9]\d{0,9})\.pbf$/

/**
 * The HTTP server's request listener: tiles already in the cache (and a data version read less
 * than its TTL ago) are answered here, synchronously, before Express; everything else goes to the
 * app. Express's routing and response helpers cost about as much as the rest of a cached tile, and
 * cached tiles are most of a map's requests. The answer is the same as the route's (tested).
 */
export function withTileFastPath(service: TileService, app: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const m = req.method === 'GET' && req.url ? CACHED_TILE_URL.exec(req.url) : null
    const tile = m ? service.cachedTile(m[1]!, Number(m[2]), Number(m[3]), Number(m[4])) : undefined
    if (!tile) {
      app(req, res)
      return
    }
    for (const [k, v] of Object.entries(APP_HEADERS)) res.setHeader(k, v)
    sendTile(req, res, tile)
  }
}
