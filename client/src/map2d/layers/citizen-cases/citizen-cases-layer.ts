import { ScatterplotLayer, TextLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import type { CasePoint } from '../../../state/case-map'
import { PALETTE, hexToRgba } from '../../palette'

/** The layer ids of the citizen cases (picked for the tooltip and the click that opens a case). */
export const CITIZEN_CASE_LAYER_IDS = ['citizen-cases', 'citizen-case-label', 'citizen-case-selected'] as const
export const isCitizenCaseLayer = (id: string) => (CITIZEN_CASE_LAYER_IDS as readonly string[]).includes(id)

/** The glyph of a case point: "S" (segnalazione), "S!" once past its SLA — colour is never the only code. */
export const caseGlyph = (p: CasePoint) => (p.overdue ? 'S!' : 'S')

/**
 * Open citizen cases as dark discs marked "S" with a grey rim (ISA-101: a case in its time is
 * normal, so grey); a case past its SLA gets the high-priority colour and "S!". The case open in the
 * panel is ringed in white (not a status colour).
 */
export function createCitizenCaseLayers(points: readonly CasePoint[], selected: CasePoint | null, sizeScale: number): Layer[] {
  return [
    new ScatterplotLayer<CasePoint>({
      id: 'citizen-cases',
      data: points,
      pickable: true,
      stroked: true,
      filled: true,
      billboard: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (p) => p.position,
      getRadius: 8 * sizeScale,
      getFillColor: hexToRgba(PALETTE.surface, 235),
      getLineWidth: (p) => (p.overdue ? 3 : 1.5) * sizeScale,
      getLineColor: (p) => hexToRgba(p.overdue ? PALETTE.high : PALETTE.neutral),
      updateTriggers: { getLineWidth: points, getLineColor: points },
    }),
    new TextLayer<CasePoint>({
      id: 'citizen-case-label',
      data: points,
      pickable: false,
      billboard: true,
      sizeUnits: 'pixels',
      getPosition: (p) => p.position,
      getText: caseGlyph,
      getSize: 11 * sizeScale,
      getColor: (p) => hexToRgba(p.overdue ? PALETTE.high : PALETTE.text),
      fontWeight: 700,
      characterSet: ['S', '!'],
      updateTriggers: { getText: points, getColor: points },
    }),
    new ScatterplotLayer<CasePoint>({
      id: 'citizen-case-selected',
      data: selected ? [selected] : [],
      pickable: false,
      stroked: true,
      filled: false,
      billboard: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (p) => p.position,
      getRadius: 13 * sizeScale,
      getLineWidth: 2.5 * sizeScale,
      getLineColor: hexToRgba(PALETTE.selection),
    }),
  ]
}
