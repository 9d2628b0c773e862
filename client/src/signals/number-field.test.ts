import { describe, expect, it } from 'vitest'
import { parseDecimal } from './number-field'

describe('parseDecimal', () => {
  it('reads Italian and English decimals', () => {
    expect(parseDecimal('12')).toBe(12)
    expect(parseDecimal('12,5')).toBe(12.5)
    expect(parseDecimal(' 3.')).toBe(3)
    expect(parseDecimal('.5')).toBe(0.5)
  })
  it('refuses what is not a number', () => {
    expect(parseDecimal('')).toBeNull()
    expect(parseDecimal('3 s')).toBeNull()
    expect(parseDecimal('1e3')).toBeNull()
  })
})
