/**
 * How the scenario explorer's links and loops look (docs/ui.md, "Scenario explorer"). None of the
 * four alarm colours: on the map those mean a device. The delta layer uses a diverging
 * pink ↔ green palette (ColorBrewer PiYG/PRGn) with a grey middle — no change is normal, so it is
 * grey; flows on the split maps go from dark to light grey-blue by volume/capacity, with the strong
 * pink for links over capacity; loops that the model does not fit are violet, growing with the GEH.
 * Classes, not a continuous ramp, so the legend can name each one. Pure.
 */
import { PALETTE, hexToRgba, type Rgba } from '../../palette'

export type LonLat = [number, number]

/** A class of a legend: the lower bound (inclusive) and the colour. */
export interface StyleClass {
  /** Lower bound of the class; the first class is open below. */
  from: number
  colour: string
}

/** |Δ| under the first step (veh/h) is "no change" (grey); each further step is a stronger colour. */
export const DELTA_STEPS_VEH_H = [50, 200, 500] as const
export const DELTA_NEUTRAL_VEH_H = DELTA_STEPS_VEH_H[0]
const NO_CHANGE = '#6e747d'
/** More vehicles (pink) and fewer (green), lightest first. */
const MORE = ['#f1b6da', '#de77ae', '#c51b7d'] as const
const FEWER = ['#a6dba0', '#5aae61', '#239245'] as const

/** A class of the delta legend: Δ from `from` (inclusive) to `to` (exclusive) when positive, mirrored when negative. */
export interface DeltaClass {
  sign: -1 | 0 | 1
  /** The smallest |Δ| of the class. */
  fromVehH: number
  /** The |Δ| where the next class starts (null: no upper bound). */
  toVehH: number | null
  colour: string
}

/** The delta legend's classes, most vehicles lost first, then no change, then most gained last. */
export const DELTA_CLASSES: readonly DeltaClass[] = [
  ...FEWER.map((colour, i) => ({ sign: -1 as const, fromVehH: DELTA_STEPS_VEH_H[i]!, toVehH: DELTA_STEPS_VEH_H[i + 1] ?? null, colour })).reverse(),
  { sign: 0, fromVehH: 0, toVehH: DELTA_NEUTRAL_VEH_H, colour: NO_CHANGE },
  ...MORE.map((colour, i) => ({ sign: 1 as const, fromVehH: DELTA_STEPS_VEH_H[i]!, toVehH: DELTA_STEPS_VEH_H[i + 1] ?? null, colour })),
]

/** Volume/capacity classes of the flow maps. */
export const VC_CLASSES: readonly StyleClass[] = [
  { from: -Infinity, colour: '#5b6675' },
  { from: 0.5, colour: '#8d9aab' },
  { from: 0.8, colour: '#cbd5e1' },
  { from: 1, colour: '#c51b7d' },
]

export type GehClass = 'fit' | 'poor' | 'bad'
/** GEH < 5 fits (UK TAG M3.1); 5–10 is poor; 10 and more is bad. */
export const GEH_CLASSES: Readonly<Record<GehClass, { from: number; colour: string; radiusPx: number }>> = {
  fit: { from: 0, colour: PALETTE.neutral, radiusPx: 4 },
  poor: { from: 5, colour: '#b39ddb', radiusPx: 6 },
  bad: { from: 10, colour: '#7e57c2', radiusPx: 8 },
}

export const CLOSED_COLOUR = PALETTE.text
export const HIGHLIGHT_COLOUR = PALETTE.selection

function classOf(classes: readonly StyleClass[], value: number): StyleClass {
  let found = classes[0]!
  for (const c of classes) if (value >= c.from) found = c
  return found
}

/** The class of a Δ flow: |Δ| < 50 veh/h is the grey middle class; the classes mirror around it. */
export function deltaClass(deltaVehH: number): DeltaClass {
  const size = Math.abs(deltaVehH)
  const steps = DELTA_STEPS_VEH_H.filter((s) => size >= s).length
  if (steps === 0) return DELTA_CLASSES[FEWER.length]!
  return DELTA_CLASSES[deltaVehH > 0 ? FEWER.length + steps : FEWER.length - steps]!
}

export const deltaColour = (deltaVehH: number, alpha = 235): Rgba => hexToRgba(deltaClass(deltaVehH).colour, alpha)
export const vcColour = (vc: number, alpha = 235): Rgba => hexToRgba(classOf(VC_CLASSES, vc).colour, alpha)

/**
 * A SUMO edge where there is nothing to compare it with — no estimate on its road (difference map),
 * no capacity known for it (flow map): a dim, see-through grey, darker than "no change" so that it
 * does not read as one.
 */
export const SUMO_UNMATCHED_COLOUR = '#3d434b'
const SUMO_UNMATCHED_ALPHA = 170

/** A SUMO edge by simulated − estimated, on the delta palette; without an estimate on its road, the dim grey. */
export function sumoDifferenceColour(differenceVehH: number | null, alpha = 235): Rgba {
  return differenceVehH === null ? hexToRgba(SUMO_UNMATCHED_COLOUR, SUMO_UNMATCHED_ALPHA) : deltaColour(differenceVehH, alpha)
}

/** A SUMO edge's simulated flow by volume/capacity (the capacity of its road in the estimate); unknown capacity, the dim grey. */
export function sumoFlowColour(vc: number | null, alpha = 235): Rgba {
  return vc === null ? hexToRgba(SUMO_UNMATCHED_COLOUR, SUMO_UNMATCHED_ALPHA) : vcColour(vc, alpha)
}

/** A road link's capacity, veh/h, from an estimate's flow and its volume/capacity; null when the link is empty (it cannot be told). */
export function capacityVehH(side: { flowVehH: number; vc: number }): number | null {
  return side.flowVehH > 0 && side.vc > 0 ? side.flowVehH / side.vc : null
}

export function gehClass(geh: number): GehClass {
  return geh >= GEH_CLASSES.bad.from ? 'bad' : geh >= GEH_CLASSES.poor.from ? 'poor' : 'fit'
}

/** Line width by flow, CSS px: 1 px for an empty link, 10 px at 1,800 veh/h, at most 12. */
export function flowWidthPx(flowVehH: number): number {
  return Math.min(12, 1 + Math.max(0, flowVehH) / 200)
}

const M_PER_DEG_LAT = 111_320

/** Metres between two positions (equirectangular: exact enough inside a city). */
export function distanceM(a: LonLat, b: LonLat): number {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180)
  return Math.hypot((b[0] - a[0]) * k * M_PER_DEG_LAT, (b[1] - a[1]) * M_PER_DEG_LAT)
}

const lerp = (a: LonLat, b: LonLat, t: number): LonLat => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]

/**
 * A path cut into dashes of `dashM` metres with `gapM` between them (the closed links' dashed line;
 * deck.gl draws dashes only with an extension the client does not bundle). A path shorter than one
 * dash is one dash.
 */
export function dashPath(path: readonly LonLat[], dashM = 18, gapM = 12): LonLat[][] {
  if (path.length < 2) return []
  const dashes: LonLat[][] = []
  let current: LonLat[] = [path[0]!]
  let drawing = true
  let left = dashM
  for (let i = 1; i < path.length; i++) {
    let a = path[i - 1]!
    const b = path[i]!
    let seg = distanceM(a, b)
    while (seg > left) {
      const p = lerp(a, b, left / seg)
      if (drawing) {
        current.push(p)
        dashes.push(current)
      } else current = [p]
      seg -= left
      a = p
      drawing = !drawing
      left = drawing ? dashM : gapM
    }
    left -= seg
    if (drawing) current.push(b)
  }
  if (drawing && current.length > 1) dashes.push(current)
  return dashes
}

/** The point halfway along a path (where a closed link's ✕ is drawn). */
export function midpoint(path: readonly LonLat[]): LonLat | null {
  if (path.length === 0) return null
  if (path.length === 1) return path[0]!
  const lengths = path.slice(1).map((p, i) => distanceM(path[i]!, p))
  let half = lengths.reduce((s, x) => s + x, 0) / 2
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i]!
    if (half <= l) return lerp(path[i]!, path[i + 1]!, l === 0 ? 0 : half / l)
    half -= l
  }
  return path[path.length - 1]!
}
