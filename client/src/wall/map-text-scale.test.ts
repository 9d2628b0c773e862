import { describe, expect, it } from 'vitest'
import { scaledSize } from './map-text-scale'

describe('map label scaling for the wall', () => {
  it('multiplies a constant, and the default when unset', () => {
    expect(scaledSize(12, 2, 16)).toBe(24)
    expect(scaledSize(undefined, 1.5, 16)).toBe(24)
  })
  it('multiplies only the outputs of a zoom curve', () => {
    expect(scaledSize(['interpolate', ['linear'], ['zoom'], 10, 11, 14, 15], 2, 16)).toEqual(['interpolate', ['linear'], ['zoom'], 10, 22, 14, 30])
    expect(scaledSize(['step', ['zoom'], 10, 14, 13], 2, 16)).toEqual(['step', ['zoom'], 20, 14, 26])
  })
  it('wraps outputs that are expressions themselves', () => {
    expect(scaledSize(['interpolate', ['linear'], ['zoom'], 10, ['get', 's'], 14, 15], 2, 16)).toEqual(['interpolate', ['linear'], ['zoom'], 10, ['*', ['get', 's'], 2], 14, 30])
  })
  it('multiplies a legacy stops function and any other expression', () => {
    expect(scaledSize({ base: 1.2, stops: [[12, 10], [16, 14]] }, 2, 16)).toEqual({ base: 1.2, stops: [[12, 20], [16, 28]] })
    expect(scaledSize(['get', 'size'], 2, 16)).toEqual(['*', ['get', 'size'], 2])
  })
})
