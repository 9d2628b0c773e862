import type { LiveDevice } from '../../../../../contracts/schemas/live-state'
import type { MarkerData } from '../../marker-data'
import type { MarkerSpec } from '../../marker-style'
import { markerLayerProps, type MarkerLayerOptions } from '../shape-marker/marker-layer-props'
import { ShapeMarkerLayer } from '../shape-marker/shape-marker-layer'

/** Traffic loops: small circles, grey at free flow; amber heavy, red congested (state/thresholds.ts). */
export const TRAFFIC_LOOP_MARKER: MarkerSpec = { shape: 'circle', radiusPx: 4 }

export function createTrafficLoopsLayer(data: MarkerData, options: MarkerLayerOptions): ShapeMarkerLayer<LiveDevice> {
  return new ShapeMarkerLayer<LiveDevice>(markerLayerProps('traffic-loops', data, options))
}
