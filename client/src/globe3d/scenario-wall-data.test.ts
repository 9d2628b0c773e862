import { describe, expect, it } from 'vitest'
import { deltaColour } from '../map2d/layers/scenario-links/link-style'
import type { ScenarioLinkDatum } from '../state/scenario-map'
import { CLOSED_WALL_M, WALL_MAX_M, wallData, wallHeightM } from './scenario-wall-data'

const link = (key: string, left: number, right: number, closed = false): ScenarioLinkDatum => ({
  key,
  edgeId: key,
  reverse: false,
  name: null,
  roadClass: null,
  path: [
    [11.34, 44.49],
    [11.341, 44.49],
  ],
  left: { flowVehH: left, vc: 0, closed: false },
  right: { flowVehH: right, vc: 0, closed },
  deltaVehH: right - left,
})

describe('the 3D flow walls', () => {
  it('stand as high as the flow, up to a ceiling', () => {
    expect(wallHeightM(1000)).toBeCloseTo(60)
    expect(wallHeightM(1e6)).toBe(WALL_MAX_M)
    expect(wallHeightM(-3)).toBe(0)
  })

  it('are coloured by the change, closed links low in the closed colour', () => {
    const [closed, more] = wallData([link('a', 300, 900), link('c', 800, 0, true)])
    expect(closed).toMatchObject({ key: 'c', heightM: CLOSED_WALL_M })
    expect(more).toMatchObject({ key: 'a', colour: deltaColour(600, 215) })
  })

  it('leave out empty, unchanged links and keep the busiest when there are too many', () => {
    const walls = wallData([link('quiet', 10, 20), link('busy', 1500, 1500), link('mid', 400, 400), link('changed', 0, 300)], 2)
    expect(walls.map((w) => w.key)).toEqual(['busy', 'mid'])
  })
})
