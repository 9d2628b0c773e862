import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { makeTempDir, removeTempDirs, writeFeatureCollection } from '../testing/edge-case-files'
import { readOsmDriveEdges, readOsmDriveNodes } from './osm-drive-graph'

afterAll(removeTempDirs)

const OSM = path.join(CITY_DATA_DIR, 'osm')
const line = (lon = 11.34) => ({ type: 'LineString', coordinates: [[lon, 44.49], [lon + 0.001, 44.491]] })

/** An OSMnx edge as the bundle writes it; override any property. */
function edge(u: number, v: number, props: Record<string, unknown> = {}, geometry: unknown = line()) {
  return {
    properties: { u, v, key: 0, osmid: String(1000 + u), oneway: false, lanes: '', name: `Via ${u}`, highway: 'residential', maxspeed: '', length: 12.5, from: u, to: v, ...props },
    geometry,
  }
}

describe('readOsmDriveEdges on a generated file', () => {
  const file = writeFeatureCollection(path.join(makeTempDir(), 'edges.geojson'), [
    edge(1, 2),
    edge(2, 3, { highway: ['tertiary', 'secondary'], lanes: ['3', '2'], maxspeed: ['70', '50'], name: ['Via A', 'Piazza B'], osmid: [11, 12], oneway: true }),
    edge(3, 4, { maxspeed: 'signals', lanes: 'x' }),
    edge(4, 5, { maxspeed: '30 mph', from: 5, to: 4 }),
    edge(1, 2),
    edge(5, 6, { highway: '' }),
    edge(6, 7, {}, { type: 'MultiLineString', coordinates: [line().coordinates] }),
    edge(7, 8, {}, null),
  ])
  const r = readOsmDriveEdges(file)
  const byId = new Map(r.records.map((e) => [e.id, e]))
  const problemsAt = (row: number) => r.problems.filter((p) => p.row === row).map((p) => p.problem)

  it('keys edges by u-v-key and orients them from/to', () => {
    expect(r.records.map((e) => e.id)).toEqual(['1-2-0', '2-3-0', '3-4-0', '4-5-0'])
    expect(byId.get('1-2-0')).toMatchObject({ osmId: '1001', fromNode: '1', toNode: '2', name: 'Via 1', roadClass: 'residential', lanes: null, maxspeedKmh: null, oneway: false, lengthM: 12.5 })
    expect(byId.get('4-5-0')).toMatchObject({ fromNode: '5', toNode: '4', maxspeedKmh: 48.3 })
  })

  it('resolves list-valued tags by the documented rules and keeps the lists', () => {
    expect(byId.get('2-3-0')).toMatchObject({
      roadClass: 'secondary',
      lanes: 3,
      maxspeedKmh: 50,
      name: 'Via A',
      osmId: '11',
      oneway: true,
      props: { highwayValues: ['tertiary', 'secondary'], lanesValues: ['3', '2'], maxspeedValues: ['70', '50'], names: ['Via A', 'Piazza B'], osmIds: ['11', '12'] },
    })
    expect(problemsAt(2)).toEqual(['kept: highway is a list (tertiary, secondary); class secondary, the most important'])
  })

  it('keeps an edge whose speed or lanes say no number, and says so', () => {
    expect(byId.get('3-4-0')).toMatchObject({ maxspeedKmh: null, lanes: null, props: { maxspeedValues: ['signals'], lanesValues: ['x'] } })
    expect(problemsAt(3)).toEqual(['kept: lanes "x" not a whole number 1–20; ignored', 'kept: maxspeed "signals" has no speed; ignored'])
  })

  it('refuses duplicates, edges without class and non-LineStrings', () => {
    expect(r.rejected).toBe(4)
    expect(problemsAt(5)).toEqual(['rejected: duplicate edge id (first at feature 1)'])
    expect(problemsAt(6)).toEqual(['rejected: no road class ("highway")'])
    expect(problemsAt(7)).toEqual(['rejected: geometry is a MultiLineString; a road edge is a LineString'])
    expect(problemsAt(8)).toEqual(['rejected: no geometry'])
  })
})

describe('readOsmDriveNodes on a generated file', () => {
  const pt = (lon: number) => ({ type: 'Point', coordinates: [lon, 44.49] })
  const file = writeFeatureCollection(path.join(makeTempDir(), 'nodes.geojson'), [
    { properties: { osmid: 1, street_count: 4, highway: 'traffic_signals', ref: '' }, geometry: pt(11.34) },
    { properties: { osmid: 2, street_count: 3, highway: '', ref: '7' }, geometry: pt(11.35) },
    { properties: { osmid: 1, street_count: 3, highway: '' }, geometry: pt(11.36) },
    { properties: { osmid: 3, street_count: 3, highway: 'traffic_signals' }, geometry: line() },
    { properties: { osmid: 4, highway: 'crossing' }, geometry: pt(1.5) },
  ])
  const r = readOsmDriveNodes(file)

  it('flags traffic signals and keeps street count and ref', () => {
    expect(r.records).toEqual([
      { row: 1, id: '1', trafficSignals: true, position: [11.34, 44.49], props: { streetCount: 4, highway: 'traffic_signals', ref: null } },
      { row: 2, id: '2', trafficSignals: false, position: [11.35, 44.49], props: { streetCount: 3, highway: null, ref: '7' } },
    ])
  })

  it('refuses duplicates, non-points and positions outside the city', () => {
    expect(r.problems.map((p) => [p.row, p.problem.replace(/ \(lon.*$/, '')])).toEqual([
      [3, 'rejected: duplicate osmid (first at feature 1)'],
      [4, 'rejected: geometry is a LineString; a road node is a Point'],
      [5, 'rejected: vertex 1.5, 44.49 is outside the city envelope'],
    ])
  })
})

describe.skipIf(!existsSync(OSM))('the OSM drive graph of Bologna', () => {
  it('reads all 7,800 edges and 5,527 nodes, 147 of them signalised', () => {
    const edges = readOsmDriveEdges(path.join(OSM, 'bologna_osm_drive_edges.geojson'))
    expect([edges.records.length, edges.rejected]).toEqual([7800, 0])
    // 30 list-valued highway tags and 8 maxspeed "signals" are kept and noted.
    expect(edges.problems).toHaveLength(38)
    const nodes = readOsmDriveNodes(path.join(OSM, 'bologna_osm_drive_nodes.geojson'))
    expect([nodes.records.length, nodes.records.filter((n) => n.trafficSignals).length]).toEqual([5527, 147])
  })
})
