import { describe, expect, it } from 'vitest'
import { DEFAULT_LAYOUT, barGeometry, barStyle, boundaryNear, liveCycleSecond, secondsAt, tickSteps } from './bar-geometry'
import { planFixture } from './testing/fixtures'

const layout = { ...DEFAULT_LAYOUT, width: 200 + 720 + 16, labelWidth: 200, padRight: 16 } // 10 units per second at 72 s

describe('bar chart geometry', () => {
  it('has one row per group and one cell per interval, placed on the cycle', () => {
    const g = barGeometry(planFixture().intervals, 3, layout)
    expect(g.cycleS).toBe(72)
    expect(g.rows).toHaveLength(3)
    expect(g.rows[1]!.cells).toHaveLength(7)
    expect(g.rows[1]!.cells[4]).toMatchObject({ k: 4, fromS: 45, toS: 65, x: 650, width: 200, state: 'G' })
    expect(g.rows[2]!.y).toBe(layout.headerHeight + 2 * layout.rowHeight)
  })

  it('numbers the intervals from 1 over their middle and draws a boundary at every start and at the cycle end', () => {
    const g = barGeometry(planFixture().intervals, 3, layout)
    expect(g.labels[0]).toEqual({ k: 0, x: 350, text: '1' })
    expect(g.boundaries.map((b) => b.s)).toEqual([0, 30, 38, 42, 45, 65, 69, 72])
    expect(g.boundaries[7]!.x).toBe(920)
  })

  it('ticks every 5 s with labels every 10 s when there is room', () => {
    const g = barGeometry(planFixture().intervals, 3, layout)
    expect(g.ticks.map((t) => t.s)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70])
    expect(g.ticks.filter((t) => t.major).map((t) => t.s)).toEqual([0, 10, 20, 30, 40, 50, 60, 70])
  })

  it('coarsens the ticks for a long cycle on a narrow chart', () => {
    expect(tickSteps(120, 200)).toEqual({ minorS: 10, majorS: 20 })
    expect(tickSteps(120, 2000)).toEqual({ minorS: 5, majorS: 10 })
  })

  it('finds the draggable boundary under the pointer, never the cycle start', () => {
    const g = barGeometry(planFixture().intervals, 3, layout)
    expect(boundaryNear(g, 502)).toBe(1)
    expect(boundaryNear(g, 520)).toBeNull()
    expect(boundaryNear(g, 201)).toBeNull()
    expect(boundaryNear(g, 918)).toBe(7)
  })

  it('converts x back to cycle seconds, clamped to the plot', () => {
    const g = barGeometry(planFixture().intervals, 3, layout)
    expect(secondsAt(g, 650)).toBeCloseTo(45, 9)
    expect(secondsAt(g, 0)).toBe(0)
    expect(secondsAt(g, 5000)).toBe(72)
  })

  it('draws red thin and green, amber and red+amber full', () => {
    expect(barStyle('R').height).toBeLessThan(barStyle('G').height)
    expect(barStyle('RY').kind).toBe('red-amber')
    expect(barStyle('Gflash').kind).toBe('green-flash')
    expect(barStyle('FY').kind).toBe('yellow-flash')
  })
})

describe('the live cycle second', () => {
  it('advances the last report to now, within one cycle', () => {
    expect(liveCycleSecond({ cycleSecond: 70, observedAtMs: 1000 }, 5000, 72)).toBeCloseTo(2, 9)
    expect(liveCycleSecond({ cycleSecond: 10, observedAtMs: 0 }, 80_000, 72)).toBeNull()
    expect(liveCycleSecond({ observedAtMs: 0 }, 1000, 72)).toBeNull()
    expect(liveCycleSecond(null, 1000, 72)).toBeNull()
  })
})
