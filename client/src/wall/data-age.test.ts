import { describe, expect, it } from 'vitest'
import { dataAge, liveAsOf } from './data-age'

describe('data age', () => {
  it('has no age before the first update', () => {
    expect(dataAge(null, 10_000, 5000)).toEqual({ state: 'none', ageMs: null })
  })
  it('is fresh up to the limit and stale past it', () => {
    expect(dataAge(1000, 6000, 5000)).toEqual({ state: 'fresh', ageMs: 5000 })
    expect(dataAge(1000, 6001, 5000)).toEqual({ state: 'stale', ageMs: 5001 })
  })
  it('never goes negative when the update is stamped after now', () => {
    expect(dataAge(2000, 1000, 5000)).toEqual({ state: 'fresh', ageMs: 0 })
  })
})

describe('live tiles', () => {
  it('are as current as the last sign of the server once their data arrived', () => {
    expect(liveAsOf(1000, 4000, 3000)).toBe(4000)
    expect(liveAsOf(1000, null, 2500)).toBe(2500)
  })
  it('are never older than their own load', () => {
    expect(liveAsOf(5000, 4000, null)).toBe(5000)
  })
  it('have no age before their data first arrived', () => {
    expect(liveAsOf(null, 4000, 3000)).toBeNull()
  })
})
