import type { LiveDevice } from '../../../../../contracts/schemas/live-state'
import type { MarkerData } from '../../marker-data'
import type { MarkerSpec } from '../../marker-style'
import { markerLayerProps, type MarkerLayerOptions } from '../shape-marker/marker-layer-props'
import { ShapeMarkerLayer } from '../shape-marker/shape-marker-layer'

/** Air-quality stations: large hexagons, grey within limits; yellow/amber/red by the EU limits. */
export const AIR_QUALITY_MARKER: MarkerSpec = { shape: 'hexagon', radiusPx: 8 }

export function createAirQualityLayer(data: MarkerData, options: MarkerLayerOptions): ShapeMarkerLayer<LiveDevice> {
  return new ShapeMarkerLayer<LiveDevice>(markerLayerProps('air-quality', data, options))
}
