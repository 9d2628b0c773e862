/**
 * The scenario's flows in 3D (docs/ui.md, "Scenario explorer"): one wall per road link and
 * direction, as high as the scenario's flow and coloured by its change against the left side (the
 * base, or scenario A) in the delta layer's palette; closed links as low walls in the closed colour.
 * Only the links that matter are raised — a city has thousands of empty residential links. Pure.
 */
import { CLOSED_COLOUR, deltaColour } from '../map2d/layers/scenario-links/link-style'
import { hexToRgba, type Rgba } from '../map2d/palette'
import type { LonLat, ScenarioLinkDatum } from '../state/scenario-map'

/** Metres of wall per veh/h: 1,000 veh/h stand 60 m high. */
export const WALL_M_PER_VEH_H = 0.06
export const WALL_MAX_M = 240
/** A closed link's low wall. */
export const CLOSED_WALL_M = 8
/** Links with less flow and less change than this are not raised. */
export const WALL_MIN_VEH_H = 50
/** The most walls drawn (the busiest and most changed first). */
export const WALL_MAX_COUNT = 4000

export interface WallDatum {
  key: string
  path: LonLat[]
  heightM: number
  colour: Rgba
}

export const wallHeightM = (flowVehH: number) => Math.min(WALL_MAX_M, Math.max(0, flowVehH) * WALL_M_PER_VEH_H)

export function wallData(links: readonly ScenarioLinkDatum[], maxCount = WALL_MAX_COUNT): WallDatum[] {
  const weight = (l: ScenarioLinkDatum) => Math.max(l.right.flowVehH, Math.abs(l.deltaVehH))
  return links
    .filter((l) => l.path.length >= 2 && (l.right.closed || weight(l) >= WALL_MIN_VEH_H))
    .sort((a, b) => Number(b.right.closed) - Number(a.right.closed) || weight(b) - weight(a))
    .slice(0, maxCount)
    .map((l) => ({
      key: l.key,
      path: l.path,
      heightM: l.right.closed ? CLOSED_WALL_M : Math.max(1, wallHeightM(l.right.flowVehH)),
      colour: l.right.closed ? hexToRgba(CLOSED_COLOUR, 230) : deltaColour(l.deltaVehH, 215),
    }))
}
