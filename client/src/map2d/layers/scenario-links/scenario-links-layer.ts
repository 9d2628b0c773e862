/**
 * The scenario explorer's deck.gl layers (no React): the road links of an estimate — the delta layer
 * (colour by Δ flow, width by flow) or one side's flows (colour by v/c, width by flow) — closed links
 * dashed and marked ✕, the edges of the edit being drawn outlined in white, the calibration's loops
 * coloured by GEH, and the generators' points. A finished SUMO run shown on the map replaces the
 * estimate's links: its edges coloured by simulated − estimated on the delta palette (one map), or by
 * the simulated flow's volume/capacity (a side of the split maps), width by simulated flow. Derived
 * arrays are kept per data revision and side, so a new highlight or hover does not recompute them.
 */
import type { Layer } from '@deck.gl/core'
import { PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers'
import type { CompareSideShows, LonLat, ScenarioLinkDatum, ScenarioLoopDatum, ScenarioMapData, ScenarioMapState, ScenarioSumoEdgeDatum, ScenarioSumoMapData } from '../../../state/scenario-map'
import { PALETTE, hexToRgba } from '../../palette'
import { CLOSED_COLOUR, GEH_CLASSES, HIGHLIGHT_COLOUR, capacityVehH, dashPath, deltaColour, flowWidthPx, gehClass, midpoint, sumoDifferenceColour, sumoFlowColour, vcColour } from './link-style'

/** The delta layer (right − left), or the flows of one side (the split maps). */
export type LinkSideShown = 'delta' | 'left' | 'right'

export interface ScenarioLayerOptions {
  shown: LinkSideShown
  /** Edge ids outlined in white (the edit being drawn). */
  highlighted: readonly string[]
  points: ReadonlyArray<{ position: LonLat; label: string }>
  /** Multiplies widths and radii (2 on the video wall). */
  sizeScale?: number
  /**
   * A finished SUMO run drawn instead of the estimate's links: its difference from the estimate
   * (one map) or its simulated flows (a side of the split maps).
   */
  sumo?: { data: ScenarioSumoMapData; show: SumoShown } | null
}

/** A SUMO run's edges by simulated − estimated, or by simulated flow. */
export type SumoShown = 'difference' | 'flows'

/** A SUMO edge as drawn: the edge, and its simulated flow's volume/capacity (null: the road's capacity is not known). */
export interface SumoEdgeDrawn {
  edge: ScenarioSumoEdgeDatum
  vc: number | null
}

/** Ids of the layers, for picking and tests. */
export const SCENARIO_LAYER_IDS = {
  highlight: 'scenario-highlight',
  links: 'scenario-links',
  closed: 'scenario-closed',
  closedMark: 'scenario-closed-mark',
  loops: 'scenario-loops',
  sumo: 'scenario-sumo-edges',
  points: 'scenario-points',
  pointLabels: 'scenario-point-labels',
} as const

interface Derived {
  links: ScenarioLinkDatum[]
  dashes: LonLat[][]
  marks: LonLat[]
}

const flowOf = (l: ScenarioLinkDatum, shown: LinkSideShown) => (shown === 'left' ? l.left.flowVehH : shown === 'right' ? l.right.flowVehH : Math.max(l.left.flowVehH, l.right.flowVehH))
const closedIn = (l: ScenarioLinkDatum, shown: LinkSideShown) => (shown === 'left' ? l.left.closed : shown === 'right' ? l.right.closed : l.left.closed || l.right.closed)

/** The links in drawing order — the largest change (or flow) last, on top — with the closed ones' dashes and marks. */
export function deriveLinks(links: readonly ScenarioLinkDatum[], shown: LinkSideShown): Derived {
  const weight = (l: ScenarioLinkDatum) => (shown === 'delta' ? Math.abs(l.deltaVehH) : flowOf(l, shown))
  const sorted = [...links].sort((a, b) => weight(a) - weight(b))
  const closed = links.filter((l) => closedIn(l, shown))
  return {
    links: sorted,
    dashes: closed.flatMap((l) => dashPath(l.path)),
    marks: closed.flatMap((l) => {
      const m = midpoint(l.path)
      return m ? [m] : []
    }),
  }
}

/** How a side's layers are built for what it shows: a side of the estimate, or a SUMO run's simulated flows (with the scenario's closures). */
export function sideLayerOptions(s: Pick<ScenarioMapState, 'data' | 'sumo' | 'highlighted' | 'points'>, shows: CompareSideShows): ScenarioLayerOptions {
  const base = { highlighted: s.highlighted, points: s.points }
  if (shows === 'sumo' && s.sumo) return { ...base, shown: s.data?.scenarioSide ?? 'right', sumo: { data: s.sumo, show: 'flows' } }
  return { ...base, shown: shows === 'left' ? 'left' : 'right' }
}

const roadKey = (edgeId: string, reverse: boolean) => `${edgeId}|${reverse ? 'r' : 'f'}`

/**
 * A SUMO run's edges in drawing order — the largest difference (or simulated flow) last, on top; the
 * edges with nothing to compare first, under the others — each with its volume/capacity: the simulated
 * flow over the capacity of its road and direction in the estimate (the scenario's side, else the other
 * side's, when the scenario closed it); null without a road, or on a road the estimate left empty.
 */
export function deriveSumoEdges(edges: readonly ScenarioSumoEdgeDatum[], links: readonly ScenarioLinkDatum[], show: SumoShown, scenarioSide: 'left' | 'right' = 'right'): SumoEdgeDrawn[] {
  const other = scenarioSide === 'right' ? 'left' : 'right'
  const capacity = new Map<string, number>()
  for (const l of links) {
    const c = capacityVehH(l[scenarioSide]) ?? capacityVehH(l[other])
    if (c !== null) capacity.set(roadKey(l.edgeId, l.reverse), c)
  }
  const drawn = edges.map((edge): SumoEdgeDrawn => {
    const c = edge.roadEdgeId === null ? undefined : capacity.get(roadKey(edge.roadEdgeId, edge.reverse))
    return { edge, vc: c === undefined ? null : edge.simulatedVehH / c }
  })
  const weight = (d: SumoEdgeDrawn) => (show === 'difference' ? (d.edge.differenceVehH === null ? -1 : Math.abs(d.edge.differenceVehH)) : d.vc === null ? -1 : d.edge.simulatedVehH)
  return drawn.sort((a, b) => weight(a) - weight(b))
}

export class ScenarioLayers {
  private cache = new Map<LinkSideShown, { revision: number; derived: Derived }>()
  private sumoCache: { sumo: number; data: number | null; show: SumoShown; drawn: SumoEdgeDrawn[] } | null = null

  build(data: ScenarioMapData | null, o: ScenarioLayerOptions): Layer[] {
    const scale = o.sizeScale ?? 1
    const layers: Layer[] = []
    const highlighted = new Set(o.highlighted)
    const sumo = o.sumo ?? null
    const shown = o.shown
    const d = data ? this.derived(data, shown) : null
    if (data) {
      const highlightData = highlighted.size ? data.links.filter((l) => highlighted.has(l.edgeId)) : []
      layers.push(
        new PathLayer<ScenarioLinkDatum>({
          id: SCENARIO_LAYER_IDS.highlight,
          data: highlightData,
          pickable: false,
          widthUnits: 'pixels',
          capRounded: true,
          jointRounded: true,
          getPath: (l) => l.path,
          getWidth: (l) => (flowWidthPx(flowOf(l, shown)) + 6) * scale,
          getColor: hexToRgba(HIGHLIGHT_COLOUR, 220),
          updateTriggers: { getWidth: [shown, scale] },
        }),
      )
    }
    if (sumo) {
      const show = sumo.show
      layers.push(
        new PathLayer<SumoEdgeDrawn>({
          id: SCENARIO_LAYER_IDS.sumo,
          data: this.sumoDrawn(sumo.data, data, show),
          pickable: true,
          autoHighlight: true,
          highlightColor: [255, 255, 255, 90],
          widthUnits: 'pixels',
          widthMinPixels: 1,
          capRounded: true,
          jointRounded: true,
          getPath: (e) => e.edge.path,
          getWidth: (e) => flowWidthPx(e.edge.simulatedVehH) * scale,
          getColor: (e) => (show === 'difference' ? sumoDifferenceColour(e.edge.differenceVehH) : sumoFlowColour(e.vc)),
          updateTriggers: { getWidth: scale, getColor: show },
        }),
      )
    } else if (d) {
      layers.push(
        new PathLayer<ScenarioLinkDatum>({
          id: SCENARIO_LAYER_IDS.links,
          data: d.links,
          pickable: true,
          autoHighlight: true,
          highlightColor: [255, 255, 255, 90],
          widthUnits: 'pixels',
          widthMinPixels: 1,
          capRounded: true,
          jointRounded: true,
          getPath: (l) => l.path,
          getWidth: (l) => flowWidthPx(flowOf(l, shown)) * scale,
          getColor: (l) => (shown === 'delta' ? deltaColour(l.deltaVehH) : vcColour(shown === 'left' ? l.left.vc : l.right.vc)),
          updateTriggers: { getWidth: [shown, scale], getColor: shown },
        }),
      )
    }
    if (data && d) {
      layers.push(
        new PathLayer<LonLat[]>({
          id: SCENARIO_LAYER_IDS.closed,
          data: d.dashes,
          pickable: false,
          widthUnits: 'pixels',
          getPath: (p) => p,
          getWidth: 3 * scale,
          getColor: hexToRgba(CLOSED_COLOUR),
        }),
        new TextLayer<LonLat>({
          id: SCENARIO_LAYER_IDS.closedMark,
          data: d.marks,
          pickable: false,
          billboard: true,
          sizeUnits: 'pixels',
          getPosition: (p) => p,
          getText: () => '✕',
          characterSet: ['✕'],
          getSize: 15 * scale,
          getColor: hexToRgba(CLOSED_COLOUR),
          fontWeight: 700,
          outlineWidth: 3,
          outlineColor: hexToRgba(PALETTE.neutralOutline),
          fontSettings: { sdf: true },
        }),
      )
      // The calibration's loops go with the base (and the difference map), not with a map of simulated or scenario flows.
      if (shown !== 'right' && sumo?.show !== 'flows') {
        layers.push(
          new ScatterplotLayer<ScenarioLoopDatum>({
            id: SCENARIO_LAYER_IDS.loops,
            data: data.loops,
            pickable: true,
            stroked: true,
            filled: true,
            radiusUnits: 'pixels',
            lineWidthUnits: 'pixels',
            getPosition: (l) => l.position,
            getRadius: (l) => GEH_CLASSES[gehClass(l.geh)].radiusPx * scale,
            getFillColor: (l) => hexToRgba(GEH_CLASSES[gehClass(l.geh)].colour),
            getLineColor: hexToRgba(PALETTE.neutralOutline),
            getLineWidth: 1.5 * scale,
            updateTriggers: { getRadius: scale },
          }),
        )
      }
    }
    if (o.points.length) {
      layers.push(
        new ScatterplotLayer<{ position: LonLat; label: string }>({
          id: SCENARIO_LAYER_IDS.points,
          data: o.points as Array<{ position: LonLat; label: string }>,
          pickable: false,
          stroked: true,
          filled: true,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getPosition: (p) => p.position,
          getRadius: 7 * scale,
          getFillColor: hexToRgba(PALETTE.surfaceRaised),
          getLineColor: hexToRgba(HIGHLIGHT_COLOUR),
          getLineWidth: 2.5 * scale,
        }),
        new TextLayer<{ position: LonLat; label: string }>({
          id: SCENARIO_LAYER_IDS.pointLabels,
          data: o.points as Array<{ position: LonLat; label: string }>,
          pickable: false,
          billboard: true,
          sizeUnits: 'pixels',
          getPosition: (p) => p.position,
          getText: (p) => p.label,
          characterSet: 'auto',
          getSize: 13 * scale,
          getColor: hexToRgba(PALETTE.text),
          getPixelOffset: [12 * scale, 0],
          getTextAnchor: 'start',
          outlineWidth: 3,
          outlineColor: hexToRgba(PALETTE.neutralOutline),
          fontSettings: { sdf: true },
        }),
      )
    }
    return layers
  }

  private sumoDrawn(sumo: ScenarioSumoMapData, data: ScenarioMapData | null, show: SumoShown): SumoEdgeDrawn[] {
    const hit = this.sumoCache
    const dataRevision = data?.revision ?? null
    if (hit && hit.sumo === sumo.revision && hit.data === dataRevision && hit.show === show) return hit.drawn
    const drawn = deriveSumoEdges(sumo.edges, data?.links ?? [], show, data?.scenarioSide)
    this.sumoCache = { sumo: sumo.revision, data: dataRevision, show, drawn }
    return drawn
  }

  private derived(data: ScenarioMapData, shown: LinkSideShown): Derived {
    const hit = this.cache.get(shown)
    if (hit && hit.revision === data.revision) return hit.derived
    const derived = deriveLinks(data.links, shown)
    this.cache.set(shown, { revision: data.revision, derived })
    return derived
  }
}
