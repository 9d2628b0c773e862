import { describe, expect, it } from 'vitest'
import { paddedBbox } from './viewport'

describe('paddedBbox', () => {
  it('grows the box on every side', () => {
    expect(paddedBbox([11, 44, 12, 45], 0.5)).toEqual([10.5, 43.5, 12.5, 45.5])
  })
  it('stays inside the valid ranges', () => {
    expect(paddedBbox([-179, -89, 179, 89], 1)).toEqual([-180, -90, 180, 90])
  })
})
