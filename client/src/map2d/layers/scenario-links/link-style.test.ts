import { describe, expect, it } from 'vitest'
import { PALETTE } from '../../palette'
import { DELTA_CLASSES, GEH_CLASSES, SUMO_UNMATCHED_COLOUR, VC_CLASSES, capacityVehH, dashPath, deltaClass, deltaColour, distanceM, flowWidthPx, gehClass, midpoint, sumoDifferenceColour, sumoFlowColour, vcColour, type LonLat } from './link-style'

const ALARM_COLOURS = [PALETTE.critical, PALETTE.high, PALETTE.medium, PALETTE.diagnostic].map((c) => c.toLowerCase())

describe('the delta palette', () => {
  it('is grey for no change and diverges by the sign of the change', () => {
    expect(deltaClass(0).colour).toBe('#6e747d')
    expect(deltaClass(49).colour).toBe('#6e747d')
    expect(deltaClass(-49.9).colour).toBe('#6e747d')
    expect(deltaClass(50).colour).toBe('#f1b6da')
    expect(deltaClass(-50).colour).toBe('#a6dba0')
    expect(deltaClass(800).colour).toBe('#c51b7d')
    expect(deltaClass(-800).colour).toBe('#239245')
  })

  it('is symmetric: as many classes above as below the grey middle, at the same steps', () => {
    const middle = DELTA_CLASSES.findIndex((c) => c.sign === 0)
    expect(middle).toBe((DELTA_CLASSES.length - 1) / 2)
    DELTA_CLASSES.slice(middle + 1).forEach((c, i) => expect(DELTA_CLASSES[middle - 1 - i]!.fromVehH).toBe(c.fromVehH))
    expect(deltaClass(-200)).toBe(DELTA_CLASSES[middle - 2])
    expect(deltaClass(200)).toBe(DELTA_CLASSES[middle + 2])
  })

  it('never uses an alarm colour (on the map those mean a device)', () => {
    const used = [...DELTA_CLASSES, ...VC_CLASSES].map((c) => c.colour).concat(Object.values(GEH_CLASSES).map((c) => c.colour))
    expect(used.filter((c) => ALARM_COLOURS.includes(c.toLowerCase()))).toEqual([])
  })
})

describe('loops by GEH', () => {
  it('fit under 5, poor from 5, bad from 10, and grow as they get worse', () => {
    expect([0, 4.99, 5, 9.9, 10, 40].map(gehClass)).toEqual(['fit', 'fit', 'poor', 'poor', 'bad', 'bad'])
    expect(GEH_CLASSES.fit.colour).toBe(PALETTE.neutral)
    expect(GEH_CLASSES.poor.radiusPx).toBeGreaterThan(GEH_CLASSES.fit.radiusPx)
    expect(GEH_CLASSES.bad.radiusPx).toBeGreaterThan(GEH_CLASSES.poor.radiusPx)
  })
})

describe('link width by flow', () => {
  it('is 1 px for an empty link, grows with the flow and stops at 12 px', () => {
    expect(flowWidthPx(0)).toBe(1)
    expect(flowWidthPx(-5)).toBe(1)
    expect(flowWidthPx(1800)).toBe(10)
    expect(flowWidthPx(50_000)).toBe(12)
  })
})

describe('dashed closed links', () => {
  const east = (m: number): LonLat => [11.34 + m / (111_320 * Math.cos((44.49 * Math.PI) / 180)), 44.49]

  it('cuts a 100 m street into 18 m dashes with 12 m gaps', () => {
    const dashes = dashPath([east(0), east(100)])
    expect(dashes).toHaveLength(4)
    expect(distanceM(dashes[0]![0]!, dashes[0]![1]!)).toBeCloseTo(18, 1)
    expect(distanceM(dashes[0]![1]!, dashes[1]![0]!)).toBeCloseTo(12, 1)
    // the last dash is the 10 m left after three dashes and gaps (90 m)
    expect(distanceM(dashes[3]![0]!, dashes[3]![1]!)).toBeCloseTo(10, 1)
  })

  it('follows the bends of the path', () => {
    const bend: LonLat[] = [east(0), east(10), [east(10)[0], 44.4901]]
    const dashes = dashPath(bend, 18, 12)
    expect(dashes[0]).toHaveLength(3)
  })

  it('keeps a path shorter than a dash whole, and draws nothing of a point', () => {
    expect(dashPath([east(0), east(5)])).toEqual([[east(0), east(5)]])
    expect(dashPath([east(0)])).toEqual([])
  })

  it('marks a closed link halfway along it', () => {
    const m = midpoint([east(0), east(30), east(100)])!
    expect(distanceM(east(0), m)).toBeCloseTo(50, 1)
    expect(midpoint([])).toBeNull()
  })
})

describe('a SUMO run’s edges', () => {
  it('take the delta palette by simulated − estimated, and a dim grey where the estimate has nothing on the road', () => {
    for (const d of [-800, -200, -10, 0, 49, 60, 250, 900]) expect(sumoDifferenceColour(d)).toEqual(deltaColour(d))
    const unmatched = sumoDifferenceColour(null)
    expect(unmatched.slice(0, 3)).toEqual([0x3d, 0x43, 0x4b])
    expect(unmatched[3]).toBeLessThan(235)
    // not the grey of "no change", nor an alarm colour
    expect(SUMO_UNMATCHED_COLOUR).not.toBe(DELTA_CLASSES.find((c) => c.sign === 0)!.colour)
    expect(ALARM_COLOURS).not.toContain(SUMO_UNMATCHED_COLOUR.toLowerCase())
  })

  it('take the flow maps’ v/c classes, the dim grey when the capacity is not known', () => {
    expect(sumoFlowColour(1.2)).toEqual(vcColour(1.2))
    expect(sumoFlowColour(0.3)).toEqual(vcColour(0.3))
    expect(sumoFlowColour(null)).toEqual(sumoDifferenceColour(null))
  })

  it('tell a road’s capacity from the estimate’s flow and v/c, not from an empty link', () => {
    expect(capacityVehH({ flowVehH: 900, vc: 0.5 })).toBe(1800)
    expect(capacityVehH({ flowVehH: 0, vc: 0 })).toBeNull()
  })
})
