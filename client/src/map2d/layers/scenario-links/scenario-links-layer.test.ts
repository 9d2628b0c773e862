import { describe, expect, it } from 'vitest'
import type { ScenarioLinkDatum, ScenarioMapData, ScenarioSumoEdgeDatum, ScenarioSumoMapData } from '../../../state/scenario-map'
import { SCENARIO_LAYER_IDS, ScenarioLayers, deriveLinks, deriveSumoEdges, sideLayerOptions, type SumoEdgeDrawn } from './scenario-links-layer'

const link = (edgeId: string, left: number, right: number, closed = false): ScenarioLinkDatum => ({
  key: edgeId,
  edgeId,
  reverse: false,
  name: null,
  roadClass: null,
  path: [
    [11.34, 44.49],
    [11.342, 44.49],
  ],
  left: { flowVehH: left, vc: left / 1000, closed: false },
  right: { flowVehH: right, vc: right / 1000, closed },
  deltaVehH: right - left,
})

const data = (links: ScenarioLinkDatum[], revision = 1): ScenarioMapData => ({ revision, hour: 8, links, loops: [{ deviceId: 'l1', position: [11.34, 44.49], countedVehH: 500, assignedVehH: 480, geh: 0.9 }], leftLabel: 'Base', rightLabel: 'Scenario' })

describe('the scenario layers', () => {
  it('draw the largest change on top in the delta layer, the largest flow on top in a flow map', () => {
    const links = [link('a', 100, 900), link('b', 500, 500), link('c', 800, 0, true)]
    expect(deriveLinks(links, 'delta').links.map((l) => l.edgeId)).toEqual(['b', 'a', 'c'])
    expect(deriveLinks(links, 'left').links.map((l) => l.edgeId)).toEqual(['a', 'b', 'c'])
    expect(deriveLinks(links, 'right').links.map((l) => l.edgeId)).toEqual(['c', 'b', 'a'])
  })

  it('dash and mark the links closed on the side shown', () => {
    const links = [link('a', 100, 900), link('c', 800, 0, true)]
    expect(deriveLinks(links, 'right').marks).toHaveLength(1)
    expect(deriveLinks(links, 'left').marks).toHaveLength(0)
    expect(deriveLinks(links, 'delta').dashes.length).toBeGreaterThan(0)
  })

  it('show the calibration loops with the base, not on the scenario map', () => {
    const layers = new ScenarioLayers()
    const ids = (shown: 'delta' | 'left' | 'right') => layers.build(data([link('a', 1, 2)]), { shown, highlighted: [], points: [] }).map((l) => l.id)
    expect(ids('delta')).toContain(SCENARIO_LAYER_IDS.loops)
    expect(ids('left')).toContain(SCENARIO_LAYER_IDS.loops)
    expect(ids('right')).not.toContain(SCENARIO_LAYER_IDS.loops)
  })

  it('keep the derived arrays while the data revision is the same', () => {
    const layers = new ScenarioLayers()
    const d = data([link('a', 1, 2)])
    const first = layers.build(d, { shown: 'delta', highlighted: [], points: [] }).find((l) => l.id === SCENARIO_LAYER_IDS.links)!
    const again = layers.build(d, { shown: 'delta', highlighted: ['a'], points: [] }).find((l) => l.id === SCENARIO_LAYER_IDS.links)!
    expect(again.props.data).toBe(first.props.data)
    const next = layers.build(data([link('a', 1, 2)], 2), { shown: 'delta', highlighted: [], points: [] }).find((l) => l.id === SCENARIO_LAYER_IDS.links)!
    expect(next.props.data).not.toBe(first.props.data)
  })

  it('outline only the highlighted edges', () => {
    const layers = new ScenarioLayers().build(data([link('a', 1, 2), link('b', 1, 2)]), { shown: 'delta', highlighted: ['b'], points: [] })
    const highlight = layers.find((l) => l.id === SCENARIO_LAYER_IDS.highlight)!
    expect((highlight.props.data as ScenarioLinkDatum[]).map((l) => l.edgeId)).toEqual(['b'])
  })
})

const sumoEdge = (edgeId: string, o: Partial<ScenarioSumoEdgeDatum> = {}): ScenarioSumoEdgeDatum => ({
  edgeId,
  roadEdgeId: 'a',
  reverse: false,
  path: [
    [11.34, 44.49],
    [11.342, 44.49],
  ],
  simulatedVehH: 500,
  estimatedVehH: 400,
  differenceVehH: 100,
  speedKmh: 30,
  travelTimeS: 20,
  ...o,
})
const sumoData = (edges: ScenarioSumoEdgeDatum[], revision = 1): ScenarioSumoMapData => ({ revision, runId: 7, hour: 8, edges, estimateLabel: 'Fast estimate', simulationLabel: 'SUMO simulation' })

describe('a SUMO run on the map', () => {
  it('draws the largest difference on top, the edges without an estimate under all the others', () => {
    const edges = [sumoEdge('big', { differenceVehH: -900 }), sumoEdge('none', { differenceVehH: null, estimatedVehH: null }), sumoEdge('small', { differenceVehH: 20 })]
    expect(deriveSumoEdges(edges, [], 'difference').map((d) => d.edge.edgeId)).toEqual(['none', 'small', 'big'])
  })

  it('gives each simulated flow the v/c of its road and direction in the estimate (the scenario’s side, else the base’s)', () => {
    const two = { ...link('a', 900, 600), left: { flowVehH: 900, vc: 0.5, closed: false }, right: { flowVehH: 600, vc: 0.5, closed: false } }
    const back = { ...link('a', 100, 100), key: 'a~r', reverse: true, left: { flowVehH: 100, vc: 0.25, closed: false }, right: { flowVehH: 100, vc: 0.25, closed: false } }
    const closed = { ...link('c', 800, 0, true), left: { flowVehH: 800, vc: 0.8, closed: false } }
    const edges = [sumoEdge('fwd', { simulatedVehH: 1500 }), sumoEdge('rev', { reverse: true, simulatedVehH: 200 }), sumoEdge('on-closed', { roadEdgeId: 'c', simulatedVehH: 50 }), sumoEdge('off-road', { roadEdgeId: null }), sumoEdge('unknown', { roadEdgeId: 'zz' })]
    const vc = new Map(deriveSumoEdges(edges, [two, back, closed], 'flows').map((d) => [d.edge.edgeId, d.vc]))
    expect(vc.get('fwd')).toBeCloseTo(1500 / 1200)
    expect(vc.get('rev')).toBeCloseTo(200 / 400)
    expect(vc.get('on-closed')).toBeCloseTo(50 / 1000)
    expect(vc.get('off-road')).toBeNull()
    expect(vc.get('unknown')).toBeNull()
    // Comparing A with B, the scenario's own side is the left one.
    const ab = { ...link('a', 900, 600), left: { flowVehH: 900, vc: 0.9, closed: false }, right: { flowVehH: 600, vc: 0.2, closed: false } }
    expect(deriveSumoEdges([sumoEdge('fwd', { simulatedVehH: 1000 })], [ab], 'flows', 'left')[0]!.vc).toBeCloseTo(1)
  })

  it('replaces the estimate’s links (the closures, outlines and loops stay), even before an estimate is drawn', () => {
    const layers = new ScenarioLayers()
    const ids = layers.build(data([link('a', 1, 2, true)]), { shown: 'delta', highlighted: ['a'], points: [], sumo: { data: sumoData([sumoEdge('s')]), show: 'difference' } }).map((l) => l.id)
    expect(ids).toContain(SCENARIO_LAYER_IDS.sumo)
    expect(ids).not.toContain(SCENARIO_LAYER_IDS.links)
    expect(ids).toEqual(expect.arrayContaining([SCENARIO_LAYER_IDS.highlight, SCENARIO_LAYER_IDS.closed, SCENARIO_LAYER_IDS.loops]))
    // the SUMO edges under the closures' dashes and the loops
    expect(ids.indexOf(SCENARIO_LAYER_IDS.sumo)).toBeLessThan(ids.indexOf(SCENARIO_LAYER_IDS.closed))
    expect(new ScenarioLayers().build(null, { shown: 'delta', highlighted: [], points: [], sumo: { data: sumoData([sumoEdge('s')]), show: 'difference' } }).map((l) => l.id)).toEqual([SCENARIO_LAYER_IDS.sumo])
  })

  it('as simulated flows (a side of the split maps) leaves the calibration loops out', () => {
    const ids = new ScenarioLayers().build(data([link('a', 1, 2)]), { shown: 'left', highlighted: [], points: [], sumo: { data: sumoData([sumoEdge('s')]), show: 'flows' } }).map((l) => l.id)
    expect(ids).toContain(SCENARIO_LAYER_IDS.sumo)
    expect(ids).not.toContain(SCENARIO_LAYER_IDS.loops)
  })

  it('keeps the derived edges while neither the run nor the estimate changes', () => {
    const layers = new ScenarioLayers()
    const d = data([link('a', 1, 2)])
    const s = sumoData([sumoEdge('s')])
    const sumoLayer = (dd: ScenarioMapData, ss: ScenarioSumoMapData) => layers.build(dd, { shown: 'delta', highlighted: [], points: [], sumo: { data: ss, show: 'difference' } }).find((l) => l.id === SCENARIO_LAYER_IDS.sumo)!
    const first = sumoLayer(d, s)
    expect(sumoLayer(d, { ...s, estimateLabel: 'renamed' }).props.data).toBe(first.props.data)
    expect(sumoLayer(data([link('a', 1, 2)], 2), s).props.data).not.toBe(first.props.data)
    expect((first.props.data as SumoEdgeDrawn[])[0]!.edge.edgeId).toBe('s')
  })

  it('on the split maps: the estimate’s scenario side on the left, the simulated flows on the right', () => {
    const s = { data: data([link('a', 1, 2)]), sumo: sumoData([sumoEdge('s')]), highlighted: [], points: [] }
    expect(sideLayerOptions(s, 'right')).toEqual({ shown: 'right', highlighted: [], points: [] })
    expect(sideLayerOptions(s, 'sumo')).toMatchObject({ shown: 'right', sumo: { data: s.sumo, show: 'flows' } })
    expect(sideLayerOptions({ ...s, data: { ...s.data, scenarioSide: 'left' } }, 'sumo').shown).toBe('left')
    expect(sideLayerOptions({ ...s, sumo: null }, 'left')).toEqual({ shown: 'left', highlighted: [], points: [] })
  })
})
