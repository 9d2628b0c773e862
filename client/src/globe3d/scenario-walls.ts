/**
 * The scenario explorer's flows in the 3D view: one batched primitive of walls over the road links,
 * height by the scenario's flow, colour by its change (scenario-wall-data.ts). Replaced whole when the
 * estimate changes (a new hour, another version); removed when the explorer closes.
 */
import { Cartesian3, Color, ColorGeometryInstanceAttribute, GeometryInstance, PerInstanceColorAppearance, Primitive, WallGeometry, type Scene } from 'cesium'
import type { ScenarioMapData } from '../state/scenario-map'
import { wallData } from './scenario-wall-data'

export class ScenarioWalls {
  private primitive: Primitive | null = null
  private revision: number | null = null
  /** Walls drawn now (test API). */
  count = 0

  constructor(private readonly scene: Scene) {}

  set(data: ScenarioMapData | null): void {
    if ((data?.revision ?? null) === this.revision) return
    this.clear()
    this.revision = data?.revision ?? null
    if (!data) return
    const instances: GeometryInstance[] = []
    for (const w of wallData(data.links)) {
      const positions = Cartesian3.fromDegreesArray(w.path.flatMap((p) => [p[0], p[1]]))
      const geometry = WallGeometry.fromConstantHeights({ positions, maximumHeight: w.heightM, minimumHeight: 0 })
      const [r, g, b, a] = w.colour
      instances.push(new GeometryInstance({ geometry, id: { kind: 'scenario-link', key: w.key }, attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.fromBytes(r, g, b, a)) } }))
    }
    this.count = instances.length
    if (instances.length === 0) return
    this.primitive = this.scene.primitives.add(
      new Primitive({ geometryInstances: instances, appearance: new PerInstanceColorAppearance({ flat: true, translucent: true, closed: false }), asynchronous: true }),
    ) as Primitive
    this.scene.requestRender()
  }

  clear(): void {
    if (this.primitive) this.scene.primitives.remove(this.primitive)
    this.primitive = null
    this.revision = null
    this.count = 0
    this.scene.requestRender()
  }

  /** Resolves once the walls' geometry is built and drawn (asynchronous primitives build in workers). */
  ready(): Promise<void> {
    const p = this.primitive
    if (!p) return Promise.resolve()
    return new Promise((resolve) => {
      const check = () => {
        if (p.ready || p.isDestroyed()) return resolve()
        this.scene.requestRender()
        setTimeout(check, 100)
      }
      check()
    })
  }
}
