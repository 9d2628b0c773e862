import { describe, expect, it } from 'vitest'
import { greenBands, timeSpace } from '../../../contracts/signal-evaluation/corridor'
import { bandShapes, corridorOf, diagramScale, distanceM, distancesFromPositions, guessThroughGroups, moveStop, timeTicks, type CorridorStop } from './corridor-model'
import { planFixture } from './testing/fixtures'

/** Two-stage 60 s plan: main G · Y 3 · all-red 2 · side G · Y 3 · all-red 2. */
const plan = (id: string, mainGreenS: number, offsetS = 0) =>
  planFixture(
    [[mainGreenS, 'G', 'R', 'R'], [3, 'Y', 'R', 'R'], [2, 'R', 'R', 'R'], [50 - mainGreenS, 'R', 'G', 'R'], [3, 'R', 'Y', 'R'], [2, 'R', 'R', 'R']],
    { id, controllerId: id, offsetS },
  )
const stop = (id: string, distanceFromPreviousM: number, mainGreenS: number, offsetS = 0): CorridorStop => ({
  controllerId: id,
  name: id,
  position: null,
  groupIds: ['A', 'B', 'P'],
  plan: plan(id, mainGreenS, offsetS),
  outboundGroupId: 'A',
  inboundGroupId: null,
  distanceFromPreviousM,
})

describe('distances', () => {
  it('measures about 111 m per 0.001° of latitude', () => {
    expect(distanceM([11.34, 44.49], [11.34, 44.491])).toBeCloseTo(111.2, 0)
  })

  it('gives each stop its distance from the previous one, null where a position is missing', () => {
    expect(distancesFromPositions([[11.34, 44.49], [11.34, 44.491], null, [11.34, 44.5]])).toEqual([0, 111, null, null])
  })
})

describe('the corridor', () => {
  it('is what corridor.ts takes, with the first distance ignored and offsets replaceable', () => {
    const c = corridorOf([stop('201', 999, 25), stop('202', 200, 30)], 50, [0, 14])
    expect(c.controllers[0]!.distanceFromPreviousM).toBe(0)
    expect(c.controllers[1]!.plan.offsetS).toBe(14)
    expect(greenBands(c)!.outbound!.bandwidthS).toBeGreaterThan(0)
  })

  it('guesses the straight vehicle groups as the through groups', () => {
    const groups = [
      { id: 'P1', type: 'pedestrian' as const, turn: 'through' as const },
      { id: 'L', type: 'vehicle' as const, turn: 'left' as const },
      { id: 'N', type: 'vehicle' as const, turn: 'through' as const },
      { id: 'S', type: 'vehicle' as const, turn: 'mixed' as const },
    ]
    expect(guessThroughGroups(groups)).toEqual({ outbound: 'N', inbound: 'S' })
    expect(guessThroughGroups([{ id: 'L', type: 'vehicle', turn: 'left' }])).toEqual({ outbound: 'L', inbound: null })
  })

  it('reorders stops', () => {
    expect(moveStop(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveStop(['a', 'b'], 0, -1)).toEqual(['a', 'b'])
  })
})

describe('band shapes', () => {
  it('draws the outbound band as parallelograms from the first to the last stop, one per cycle', () => {
    // 36 km/h = 10 m/s; 300 m → 30 s of travel.
    const ts = timeSpace(corridorOf([stop('1', 0, 30), stop('2', 300, 30, 30)], 36), { cycles: 3 })
    const shapes = bandShapes(ts, 36)
    expect(shapes.length).toBeGreaterThan(3)
    const band = ts.bands!.outbound!
    expect(band.bandwidthS).toBeCloseTo(30, 9)
    const s = shapes.find((x) => Math.abs(x.points[0]![0] - band.startS!) < 1e-9)!
    expect(s.points).toEqual([
      [band.startS!, 0],
      [band.startS! + 30, 0],
      [band.startS! + 60, 300],
      [band.startS! + 30, 300],
    ])
  })

  it('draws nothing without a band', () => {
    // Greens 25, 30, 35 s at zero offsets, 200 m and 350 m apart at 50 km/h: no departure is green all the way.
    const ts = timeSpace(corridorOf([stop('1', 0, 25), stop('2', 200, 30), stop('3', 350, 35)], 50), { cycles: 3 })
    expect(ts.bands!.outbound!.bandwidthS).toBe(0)
    expect(bandShapes(ts, 50)).toEqual([])
  })

  it('scales seconds right and metres up', () => {
    const s = diagramScale(180, 300, { left: 10, top: 0, width: 180, height: 300 })
    expect([s.x(90), s.y(0), s.y(300)]).toEqual([100, 300, 0])
  })
})

describe('time ticks', () => {
  it('marks every cycle and labels 30 s steps away from the cycle labels', () => {
    const ticks = timeTicks(216, 72)
    expect(ticks.filter((t) => t.cycle).map((t) => t.s)).toEqual([0, 72, 144, 216])
    // 150 and 210 sit within 8 s of the 144 and 216 labels.
    expect(ticks.filter((t) => t.label && !t.cycle).map((t) => t.s)).toEqual([30, 60, 90, 120, 180])
    expect(ticks.filter((t) => !t.cycle)).toHaveLength(21)
  })
})
