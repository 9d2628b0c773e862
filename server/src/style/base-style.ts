import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec'
import { AREA_LABEL_SOURCE, areaLabelLayers, boundaryLayers, landLayers, ztlLayers } from './area-layers'
import { buildingLayers } from './building-layers'
import { networkLayers } from './network-layers'
import { roadLayers, streetLabelLayers } from './road-layers'
import { STYLE_IMAGES } from './style-fonts'
import { THEMES, type ThemeId } from './style-theme'

/** Where the label points of the districts and zones are served (style-routes.ts). */
export const AREA_LABELS_PATH = '/styles/area-labels.geojson'

/** Tile sources of docs/map-layers.md that the base map draws. */
export const STYLE_SOURCES = ['base', 'network'] as const

export interface StyleImageColours {
  [STYLE_IMAGES.signal]: { fill: string; stroke: string }
  [STYLE_IMAGES.detector]: { fill: string; stroke: string }
  [STYLE_IMAGES.ztlHatch]: { line: string }
}

export interface BaseStyleOptions {
  /** Scheme, host and port the browser reached us on, e.g. `http://127.0.0.1:8080`: MapLibre needs absolute URLs. */
  origin: string
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.\-:[\]]+$/

/**
 * The MapLibre style of one theme, over our own tiles only. No `glyphs` (text from the web font the
 * client loads) and no `sprite` (the client draws the few icons from the colours in `metadata`).
 */
export function buildBaseStyle(themeId: ThemeId, { origin }: BaseStyleOptions): StyleSpecification {
  if (!ORIGIN.test(origin)) throw new Error(`buildBaseStyle: origin must be scheme://host[:port], got ${JSON.stringify(origin)}`)
  const t = THEMES[themeId]
  const images: StyleImageColours = {
    [STYLE_IMAGES.signal]: { fill: t.network.signal, stroke: t.background },
    [STYLE_IMAGES.detector]: { fill: t.network.detector, stroke: t.background },
    [STYLE_IMAGES.ztlHatch]: { line: t.areas.ztlHatch },
  }
  return {
    version: 8,
    name: t.name,
    metadata: { 'gemello:theme': t.id, 'gemello:images': images, 'gemello:highlight': t.labels.street },
    sources: {
      ...Object.fromEntries(STYLE_SOURCES.map((id) => [id, { type: 'vector', url: `${origin}/tiles/${id}.json` }])),
      [AREA_LABEL_SOURCE]: { type: 'geojson', data: `${origin}${AREA_LABELS_PATH}` },
    },
    light: { anchor: 'viewport', color: t.light.color, intensity: t.light.intensity, position: [1.15, 210, 30] },
    layers: [
      ...landLayers(t),
      ...ztlLayers(t),
      ...roadLayers(t),
      ...buildingLayers(t),
      ...networkLayers(t),
      ...boundaryLayers(t),
      ...areaLabelLayers(t),
      ...streetLabelLayers(t),
    ],
  }
}
