import { describe, expect, it } from 'vitest'
import type { ScenarioEdit } from '../../../../contracts/schemas/scenario'
import { roadLanes, sumoEdits, windowIntervals, type MappedEdges, type SumoEdgeInfo } from './sumo-edits'

const lane = (edge: string, index: number, allow: string | null = null) => ({ id: `${edge}_${index}`, index, allow, disallow: null })
const edge = (id: string, lanes: number, allows: Array<string | null> = []): SumoEdgeInfo => ({ id, lanes: Array.from({ length: lanes }, (_, i) => lane(id, i, allows[i] ?? null)) })
const NET = new Map([edge('a', 3), edge('b', 1), edge('bus', 2, ['bus']), edge('walk', 3, ['pedestrian'])].map((e) => [e.id, e]))
/** The measured hour is 08:00–09:00 after a 5-minute warm-up (07:55–08:00). */
const TIME = { hour: 8, warmupS: 300, endS: 3900 }
const identity = (ids: readonly string[]): MappedEdges => ({ sumoEdges: [...ids], unmapped: [] })
const run = (edits: ScenarioEdit[], mapEdges = identity) => sumoEdits({ edits, edges: NET, mapEdges, time: TIME })
const ALL = 'a b bus walk'

describe('closures', () => {
  it('close a whole edge for the run: rerouted around by one rerouter on every edge, its lanes shut by another', () => {
    const r = run([{ kind: 'close-road', edges: ['a'] }])
    expect(r.applied).toEqual([{ edit: 0, kind: 'close-road', sumoEdges: ['a'] }])
    expect(r.unmapped).toEqual([])
    expect(r.additionalXml).toContain(`<rerouter id="gemello-edit-0" edges="${ALL}">\n        <interval begin="0" end="3900">\n            <closingReroute id="a"/>\n        </interval>\n    </rerouter>`)
    expect(r.additionalXml).toContain(
      `<rerouter id="gemello-edit-0-lanes" edges="${ALL}">\n        <interval begin="0" end="3900">\n            <closingLaneReroute id="a_0"/>\n            <closingLaneReroute id="a_1"/>\n            <closingLaneReroute id="a_2"/>\n        </interval>`,
    )
  })

  it('close lanes from the kerb side (lane 0 first), and the whole edge when that is every lane', () => {
    const part = run([{ kind: 'close-road', edges: ['a'], lanesClosed: 2 }]).additionalXml!
    expect(part).toContain('<closingLaneReroute id="a_0"/>')
    expect(part).toContain('<closingLaneReroute id="a_1"/>')
    expect(part).not.toContain('a_2')
    expect(part).not.toContain('closingReroute')
    const all = run([{ kind: 'close-road', edges: ['a'], lanesClosed: 3 }]).additionalXml!
    expect(all).toContain('<closingReroute id="a"/>')
    expect(all).toContain('<closingLaneReroute id="a_2"/>')
  })

  it('count the road lanes only: a sidewalk at the kerb is not a lane to close', () => {
    const withSidewalk: SumoEdgeInfo = { id: 's', lanes: [lane('s', 0, 'pedestrian'), lane('s', 1), lane('s', 2)] }
    expect(roadLanes(withSidewalk).map((l) => l.id)).toEqual(['s_1', 's_2'])
    const r = sumoEdits({ edits: [{ kind: 'close-road', edges: ['s'], lanesClosed: 1 }], edges: new Map([['s', withSidewalk]]), mapEdges: identity, time: TIME })
    expect(r.additionalXml).toContain('<closingLaneReroute id="s_1"/>')
  })

  it('close only in the hours of the window the run covers, inactive outside them', () => {
    expect(windowIntervals(TIME, 8, 10)).toEqual([[300, 3900]])
    expect(windowIntervals(TIME, 7, 8)).toEqual([[0, 300]])
    expect(windowIntervals(TIME, 7, 9)).toEqual([[0, 3900]])
    expect(windowIntervals(TIME, 9, 12)).toEqual([])
    expect(windowIntervals(TIME, undefined, undefined)).toEqual([[0, 3900]])
    // A night window wrapping midnight, simulated at midnight: the warm-up is 23:55.
    expect(windowIntervals({ hour: 0, warmupS: 300, endS: 3900 }, 22, 6)).toEqual([[0, 3900]])
    expect(windowIntervals({ hour: 0, warmupS: 300, endS: 3900 }, 0, 6)).toEqual([[300, 3900]])
    // A run longer than an hour crosses into the next.
    expect(windowIntervals({ hour: 8, warmupS: 300, endS: 7500 }, 9, 10)).toEqual([[3900, 7500]])
    const r = run([{ kind: 'close-road', edges: ['a'], fromHour: 22, toHour: 6 }])
    expect(r).toMatchObject({ inactive: [0], applied: [], unmapped: [], additionalXml: null })
  })
})

describe('lanes, bus lanes, speed limits', () => {
  it('lane use N closes lanes N and beyond; an edge with no more lanes is reported, SUMO cannot add lanes', () => {
    const r = run([{ kind: 'lane-use', edges: ['a', 'b'], lanes: 1 }])
    expect(r.additionalXml).toContain('<closingLaneReroute id="a_1"/>')
    expect(r.additionalXml).toContain('<closingLaneReroute id="a_2"/>')
    expect(r.additionalXml).not.toContain('a_0')
    expect(r.applied).toEqual([{ edit: 0, kind: 'lane-use', sumoEdges: ['a'] }])
    expect(r.unmapped).toEqual([{ edit: 0, kind: 'lane-use', message: 'SUMO edge b: it has 1 lane(s), not more than 1: SUMO cannot add lanes' }])
  })

  it('a bus lane is the rightmost lane allowed to buses only; one there already is reported', () => {
    const r = run([{ kind: 'bus-lane', edges: ['a', 'bus'] }])
    expect(r.additionalXml).toContain('<closingLaneReroute id="a_0" allow="bus"/>')
    expect(r.applied).toEqual([{ edit: 0, kind: 'bus-lane', sumoEdges: ['a'] }])
    expect(r.unmapped[0]!.message).toBe('SUMO edge bus: its rightmost lane is a bus lane already')
  })

  it('a speed limit is a variable speed sign on every lane, in m/s', () => {
    const r = run([{ kind: 'speed-limit', edges: ['a'], speedKmh: 30 }])
    expect(r.additionalXml).toContain('<variableSpeedSign id="gemello-edit-0" lanes="a_0 a_1 a_2">\n        <step time="0" speed="8.333"/>')
    expect(r.applied).toEqual([{ edit: 0, kind: 'speed-limit', sumoEdges: ['a'] }])
  })
})

describe('demand and what the runner resolves', () => {
  it('scale the counts by the product of the global factors; demand by district is not mapped', () => {
    const r = run([{ kind: 'scale-demand', factor: 1.2 }, { kind: 'scale-demand', factor: 0.5 }, { kind: 'scale-demand', factor: 2, districts: ['Navile'] }])
    expect(r.demandScale).toBeCloseTo(0.6, 10)
    expect(r.applied.map((a) => a.edit)).toEqual([0, 1])
    expect(r.unmapped).toEqual([{ edit: 2, kind: 'scale-demand', message: expect.stringContaining('demand by district (Navile) is not mapped') }])
    expect(r.additionalXml).toBeNull()
  })

  it('leave signal plans and generators to the runner', () => {
    const r = run([
      { kind: 'signal-plan', controllerId: '210', planId: 'p1', version: 2 },
      { kind: 'generator', name: 'Stadio', position: [11.31, 44.49], producedVehH: 500, attractedVehH: 0 },
    ])
    expect(r.deferred).toEqual([0, 1])
    expect(r.applied).toEqual([])
  })
})

describe('edges SUMO does not have', () => {
  it('are reported with the reason, never dropped; the rest of the edit still applies', () => {
    const mapEdges = (ids: readonly string[]): MappedEdges => ({ sumoEdges: ids.filter((x) => x === 'a' || x === 'ghost'), unmapped: ids.filter((x) => x === 'far').map((id) => ({ id, reason: "outside the SUMO network's area" })) })
    const r = run([{ kind: 'close-road', edges: ['a', 'far', 'ghost'] }, { kind: 'speed-limit', edges: ['far'], speedKmh: 30 }], mapEdges)
    expect(r.applied).toEqual([{ edit: 0, kind: 'close-road', sumoEdges: ['a'] }])
    expect(r.unmapped).toEqual([
      { edit: 0, kind: 'close-road', message: "applied without far: outside the SUMO network's area; ghost: the SUMO network has no such normal edge" },
      { edit: 1, kind: 'speed-limit', message: "not applied — far: outside the SUMO network's area" },
    ])
    expect(r.additionalXml).not.toContain('variableSpeedSign')
  })

  it('escape ids in the XML', () => {
    const odd = edge('x"&<', 1)
    const r = sumoEdits({ edits: [{ kind: 'close-road', edges: [odd.id] }], edges: new Map([[odd.id, odd]]), mapEdges: identity, time: TIME })
    expect(r.additionalXml).toContain('<closingReroute id="x&quot;&amp;&lt;"/>')
  })
})
