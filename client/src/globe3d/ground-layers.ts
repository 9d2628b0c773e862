/**
 * The styled ground of the 3D view, drawn from our own data (no imagery): streets and district,
 * zone and ZTL outlines as polylines on the ellipsoid, in the palette of the 2D map.
 */
import {
  ArcType,
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  PolylineColorAppearance,
  PolylineGeometry,
  Primitive,
  type Scene,
} from 'cesium'
import type { BasemapLayer } from '../../../contracts/api'
import { PALETTE } from '../map2d/palette'
import { geometryLines, type Feature } from './geometry-lines'

/** Each layer's lines, widths in CSS px. Districts above zones above streets. */
const LINE_STYLE: Record<BasemapLayer, { color: string; alpha: number; widthPx: number }> = {
  streets: { color: PALETTE.streetMajor, alpha: 0.9, widthPx: 1.5 },
  zone: { color: PALETTE.zoneLine, alpha: 1, widthPx: 1 },
  quartieri: { color: PALETTE.districtLine, alpha: 1, widthPx: 2 },
  ztl: { color: PALETTE.ztlLine, alpha: 1, widthPx: 2 },
  lanes: { color: PALETTE.neutral, alpha: 0.45, widthPx: 1 },
}

/**
 * One batched primitive per layer (a single draw call for thousands of streets); a polyline
 * collection would need a material per line, since each line destroys its own.
 */
export class GroundLayers {
  private readonly primitives = new Map<BasemapLayer, Primitive>()
  constructor(private readonly scene: Scene) {}

  set(layer: BasemapLayer, features: readonly Feature[]): void {
    const previous = this.primitives.get(layer)
    if (previous) this.scene.primitives.remove(previous)
    const style = LINE_STYLE[layer]
    const color = ColorGeometryInstanceAttribute.fromColor(Color.fromCssColorString(style.color).withAlpha(style.alpha))
    const instances: GeometryInstance[] = []
    for (const f of features) {
      for (const line of geometryLines(f.geometry)) {
        if (line.length < 2) continue
        const positions = Cartesian3.fromDegreesArray(line.flatMap((p) => [p[0]!, p[1]!]))
        instances.push(new GeometryInstance({ geometry: new PolylineGeometry({ positions, width: style.widthPx, arcType: ArcType.GEODESIC }), attributes: { color } }))
      }
    }
    if (instances.length === 0) return
    const primitive = new Primitive({ geometryInstances: instances, appearance: new PolylineColorAppearance({ translucent: style.alpha < 1 }) })
    this.primitives.set(layer, this.scene.primitives.add(primitive))
    this.scene.requestRender()
  }
}
