import type { LiveDevice } from '../../../contracts/schemas/live-state'
import type { DeviceCondition } from '../state/device-condition'
import { markerStyle, type MarkerSpec } from './marker-style'

/**
 * Accessor-friendly marker data of one device kind: `devices` is the deck.gl data array and keeps its
 * identity while the set of devices is unchanged (positions are not recomputed); the style arrays are
 * rewritten on every update and `version` is the updateTrigger of the style accessors.
 */
export interface MarkerData {
  devices: readonly LiveDevice[]
  fill: Uint8Array
  line: Uint8Array
  shape: Float32Array
  radius: Float32Array
  lineWidth: Float32Array
  version: number
}

function sameDevices(a: readonly LiveDevice[], b: readonly LiveDevice[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}

export function buildMarkerData(
  prev: MarkerData | null,
  devices: readonly LiveDevice[],
  conditions: ReadonlyMap<string, DeviceCondition>,
  spec: MarkerSpec,
): MarkerData {
  const keep = prev !== null && sameDevices(prev.devices, devices)
  const n = devices.length
  const data: MarkerData =
    keep && prev
      ? { ...prev, version: prev.version + 1 }
      : {
          devices,
          fill: new Uint8Array(n * 4),
          line: new Uint8Array(n * 4),
          shape: new Float32Array(n),
          radius: new Float32Array(n),
          lineWidth: new Float32Array(n),
          version: (prev?.version ?? 0) + 1,
        }
  for (let i = 0; i < n; i++) {
    const device = devices[i] as LiveDevice
    const style = markerStyle(conditions.get(device.id), spec)
    data.fill.set(style.fill, i * 4)
    data.line.set(style.line, i * 4)
    data.shape[i] = style.shape
    data.radius[i] = style.radiusPx
    data.lineWidth[i] = style.lineWidthPx
  }
  return data
}
