import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import type { StyleTheme } from './style-theme'
import { STYLE_IMAGES, group } from './style-fonts'

/**
 * The traffic engineer's layers: SUMO lanes, junction shapes and e1 detectors (group `network`,
 * hidden until switched on in the layer panel), and the signalised junctions (group `signals`,
 * shown). Static map objects only: the live state of a controller is the deck.gl marker's job.
 */
export function networkLayers(t: StyleTheme): LayerSpecification[] {
  const hidden = { visibility: 'none' as const }
  return [
    {
      id: 'network-junctions',
      type: 'fill',
      source: 'network',
      'source-layer': 'sumo_junctions',
      minzoom: 15,
      metadata: group('network'),
      filter: ['==', ['geometry-type'], 'Polygon'],
      layout: hidden,
      paint: { 'fill-color': t.network.junction, 'fill-outline-color': t.network.junctionLine },
    },
    {
      id: 'network-lanes',
      type: 'line',
      source: 'network',
      'source-layer': 'sumo_lanes',
      minzoom: 14,
      metadata: group('network'),
      layout: { ...hidden, 'line-cap': 'butt' },
      paint: { 'line-color': t.network.lane, 'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 14, 0.4, 16, 1, 18, 3, 20, 9] },
    },
    {
      id: 'network-detectors',
      type: 'symbol',
      source: 'network',
      'source-layer': 'sumo_detectors',
      minzoom: 16,
      metadata: group('network'),
      layout: {
        ...hidden,
        'icon-image': STYLE_IMAGES.detector,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 16, 0.6, 19, 1],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
    {
      id: 'signals-junction',
      type: 'symbol',
      source: 'network',
      'source-layer': 'signals',
      minzoom: 13,
      metadata: group('signals'),
      layout: {
        'icon-image': STYLE_IMAGES.signal,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 13, 0.55, 16, 0.8, 19, 1],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
  ]
}
