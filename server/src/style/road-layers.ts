import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import { ROAD_RANKS, type RoadRank, type StyleTheme } from './style-theme'
import { FONT_REGULAR, group } from './style-fonts'

/**
 * OSM highway classes (docs/map-layers.md, `roads.class`) folded into six ranks. A class we do not
 * know (or none: Comune arcs stand in where OSM has no road) is drawn as a minor street, never hidden.
 */
export const ROAD_RANK: ExpressionSpecification = [
  'match',
  ['get', 'class'],
  ['motorway', 'motorway_link', 'trunk', 'trunk_link'],
  'motorway',
  ['primary', 'primary_link'],
  'primary',
  ['secondary', 'secondary_link'],
  'secondary',
  ['tertiary', 'tertiary_link'],
  'tertiary',
  ['service', 'busway', 'track', 'pedestrian', 'footway', 'cycleway', 'path'],
  'service',
  'minor',
]

/** Fill width in px at zooms 10, 12, 14, 16, 18, 20: a primary reads at z12, a street has room for its name at z16. */
const FILL_WIDTH: Record<RoadRank, number[]> = {
  motorway: [1, 1.8, 3.6, 9, 22, 48],
  primary: [0.8, 1.5, 3.2, 8, 20, 44],
  secondary: [0.6, 1.2, 2.8, 7, 18, 40],
  tertiary: [0.4, 0.9, 2.2, 6, 16, 36],
  minor: [0.2, 0.5, 1.6, 5, 14, 32],
  service: [0, 0.2, 0.8, 2.5, 7, 16],
}
const ZOOMS = [10, 12, 14, 16, 18, 20]
/** The casing adds this much to the fill (px, both sides together) at the same zooms. */
const CASING_EXTRA = [0, 0.8, 1.4, 2, 3, 4]

function byRank(values: (rank: RoadRank) => number | string): ExpressionSpecification {
  const arms = ROAD_RANKS.flatMap((rank) => [rank, values(rank)])
  return ['match', ROAD_RANK, ...arms, values('minor')] as unknown as ExpressionSpecification
}

export function roadWidth(kind: 'fill' | 'casing'): ExpressionSpecification {
  const stops = ZOOMS.flatMap((z, i) => [z, byRank((rank) => (FILL_WIDTH[rank][i] ?? 0) + (kind === 'casing' ? (CASING_EXTRA[i] ?? 0) : 0))])
  return ['interpolate', ['exponential', 1.5], ['zoom'], ...stops] as unknown as ExpressionSpecification
}

/** Major roads drawn last, so that their casing cuts the minor streets they cross. */
const SORT_KEY = byRank((rank) => ROAD_RANKS.indexOf(rank))

export function roadLayers(t: StyleTheme): LayerSpecification[] {
  return [
    {
      id: 'roads-casing',
      type: 'line',
      source: 'base',
      'source-layer': 'roads',
      minzoom: 12,
      metadata: group('base'),
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': SORT_KEY },
      paint: { 'line-color': byRank((rank) => t.road[rank].casing), 'line-width': roadWidth('casing') },
    },
    {
      id: 'roads-fill',
      type: 'line',
      source: 'base',
      'source-layer': 'roads',
      metadata: group('base'),
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': SORT_KEY },
      paint: { 'line-color': byRank((rank) => t.road[rank].fill), 'line-width': roadWidth('fill') },
    },
  ]
}

/**
 * Street names along the lines. From the `roads` layer: OSM writes names in mixed case ("Via
 * dell'Indipendenza"), the Comune's stradario in capitals, and MapLibre cannot title-case; where no
 * OSM graph is imported the tile server fills `roads` with the stradario's arcs and names.
 */
export function streetLabelLayers(t: StyleTheme): LayerSpecification[] {
  return [
    {
      id: 'roads-label',
      type: 'symbol',
      source: 'base',
      'source-layer': 'roads',
      minzoom: 14,
      metadata: group('labels'),
      filter: ['all', ['has', 'name'], ['!=', ['get', 'name'], '']],
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 320,
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 14, 10.5, 16, 12.5, 18, 14.5],
        'text-letter-spacing': 0.02,
        'text-max-angle': 30,
        'text-padding': 2,
        'text-rotation-alignment': 'map',
        'text-pitch-alignment': 'viewport',
      },
      paint: { 'text-color': t.labels.street, 'text-halo-color': t.labels.streetHalo, 'text-halo-width': 1.4, 'text-halo-blur': 0.3 },
    },
  ]
}
