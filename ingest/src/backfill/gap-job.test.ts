import { describe, expect, it } from 'vitest'
import { contiguousFrom, missingRanges } from './gap-job'

describe('gap arithmetic', () => {
  it('finds the contiguous watermark and the missing ranges above it', () => {
    const have = new Set([11, 12, 13, 15, 16, 20])
    expect(contiguousFrom(10, have)).toBe(13)
    expect(missingRanges(13, 20, have)).toEqual({ ranges: [[14, 14], [17, 19]], complete: 20 })
    // A missing tail up to the settled top is a range too.
    expect(missingRanges(13, 22, have)).toEqual({ ranges: [[14, 14], [17, 19], [21, 22]], complete: 22 })
  })

  it('caps a request at 64 ranges and says how far the list is complete', () => {
    const have = new Set(Array.from({ length: 200 }, (_, i) => 2 * i))
    const { ranges, complete } = missingRanges(0, 399, have)
    expect(ranges).toHaveLength(64)
    expect(ranges[63]).toEqual([127, 127])
    expect(complete).toBe(128)
  })
})
