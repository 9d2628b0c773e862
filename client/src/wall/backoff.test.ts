import { describe, expect, it } from 'vitest'
import { backoffDelayMs } from './backoff'

const o = { baseMs: 1000, maxMs: 8000, jitter: 0.5 }

describe('retry back-off', () => {
  it('doubles from the base delay', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, o, () => 0.5))).toEqual([1000, 2000, 4000])
  })
  it('stops growing at the cap', () => {
    expect(backoffDelayMs(10, o, () => 0.5)).toBe(8000)
  })
  it('spreads each delay by the jitter either way', () => {
    expect(backoffDelayMs(2, o, () => 0)).toBe(1000)
    expect(backoffDelayMs(2, o, () => 0.999999)).toBe(3000)
  })
})
