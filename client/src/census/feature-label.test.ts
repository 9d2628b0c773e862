import { describe, expect, it } from 'vitest'
import { featureLabel, matchesSearch } from './feature-label'

describe('feature names and search', () => {
  it('names a feature by its name, source id, street, else its id', () => {
    expect(featureLabel({ id: 7, properties: { name: ' Palo Irnerio ' } })).toBe('Palo Irnerio')
    expect(featureLabel({ id: 7, properties: { name: '', externalId: 'PL-0012' } })).toBe('PL-0012')
    expect(featureLabel({ id: 7, properties: { streetName: 'Via Irnerio' } })).toBe('Via Irnerio')
    expect(featureLabel({ id: 7, properties: {} })).toBe('#7')
  })

  it('finds by every word, ignoring case and accents', () => {
    const f = { id: 412, properties: { name: 'Varco Sant’Isaia', streetName: 'Via Sant’Isaia', owner: 'Comune di Bologna' } }
    expect(matchesSearch(f, 'isaia varco')).toBe(true)
    expect(matchesSearch(f, '412')).toBe(true)
    expect(matchesSearch(f, 'comune bologna')).toBe(true)
    expect(matchesSearch({ id: 1, properties: { name: 'Città' } }, 'citta')).toBe(true)
    expect(matchesSearch(f, 'irnerio')).toBe(false)
    expect(matchesSearch(f, '  ')).toBe(true)
  })
})
