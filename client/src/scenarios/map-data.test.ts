import { describe, expect, it } from 'vitest'
import { edgeNames, linkData, loopData, mapData } from './map-data'
import { estimate, linkFeature, links } from './testing/scenario-fixtures'

describe('the maps’ data of an estimate', () => {
  it('puts the base on the left and the scenario on the right, with the Δ the server computed', () => {
    const [closed, detour] = linkData(links())
    expect(closed).toMatchObject({ key: 'e1', left: { flowVehH: 800, closed: false }, right: { flowVehH: 0, closed: true }, deltaVehH: -800 })
    expect(detour).toMatchObject({ key: 'e3', name: 'Via Ugo Bassi', left: { flowVehH: 500, vc: 0.5 }, right: { flowVehH: 900, vc: 1.1 }, deltaVehH: 400 })
  })

  it('tells the two directions of an edge apart, and reads a missing `reverse` as the drawn direction', () => {
    const data = linkData(links([linkFeature({ edgeId: 'e5' }), linkFeature({ edgeId: 'e5', reverse: true }), linkFeature({ edgeId: 'e6', reverse: undefined })]))
    expect(data.map((l) => l.key)).toEqual(['e5', 'e5~r', 'e6'])
    expect(data[2]!.reverse).toBe(false)
  })

  it('compares scenario A (left) with B (right) link by link, Δ = B − A', () => {
    const a = links([linkFeature({ edgeId: 'e1', flowVehH: 300, closed: false }), linkFeature({ edgeId: 'only-a', flowVehH: 100, closed: false })])
    const b = links([linkFeature({ edgeId: 'e1', flowVehH: 0, closed: true }), linkFeature({ edgeId: 'only-b', flowVehH: 50, closed: false })])
    const data = linkData(a, b)
    expect(data.map((l) => [l.key, l.left.flowVehH, l.right.flowVehH, l.deltaVehH, l.right.closed])).toEqual([
      ['e1', 300, 0, -300, true],
      ['only-a', 100, 0, -100, false],
      ['only-b', 0, 50, 50, false],
    ])
  })

  it('draws the loops that have a position', () => {
    expect(loopData(estimate()).map((l) => l.deviceId)).toEqual(['loop-1', 'loop-2'])
  })

  it('gives each estimate a new revision, and names edges by their street', () => {
    const a = mapData({ estimate: estimate(), links: links(), leftLabel: 'Base', rightLabel: 'S' })
    const b = mapData({ estimate: estimate(), links: links(), leftLabel: 'Base', rightLabel: 'S' })
    expect(b.revision).toBeGreaterThan(a.revision)
    expect(a.hour).toBe(8)
    expect(edgeNames(a.links).get('e3')).toBe('Via Ugo Bassi')
  })
})
