/**
 * A scene's annotations in the 3D view: a label at each position, `heightM` above the ellipsoid
 * (the ground here: no terrain), always drawn over buildings so a label inside a block still reads.
 */
import { Cartesian2, Cartesian3, Color, HorizontalOrigin, LabelCollection, LabelStyle, VerticalOrigin, type Scene } from 'cesium'
import type { Annotation } from '../../../contracts/schemas/scene'
import { PALETTE } from '../map2d/palette'

export class AnnotationLabels {
  private readonly labels: LabelCollection
  private shown: readonly Annotation[] | null = null

  constructor(private readonly scene: Scene) {
    this.labels = scene.primitives.add(new LabelCollection({ scene }))
  }

  set(annotations: readonly Annotation[], lang: string): void {
    if (annotations === this.shown) return
    this.shown = annotations
    this.labels.removeAll()
    for (const a of annotations) {
      this.labels.add({
        id: { kind: 'annotation', annotationId: a.id },
        position: Cartesian3.fromDegrees(a.position[0], a.position[1], a.heightM),
        text: lang.startsWith('it') ? a.label.it : a.label.en,
        font: '600 15px "Titillium Web", sans-serif',
        fillColor: Color.fromCssColorString(PALETTE.neutral),
        outlineColor: Color.BLACK,
        outlineWidth: 3,
        style: LabelStyle.FILL_AND_OUTLINE,
        horizontalOrigin: HorizontalOrigin.CENTER,
        verticalOrigin: VerticalOrigin.BOTTOM,
        pixelOffset: new Cartesian2(0, -6),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      })
    }
    this.scene.requestRender()
  }

  /** Labels shown, for the test API. */
  count(): number {
    return this.labels.length
  }
}
