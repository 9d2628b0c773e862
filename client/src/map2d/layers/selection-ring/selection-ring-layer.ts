import { ScatterplotLayer } from '@deck.gl/layers'
import type { LiveDevice } from '../../../../../contracts/schemas/live-state'
import { PALETTE, hexToRgba } from '../../palette'

/** A white ring around the selected device (white is not a status colour), not pickable. */
export function createSelectionRingLayer(selected: LiveDevice | null, sizeScale: number): ScatterplotLayer<LiveDevice> {
  return new ScatterplotLayer<LiveDevice>({
    id: 'selection-ring',
    data: selected ? [selected] : [],
    pickable: false,
    stroked: true,
    filled: false,
    billboard: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => d.position,
    getRadius: 15 * sizeScale,
    getLineWidth: 2.5 * sizeScale,
    getLineColor: hexToRgba(PALETTE.selection),
  })
}
