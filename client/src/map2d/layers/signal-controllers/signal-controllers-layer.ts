import type { LiveDevice } from '../../../../../contracts/schemas/live-state'
import type { MarkerData } from '../../marker-data'
import type { MarkerSpec } from '../../marker-style'
import { markerLayerProps, type MarkerLayerOptions } from '../shape-marker/marker-layer-props'
import { ShapeMarkerLayer } from '../shape-marker/shape-marker-layer'

/** Signal controllers: squares; amber flashing, red dark (off). */
export const SIGNAL_CONTROLLER_MARKER: MarkerSpec = { shape: 'square', radiusPx: 5.5 }

export function createSignalControllersLayer(data: MarkerData, options: MarkerLayerOptions): ShapeMarkerLayer<LiveDevice> {
  return new ShapeMarkerLayer<LiveDevice>(markerLayerProps('signal-controllers', data, options))
}
