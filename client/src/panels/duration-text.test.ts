import { describe, expect, it } from 'vitest'
import { durationParts, durationText } from './duration-text'

describe('durationParts', () => {
  it('keeps the two largest units', () => {
    expect(durationParts(3_600_000 + 5 * 60_000 + 7000)).toEqual([
      { value: 1, unit: 'hour' },
      { value: 5, unit: 'minute' },
    ])
  })
  it('drops a zero second unit', () => expect(durationParts(2 * 3_600_000 + 20_000)).toEqual([{ value: 2, unit: 'hour' }]))
  it('says 0 s under a second and for negative input', () => {
    expect(durationParts(400)).toEqual([{ value: 0, unit: 'second' }])
    expect(durationParts(-5000)).toEqual([{ value: 0, unit: 'second' }])
  })
  it('counts days', () => expect(durationParts(3 * 86_400_000 + 4 * 3_600_000)).toEqual([{ value: 3, unit: 'day' }, { value: 4, unit: 'hour' }]))
})

describe('durationText', () => {
  it('writes English and Italian short units', () => {
    expect(durationText(150_000, 'en')).toBe('2 min 30 sec')
    expect(durationText(150_000, 'it')).toBe('2 min 30 s')
  })
})
