import { describe, expect, it } from 'vitest'
import { BOLOGNA_ENVELOPE, checkLonLat, parseDecimal, slugify, tidyNumberText, titleCase } from './row-checks'

describe('parseDecimal', () => {
  it('reads plain decimals only', () => {
    expect(parseDecimal('11.3462080467851')).toBe(11.3462080467851)
    expect(parseDecimal(' -3 ')).toBe(-3)
    expect(parseDecimal('113.282.993.665.462')).toBeNaN()
    expect(parseDecimal('11,34')).toBeNaN()
    expect(parseDecimal('')).toBeNaN()
  })
})

describe('checkLonLat', () => {
  it('accepts a position in Bologna and refuses one outside the envelope', () => {
    expect(checkLonLat('11.34', '44.49', BOLOGNA_ENVELOPE)).toEqual({ position: [11.34, 44.49] })
    expect(checkLonLat('44.49', '11.34', BOLOGNA_ENVELOPE)).toEqual({ problem: expect.stringContaining('outside the city envelope') })
    expect(checkLonLat('x', '44.49', BOLOGNA_ENVELOPE)).toEqual({ problem: expect.stringContaining('not numbers') })
  })
})

describe('slugify and names', () => {
  it('makes id slugs', () => {
    expect(slugify('Laura_Bassi')).toBe('laura-bassi')
    expect(slugify('DE AMICIS')).toBe('de-amicis')
    expect(slugify('San Donato')).toBe('san-donato')
    expect(slugify('  Città  d’Arte ')).toBe('citta-d-arte')
  })

  it('title-cases station names and tidies house numbers', () => {
    expect(titleCase('GIARDINI MARGHERITA')).toBe('Giardini Margherita')
    expect(tidyNumberText('93.0')).toBe('93')
    expect(tidyNumberText('12/A')).toBe('12/A')
  })
})
