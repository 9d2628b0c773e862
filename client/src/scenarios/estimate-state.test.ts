import { describe, expect, it } from 'vitest'
import { estimate, links } from './testing/scenario-fixtures'
import { estimateReducer, initialEstimateState, isStale, sliderHour, type EstimateResult, type EstimateState } from './estimate-state'

const result = (hour: number): EstimateResult => ({ hour, estimate: estimate({ hour }), links: links(), compare: null })
const run = (s: EstimateState, ...actions: Parameters<typeof estimateReducer>[1][]) => actions.reduce(estimateReducer, s)

describe('the estimate under the time slider', () => {
  it("starts at the base's hour and shows the first answer", () => {
    let s = run(initialEstimateState(), { type: 'start', seq: 1, hour: null })
    expect(s.pending).toEqual({ seq: 1, hour: null })
    s = estimateReducer(s, { type: 'done', seq: 1, result: result(8) })
    expect(s.shown?.hour).toBe(8)
    expect(s.pending).toBeNull()
    expect(sliderHour(s, 8)).toBe(8)
  })

  it('keeps the previous hour on screen while the next one is computed', () => {
    const s = run(initialEstimateState(), { type: 'start', seq: 1, hour: null }, { type: 'done', seq: 1, result: result(8) }, { type: 'hour', hour: 17 }, { type: 'start', seq: 2, hour: 17 })
    expect(s.shown?.hour).toBe(8)
    expect(s.pending?.hour).toBe(17)
    expect(sliderHour(s, 8)).toBe(17)
    expect(isStale(s)).toBe(true)
  })

  it('ignores an answer to a request that a newer one replaced', () => {
    let s = run(initialEstimateState(), { type: 'hour', hour: 9 }, { type: 'start', seq: 1, hour: 9 }, { type: 'hour', hour: 10 }, { type: 'start', seq: 2, hour: 10 })
    s = estimateReducer(s, { type: 'done', seq: 1, result: result(9) })
    expect(s.shown).toBeNull()
    expect(s.pending?.seq).toBe(2)
    s = estimateReducer(s, { type: 'done', seq: 2, result: result(10) })
    expect(s.shown?.hour).toBe(10)
    expect(isStale(s)).toBe(false)
  })

  it('keeps the last good estimate beside an error', () => {
    const s = run(initialEstimateState(), { type: 'start', seq: 1, hour: null }, { type: 'done', seq: 1, result: result(8) }, { type: 'hour', hour: 3 }, { type: 'start', seq: 2, hour: 3 }, { type: 'failed', seq: 2, message: 'no counts' })
    expect(s.shown?.hour).toBe(8)
    expect(s.error).toBe('no counts')
    expect(s.pending).toBeNull()
    expect(estimateReducer(s, { type: 'failed', seq: 1, message: 'late' })).toBe(s)
  })

  it('forgets everything when another version opens, and a late answer of the old one is not shown', () => {
    const s = run(initialEstimateState(), { type: 'start', seq: 1, hour: null }, { type: 'done', seq: 1, result: result(8) }, { type: 'reset', hour: 12 })
    expect(s).toMatchObject({ shown: null, hour: 12, seq: 1, pending: null })
    expect(estimateReducer(s, { type: 'done', seq: 1, result: result(8) })).toBe(s)
    expect(estimateReducer(s, { type: 'start', seq: 2, hour: 12 }).pending?.seq).toBe(2)
  })
})
