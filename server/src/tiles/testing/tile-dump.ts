/**
 * Test support: a tile decoded with @mapbox/vector-tile (what MapLibre uses) into plain data,
 * features sorted, so that snapshots are readable and two encodings can be compared.
 */
import { PbfReader } from 'pbf'
import { VectorTile } from '@mapbox/vector-tile'

export interface DecodedFeature {
  type: 'Point' | 'LineString' | 'Polygon' | 'Unknown'
  id: number | undefined
  properties: Record<string, string | number | boolean>
  /** Rings or lines of [x, y] tile coordinates; polygon rings closed (the decoder repeats the first point after ClosePath). */
  geometry: Array<Array<[number, number]>>
}
export type DecodedTile = Record<string, { extent: number; version: number; features: DecodedFeature[] }>

const TYPES = ['Unknown', 'Point', 'LineString', 'Polygon'] as const

export function decodeTile(bytes: Uint8Array): DecodedTile {
  const vt = new VectorTile(new PbfReader(bytes))
  const out: DecodedTile = {}
  for (const name of Object.keys(vt.layers).sort()) {
    const layer = vt.layers[name]!
    const features: DecodedFeature[] = []
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i)
      features.push({
        type: TYPES[f.type],
        id: f.id,
        properties: f.properties,
        geometry: f.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y] as [number, number])),
      })
    }
    features.sort((a, b) => featureKey(a).localeCompare(featureKey(b)))
    out[name] = { extent: layer.extent, version: layer.version, features }
  }
  return out
}

export const featureKey = (f: DecodedFeature) => `${String(f.properties.id ?? '')}\u0000${JSON.stringify(f.geometry[0]?.[0] ?? [])}`

/**
 * A reviewer's view of a tile: per layer, the feature and vertex totals, then one line per
 * feature (the first few dozen by id) with its attributes, geometry type, parts, vertex count
 * and tile-unit bounding box. Full coordinates would make the file unreadable.
 */
export function summariseTile(tile: DecodedTile, maxFeaturesPerLayer = 80): string {
  const lines: string[] = []
  for (const [name, layer] of Object.entries(tile)) {
    const vertices = layer.features.reduce((n, f) => n + f.geometry.reduce((m, part) => m + part.length, 0), 0)
    lines.push(`layer ${name} (extent ${layer.extent}, v${layer.version}): ${layer.features.length} features, ${vertices} vertices`)
    if (layer.features.length > maxFeaturesPerLayer) lines.push(`  (the first ${maxFeaturesPerLayer} by id)`)
    for (const f of layer.features.slice(0, maxFeaturesPerLayer)) {
      const pts = f.geometry.flat()
      const xs = pts.map((p) => p[0])
      const ys = pts.map((p) => p[1])
      const props = Object.keys(f.properties)
        .sort()
        .map((k) => `${k}=${JSON.stringify(f.properties[k])}`)
        .join(' ')
      lines.push(`  ${f.type} parts=${f.geometry.length} vertices=${pts.length} bbox=[${Math.min(...xs)},${Math.min(...ys)},${Math.max(...xs)},${Math.max(...ys)}] ${props}`)
    }
  }
  return lines.join('\n') + '\n'
}
