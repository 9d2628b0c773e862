/**
 * Generates the building tileset on first request and keeps it in memory, keyed by the buildings'
 * fingerprint (row counts and dataset_import checksum/time per dataset): a re-import — by the boot
 * import or by `npm run import` in another process — yields a new version on the next request.
 * Content URIs carry the version, so content files can be cached forever by browsers.
 */
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { Queryable } from '../db/adapter'
import { buildingsFingerprint, readBuildingFootprints } from '../db/building-footprints'
import { buildBuildingTileset } from './building-tileset'

export interface Encoded {
  body: Buffer
  /** gzip of body, made on first use. */
  gz(): Buffer
  etag: string
}

export interface BuiltTileset {
  version: string
  tileset: Encoded
  contents: Map<string, Encoded>
  buildings: number
  tiles: number
  generationMs: number
}

function encoded(body: Buffer, etag: string): Encoded {
  let gz: Buffer | null = null
  return { body, etag, gz: () => (gz ??= gzipSync(body)) }
}

export class BuildingTilesCache {
  private built: { fingerprint: string; promise: Promise<BuiltTileset | null> } | null = null
  constructor(
    private readonly db: Queryable,
    private readonly opts: { maxPerTile?: number; log?: (o: object, msg: string) => void } = {},
  ) {}

  /** The current tileset, generated if the buildings changed; null when there are no buildings. */
  async current(): Promise<BuiltTileset | null> {
    const fingerprint = await buildingsFingerprint(this.db)
    if (this.built?.fingerprint !== fingerprint) {
      const promise = fingerprint === '' ? Promise.resolve(null) : this.generate(fingerprint)
      const entry = { fingerprint, promise }
      this.built = entry
      // A failed generation is not cached: the next request tries again.
      promise.catch(() => {
        if (this.built === entry) this.built = null
      })
    }
    return this.built.promise
  }

  /** A content file of a version; null when the version is not the current one or the file does not exist. */
  async content(version: string, name: string): Promise<Encoded | null> {
    const built = await this.current()
    if (!built || built.version !== version) return null
    return built.contents.get(name) ?? null
  }

  private async generate(fingerprint: string): Promise<BuiltTileset> {
    const t0 = performance.now()
    const version = createHash('sha1').update(fingerprint).digest('base64url').slice(0, 16)
    const rows = await readBuildingFootprints(this.db)
    const { tileset, contents } = await buildBuildingTileset(rows, { version, contentPrefix: `${version}/`, maxPerTile: this.opts.maxPerTile })
    const out = new Map<string, Encoded>()
    for (const [name, glb] of contents) out.set(name, encoded(Buffer.from(glb.buffer, glb.byteOffset, glb.byteLength), `"${version}-${name}"`))
    const generationMs = Math.round(performance.now() - t0)
    this.opts.log?.({ buildings: rows.length, tiles: contents.size, ms: generationMs }, '3D tiles: building tileset generated')
    return { version, tileset: encoded(Buffer.from(JSON.stringify(tileset)), `"${version}"`), contents: out, buildings: rows.length, tiles: contents.size, generationMs }
  }
}
