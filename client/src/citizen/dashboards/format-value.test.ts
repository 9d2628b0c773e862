import { describe, expect, it } from 'vitest'
import { formatNumber, formatValue, measureHeading } from './format-value'

const m = (format: 'integer' | 'decimal' | 'percent' | 'euro' | 'hours', unit: string | null = null) => ({ format, unit, label: { it: 'Misura', en: 'Measure' } })
const NBSP = '\u00a0'

describe('dashboard numbers', () => {
  it('writes whole numbers with the language’s grouping, four digits too', () => {
    expect(formatValue(1234, m('integer'), 'it')).toBe('1.234')
    expect(formatValue(1234, m('integer'), 'en')).toBe('1,234')
    expect(formatValue(12.6, m('integer'), 'it')).toBe('13')
  })
  it('writes decimals with one digit, two below one, and the unit after a no-break space', () => {
    expect(formatValue(41.26, m('decimal', 'µg/m³'), 'it')).toBe(`41,3${NBSP}µg/m³`)
    expect(formatValue(41.26, m('decimal', 'µg/m³'), 'en')).toBe(`41.3${NBSP}µg/m³`)
    expect(formatValue(0.054, m('decimal'), 'it')).toBe('0,05')
  })
  it('writes a 0–1 share as a percentage, without repeating a unit', () => {
    expect(formatValue(0.125, m('percent', '%'), 'it')).toBe('12,5%')
    expect(formatValue(0.125, m('percent'), 'en')).toBe('12.5%')
  })
  it('writes euro with cents only below a thousand and when there are some', () => {
    expect(formatValue(1234.5, m('euro'), 'it')).toBe(`1.235${NBSP}€`)
    expect(formatValue(1234.5, m('euro'), 'en')).toBe('€1,235')
    expect(formatValue(12.5, m('euro'), 'en')).toBe('€12.50')
    expect(formatValue(12, m('euro'), 'en')).toBe('€12')
  })
  it('writes hours with "h" when the measure names no unit', () => {
    expect(formatValue(3.5, m('hours'), 'it')).toBe(`3,5${NBSP}h`)
    expect(formatValue(48, m('hours', 'ore'), 'it')).toBe(`48${NBSP}ore`)
  })
  it('writes no data as the text given, never as zero', () => {
    expect(formatValue(null, m('integer'), 'it')).toBe('—')
    expect(formatValue(null, m('integer'), 'en', 'no data')).toBe('no data')
    expect(formatValue(Number.NaN, m('decimal'), 'en', 'no data')).toBe('no data')
  })
  it('writes axis ticks without the unit, and headings with it', () => {
    expect(formatNumber(0.5, 'percent', 'it')).toBe('50%')
    expect(formatNumber(2000, 'integer', 'it')).toBe('2.000')
    expect(measureHeading(m('decimal', 'km/h'), 'en')).toBe('Measure (km/h)')
    expect(measureHeading(m('percent'), 'it')).toBe('Misura (%)')
    expect(measureHeading(m('integer'), 'it')).toBe('Misura')
  })
})
