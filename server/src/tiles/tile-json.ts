/** Presenters: the TileJSON 3.0.0 document of a source and the /tiles listing. */
import type { TileJson } from '../../../contracts/api'
import type { SourceMetadata } from './tile-service'
import { vectorLayers, type TileSource } from './tile-sources'

/** Web Mercator's latitude limit: the bounds of a source with no data. */
const WORLD: [number, number, number, number] = [-180, -85.051129, 180, 85.051129]
/** The zoom a client opens a source at when it has nothing better (a whole city in view). */
const CENTER_ZOOM = 13

export const tileUrlTemplate = (baseUrl: string, source: TileSource) => `${baseUrl}/tiles/${source.id}/{z}/{x}/{y}.pbf`
export const tileJsonUrl = (baseUrl: string, source: TileSource) => `${baseUrl}/tiles/${source.id}.json`

export function presentTileJson(source: TileSource, meta: SourceMetadata, baseUrl: string): TileJson {
  const bounds = meta.bounds ?? WORLD
  const round = (v: number) => Math.round(v * 1e6) / 1e6
  return {
    tilejson: '3.0.0',
    name: source.title,
    description: source.description,
    attribution: meta.attribution,
    scheme: 'xyz',
    tiles: [tileUrlTemplate(baseUrl, source)],
    minzoom: source.minzoom,
    maxzoom: source.maxzoom,
    bounds: [round(bounds[0]), round(bounds[1]), round(bounds[2]), round(bounds[3])],
    center: [round((bounds[0] + bounds[2]) / 2), round((bounds[1] + bounds[3]) / 2), Math.min(source.maxzoom, Math.max(source.minzoom, CENTER_ZOOM))],
    vector_layers: vectorLayers(source),
  }
}

export function presentSourceInfo(source: TileSource, meta: SourceMetadata, baseUrl: string) {
  return {
    id: source.id,
    title: source.title,
    description: source.description,
    tilejson: tileJsonUrl(baseUrl, source),
    tiles: tileUrlTemplate(baseUrl, source),
    layers: [...new Set(source.layers.map((l) => l.id))],
    minzoom: source.minzoom,
    maxzoom: source.maxzoom,
    attribution: meta.attribution,
  }
}
