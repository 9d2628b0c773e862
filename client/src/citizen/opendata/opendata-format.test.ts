import { describe, expect, it } from 'vitest'
import { bboxDegrees, formatBytes, licenceShortName, portalLanguage, shortHash } from './opendata-format'

describe('writing the metadata for people', () => {
  it('writes file sizes in B, kB and MB, in the visitor’s language', () => {
    expect(formatBytes(512, 'en')).toBe('512 B')
    expect(formatBytes(12_345, 'en')).toBe('12.3 kB')
    expect(formatBytes(12_345, 'it')).toBe('12,3 kB')
    expect(formatBytes(5_200_000, 'it')).toBe('5,2 MB')
  })

  it('shortens a SHA-256 to 12 digits', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`)
  })

  it('writes a bounding box in degrees with 4 decimals', () => {
    expect(bboxDegrees([11.2291, 44.42136, 11.4338, 44.5561], 'en')).toEqual({ w: '11.2291', s: '44.4214', e: '11.4338', n: '44.5561' })
  })

  it('names a licence as people know it, the full name when it has no short one', () => {
    expect(licenceShortName('CC-BY-4.0')).toBe('CC BY 4.0')
    expect(licenceShortName('ODbL-1.0')).toBe('ODbL')
    expect(licenceShortName('IODL-2.0')).toBe('Italian Open Data License v2.0')
  })

  it('shows English only to a visitor who chose it', () => {
    expect(portalLanguage('en-GB')).toBe('en')
    expect(portalLanguage('it')).toBe('it')
    expect(portalLanguage(undefined)).toBe('it')
  })
})
