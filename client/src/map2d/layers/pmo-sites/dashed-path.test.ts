import { describe, expect, it } from 'vitest'
import { dashedPath } from './dashed-path'

/** About 100 m east along the equator. */
const EAST_100M: Array<[number, number]> = [[0, 0], [100 / 111_320, 0]]

describe('dashedPath', () => {
  it('cuts a line into dashes and gaps of the given lengths', () => {
    const dashes = dashedPath(EAST_100M, 10, 5)
    expect(dashes).toHaveLength(7)
    expect(dashes[0]![1]![0] * 111_320).toBeCloseTo(10)
    expect(dashes[1]![0]![0] * 111_320).toBeCloseTo(15)
  })
  it('follows corners inside a dash', () => {
    const d = 6 / 111_320
    const dashes = dashedPath([[0, 0], [d, 0], [d, d]], 10, 5)
    expect(dashes[0]).toHaveLength(3)
  })
  it('gives nothing for a path of one point', () => expect(dashedPath([[0, 0]], 10, 5)).toEqual([]))
})
