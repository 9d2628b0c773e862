import { describe, expect, it } from 'vitest'
import { floodAbnormal, priorityAbnormal, priorityShares, rateBand } from './kpi-figures'

describe('alarm rate against EEMUA 191', () => {
  it('is acceptable up to 6 per operator hour', () => {
    expect(rateBand(0)).toBe('acceptable')
    expect(rateBand(6)).toBe('acceptable')
  })
  it('is manageable up to 12', () => {
    expect(rateBand(6.1)).toBe('manageable')
    expect(rateBand(12)).toBe('manageable')
  })
  it('is an overload above 12', () => expect(rateBand(12.5)).toBe('overloaded'))
})

describe('priority distribution', () => {
  it('compares each share with the 80/15/5 target', () => {
    const [high, medium, low] = priorityShares({ high: 5, medium: 15, low: 80 })
    expect(high).toMatchObject({ priority: 'high', share: 0.05, verdict: 'on-target' })
    expect(medium).toMatchObject({ priority: 'medium', share: 0.15, verdict: 'on-target' })
    expect(low).toMatchObject({ priority: 'low', share: 0.8, verdict: 'on-target' })
  })
  it('leaves diagnostics out of the shares', () => {
    const [high] = priorityShares({ high: 1, low: 19, diagnostic: 80 })
    expect(high!.share).toBeCloseTo(0.05)
  })
  it('flags too many high alarms, not too many low ones', () => {
    const shares = priorityShares({ high: 30, medium: 10, low: 60 })
    expect(shares.map((s) => s.verdict)).toEqual(['above', 'on-target', 'below'])
    expect(shares.map(priorityAbnormal)).toEqual([true, false, false])
  })
  it('has no verdict without activations', () => {
    expect(priorityShares({}).map((s) => s.verdict)).toEqual([null, null, null])
  })
})

describe('time in flood', () => {
  it('is abnormal from 1 %', () => {
    expect(floodAbnormal(0.009)).toBe(false)
    expect(floodAbnormal(0.01)).toBe(true)
  })
})
