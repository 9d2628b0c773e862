import { describe, expect, it } from 'vitest'
import { centsToEuroInput, formatEuro, parseEuroToCents, sharePct } from './pmo-money'

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

describe('formatEuro', () => {
  it('writes whole euros without decimals, in Italian', () => expect(plain(formatEuro(1_250_000_00, 'it'))).toBe('1.250.000 €'))
  it('writes cents when there are some, in English', () => expect(formatEuro(1_234_56, 'en')).toBe('€1,234.56'))
})

describe('parseEuroToCents', () => {
  it('reads Italian grouping and decimals', () => expect(parseEuroToCents('1.250.000,50 €', 'it')).toBe(1_250_000_50))
  it('reads English grouping and decimals', () => expect(parseEuroToCents('€1,250,000.5', 'en')).toBe(1_250_000_50))
  it('takes a lone point with two decimals as a decimal point in Italian', () => expect(parseEuroToCents('1234.56', 'it')).toBe(1_234_56))
  it('takes a point with three digits as grouping in Italian', () => expect(parseEuroToCents('1.234', 'it')).toBe(1_234_00))
  it('refuses what is not an amount', () => {
    expect(parseEuroToCents('', 'it')).toBeNull()
    expect(parseEuroToCents('-5', 'en')).toBeNull()
    expect(parseEuroToCents('12,345', 'it')).toBeNull()
    expect(parseEuroToCents('abc', 'en')).toBeNull()
  })
  it('round-trips the input text', () => {
    for (const cents of [0, 5, 1_00, 1_234_56, 600_000_00]) for (const lang of ['it', 'en']) expect(parseEuroToCents(centsToEuroInput(cents, lang), lang)).toBe(cents)
  })
})

describe('sharePct', () => {
  it('is the share to one decimal', () => expect(sharePct(1, 3)).toBe(33.3))
  it('is 0 of nothing', () => expect(sharePct(5, 0)).toBe(0))
})
