import { gzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import type { Express } from 'express'
import { ROUTES, type BasemapLayer } from '../../../../contracts/api'
import type { Db } from '../../db/adapter'
import { basemapGeoJson } from '../../db/city'
import { mount } from '../../http/route'

interface Cached {
  body: Buffer
  gz: Buffer
  etag: string
}

/** Base-map layers change only on import: built once, kept gzipped, served with an ETag. */
export class BasemapCache {
  private readonly cache = new Map<BasemapLayer, Promise<Cached>>()
  constructor(private readonly db: Db) {}
  get(layer: BasemapLayer): Promise<Cached> {
    let c = this.cache.get(layer)
    if (!c) {
      c = basemapGeoJson(this.db, layer).then((text) => {
        const body = Buffer.from(text)
        return { body, gz: gzipSync(body), etag: `"${createHash('sha1').update(body).digest('base64url')}"` }
      })
      c.catch(() => this.cache.delete(layer))
      this.cache.set(layer, c)
    }
    return c
  }
  invalidate(): void {
    this.cache.clear()
  }
}

export function mountBasemapRoutes(app: Express, cache: BasemapCache): void {
  mount(app, ROUTES.basemap, async ({ params, req, res }) => {
    const c = await cache.get(params.layer)
    res.setHeader('ETag', c.etag)
    res.setHeader('Cache-Control', 'no-cache')
    res.setHeader('Vary', 'Accept-Encoding')
    if (req.headers['if-none-match'] === c.etag) {
      res.status(304).end()
      return undefined
    }
    res.type('application/geo+json')
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('Content-Encoding', 'gzip')
      res.send(c.gz)
    } else res.send(c.body)
    return undefined
  })
}
