import { CompositeLayer, type CompositeLayerProps, type DefaultProps, type Layer, type UpdateParameters } from '@deck.gl/core'
import { PathLayer, TextLayer } from '@deck.gl/layers'
import type { SignalGeometry } from '../../../../../contracts/signal-api'
import type { GroupStates } from '../../../state/signal-junction'
import { PALETTE, hexToRgba } from '../../palette'
import { ASPECT_COLOURS, aspectOf, signalGroupsData, type GroupLabel, type GroupLane, type LonLat, type SignalGroupsData } from './signal-groups-data'

export interface _SignalGroupsLayerProps {
  /** The controller's approach lanes and junction polygons (getSignalGeometry); null draws nothing. */
  geometry?: SignalGeometry | null
  /** Each group's state in the selected interval; null: no interval selected (every lane dark grey). */
  states?: GroupStates | null
  /** Multiplies the outline width and the label size (2 on the video wall). */
  sizeScale?: number
}

export type SignalGroupsLayerProps = _SignalGroupsLayerProps & CompositeLayerProps

const defaultProps: DefaultProps<SignalGroupsLayerProps> = {
  geometry: { type: 'object', value: null },
  states: { type: 'object', value: null },
  sizeScale: { type: 'number', value: 1, min: 0 },
}

/**
 * The junction open in the signal workbench: each signal group's approach lanes coloured by the
 * group's aspect in the selected interval, the group id at the stop line, and the junction polygons
 * as a thin outline. Not pickable. The drawn data is recomputed only when the geometry changes; a
 * new interval only recolours.
 */
export class SignalGroupsLayer extends CompositeLayer<Required<_SignalGroupsLayerProps>> {
  static override layerName = 'SignalGroupsLayer'
  static override defaultProps = defaultProps

  declare state: { data: SignalGroupsData }

  override initializeState(): void {
    this.setState({ data: signalGroupsData(this.props.geometry) })
  }

  override updateState({ props, oldProps }: UpdateParameters<this>): void {
    if (props.geometry !== oldProps.geometry) this.setState({ data: signalGroupsData(props.geometry) })
  }

  override renderLayers(): Layer[] {
    const { states, sizeScale } = this.props
    const { data } = this.state
    return [
      new PathLayer<LonLat[]>(
        this.getSubLayerProps({
          id: 'junctions',
          data: data.outlines,
          pickable: false,
          widthUnits: 'pixels',
          getPath: (ring: LonLat[]) => ring,
          getWidth: 1 * sizeScale,
          getColor: hexToRgba(PALETTE.textMuted, 200),
        }),
      ),
      new PathLayer<GroupLane>(
        this.getSubLayerProps({
          id: 'lanes',
          data: data.lanes,
          pickable: false,
          widthUnits: 'meters',
          widthMinPixels: 2,
          capRounded: false,
          getPath: (l: GroupLane) => l.path,
          getWidth: (l: GroupLane) => l.widthM,
          getColor: (l: GroupLane) => ASPECT_COLOURS[aspectOf(states?.[l.groupId])],
          updateTriggers: { getColor: states },
        }),
      ),
      new TextLayer<GroupLabel>(
        this.getSubLayerProps({
          id: 'labels',
          data: data.labels,
          pickable: false,
          billboard: true,
          sizeUnits: 'pixels',
          getPosition: (l: GroupLabel) => l.position,
          getText: (l: GroupLabel) => l.text,
          getSize: 12 * sizeScale,
          getColor: hexToRgba(PALETTE.text),
          fontWeight: 700,
          outlineWidth: 3,
          outlineColor: hexToRgba(PALETTE.mapBackground),
          fontSettings: { sdf: true },
        }),
      ),
    ]
  }
}
