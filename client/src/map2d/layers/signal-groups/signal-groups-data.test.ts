import { describe, expect, it } from 'vitest'
import type { SignalGeometry, SignalJunctionFeature, SignalLaneFeature } from '../../../../../contracts/signal-api'
import { APPROACH_DRAWN_M, ASPECT_COLOURS, LANE_DRAWN_M, aspectOf, offsetPath, signalGroupsData, tailOf, type LonLat } from './signal-groups-data'
import { SignalGroupsLayer } from './signal-groups-layer'

const LAT = 44.5
const M_LAT = 1 / 110_540
const M_LON = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180))
/** A lane heading east, `y` metres north of the axis, ending at x = 0 (its stop line). */
const eastbound = (y: number): LonLat[] => [
  [11.3 - 40 * M_LON, LAT + y * M_LAT],
  [11.3, LAT + y * M_LAT],
]

const lane = (groupId: string, laneId: string, coordinates: LonLat[], turn: SignalLaneFeature['properties']['turn'] = 'through'): SignalLaneFeature => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates },
  properties: { kind: 'lane', groupId, laneId, type: 'vehicle', turn },
})
const junction = (junctionId: string): SignalJunctionFeature => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[[11.3, 44.5], [11.3001, 44.5], [11.3001, 44.5001], [11.3, 44.5]]] },
  properties: { kind: 'junction', junctionId },
})
const fc = (...features: SignalGeometry['features']): SignalGeometry => ({ type: 'FeatureCollection', features })
const metresNorth = (p: LonLat) => (p[1] - LAT) / M_LAT

describe('signal aspects on the map', () => {
  it('colours green, amber (yellow, red+amber, flashing) and red; grey for dark heads and no interval', () => {
    expect(['G', 'Gflash', 'Y', 'RY', 'FY', 'R', 'DARK', null].map((s) => aspectOf(s as never))).toEqual(['green', 'green', 'yellow', 'yellow', 'yellow', 'red', 'none', 'none'])
    expect(ASPECT_COLOURS.none).not.toEqual(ASPECT_COLOURS.red)
  })
})

describe('offsetting a lane', () => {
  it('moves a path to the right of its direction by the metres asked, to the left when negative', () => {
    const right = offsetPath(eastbound(0), 1)
    const left = offsetPath(eastbound(0), -1)
    expect(metresNorth(right[0]!)).toBeCloseTo(-1, 3)
    expect(metresNorth(right[1]!)).toBeCloseTo(-1, 3)
    expect(metresNorth(left[1]!)).toBeCloseTo(1, 3)
    expect(right[1]![0]).toBeCloseTo(11.3, 9)
  })
})

describe('the approach drawn', () => {
  it('keeps the last metres before the stop line, cutting a segment where needed', () => {
    const long: LonLat[] = [[11.3 - 200 * M_LON, LAT], [11.3 - 50 * M_LON, LAT], [11.3, LAT]]
    const tail = tailOf(long, APPROACH_DRAWN_M)
    expect(tail).toHaveLength(3)
    expect((tail[0]![0] - 11.3) / M_LON).toBeCloseTo(-APPROACH_DRAWN_M, 3)
    expect(tail[1]).toEqual(long[1])
    expect(tail[2]).toEqual(long[2])
    expect(tailOf(eastbound(0), 100)).toEqual(eastbound(0))
  })
})

describe('what the layer draws', () => {
  it('draws each group lane at full width, a shared lane split with the right turn on the right', () => {
    const d = signalGroupsData(fc(lane('S1', 'a_0', eastbound(0)), lane('S3', 'a_1', eastbound(3.2), 'through'), lane('S4', 'a_1', eastbound(3.2), 'left'), lane('S5', 'a_1', eastbound(3.2), 'right')))
    const s1 = d.lanes.find((l) => l.groupId === 'S1')!
    expect(s1.widthM).toBe(LANE_DRAWN_M)
    expect(metresNorth(s1.path[1]!)).toBeCloseTo(0, 3)
    const north = (g: string) => metresNorth(d.lanes.find((l) => l.groupId === g)!.path[1]!)
    // Heading east, right is south: right turn southmost, left turn northmost, each a third of the lane.
    expect(north('S5')).toBeLessThan(north('S3'))
    expect(north('S3')).toBeCloseTo(3.2, 3)
    expect(north('S4')).toBeGreaterThan(north('S3'))
    expect(d.lanes.filter((l) => l.laneId === 'a_1').map((l) => l.widthM)).toEqual([LANE_DRAWN_M / 3, LANE_DRAWN_M / 3, LANE_DRAWN_M / 3])
  })

  it('labels each group once at its stop line, on the lanes it has alone when it has some', () => {
    const d = signalGroupsData(fc(lane('S3', 'a_0', eastbound(0)), lane('S3', 'a_1', eastbound(3.2)), lane('S3', 'a_2', eastbound(6.4)), lane('S4', 'a_2', eastbound(6.4), 'left')))
    expect(d.labels.map((l) => l.text)).toEqual(['S3', 'S4'])
    const [s3, s4] = d.labels
    expect(s3!.position[0]).toBeCloseTo(11.3, 9)
    expect(metresNorth(s3!.position)).toBeCloseTo(1.6, 3)
    expect(metresNorth(s4!.position)).toBeGreaterThan(6.4)
  })

  it('merges the labels of groups that end on the same point', () => {
    const d = signalGroupsData(fc(lane('P1', 'c_0', eastbound(0)), lane('P2', 'c_1', eastbound(0))))
    expect(d.labels.map((l) => l.text)).toEqual(['P1/P2'])
  })

  it('outlines the junction polygons and draws nothing without a geometry', () => {
    const d = signalGroupsData(fc(junction('J1'), lane('S1', 'a_0', eastbound(0))))
    expect(d.outlines).toHaveLength(1)
    expect(d.outlines[0]![0]).toEqual(d.outlines[0]!.at(-1))
    expect(signalGroupsData(null)).toEqual({ lanes: [], labels: [], outlines: [] })
  })

  it('is a deck.gl layer of its own name with defaults for every prop', () => {
    expect(SignalGroupsLayer.layerName).toBe('SignalGroupsLayer')
    const layer = new SignalGroupsLayer({ id: 'signal-groups' })
    expect(layer.props.geometry).toBeNull()
    expect(layer.props.states).toBeNull()
    expect(layer.props.sizeScale).toBe(1)
  })
})
