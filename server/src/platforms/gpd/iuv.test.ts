/**
 * The aux-digit-3 IUV and NAV of SACI (schemas IUV.3 and NAV.3: check = ("3" + segregation code +
 * 13-digit base) mod 93). No published example with its check digits was found (the notice numbers in
 * pagoPA's own test fixtures, e.g. 302000100440009424, are placeholders whose check digits do not
 * follow the rule), so the golden rows were computed apart from this code (Python's arbitrary-precision
 * `int(…) % 93`), the first one also by hand: 10^15 ≡ 1 (mod 93), so 3·10^15 ≡ 3 → "03".
 */
import { describe, expect, it } from 'vitest'
import { feeIuv, iupdOf, iuvBase, iuvCheckDigits, isValidIuv, navOf } from './iuv'

const GOLDEN: Array<{ segregationCode: string; base: string; check: string; nav: string }> = [
  { segregationCode: '00', base: '0000000000000', check: '03', nav: '300000000000000003' },
  { segregationCode: '01', base: '0000000000001', check: '44', nav: '301000000000000144' },
  { segregationCode: '02', base: '2600000000042', check: '61', nav: '302260000000004261' },
  { segregationCode: '12', base: '0000000000093', check: '18', nav: '312000000000009318' },
  { segregationCode: '47', base: '9999999999999', check: '62', nav: '347999999999999962' },
  { segregationCode: '99', base: '1234567890123', check: '30', nav: '399123456789012330' },
]

describe('IUV and NAV with aux digit 3', () => {
  it.each(GOLDEN)('segregation $segregationCode, base $base → check $check, NAV $nav', ({ segregationCode, base, check, nav }) => {
    expect(iuvCheckDigits(segregationCode, base)).toBe(check)
    const iuv = `${segregationCode}${base}${check}`
    expect(isValidIuv(iuv)).toBe(true)
    expect(navOf(iuv)).toBe(nav)
    expect(nav).toHaveLength(18)
  })

  it('builds the base from a prefix and a sequence, the same every time, never the same for two sequences', () => {
    expect(iuvBase('26', 42)).toBe('2600000000042')
    expect(iuvBase('', 1)).toBe('0000000000001')
    expect(feeIuv({ segregationCode: '02', prefix: '26', sequence: 42 })).toBe('02260000000004261')
    expect(feeIuv({ segregationCode: '02', prefix: '26', sequence: 42n })).toBe(feeIuv({ segregationCode: '02', prefix: '26', sequence: 42 }))
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => feeIuv({ segregationCode: '02', prefix: '26', sequence: i })))
    expect(seen.size).toBe(2000)
    expect(iuvBase('26', 99_999_999_999)).toBe('2699999999999')
  })

  it('refuses what would not be an IUV: a bad segregation code, prefix or sequence', () => {
    expect(() => iuvCheckDigits('2', '0000000000001')).toThrow(/segregation code/)
    expect(() => iuvCheckDigits('1a', '0000000000001')).toThrow(/segregation code/)
    expect(() => feeIuv({ segregationCode: '100', prefix: '', sequence: 1 })).toThrow(/segregation code/)
    expect(() => iuvCheckDigits('01', '123')).toThrow(/13 digits/)
    expect(() => iuvBase('2a', 1)).toThrow(/prefix/)
    expect(() => iuvBase('1234567', 1)).toThrow(/prefix/)
    expect(() => iuvBase('26', 100_000_000_000)).toThrow(/does not fit in 11 digits/)
    expect(() => iuvBase('26', -1)).toThrow(/does not fit/)
    expect(() => iuvBase('26', 1.5)).toThrow(/whole number/)
  })

  it('tells a wrong check digit, length or character', () => {
    expect(isValidIuv('02260000000004262')).toBe(false)
    expect(isValidIuv('0226000000000426')).toBe(false)
    expect(isValidIuv('0226000000000426x')).toBe(false)
    expect(isValidIuv('02000100440009424')).toBe(false)
    expect(() => navOf('02260000000004262')).toThrow(/NAV/)
  })

  it('makes the IUPD from the creditor’s fiscal code and the IUV', () => {
    expect(iupdOf('01232710374', '02260000000004261')).toBe('01232710374-02260000000004261')
    expect(() => iupdOf('0123271037', '02260000000004261')).toThrow(/11 digits/)
    expect(() => iupdOf('01232710374', '02260000000004262')).toThrow(/IUV/)
  })
})
