import type { LiveDevice } from '../../../../../contracts/schemas/live-state'
import type { MarkerData } from '../../marker-data'
import type { MarkerSpec } from '../../marker-style'
import { markerLayerProps, type MarkerLayerOptions } from '../shape-marker/marker-layer-props'
import { ShapeMarkerLayer } from '../shape-marker/shape-marker-layer'

/** Connectivity devices (Wi-Fi, field routers): small squares; yellow degraded, amber link down. */
export const CONNECTIVITY_MARKER: MarkerSpec = { shape: 'square', radiusPx: 4 }

export function createConnectivityLayer(data: MarkerData, options: MarkerLayerOptions): ShapeMarkerLayer<LiveDevice> {
  return new ShapeMarkerLayer<LiveDevice>(markerLayerProps('connectivity', data, options))
}
