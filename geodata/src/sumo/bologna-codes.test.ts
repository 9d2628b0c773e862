import { describe, expect, it } from 'vitest'
import { decodeLoopCode, intersectionCode } from './bologna-codes'

describe('Bologna codes in SUMO ids', () => {
  it('decodes the loop code and lane from a detector id', () => {
    expect(decodeLoopCode('0.127_2.73_6_1__l0')).toEqual({ loopCode: '0.127 2.73 6 1', lane: 0 })
    expect(decodeLoopCode('2.19_2.18_4_1__l2')).toEqual({ loopCode: '2.19 2.18 4 1', lane: 2 })
  })
  it('finds no code in ids of another shape', () => {
    for (const id of ['San_Felice.1__l0', 'north_loop', '2.19_2.18_4_1', '2.19_2.18_4__l0']) expect(decodeLoopCode(id)).toBeNull()
  })
  it('writes intersection codes the way the loop registry does (zone.number, unpadded)', () => {
    expect(intersectionCode('209')).toBe('2.9')
    expect(intersectionCode('210')).toBe('2.10')
    expect(intersectionCode('273')).toBe('2.73')
    for (const id of ['J1', '2090', '0', '200', '09']) expect(intersectionCode(id)).toBeNull()
  })
})
