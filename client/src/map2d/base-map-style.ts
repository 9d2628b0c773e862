import type { ExpressionSpecification, LineLayerSpecification } from 'maplibre-gl'
import type { MapTheme } from './map-preferences'

/** The style the server builds for a theme (server/src/style/), with tile URLs on our own host. */
export function baseMapStyleUrl(theme: MapTheme, origin: string = window.location.origin): string {
  return `${origin}/styles/${theme}.json`
}

/** Where the style says which group a layer belongs to (signals, buildings, network, …). */
export const LAYER_GROUP_KEY = 'gemello:group'

/** The label layer of street names (symbol-placement line). */
export const STREET_LABEL_LAYER = 'roads-label'

/** Name of a street feature across the importers' schemas (OSM `name`, Comune `nomevia`). */
export const STREET_NAME: ExpressionSpecification = ['coalesce', ['get', 'name'], ['get', 'nomevia'], ['get', 'street'], '']

/** Layers whose features name what is under the pointer, in tooltip order. */
export const HOVER_LAYERS = ['roads-fill', 'areas-ztl-fill', 'areas-hit'] as const

/** Highlights the hovered street (filter set on hover); added by the client, not part of the served style. */
export function streetHoverLayer(colour: string): LineLayerSpecification {
  return {
    id: 'roads-hover',
    type: 'line',
    source: 'base',
    'source-layer': 'roads',
    filter: ['==', STREET_NAME, '\u0000'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': colour,
      'line-opacity': 0.45,
      'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 12, 3, 16, 9, 18, 22],
    },
  }
}
