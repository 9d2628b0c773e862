import type { LiveDevice } from '../../../../../contracts/schemas/live-state'
import type { MarkerData } from '../../marker-data'
import type { ShapeMarkerLayerProps } from './shape-marker-layer'

export interface MarkerLayerOptions {
  visible: boolean
  /** Multiplies every marker size (2 on the video wall). */
  sizeScale: number
}

/** The props every device marker layer shares: pixel sizes, style accessors reading MarkerData by index. */
export function markerLayerProps(id: string, data: MarkerData, options: MarkerLayerOptions): ShapeMarkerLayerProps<LiveDevice> {
  const { fill, line, shape, radius, lineWidth, version } = data
  return {
    id,
    data: data.devices,
    visible: options.visible,
    pickable: true,
    stroked: true,
    filled: true,
    billboard: true,
    antialiasing: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    radiusScale: options.sizeScale,
    lineWidthScale: options.sizeScale,
    getPosition: (d) => d.position,
    getFillColor: (_, { index }) => fill.subarray(index * 4, index * 4 + 4),
    getLineColor: (_, { index }) => line.subarray(index * 4, index * 4 + 4),
    getShape: (_, { index }) => shape[index] ?? 0,
    getRadius: (_, { index }) => radius[index] ?? 1,
    getLineWidth: (_, { index }) => lineWidth[index] ?? 1,
    updateTriggers: {
      getFillColor: version,
      getLineColor: version,
      getShape: version,
      getRadius: version,
      getLineWidth: version,
    },
  }
}
