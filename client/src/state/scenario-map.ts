/**
 * The scenario explorer and the maps talk through this store, never directly (docs/house-style.md:
 * panels never touch the map engines). The explorer says what the maps show — the links of an
 * estimate with both sides' flows (base | scenario, or scenario A | scenario B), the loops of the
 * calibration, the compare mode (one map, split, swipe), the edges of the edit being drawn — and the
 * maps report what the planner did there: a click on a street (its edge ids) or on a point.
 * The SUMO tab may put a finished run's edges beside the estimate (`sumo`): on one map their
 * difference from the estimate, on the split and swipe maps the estimate's scenario flows on the left
 * and the simulated ones on the right (`compareSides`).
 * The 2D live map (map2d/scenario-map-sync.ts), the split/swipe maps (map2d/scenario-compare-map.tsx)
 * and the 3D view (globe3d/scenario-walls.ts) all read it.
 */
import type { Bbox } from '../../../contracts/events'
import { createStore, type Store } from './store'

export type LonLat = [number, number]

/** One side of a link: its flow, volume/capacity and whether it is closed there. */
export interface LinkSide {
  flowVehH: number
  vc: number
  closed: boolean
}

/** A road link in one direction, as the maps draw it. */
export interface ScenarioLinkDatum {
  /** `edgeId`, or `edgeId~r` for the other direction of a two-way edge drawn once. */
  key: string
  edgeId: string
  reverse: boolean
  name: string | null
  roadClass: string | null
  path: LonLat[]
  /** The left map's side (the base, or scenario A), and the right one's (the scenario, or B). */
  left: LinkSide
  right: LinkSide
  /** right − left, veh/h. */
  deltaVehH: number
}

/** A counted loop against the model: the fit badge's loops on the map. */
export interface ScenarioLoopDatum {
  deviceId: string
  position: LonLat
  countedVehH: number
  assignedVehH: number
  geh: number
}

export interface ScenarioMapData {
  /** Changes whenever the data does: the layers' update trigger. */
  revision: number
  hour: number
  links: readonly ScenarioLinkDatum[]
  loops: readonly ScenarioLoopDatum[]
  /** What each side is, in words (e.g. "Base 08:00", "Scenario v3 08:00"). */
  leftLabel: string
  rightLabel: string
  /** The side holding the scenario's own flows (the version open): right against the base, left against a scenario B. Default right. */
  scenarioSide?: 'left' | 'right'
}

/** One edge of a finished SUMO run, as the maps draw it. */
export interface ScenarioSumoEdgeDatum {
  edgeId: string
  /** The city road edge it lies on, and whether it runs against that edge's drawing; null: no road edge. */
  roadEdgeId: string | null
  reverse: boolean
  path: LonLat[]
  simulatedVehH: number
  /** The estimate's flow on the same road, and simulated − estimated; null where the estimate has none. */
  estimatedVehH: number | null
  differenceVehH: number | null
  speedKmh: number | null
  travelTimeS: number | null
}

/** A finished SUMO run's edges on the map (the SUMO tab's "Show on map"). */
export interface ScenarioSumoMapData {
  /** Changes whenever the data does: the layers' update trigger. */
  revision: number
  runId: number
  hour: number
  edges: readonly ScenarioSumoEdgeDatum[]
  /** The split and swipe maps' sides while the run is shown: the estimate's scenario flows, and the simulation's. */
  estimateLabel: string
  simulationLabel: string
}

/** One map with the delta layer, two maps side by side, or one map with a divider. */
export type CompareMode = 'map' | 'split' | 'swipe'
export const COMPARE_MODES: readonly CompareMode[] = ['map', 'split', 'swipe']

/** What a click on the map does while the explorer is open. */
export type ScenarioPick = 'none' | 'edges' | 'point'

export interface PickedEdge {
  edgeId: string
  name: string | null
}

export type ScenarioClick = { kind: 'edges'; edges: readonly PickedEdge[]; seq: number } | { kind: 'point'; position: LonLat; seq: number }

export interface ScenarioMapState {
  /** The explorer is open: map clicks are its own, the live devices are not drawn. */
  active: boolean
  data: ScenarioMapData | null
  /** A new estimate is on its way: the maps keep the previous layer meanwhile. */
  loading: boolean
  /** A finished SUMO run shown beside the estimate (null: none). */
  sumo: ScenarioSumoMapData | null
  mode: CompareMode
  /** Where the swipe divider is, 0 (left edge) … 1 (right edge) of the compare area. */
  swipe: number
  pick: ScenarioPick
  /** The edges of the edit being drawn (and of the edit selected), outlined in white. */
  highlighted: readonly string[]
  /** Points to mark (generators): where and a label. */
  points: ReadonlyArray<{ position: LonLat; label: string }>
  /** A request to bring a box into view; `seq` makes the same box a new request. */
  focus: { bbox: Bbox; seq: number } | null
  /** CSS pixels the explorer's sheet covers on the right of the map area. */
  coverRightPx: number
  // What the maps report.
  clicked: ScenarioClick | null
}

export type ScenarioMapStore = Store<ScenarioMapState>

export const INITIAL_SCENARIO_MAP: ScenarioMapState = {
  active: false,
  data: null,
  loading: false,
  sumo: null,
  mode: 'map',
  swipe: 0.5,
  pick: 'none',
  highlighted: [],
  points: [],
  focus: null,
  coverRightPx: 0,
  clicked: null,
}

export function createScenarioMapStore(): ScenarioMapStore {
  return createStore(INITIAL_SCENARIO_MAP)
}

/** The explorer closes: the maps draw nothing of it any more. */
export function closeScenarioMap(): ScenarioMapState {
  return INITIAL_SCENARIO_MAP
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x))

export function setSwipe(s: ScenarioMapState, at: number): ScenarioMapState {
  const swipe = clamp01(at)
  return swipe === s.swipe ? s : { ...s, swipe }
}

export function setMode(s: ScenarioMapState, mode: CompareMode): ScenarioMapState {
  return mode === s.mode ? s : { ...s, mode }
}

export function setSumo(s: ScenarioMapState, sumo: ScenarioSumoMapData | null): ScenarioMapState {
  return sumo === s.sumo ? s : { ...s, sumo }
}

/**
 * What one side of the split and swipe maps shows: a side of the estimate's links, or a SUMO run's
 * simulated flows.
 */
export type CompareSideShows = 'left' | 'right' | 'sumo'

export interface CompareSidesView {
  left: { shows: CompareSideShows; label: string | null }
  right: { shows: CompareSideShows; label: string | null }
}

/**
 * The split and swipe maps' two sides: the estimate's left and right (base | scenario, or A | B); while
 * a SUMO run is shown, the estimate's scenario flows on the left and the simulation's on the right.
 * Labels are null when there is nothing to name (the map names the sides "Left" and "Right").
 */
export function compareSides(s: Pick<ScenarioMapState, 'data' | 'sumo'>): CompareSidesView {
  if (s.sumo) return { left: { shows: s.data?.scenarioSide ?? 'right', label: s.sumo.estimateLabel }, right: { shows: 'sumo', label: s.sumo.simulationLabel } }
  return { left: { shows: 'left', label: s.data?.leftLabel ?? null }, right: { shows: 'right', label: s.data?.rightLabel ?? null } }
}

export function reportEdgesClick(s: ScenarioMapState, edges: readonly PickedEdge[]): ScenarioMapState {
  return { ...s, clicked: { kind: 'edges', edges, seq: (s.clicked?.seq ?? 0) + 1 } }
}

export function reportPointClick(s: ScenarioMapState, position: LonLat): ScenarioMapState {
  return { ...s, clicked: { kind: 'point', position, seq: (s.clicked?.seq ?? 0) + 1 } }
}

export function requestScenarioFocus(s: ScenarioMapState, bbox: Bbox): ScenarioMapState {
  return { ...s, focus: { bbox, seq: (s.focus?.seq ?? 0) + 1 } }
}

/** [west, south, east, north] of the links' paths; null when there are none. */
export function linksBbox(links: readonly Pick<ScenarioLinkDatum, 'path'>[]): Bbox | null {
  let w = Infinity
  let so = Infinity
  let e = -Infinity
  let n = -Infinity
  for (const l of links)
    for (const [x, y] of l.path) {
      if (x < w) w = x
      if (x > e) e = x
      if (y < so) so = y
      if (y > n) n = y
    }
  return Number.isFinite(w) ? [w, so, e, n] : null
}
