import { describe, expect, it } from 'vitest'
import { DatasetFileError } from '../readers/read-result'
import { parseSumoNet } from './sumo-net-parser'
import { TINY_NET_PROJ, tinyNetXml } from './tiny-sumo-net'

describe('parseSumoNet', () => {
  it('reads the location, edges with lanes, junctions with requests, connections and the default programs', () => {
    const { net, problems, elements, rejected } = parseSumoNet(tinyNetXml(), 'tiny.net.xml')
    expect(net.location).toEqual({ netOffset: [-686000, -4928000], convBoundary: [0, 0, 200, 110], origBoundary: [11.3, 44.4, 11.4, 44.5], projParameter: TINY_NET_PROJ })
    expect(net.edges.map((e) => [e.id, e.func, e.lanes.length])).toEqual([
      [':J1_0', 'internal', 1],
      [':J1_1', 'internal', 1],
      ['E0', 'normal', 2],
      ['E1', 'normal', 1],
      ['E2', 'normal', 1],
    ])
    const e0 = net.edges.find((e) => e.id === 'E0')
    expect(e0).toMatchObject({ from: 'J0', to: 'J1', priority: 2, type: 'highway.secondary', name: 'Via Andrea Costa', shape: null, line: 12 })
    expect(e0?.lanes[0]).toMatchObject({ id: 'E0_0', index: 0, speedMs: 13.89, lengthM: 96, widthM: 3.2, allow: null, shape: [[0, -1.6], [96, -1.6]], line: 13 })
    expect(e0?.lanes[1]).toMatchObject({ allow: 'bus', widthM: null })
    expect(net.edges.find((e) => e.id === 'E1')?.shape).toEqual([[100, 0], [150, 0], [200, 0]])
    const j1 = net.junctions.find((j) => j.id === 'J1')
    expect(j1).toMatchObject({ type: 'traffic_light', x: 100, y: 0, incLanes: ['E0_0', 'E0_1', 'E2_0'], intLanes: [':J1_0_0', ':J1_1_0'] })
    expect(j1?.requests).toEqual([
      { index: 0, response: '00', foes: '10', cont: false },
      { index: 1, response: '01', foes: '01', cont: false },
    ])
    expect(net.connections[1]).toMatchObject({ from: 'E2', to: 'E1', fromLane: 0, toLane: 0, via: ':J1_1_0', tl: '209', linkIndex: 1, dir: 'l', state: 'o', attrs: { keepClear: '0' } })
    expect(net.connections[2]).toMatchObject({ from: ':J1_0', via: null, tl: null, linkIndex: null })
    expect(net.tlLogics).toEqual([
      expect.objectContaining({ id: '209', programId: '0', type: 'static', offsetS: 0, source: 'net', file: 'tiny.net.xml', phases: [
        { duration: 30, state: 'Gr' }, { duration: 3, state: 'yr' }, { duration: 20, state: 'rG' }, { duration: 3, state: 'ry' },
      ] }),
    ])
    expect(net.roundabouts).toEqual([{ nodes: ['J1'], edges: ['E0'] }])
    // 5 edges + 6 lanes + 4 junctions + 4 connections + 1 program; the commented-out edge does not count.
    expect(elements).toBe(20)
    expect({ problems, rejected }).toEqual({ problems: [], rejected: 0 })
  })

  it('refuses a network without projParameter as a whole, saying it is not georeferenced', () => {
    const parse = () => parseSumoNet(tinyNetXml({ projParameter: '!' }), 'flat.net.xml')
    expect(parse).toThrow(DatasetFileError)
    expect(parse).toThrow(/flat\.net\.xml: <location projParameter="!"> gives no projection: the network is not georeferenced/)
  })

  it('refuses a network without a <location> element', () => {
    expect(() => parseSumoNet(tinyNetXml({ projParameter: null }), 'nowhere.net.xml')).toThrow(/nowhere\.net\.xml has no <location> element/)
  })

  it('refuses a malformed file with the line of the error', () => {
    const broken = tinyNetXml().replace('<junction id="J2"', '<junction id="J2" <oops')
    expect(() => parseSumoNet(broken, 'broken.net.xml')).toThrow(/broken\.net\.xml is not well-formed XML \(line 35:/)
  })

  it('refuses a file that is XML but not a network', () => {
    expect(() => parseSumoNet('<routes><vehicle id="1"/></routes>', 'x.rou.xml')).toThrow(/x\.rou\.xml is not a SUMO network: it has no <net> root element/)
  })

  it('refuses an unusable lane by its line and keeps the rest of the edge', () => {
    const xml = tinyNetXml().replace('<lane id="E0_1" index="1" speed="13.89"', '<lane id="E0_1" index="1" speed="fast"')
    const { net, problems, rejected } = parseSumoNet(xml, 'tiny.net.xml')
    expect(problems).toEqual([{ row: 14, id: 'E0_1', problem: 'rejected: lane E0_1: attribute speed="fast" is not a number' }])
    expect(rejected).toBe(1)
    expect(net.edges.find((e) => e.id === 'E0')?.lanes.map((l) => l.id)).toEqual(['E0_0'])
  })
})
