/**
 * Renders one tile with one query: PostGIS encodes it where it can (ST_AsMVT), otherwise the
 * database clips and snaps and mvt-encoder.ts writes the protobuf. Both paths take their rows
 * and simplified geometry from the same builders (tile-sql.ts).
 */
import type { Queryable } from '../db/adapter'
import { encodeMvt, type TileGeometry, type TileLayerData, type TileValue } from './mvt-encoder'
import { tileBounds3857, EXTENT, type TileCoord } from './tile-grid'
import { featureSql, layerGroups, mvtSql } from './tile-sql'
import type { TileSource } from './tile-sources'

/** asmvt: PostGIS writes the tile; js: PostGIS clips, TypeScript encodes. */
export type TileEncoding = 'asmvt' | 'js'

export interface TileDb extends Queryable {
  readonly capabilities: { asMvt: boolean }
}

export function defaultEncoding(db: TileDb): TileEncoding {
  return db.capabilities.asMvt ? 'asmvt' : 'js'
}

export async function renderTile(db: TileDb, source: TileSource, tile: TileCoord, encoding: TileEncoding = defaultEncoding(db)): Promise<Uint8Array> {
  if (encoding === 'asmvt') {
    const r = await db.query<{ mvt: Uint8Array | null }>(mvtSql(source, tile.z), [tile.z, tile.x, tile.y])
    return r.rows[0]?.mvt ?? new Uint8Array(0)
  }
  const [xmin, , xmax, ymax] = tileBounds3857(tile)
  const scale = EXTENT / (xmax - xmin)
  const r = await db.query<{ l: number; a: Array<TileValue | null> | string; g: string }>(featureSql(source, tile.z), [tile.z, tile.x, tile.y, xmin, ymax, scale])
  const groups = layerGroups(source, tile.z)
  const layers: TileLayerData[] = groups.map((g) => ({ name: g.id, features: [] }))
  for (const row of r.rows) {
    const group = groups[row.l]
    const layer = layers[row.l]
    if (!group || !layer) continue
    const names = group.parts[0]!.attributes
    const values = typeof row.a === 'string' ? (JSON.parse(row.a) as Array<TileValue | null>) : row.a
    const properties: Record<string, TileValue | null> = {}
    names.forEach((attr, i) => (properties[attr.name] = values[i] ?? null))
    layer.features.push({ properties, geometry: JSON.parse(row.g) as TileGeometry })
  }
  return encodeMvt(layers)
}
