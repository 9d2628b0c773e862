import { describe, expect, it } from 'vitest'
import { INITIAL_SCENARIO_MAP, compareSides, setSumo, type ScenarioMapData, type ScenarioSumoMapData } from './scenario-map'

const data = (scenarioSide?: 'left' | 'right'): ScenarioMapData => ({ revision: 1, hour: 8, links: [], loops: [], leftLabel: 'Base · 08:00', rightLabel: 'Rizzoli v2 · 08:00', ...(scenarioSide ? { scenarioSide } : {}) })
const sumo: ScenarioSumoMapData = { revision: 1, runId: 7, hour: 8, edges: [], estimateLabel: 'Fast estimate · 08:00', simulationLabel: 'SUMO simulation · 08:00' }

describe('the compare maps’ sides', () => {
  it('are the estimate’s left and right, named as the estimate names them', () => {
    expect(compareSides({ data: data(), sumo: null })).toEqual({ left: { shows: 'left', label: 'Base · 08:00' }, right: { shows: 'right', label: 'Rizzoli v2 · 08:00' } })
    expect(compareSides({ data: null, sumo: null })).toEqual({ left: { shows: 'left', label: null }, right: { shows: 'right', label: null } })
  })

  it('with a SUMO run shown: the estimate’s scenario flows on the left, the simulation on the right', () => {
    expect(compareSides({ data: data(), sumo })).toEqual({ left: { shows: 'right', label: 'Fast estimate · 08:00' }, right: { shows: 'sumo', label: 'SUMO simulation · 08:00' } })
    // Comparing A with B, the version open (whose run it is) is A, on the left.
    expect(compareSides({ data: data('left'), sumo }).left.shows).toBe('left')
    expect(compareSides({ data: null, sumo }).right).toEqual({ shows: 'sumo', label: 'SUMO simulation · 08:00' })
  })

  it('keep the state when the same run is set again, and drop the run with null', () => {
    const s = setSumo(INITIAL_SCENARIO_MAP, sumo)
    expect(s.sumo).toBe(sumo)
    expect(setSumo(s, sumo)).toBe(s)
    expect(setSumo(s, null).sumo).toBeNull()
    expect(INITIAL_SCENARIO_MAP.sumo).toBeNull()
  })
})
