import type { LiveDevice } from '../../../../../contracts/schemas/live-state'
import type { MarkerData } from '../../marker-data'
import type { MarkerSpec } from '../../marker-style'
import { markerLayerProps, type MarkerLayerOptions } from '../shape-marker/marker-layer-props'
import { ShapeMarkerLayer } from '../shape-marker/shape-marker-layer'

/** ZTL camera gates: diamonds; yellow degraded, amber fault or offline. */
export const ZTL_GATE_MARKER: MarkerSpec = { shape: 'diamond', radiusPx: 7 }

export function createZtlGatesLayer(data: MarkerData, options: MarkerLayerOptions): ShapeMarkerLayer<LiveDevice> {
  return new ShapeMarkerLayer<LiveDevice>(markerLayerProps('ztl-gates', data, options))
}
