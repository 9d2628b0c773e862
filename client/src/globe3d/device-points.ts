/**
 * Live devices in the 3D view: one point per device, coloured as on the 2D map (markerStyle of the
 * device's condition), always drawn over buildings; signal controllers (signalised junctions) as a
 * traffic-light glyph. Each primitive's id names the device, which is how a click selects it.
 */
import { BillboardCollection, Cartesian3, Color, PointPrimitiveCollection, VerticalOrigin, type Scene } from 'cesium'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import type { DeviceCondition } from '../state/device-condition'
import { MARKER_SPECS } from '../map2d/device-layers'
import { markerStyle } from '../map2d/marker-style'
import { PALETTE, type Rgba } from '../map2d/palette'

/** What a picked device primitive carries as its id. */
export interface DevicePickId {
  kind: 'device'
  deviceId: string
}

export function isDevicePickId(id: unknown): id is DevicePickId {
  return typeof id === 'object' && id !== null && (id as DevicePickId).kind === 'device' && typeof (id as DevicePickId).deviceId === 'string'
}

const DEVICE_HEIGHT_M = 3
const toColor = (c: Rgba) => Color.fromBytes(c[0], c[1], c[2], c[3])

/** A small traffic light, drawn once on a canvas. */
function signalGlyph(): HTMLCanvasElement {
  const canvas = document.createElement('canvas')
  canvas.width = 14
  canvas.height = 30
  const g = canvas.getContext('2d')!
  g.fillStyle = PALETTE.surfaceRaised
  g.strokeStyle = PALETTE.neutral
  g.lineWidth = 1.5
  g.beginPath()
  g.roundRect(1, 1, 12, 28, 3)
  g.fill()
  g.stroke()
  g.fillStyle = PALETTE.neutral
  for (const y of [7, 15, 23]) {
    g.beginPath()
    g.arc(7, y, 2.6, 0, Math.PI * 2)
    g.fill()
  }
  return canvas
}

export class DevicePoints {
  private readonly points: PointPrimitiveCollection
  private readonly signals: BillboardCollection
  private readonly glyph = signalGlyph()
  constructor(private readonly scene: Scene) {
    this.points = scene.primitives.add(new PointPrimitiveCollection())
    this.signals = scene.primitives.add(new BillboardCollection({ scene }))
  }

  /**
   * Redraws every device. `signalControllers` are the junctions known to the server even when the
   * signal layer is not subscribed live (their condition then is unknown).
   */
  update(
    devices: ReadonlyMap<string, LiveDevice>,
    conditions: ReadonlyMap<string, DeviceCondition>,
    visible: ReadonlySet<string>,
    selection: string | null,
    signalControllers: readonly LiveDevice[],
  ): void {
    this.points.removeAll()
    this.signals.removeAll()
    const signals = new Map(signalControllers.map((d) => [d.id, d]))
    for (const device of devices.values()) {
      if (device.kind === 'signal-controller') {
        signals.set(device.id, device)
        continue
      }
      if (!visible.has(device.kind)) continue
      const style = markerStyle(conditions.get(device.id), MARKER_SPECS[device.kind])
      const selected = device.id === selection
      this.points.add({
        id: { kind: 'device', deviceId: device.id } satisfies DevicePickId,
        position: Cartesian3.fromDegrees(device.position[0], device.position[1], DEVICE_HEIGHT_M),
        pixelSize: style.radiusPx * 2 + (selected ? 4 : 0),
        color: style.fill[3] === 0 ? Color.fromCssColorString(PALETTE.mapBackground) : toColor(style.fill),
        outlineColor: selected ? Color.fromCssColorString(PALETTE.selection) : toColor(style.line),
        outlineWidth: selected ? 3 : Math.max(1, style.lineWidthPx),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      })
    }
    for (const device of signals.values()) {
      const selected = device.id === selection
      this.signals.add({
        id: { kind: 'device', deviceId: device.id } satisfies DevicePickId,
        position: Cartesian3.fromDegrees(device.position[0], device.position[1], DEVICE_HEIGHT_M),
        image: this.glyph,
        verticalOrigin: VerticalOrigin.BOTTOM,
        scale: selected ? 1.3 : 1,
        color: selected ? Color.WHITE : Color.WHITE.withAlpha(0.9),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      })
    }
    this.scene.requestRender()
  }
}
