/**
 * What the routes need: encoded tiles (gzipped, with an ETag, from an LRU cache) and the
 * TileJSON metadata of each source (bounds, attribution), all keyed by the data version.
 *
 * Tiles change only when a dataset is re-imported. The data version is a hash of the
 * dataset_import rows (id, checksum, import time); it is re-read at most every versionTtlMs, so
 * an import (`npm run import`, in this process or another) shows within that time.
 */
import { hash } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip as gzipCb, gzipSync } from 'node:zlib'
import { TileCache, type CachedTile } from './tile-cache'
import type { TileCoord } from './tile-grid'
import { defaultEncoding, renderTile, type TileDb, type TileEncoding } from './tile-renderer'
import { TILE_SOURCES, type TileSource } from './tile-sources'

const gzip = promisify(gzipCb)

/**
 * Tiles up to this size (nine in ten of the bench's) are gzipped on the event loop: at level 1 that
 * takes at most ~0.4 ms here, and zlib's asynchronous API (a stream, a thread-pool round trip per
 * 16 KB chunk) costs more CPU than the compression of a tile this small. Larger tiles (the largest,
 * 233 KB, takes ~3 ms) are gzipped off the loop.
 */
const GZIP_ON_LOOP_MAX_BYTES = 32 * 1024

export interface TileServiceOptions {
  /** Byte budget of the tile cache (gzipped bytes); 0 disables it. Default 64 MiB. */
  cacheBytes?: number
  encoding?: TileEncoding
  /** How long a read of the data version is trusted. Default 2 s. */
  versionTtlMs?: number
  /** gzip level, 1..9. Default 1: the bench's Bologna tiles shrink to 58 % at level 1 and 55 % at 6, for 60 % of the CPU. */
  gzipLevel?: number
}

export interface SourceMetadata {
  /** [west, south, east, north] of the source's data, EPSG:4326; null when the source has no rows. */
  bounds: [number, number, number, number] | null
  /** Attribution of every dataset in the source, with licences. */
  attribution: string
}

export class TileService {
  readonly cache: TileCache
  readonly encoding: TileEncoding
  private version: string | null = null
  private versionReadAt = 0
  private versionRead: Promise<string> | null = null
  private readonly inflight = new Map<string, Promise<CachedTile>>()
  private readonly metadata = new Map<string, Promise<SourceMetadata>>()
  private readonly versionTtlMs: number
  private readonly gzipLevel: number

  constructor(private readonly db: TileDb, opts: TileServiceOptions = {}) {
    this.cache = new TileCache(opts.cacheBytes ?? 64 * 1024 * 1024)
    this.encoding = opts.encoding ?? defaultEncoding(db)
    this.versionTtlMs = opts.versionTtlMs ?? 2000
    this.gzipLevel = opts.gzipLevel ?? 1
  }

  /** The current data version; clears the caches when it changed. */
  async dataVersion(): Promise<string> {
    if (this.version !== null && performance.now() - this.versionReadAt < this.versionTtlMs) return this.version
    if (!this.versionRead) {
      this.versionRead = this.readVersion().finally(() => (this.versionRead = null))
    }
    return this.versionRead
  }

  private async readVersion(): Promise<string> {
    const r = await this.db.query<{ v: string | null }>(
      `SELECT md5(string_agg(dataset_id || ':' || checksum || ':' || extract(epoch FROM imported_at)::text, ',' ORDER BY dataset_id)) AS v FROM dataset_import`,
    )
    const v = (r.rows[0]?.v ?? 'none').slice(0, 12)
    if (v !== this.version) this.dropAll()
    this.version = v
    this.versionReadAt = performance.now()
    return v
  }

  private dropAll(): void {
    this.cache.clear()
    this.metadata.clear()
  }

  /** The cached tile, synchronously, when the data version is fresh and the tile is in the cache. */
  cachedTile(sourceId: string, z: number, x: number, y: number): CachedTile | undefined {
    if (this.version === null || performance.now() - this.versionReadAt >= this.versionTtlMs || this.cache.budgetBytes === 0) return undefined
    return this.cache.get(`${sourceId}/${z}/${x}/${y}`)
  }

  /** A tile, from the cache or rendered once however many requests ask for it at the same time. */
  async tile(source: TileSource, t: TileCoord): Promise<CachedTile> {
    const version = await this.dataVersion()
    const key = `${source.id}/${t.z}/${t.x}/${t.y}`
    const hit = this.cache.budgetBytes > 0 ? this.cache.get(key) : undefined
    if (hit) return hit
    // A render started before the data version changed is not shared with requests after it.
    const flight = `${version}/${key}`
    const running = this.inflight.get(flight)
    if (running) return running
    const p = this.render(source, t).finally(() => this.inflight.delete(flight))
    this.inflight.set(flight, p)
    const tile = await p
    // A tile rendered while an import changed the data is served once but not kept.
    if (this.version === version && this.cache.budgetBytes > 0) this.cache.set(key, tile)
    return tile
  }

  private async render(source: TileSource, t: TileCoord): Promise<CachedTile> {
    const raw = await renderTile(this.db, source, t, this.encoding)
    // Weak: the same tag names the gzipped and the plain body (RFC 9110 8.8.1).
    const etag = `W/"${hash('sha1', raw, 'base64url').slice(0, 22)}"`
    const options = { level: this.gzipLevel }
    const gz = raw.length === 0 ? Buffer.alloc(0) : raw.length <= GZIP_ON_LOOP_MAX_BYTES ? gzipSync(raw, options) : await gzip(raw, options)
    return { gz, rawBytes: raw.length, etag }
  }

  /** Bounds and attribution of a source, read once per data version. */
  async sourceMetadata(source: TileSource): Promise<SourceMetadata> {
    await this.dataVersion()
    let m = this.metadata.get(source.id)
    if (!m) {
      m = readMetadata(this.db, source)
      m.catch(() => this.metadata.delete(source.id))
      this.metadata.set(source.id, m)
    }
    return m
  }

  sources(): readonly TileSource[] {
    return TILE_SOURCES
  }
}

async function readMetadata(db: TileDb, source: TileSource): Promise<SourceMetadata> {
  const tables = [...new Map(source.layers.map((l) => [`${l.from}|${l.geom}|${l.where?.(source.maxzoom) ?? ''}`, l])).values()]
  const geoms = tables.map((l) => `SELECT ${l.geom} AS g FROM ${l.from}${l.where?.(source.maxzoom) ? ` WHERE ${l.where(source.maxzoom)}` : ''}`)
  const ext = await db.query<{ w: number | null; s: number | null; e: number | null; n: number | null }>(
    `SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (SELECT ST_Extent(g)::geometry AS b FROM (${geoms.join(' UNION ALL ')}) x) y`,
  )
  const row = ext.rows[0]
  const bounds: SourceMetadata['bounds'] = row && row.w !== null && row.s !== null && row.e !== null && row.n !== null ? [row.w, row.s, row.e, row.n] : null
  const datasetSql = [...new Set(source.layers.map((l) => l.datasets))].join(' UNION ')
  const ds = await db.query<{ attribution: string; licence: string }>(
    `SELECT DISTINCT attribution, licence FROM dataset_import WHERE dataset_id IN (${datasetSql}) ORDER BY attribution`,
  )
  const seen = new Set<string>()
  const parts: string[] = []
  for (const d of ds.rows) {
    const text = d.attribution.includes(d.licence) ? d.attribution : `${d.attribution} (${d.licence})`
    if (!seen.has(text)) parts.push(text), seen.add(text)
  }
  return { bounds, attribution: parts.join('; ') }
}
