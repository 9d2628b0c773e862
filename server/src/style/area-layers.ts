import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import type { StyleTheme } from './style-theme'
import { FONT_REGULAR, FONT_SEMIBOLD, STYLE_IMAGES, group } from './style-fonts'

const GREEN = ['grass', 'park', 'meadow', 'forest', 'wood', 'garden', 'recreation_ground', 'village_green', 'allotments', 'flowerbed', 'cemetery', 'orchard', 'vineyard', 'plant_nursery', 'greenfield', 'scrub', 'heath']
const FARMLAND = ['farmland', 'farmyard', 'greenhouse_horticulture']
const INDUSTRIAL = ['industrial', 'quarry', 'landfill', 'depot', 'garages', 'brownfield', 'construction', 'military']
const COMMERCIAL = ['commercial', 'retail']
const CIVIC = ['religious', 'education', 'government', 'civic_admin', 'institutional']
/** Land-use classes drawn as water (OSM landuse=basin/reservoir, natural=water, …). */
export const WATER_CLASSES = ['water', 'basin', 'reservoir', 'river', 'riverbank', 'canal', 'wetland']

const kind = (k: string): ExpressionSpecification => ['==', ['get', 'kind'], k]

function landColour(t: StyleTheme): ExpressionSpecification {
  return [
    'match',
    ['get', 'class'],
    GREEN,
    t.land.green,
    FARMLAND,
    t.land.farmland,
    INDUSTRIAL,
    t.land.industrial,
    COMMERCIAL,
    t.land.commercial,
    CIVIC,
    t.land.civic,
    'railway',
    t.land.railway,
    t.land.residential,
  ]
}

/** Land use and water, under everything else. */
export function landLayers(t: StyleTheme): LayerSpecification[] {
  return [
    { id: 'background', type: 'background', metadata: group('base'), paint: { 'background-color': t.background } },
    {
      id: 'land-use',
      type: 'fill',
      source: 'base',
      'source-layer': 'land_use',
      metadata: group('base'),
      filter: ['!', ['in', ['get', 'class'], ['literal', WATER_CLASSES]]],
      paint: { 'fill-color': landColour(t), 'fill-antialias': false },
    },
    {
      id: 'water',
      type: 'fill',
      source: 'base',
      'source-layer': 'land_use',
      metadata: group('base'),
      filter: ['in', ['get', 'class'], ['literal', WATER_CLASSES]],
      paint: { 'fill-color': t.water, 'fill-outline-color': t.waterLine },
    },
  ]
}

/** The limited-traffic zones, tinted and hatched under the streets so that streets stay readable; the hover target of the areas. */
export function ztlLayers(t: StyleTheme): LayerSpecification[] {
  return [
    {
      id: 'areas-ztl-fill',
      type: 'fill',
      source: 'base',
      'source-layer': 'areas',
      metadata: group('base'),
      filter: kind('ztl'),
      paint: { 'fill-color': t.areas.ztlFill, 'fill-opacity': t.id === 'dark' ? 0.9 : 0.06 },
    },
    {
      id: 'areas-ztl-hatch',
      type: 'fill',
      source: 'base',
      'source-layer': 'areas',
      metadata: group('base'),
      filter: kind('ztl'),
      paint: { 'fill-pattern': STYLE_IMAGES.ztlHatch, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 12, 1, 15, 0.6, 17, 0.3] },
    },
    {
      // Invisible, but hit by queryRenderedFeatures: the hover tooltip names the district and zone under the pointer.
      id: 'areas-hit',
      type: 'fill',
      source: 'base',
      'source-layer': 'areas',
      metadata: group('base'),
      filter: ['in', ['get', 'kind'], ['literal', ['quartiere', 'zona']]],
      paint: { 'fill-color': t.background, 'fill-opacity': 0 },
    },
  ]
}

/** Boundaries of quartieri, zones, statistical areas and ZTL, above the streets but thin. */
export function boundaryLayers(t: StyleTheme): LayerSpecification[] {
  return [
    {
      id: 'areas-area-statistica-line',
      type: 'line',
      source: 'base',
      'source-layer': 'areas',
      minzoom: 13,
      metadata: group('base'),
      filter: kind('area_statistica'),
      paint: { 'line-color': t.areas.areaStatistica, 'line-width': 0.8, 'line-dasharray': [1, 2] },
    },
    {
      id: 'areas-zona-line',
      type: 'line',
      source: 'base',
      'source-layer': 'areas',
      minzoom: 11,
      metadata: group('base'),
      filter: kind('zona'),
      paint: { 'line-color': t.areas.zona, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.7, 16, 1.4], 'line-dasharray': [3, 2] },
    },
    {
      id: 'areas-quartiere-line',
      type: 'line',
      source: 'base',
      'source-layer': 'areas',
      metadata: group('base'),
      filter: kind('quartiere'),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': t.areas.quartiere,
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 14, 1.8, 18, 2.5],
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.9, 17, 0.45],
      },
    },
    {
      id: 'areas-ztl-line',
      type: 'line',
      source: 'base',
      'source-layer': 'areas',
      metadata: group('base'),
      filter: kind('ztl'),
      paint: { 'line-color': t.areas.ztlLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.8, 16, 1.2], 'line-dasharray': [5, 3] },
    },
  ]
}

/** The GeoJSON source of one label point per area (area-labels.ts), served beside the styles. */
export const AREA_LABEL_SOURCE = 'area-labels'

/** Names of quartieri (overview) and zones (closer in), one per area (see area-labels.ts for why). */
export function areaLabelLayers(t: StyleTheme): LayerSpecification[] {
  return [
    {
      id: 'areas-quartiere-label',
      type: 'symbol',
      source: AREA_LABEL_SOURCE,
      minzoom: 10,
      maxzoom: 14,
      metadata: group('labels'),
      filter: kind('quartiere'),
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_SEMIBOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 10, 11, 13, 15],
        'text-transform': 'uppercase',
        'text-letter-spacing': 0.18,
        'text-max-width': 7,
        'text-padding': 12,
      },
      paint: { 'text-color': t.labels.district, 'text-halo-color': t.labels.halo, 'text-halo-width': 1.6, 'text-opacity': ['interpolate', ['linear'], ['zoom'], 13, 1, 14, 0.4] },
    },
    {
      id: 'areas-zona-label',
      type: 'symbol',
      source: AREA_LABEL_SOURCE,
      minzoom: 12.5,
      maxzoom: 16,
      metadata: group('labels'),
      filter: kind('zona'),
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 12.5, 11, 15, 13],
        'text-letter-spacing': 0.06,
        'text-max-width': 8,
        'text-padding': 12,
      },
      paint: { 'text-color': t.labels.zone, 'text-halo-color': t.labels.halo, 'text-halo-width': 1.6 },
    },
  ]
}
