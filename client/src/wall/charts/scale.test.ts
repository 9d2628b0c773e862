import { describe, expect, it } from 'vitest'
import { linearScale, niceTicks, valueAxisMax } from './scale'

describe('chart scales', () => {
  it('picks round ticks covering the range', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(0, 43, 4)).toEqual([0, 20, 40, 60])
    expect(niceTicks(3, 43, 8)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45])
    expect(niceTicks(0, 0.7, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8])
  })
  it('gives a flat series an axis around its value', () => {
    expect(niceTicks(0, 0)).toEqual([0, 1])
    expect(niceTicks(50, 50, 2)[0]).toBeLessThan(50)
  })
  it('maps a domain onto a range, including inverted ranges (SVG y grows down)', () => {
    const y = linearScale(0, 100, 200, 0)
    expect(y(0)).toBe(200)
    expect(y(50)).toBe(100)
    expect(linearScale(5, 5, 0, 10)(5)).toBe(5)
  })
  it('keeps the limit line inside the value axis', () => {
    expect(valueAxisMax([12, 30, null], [50])).toBe(60)
    expect(valueAxisMax([], [])).toBe(1)
    expect(valueAxisMax([180], [])).toBe(200)
  })
})
