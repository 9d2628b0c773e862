import { describe, expect, it } from 'vitest'
import { axisDigits, historySeries, historyWindow } from './history-series'

describe('historySeries', () => {
  it('sorts by time and makes gaps of non-numbers', () => {
    const s = historySeries(
      [
        { tMs: 2000, values: { flowVehH: 10, speedKmh: null }, n: 1 },
        { tMs: 1000, values: { flowVehH: 5, speedKmh: 40 }, n: 1 },
      ],
      ['flowVehH', 'speedKmh'],
    )
    expect(s.x).toEqual([1, 2])
    expect(s.ys).toEqual([
      [5, 10],
      [40, null],
    ])
  })
})

describe('historyWindow', () => {
  it('asks 15-minute buckets for a day and 1-minute buckets for an hour', () => {
    expect(historyWindow('24h', 100_000_000)).toEqual({ fromMs: 100_000_000 - 86_400_000, toMs: 100_000_000, agg: '15m' })
    expect(historyWindow('1h', 10_000_000).agg).toBe('1m')
  })
})

describe('axisDigits', () => {
  it('uses no decimals for whole steps and enough for fine ones', () => {
    expect(axisDigits([0, 50, 100])).toBe(0)
    expect(axisDigits([50.9, 51, 51.1])).toBe(1)
    expect(axisDigits([1.02, 1.04])).toBe(2)
  })
})
