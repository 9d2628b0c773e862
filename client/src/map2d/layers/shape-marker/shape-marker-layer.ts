import type { Accessor, DefaultProps } from '@deck.gl/core'
import { ScatterplotLayer, type ScatterplotLayerProps } from '@deck.gl/layers'
import { SHAPE_MARKER_FS } from './shape-marker-fragment.glsl'

export interface _ShapeMarkerLayerProps<DataT> {
  /** Shape code per marker (see SHAPE in map2d/marker-style.ts); +10 hatches the fill. */
  getShape?: Accessor<DataT, number>
}

export type ShapeMarkerLayerProps<DataT = unknown> = _ShapeMarkerLayerProps<DataT> & ScatterplotLayerProps<DataT>

const defaultProps: DefaultProps<ShapeMarkerLayerProps> = {
  getShape: { type: 'accessor', value: 0 },
}

/**
 * A ScatterplotLayer whose markers can be circles, squares, diamonds, triangles, hexagons or crosses,
 * solid or hatched, so that kind and data quality are coded by shape as well as by colour (ISA-101).
 * Same props as ScatterplotLayer plus `getShape`; picking works on the whole shape.
 */
export class ShapeMarkerLayer<DataT = unknown, ExtraPropsT extends {} = {}> extends ScatterplotLayer<
  DataT,
  ExtraPropsT & Required<_ShapeMarkerLayerProps<DataT>>
> {
  static override layerName = 'ShapeMarkerLayer'
  static override defaultProps = defaultProps

  override getShaders() {
    const shaders = super.getShaders()
    const inject: Record<string, string> = shaders.inject ?? {}
    return {
      ...shaders,
      fs: SHAPE_MARKER_FS,
      inject: {
        ...inject,
        'vs:#decl': `${inject['vs:#decl'] ?? ''}\nin float instanceShapes;\nout float vShape;\n`,
        'vs:#main-end': `${inject['vs:#main-end'] ?? ''}\nvShape = instanceShapes;\n`,
      },
    }
  }

  override initializeState() {
    super.initializeState()
    this.getAttributeManager()?.addInstanced({
      instanceShapes: { size: 1, accessor: 'getShape', defaultValue: 0 },
    })
  }
}
