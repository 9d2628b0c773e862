import type { StyleSpecification, ExpressionSpecification } from 'maplibre-gl'
import { PALETTE } from './palette'

export const BASEMAP_SOURCES = ['streets', 'quartieri', 'zone', 'ztl'] as const

const EMPTY = { type: 'FeatureCollection' as const, features: [] }

/** Name of a street feature across the importers' schemas (OSM `name`, Comune `nomevia`). */
export const STREET_NAME: ExpressionSpecification = ['coalesce', ['get', 'name'], ['get', 'nomevia'], ['get', 'street'], '']

/** Road class when the source has one (OSM `highway`); the Comune's street graph has none → minor. */
const MAJOR: ExpressionSpecification = [
  'match',
  ['coalesce', ['get', 'highway'], ['get', 'class'], ''],
  ['motorway', 'trunk', 'primary', 'secondary', 'motorway_link', 'trunk_link', 'primary_link'],
  true,
  false,
]

function streetWidth(scale: number): ExpressionSpecification {
  return ['interpolate', ['exponential', 1.6], ['zoom'], 11, 0.45 * scale, 13, 1 * scale, 15, 2.4 * scale, 17, 6 * scale, 19, 16 * scale]
}

/**
 * The dark control-room base map, built in code: no remote style, tiles, glyphs or sprites. Sources
 * are GeoJSON filled later from our own /api/basemap/<layer>. No text layers (no glyphs): names show
 * in the hover tooltip.
 */
export function buildBaseMapStyle(): StyleSpecification {
  return {
    version: 8,
    sources: Object.fromEntries(BASEMAP_SOURCES.map((id) => [id, { type: 'geojson', data: EMPTY }])),
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': PALETTE.mapBackground } },
      { id: 'quartieri-fill', type: 'fill', source: 'quartieri', paint: { 'fill-color': PALETTE.districtFill, 'fill-opacity': 1 } },
      { id: 'ztl-fill', type: 'fill', source: 'ztl', paint: { 'fill-color': PALETTE.ztlFill, 'fill-opacity': 0.9 } },
      { id: 'zone-fill', type: 'fill', source: 'zone', paint: { 'fill-color': PALETTE.districtFill, 'fill-opacity': 0 } },
      { id: 'zone-line', type: 'line', source: 'zone', paint: { 'line-color': PALETTE.zoneLine, 'line-width': 1, 'line-dasharray': [2, 2] } },
      {
        id: 'streets-minor',
        type: 'line',
        source: 'streets',
        filter: ['!', MAJOR],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': PALETTE.streetMinor, 'line-width': streetWidth(1) },
      },
      {
        id: 'streets-major',
        type: 'line',
        source: 'streets',
        filter: MAJOR,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': PALETTE.streetMajor, 'line-width': streetWidth(1.8) },
      },
      {
        id: 'streets-hover',
        type: 'line',
        source: 'streets',
        filter: ['==', STREET_NAME, '\u0000'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': PALETTE.streetHover, 'line-width': streetWidth(1.4), 'line-opacity': 0.7 },
      },
      { id: 'quartieri-line', type: 'line', source: 'quartieri', paint: { 'line-color': PALETTE.districtLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1, 16, 2] } },
      {
        id: 'ztl-line',
        type: 'line',
        source: 'ztl',
        paint: { 'line-color': PALETTE.ztlLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.8, 16, 1.6], 'line-dasharray': [4, 2] },
      },
    ],
  }
}

/** Layers whose features have a name worth a tooltip, in priority order. */
export const HOVER_LAYERS = ['streets-major', 'streets-minor', 'ztl-fill', 'zone-fill', 'quartieri-fill'] as const
