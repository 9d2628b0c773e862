import type { TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { createFormatters } from '../app/i18n/format'
import { SCENARIO_LAYER_IDS } from '../map2d/layers/scenario-links/scenario-links-layer'
import type { ScenarioLinkDatum, ScenarioMapData, ScenarioSumoMapData } from '../state/scenario-map'
import { compareTooltipLines, scenarioTooltipLines, sumoTooltipLines } from './scenario-tooltip'

/** The key and its values, so that a test reads what was asked for. */
const t = ((key: string, o?: Record<string, unknown>) => (o ? `${key} ${JSON.stringify(o)}` : key)) as unknown as TFunction
const fmt = createFormatters('en')
const edge = { edgeId: 's1', roadEdgeId: 'e3', reverse: false, path: [], simulatedVehH: 1234, estimatedVehH: 1000, differenceVehH: 234, speedKmh: 27.46, travelTimeS: 41.6 }
const link: ScenarioLinkDatum = { key: 'e3', edgeId: 'e3', reverse: false, name: 'Via Ugo Bassi', roadClass: 'primary', path: [], left: { flowVehH: 500, vc: 0.5, closed: false }, right: { flowVehH: 900, vc: 1.1, closed: false }, deltaVehH: 400 }
const data: ScenarioMapData = { revision: 1, hour: 8, links: [link], loops: [], leftLabel: 'Base', rightLabel: 'Scenario' }
const sumo: ScenarioSumoMapData = { revision: 1, runId: 7, hour: 8, edges: [edge], estimateLabel: 'Fast estimate', simulationLabel: 'SUMO simulation' }

describe('the tooltip of a SUMO edge', () => {
  it('says simulated, estimated, the difference and the speed', () => {
    expect(sumoTooltipLines(t, fmt, { edge, vc: 0.61 })).toEqual([
      'scenarios.tooltip.sumoEdge {"id":"s1"}',
      'scenarios.tooltip.simulated {"flow":"1,234"} · v/c 0.61',
      'scenarios.tooltip.estimated {"flow":"1,000"}',
      'scenarios.tooltip.difference {"delta":"+234"}',
      'scenarios.tooltip.speed {"speed":"27.5"} · scenarios.tooltip.time {"s":"42"}',
      'scenarios.tooltip.edge {"id":"e3"}',
    ])
    expect(scenarioTooltipLines(t, fmt, SCENARIO_LAYER_IDS.sumo, { edge, vc: null }, 'delta', data)).toHaveLength(6)
  })

  it('says so where the estimate has nothing on the road', () => {
    const lines = sumoTooltipLines(t, fmt, { edge: { ...edge, roadEdgeId: null, estimatedVehH: null, differenceVehH: null, speedKmh: null }, vc: null })
    expect(lines).toEqual(['scenarios.tooltip.sumoEdge {"id":"s1"}', 'scenarios.tooltip.simulated {"flow":"1,234"}', 'scenarios.tooltip.noEstimate'])
  })
})

describe('the tooltip of a side of the split maps', () => {
  it('names the side the map shows: the scenario on the left while a SUMO run is shown', () => {
    expect(compareTooltipLines(t, fmt, 'left', SCENARIO_LAYER_IDS.links, link, { data, sumo: null })?.[1]).toContain('"label":"Base"')
    expect(compareTooltipLines(t, fmt, 'left', SCENARIO_LAYER_IDS.links, link, { data, sumo })?.[1]).toContain('"label":"Scenario","flow":"900"')
  })
})
