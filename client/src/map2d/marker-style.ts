import type { DeviceCondition, Severity } from '../state/device-condition'
import { PALETTE, hexToRgba, type Rgba } from './palette'

/** Marker shapes drawn by ShapeMarkerLayer; the code is the shader's shape id. */
export const SHAPE = { circle: 0, square: 1, diamond: 2, triangle: 3, hexagon: 4, cross: 5 } as const
export type ShapeName = keyof typeof SHAPE
/** Added to the shape code: diagonal hatching instead of a solid fill (stale values). */
export const HATCHED = 10

/** How a kind of device is drawn when all is normal. */
export interface MarkerSpec {
  shape: Exclude<ShapeName, 'cross'>
  /** Radius in CSS pixels at normal severity. */
  radiusPx: number
}

export interface MarkerStyle {
  fill: Rgba
  line: Rgba
  shape: number
  radiusPx: number
  lineWidthPx: number
}

const TRANSPARENT: Rgba = [0, 0, 0, 0]
const OUTLINE = hexToRgba(PALETTE.neutralOutline, 230)

const SEVERITY_STYLE: Record<Severity, { fill: Rgba; scale: number; lineWidthPx: number }> = {
  normal: { fill: hexToRgba(PALETTE.neutral), scale: 1, lineWidthPx: 1 },
  diagnostic: { fill: hexToRgba(PALETTE.diagnostic), scale: 1.2, lineWidthPx: 1.5 },
  medium: { fill: hexToRgba(PALETTE.medium), scale: 1.3, lineWidthPx: 1.5 },
  high: { fill: hexToRgba(PALETTE.high), scale: 1.45, lineWidthPx: 2 },
  critical: { fill: hexToRgba(PALETTE.critical), scale: 1.6, lineWidthPx: 2 },
}

/**
 * Condition → marker. Fresh values: neutral grey, or an alarm colour that also grows the marker.
 * Stale: grey hatched with an outline (never a live colour). No communication: a dim grey cross.
 * Never reported: a dim hollow outline.
 */
export function markerStyle(condition: DeviceCondition | undefined, spec: MarkerSpec): MarkerStyle {
  const shape = SHAPE[spec.shape]
  if (!condition || condition.freshness === 'no_data') {
    return { fill: TRANSPARENT, line: hexToRgba(PALETTE.noComm), shape, radiusPx: spec.radiusPx, lineWidthPx: 1.5 }
  }
  if (condition.freshness === 'no_comm') {
    return { fill: TRANSPARENT, line: hexToRgba(PALETTE.noComm), shape: SHAPE.cross, radiusPx: spec.radiusPx + 1, lineWidthPx: 2 }
  }
  if (condition.freshness === 'stale') {
    return { fill: hexToRgba(PALETTE.stale, 170), line: hexToRgba(PALETTE.stale, 220), shape: shape + HATCHED, radiusPx: spec.radiusPx + 1, lineWidthPx: 1.25 }
  }
  const s = SEVERITY_STYLE[condition.severity]
  return { fill: s.fill, line: OUTLINE, shape, radiusPx: spec.radiusPx * s.scale, lineWidthPx: s.lineWidthPx }
}
