/**
 * 3D Tiles routes (docs/map-layers.md, docs/3d.md):
 *   GET /3dtiles/buildings/tileset.json         3D Tiles 1.1 tileset, revalidated by ETag
 *   GET /3dtiles/buildings/<version>/<tile>.glb batched building content, immutable per version
 */
import type { Express, Request, Response } from 'express'
import { guarded } from '../http/access'
import { ApiError } from '../http/api-error'
import type { BuildingTilesCache, Encoded } from './building-tiles-cache'

const CONTENT_NAME = /^[0-9]+(-[0-3])*\.glb$/

function send(req: Request, res: Response, e: Encoded, type: string, cacheControl: string): void {
  res.setHeader('ETag', e.etag)
  res.setHeader('Cache-Control', cacheControl)
  res.setHeader('Vary', 'Accept-Encoding')
  // Cesium requests tiles cross-origin-safe; the server is same-origin for the app, open for tools.
  res.setHeader('Access-Control-Allow-Origin', '*')
  if (req.headers['if-none-match'] === e.etag) {
    res.status(304).end()
    return
  }
  res.type(type)
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('Content-Encoding', 'gzip')
    res.send(e.gz())
  } else res.send(e.body)
}

export function mountTiles3dRoutes(app: Express, cache: BuildingTilesCache): void {
  guarded(app, 'get', '/3dtiles/buildings/tileset.json', 'opendata:read', async (req, res, next) => {
    try {
      const built = await cache.current()
      if (!built) throw new ApiError('NOT_FOUND', 'No buildings are imported, so there is no building tileset. Import some with "npm run import -- milan-buildings" (or "buildings <file>").')
      send(req, res, built.tileset, 'application/json', 'no-cache')
    } catch (err) {
      next(err)
    }
  })
  guarded(app, 'get', '/3dtiles/buildings/:version/:name', 'opendata:read', async (req, res, next) => {
    try {
      const { version, name } = req.params as { version: string; name: string }
      if (!CONTENT_NAME.test(name)) throw new ApiError('NOT_FOUND', `No 3D tile named ${name}.`)
      const content = await cache.content(version, name)
      if (!content) throw new ApiError('NOT_FOUND', `No 3D tile ${version}/${name}: the buildings changed since this tileset version; reload tileset.json.`)
      send(req, res, content, 'model/gltf-binary', 'public, max-age=31536000, immutable')
    } catch (err) {
      next(err)
    }
  })
}
