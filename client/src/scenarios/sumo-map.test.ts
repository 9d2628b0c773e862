import { describe, expect, it } from 'vitest'
import { canShowSumoRun, legendKind, sumoEdgeData, sumoMapData, sumoRunHour } from './sumo-map'
import { sumoEdge, sumoRun } from './testing/scenario-fixtures'

const results = (hour: number) => sumoRun({ status: 'done', progress: 1, request: { network: 'joined', durationS: 600 }, results: { hour } as NonNullable<ReturnType<typeof sumoRun>['results']> })

describe('a SUMO run’s edges on the map', () => {
  it('keeps the edges with a line, with their flows, difference and speed, and reads a missing `reverse` as the drawn direction', () => {
    const data = sumoEdgeData([sumoEdge(), sumoEdge({ edgeId: 'no-shape', coordinates: null }), sumoEdge({ edgeId: 'a-point', coordinates: [[11.34, 44.49]] }), sumoEdge({ edgeId: 's2', reverse: undefined, roadEdgeId: null, estimatedVehH: null, differenceVehH: null })])
    expect(data.map((e) => e.edgeId)).toEqual(['s1', 's2'])
    expect(data[0]).toEqual({
      edgeId: 's1',
      roadEdgeId: 'e3',
      reverse: false,
      path: [
        [11.34, 44.49],
        [11.341, 44.491],
      ],
      simulatedVehH: 700,
      estimatedVehH: 900,
      differenceVehH: -200,
      speedKmh: 28.5,
      travelTimeS: 42,
    })
    expect(data[1]).toMatchObject({ reverse: false, roadEdgeId: null, estimatedVehH: null, differenceVehH: null })
  })

  it('is shown only for a run done with results, at the hour it simulated', () => {
    expect(canShowSumoRun(sumoRun())).toBe(false)
    expect(canShowSumoRun(sumoRun({ status: 'done', results: null }))).toBe(false)
    expect(canShowSumoRun(results(17))).toBe(true)
    expect(sumoRunHour(results(17))).toBe(17)
    expect(sumoRunHour(sumoRun())).toBe(8)
    expect(sumoRunHour(sumoRun({ request: { durationS: 600 } }))).toBeNull()
  })

  it('gets a fresh revision each time, with the run, its hour and the sides’ labels', () => {
    const o = { run: results(17), edges: [sumoEdge()], estimateLabel: 'Fast estimate · 17:00', simulationLabel: 'SUMO simulation · 17:00' }
    const a = sumoMapData(o)
    const b = sumoMapData(o)
    expect(b.revision).toBeGreaterThan(a.revision)
    expect(a).toMatchObject({ runId: 1, hour: 17, estimateLabel: 'Fast estimate · 17:00', simulationLabel: 'SUMO simulation · 17:00' })
    expect(a.edges).toHaveLength(1)
  })
})

describe('the map legend', () => {
  it('explains the run’s difference on one map, both sides’ flows on the split and swipe maps, the estimate’s Δ otherwise', () => {
    expect(legendKind('map', false)).toBe('delta')
    expect(legendKind('map', true)).toBe('sumoDifference')
    expect(legendKind('split', false)).toBe('flows')
    expect(legendKind('split', true)).toBe('sumoFlows')
    expect(legendKind('swipe', true)).toBe('sumoFlows')
    // The 3D walls are the estimate's.
    expect(legendKind('3d', true)).toBe('delta')
  })
})
