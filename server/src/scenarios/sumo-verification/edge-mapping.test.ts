import { describe, expect, it } from 'vitest'
import { mapEdges, type LonLat, type RoadLine, type SumoLine } from './edge-mapping'

/** Metres east and north of a point in Bologna, as [lon, lat]. */
const O: LonLat = [11.34, 44.49]
const at = (east: number, north: number): LonLat => [O[0] + east / (111_320 * Math.cos((O[1] * Math.PI) / 180)), O[1] + north / 110_574]
const line = (...pts: Array<[number, number]>) => pts.map(([e, n]) => at(e, n))
const road = (id: string, reversible: boolean, ...pts: Array<[number, number]>): RoadLine => ({ id, coords: line(...pts), reversible })
const sumo = (id: string, ...pts: Array<[number, number]>): SumoLine => ({ id, coords: line(...pts) })

describe('SUMO edges on city road edges', () => {
  it('a two-way road drawn once carries both SUMO directions, the one against its drawing as `reverse`', () => {
    const m = mapEdges([sumo('east', [0, -3], [200, -3]), sumo('west', [200, 3], [0, 3])], [road('r', true, [0, 0], [200, 0])])
    expect(m.roadOf.get('east')).toEqual({ roadEdgeId: 'r', reverse: false, share: 1 })
    expect(m.roadOf.get('west')).toEqual({ roadEdgeId: 'r', reverse: true, share: 1 })
    expect(m.sumoOf.get('r')).toEqual(['east', 'west'])
  })

  it('a one-way road takes only its own direction', () => {
    const m = mapEdges([sumo('east', [0, -3], [200, -3]), sumo('west', [200, 3], [0, 3])], [road('r', false, [0, 0], [200, 0])])
    expect(m.roadOf.get('east')?.roadEdgeId).toBe('r')
    expect(m.roadOf.has('west')).toBe(false)
    expect(m.sumoOf.get('r')).toEqual(['east'])
  })

  it('a road with a row per direction: each SUMO edge on its own row', () => {
    const m = mapEdges([sumo('east', [0, -3], [200, -3]), sumo('west', [200, 3], [0, 3])], [road('r1', false, [0, 0], [200, 0]), road('r2', false, [200, 0], [0, 0])])
    expect(m.roadOf.get('east')).toMatchObject({ roadEdgeId: 'r1', reverse: false })
    expect(m.roadOf.get('west')).toMatchObject({ roadEdgeId: 'r2', reverse: false })
  })

  it('nothing farther than 15 m, nor across at an angle', () => {
    const m = mapEdges([sumo('far', [0, 25], [200, 25]), sumo('across', [100, -100], [100, 100]), sumo('skew', [0, 0], [200, 140])], [road('r', true, [0, 0], [200, 0])])
    expect(m.roadOf.size).toBe(0)
    expect(m.sumoOf.size).toBe(0)
  })

  it('follows a bend; a SUMO edge mostly off the road lies on none', () => {
    const m = mapEdges([sumo('bend', [0, 2], [100, 2], [100, 102]), sumo('half', [0, -2], [60, -2], [60, -140])], [road('r', false, [0, 0], [100, 0], [100, 100])])
    expect(m.roadOf.get('bend')?.share).toBe(1)
    expect(m.roadOf.has('half')).toBe(false)
  })

  it('a short road edge inside a long SUMO edge carries it; the SUMO edge lies on the longer one', () => {
    const m = mapEdges([sumo('long', [0, -2], [200, -2])], [road('main', false, [0, 0], [170, 0]), road('stub', false, [170, 0], [200, 0])])
    expect(m.roadOf.get('long')).toMatchObject({ roadEdgeId: 'main', reverse: false })
    expect(m.roadOf.get('long')!.share).toBeCloseTo(0.85, 1)
    expect(m.sumoOf.get('main')).toEqual(['long'])
    expect(m.sumoOf.get('stub')).toEqual(['long'])
  })
})
