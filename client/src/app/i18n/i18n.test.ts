import { describe, expect, it } from 'vitest'
import { RESOURCES } from './init-i18n'
import { createFormatters, splitAge } from './format'
import { pickLanguage } from './pick-language'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('resources', () => {
  it('Italian and English have the same keys', () => {
    expect(keys(RESOURCES.it).sort()).toEqual(keys(RESOURCES.en).sort())
  })
})

describe('pickLanguage', () => {
  it('uses Italian when the browser prefers it', () => expect(pickLanguage(null, null, ['it-IT', 'en-US'])).toBe('it'))
  it('uses English when the browser prefers English', () => expect(pickLanguage(null, null, ['en-GB', 'it'])).toBe('en'))
  it('falls back to English for other languages', () => expect(pickLanguage(null, null, ['de-DE'])).toBe('en'))
  it('skips languages it does not have', () => expect(pickLanguage(null, null, ['de-DE', 'it'])).toBe('it'))
  it('honours the stored choice, and the URL above it', () => {
    expect(pickLanguage(null, 'en', ['it-IT'])).toBe('en')
    expect(pickLanguage('it', 'en', ['en'])).toBe('it')
  })
})

describe('formatters', () => {
  it('splits ages into the largest whole unit', () => {
    expect(splitAge(59_999)).toEqual({ value: 59, unit: 'second' })
    expect(splitAge(3 * 60_000 + 5000)).toEqual({ value: 3, unit: 'minute' })
    expect(splitAge(30 * 3_600_000)).toEqual({ value: 30, unit: 'hour' })
  })
  it('formats numbers and ages in Italian', () => {
    const f = createFormatters('it')
    expect(f.number(1234.5, 1)).toBe('1234,5')
    expect(f.ago(180_000)).toBe('3 minuti fa')
  })
  it('formats ages in English', () => {
    expect(createFormatters('en').ago(180_000)).toBe('3 minutes ago')
  })
})
