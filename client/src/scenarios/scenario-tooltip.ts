/**
 * What the maps say about a scenario link or loop under the pointer: the street, both sides' flows
 * with Δ and the v/c, closed; a loop's counted against modelled flow and its GEH; a SUMO run's edge:
 * simulated against estimated flow, the difference, the speed.
 */
import type { TFunction } from 'i18next'
import type { Formatters } from '../app/i18n/format'
import { SCENARIO_LAYER_IDS, type LinkSideShown, type SumoEdgeDrawn } from '../map2d/layers/scenario-links/scenario-links-layer'
import { gehClass } from '../map2d/layers/scenario-links/link-style'
import type { OtherLayers } from '../map2d/map-controller'
import { compareSides, type ScenarioLinkDatum, type ScenarioLoopDatum, type ScenarioMapData, type ScenarioMapState } from '../state/scenario-map'
import { signed } from './kpi-format'

const OWNED: ReadonlySet<string> = new Set([SCENARIO_LAYER_IDS.links, SCENARIO_LAYER_IDS.loops, SCENARIO_LAYER_IDS.sumo])

/** A SUMO edge: which edge (and road), simulated and estimated flow, the difference, speed and time, v/c where known. */
export function sumoTooltipLines(t: TFunction, fmt: Formatters, drawn: SumoEdgeDrawn): string[] {
  const e = drawn.edge
  const lines = [t('scenarios.tooltip.sumoEdge', { id: e.edgeId }) + (e.reverse ? ` · ${t('scenarios.tooltip.reverse')}` : '')]
  lines.push(t('scenarios.tooltip.simulated', { flow: fmt.number(e.simulatedVehH) }) + (drawn.vc === null ? '' : ` · v/c ${fmt.number(drawn.vc, 2)}`))
  if (e.estimatedVehH === null) lines.push(t('scenarios.tooltip.noEstimate'))
  else lines.push(t('scenarios.tooltip.estimated', { flow: fmt.number(e.estimatedVehH) }))
  if (e.differenceVehH !== null) lines.push(t('scenarios.tooltip.difference', { delta: signed(fmt, e.differenceVehH, 0) }))
  if (e.speedKmh !== null) lines.push(t('scenarios.tooltip.speed', { speed: fmt.number(e.speedKmh, 1) }) + (e.travelTimeS === null ? '' : ` · ${t('scenarios.tooltip.time', { s: fmt.number(e.travelTimeS, 0) })}`))
  if (e.roadEdgeId) lines.push(t('scenarios.tooltip.edge', { id: e.roadEdgeId }))
  return lines
}

export function scenarioTooltipLines(t: TFunction, fmt: Formatters, layerId: string, object: unknown, shown: LinkSideShown, data: ScenarioMapData | null): string[] | null {
  if (layerId === SCENARIO_LAYER_IDS.loops) {
    const l = object as ScenarioLoopDatum
    return [
      t('scenarios.tooltip.loop', { id: l.deviceId }),
      t('scenarios.tooltip.counted', { counted: fmt.number(l.countedVehH), modelled: fmt.number(l.assignedVehH) }),
      t('scenarios.tooltip.geh', { geh: fmt.number(l.geh, 1), fit: t(`scenarios.fit.loop.${gehClass(l.geh)}`) }),
    ]
  }
  if (layerId === SCENARIO_LAYER_IDS.sumo) return sumoTooltipLines(t, fmt, object as SumoEdgeDrawn)
  if (layerId !== SCENARIO_LAYER_IDS.links) return null
  const l = object as ScenarioLinkDatum
  const left = data?.leftLabel ?? t('scenarios.map.left')
  const right = data?.rightLabel ?? t('scenarios.map.right')
  const title = `${l.name ?? t('scenarios.edit.unnamed')}${l.reverse ? ` · ${t('scenarios.tooltip.reverse')}` : ''}`
  const side = (label: string, s: ScenarioLinkDatum['left']) => t('scenarios.tooltip.side', { label, flow: fmt.number(s.flowVehH), vc: fmt.number(s.vc, 2) }) + (s.closed ? ` · ${t('scenarios.tooltip.closed')}` : '')
  const lines = [title]
  if (shown !== 'right') lines.push(side(left, l.left))
  if (shown !== 'left') lines.push(side(right, l.right))
  if (shown === 'delta') lines.push(t('scenarios.tooltip.delta', { delta: signed(fmt, l.deltaVehH, 0) }))
  lines.push(`${l.roadClass ?? ''} · ${t('scenarios.tooltip.edge', { id: l.edgeId })}`.replace(/^ · /, ''))
  return lines
}

/** One side of the split and swipe maps: what it shows of the estimate's links (while a SUMO run is shown, the left is the scenario's side). */
export function compareTooltipLines(t: TFunction, fmt: Formatters, side: 'left' | 'right', layerId: string, object: unknown, s: Pick<ScenarioMapState, 'data' | 'sumo'>): string[] | null {
  const shows = compareSides(s)[side].shows
  const shown: LinkSideShown = shows === 'sumo' ? (s.data?.scenarioSide ?? 'right') : shows
  return scenarioTooltipLines(t, fmt, layerId, object, shown, s.data)
}

/** The live map's view of the scenario layers (the delta layer). */
export function scenarioOtherLayers(t: TFunction, fmt: Formatters, data: () => ScenarioMapData | null, shown: LinkSideShown = 'delta'): OtherLayers {
  return {
    owns: (layerId) => layerId.startsWith('scenario-'),
    tooltip: (layerId, object) => (OWNED.has(layerId) && object ? scenarioTooltipLines(t, fmt, layerId, object, shown, data()) : null),
  }
}
