import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import type { StyleTheme } from './style-theme'
import { group } from './style-fonts'

/** From this zoom buildings stand up (2.5D); below it they are flat footprints. */
export const EXTRUSION_MINZOOM = 16

/**
 * Buildings: flat footprints from z14 (fading in) to z16, then extruded from `base` to `height`
 * (metres) growing out of the ground over half a zoom level so the switch is not a jump. Footprints
 * whose height was estimated by the importer are a little lighter.
 */
export function buildingLayers(t: StyleTheme): LayerSpecification[] {
  return [
    {
      id: 'buildings-footprint',
      type: 'fill',
      source: 'base',
      'source-layer': 'buildings',
      minzoom: 14,
      maxzoom: EXTRUSION_MINZOOM,
      metadata: group('buildings'),
      paint: {
        'fill-color': t.building.fill,
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], 14, 0, 15, ['case', ['to-boolean', ['get', 'estimated']], t.building.estimatedOpacity, 1]],
        'fill-outline-color': t.building.outline,
      },
    },
    {
      id: 'buildings-extrusion',
      type: 'fill-extrusion',
      source: 'base',
      'source-layer': 'buildings',
      minzoom: EXTRUSION_MINZOOM - 0.5,
      metadata: group('buildings'),
      paint: {
        'fill-extrusion-color': ['interpolate', ['linear'], ['to-number', ['get', 'height'], 0], 0, t.building.extrusion, 40, t.building.extrusionTall],
        'fill-extrusion-height': ['interpolate', ['linear'], ['zoom'], EXTRUSION_MINZOOM - 0.5, 0, EXTRUSION_MINZOOM, ['to-number', ['get', 'height'], 0]],
        'fill-extrusion-base': ['interpolate', ['linear'], ['zoom'], EXTRUSION_MINZOOM - 0.5, 0, EXTRUSION_MINZOOM, ['to-number', ['get', 'base'], 0]],
        'fill-extrusion-opacity': 0.92,
        'fill-extrusion-vertical-gradient': true,
      },
    },
  ]
}
