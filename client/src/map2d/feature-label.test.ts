import { describe, expect, it } from 'vitest'
import { featureLabel, streetCase } from './feature-label'

describe('streetCase', () => {
  it('title-cases an all-caps street keeping particles lower-case', () => {
    expect(streetCase('VIA DEL PRATELLO')).toBe('Via del Pratello')
    expect(streetCase("VIA DELL'INDIPENDENZA")).toBe("Via dell'Indipendenza")
  })
  it('keeps names that are already mixed case', () => expect(streetCase('Via Irnerio')).toBe('Via Irnerio'))
})

describe('featureLabel', () => {
  it('reads the Comune street name', () => expect(featureLabel('street', { nomevia: 'VIA SABOTINO' })).toBe('Via Sabotino'))
  it('prefers an OSM name', () => expect(featureLabel('street', { name: 'Via Emilia Ponente', nomevia: 'X' })).toBe('Via Emilia Ponente'))
  it('reads the district name', () => expect(featureLabel('district', { quartiere: 'Borgo Panigale - Reno' })).toBe('Borgo Panigale - Reno'))
  it('returns null when nothing names the feature', () => expect(featureLabel('street', { codarco: 12 })).toBeNull())
})
