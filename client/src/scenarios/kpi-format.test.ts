import { describe, expect, it } from 'vitest'
import { createFormatters } from '../app/i18n/format'
import { kpis } from './testing/scenario-fixtures'
import { KPI_KEYS, kpiChange, kpiChanges, signed, signedPercent } from './kpi-format'

describe('KPI changes', () => {
  it('call more delay worse, and a lower mean speed worse', () => {
    expect(kpiChange('delayVehHours', 800, 950)).toMatchObject({ delta: 150, direction: 'up', tone: 'worse' })
    expect(kpiChange('meanSpeedKmh', 25, 24)).toMatchObject({ direction: 'down', tone: 'worse' })
    expect(kpiChange('meanSpeedKmh', 25, 27)).toMatchObject({ direction: 'up', tone: 'better' })
    expect(kpiChange('co2Kg', 20_000, 18_000)).toMatchObject({ direction: 'down', tone: 'better' })
  })

  it('give the change in % of the base, and none when the base is 0', () => {
    expect(kpiChange('vehHours', 4000, 4200).percent).toBeCloseTo(5)
    const unserved = kpiChange('unservedVehH', 0, 120)
    expect(unserved.percent).toBeNull()
    expect(unserved.tone).toBe('worse')
  })

  it('call a change under half a percent no change (grey), whatever its sign', () => {
    expect(kpiChange('vehKm', 100_000, 100_300)).toMatchObject({ direction: 'up', tone: 'same' })
    expect(kpiChange('linksOverCapacity', 12, 12)).toMatchObject({ direction: 'none', tone: 'same' })
    expect(kpiChange('pm25Kg', 2, 2.001)).toMatchObject({ direction: 'none', tone: 'same' })
  })

  it('cover every KPI of the contract, in the cards order', () => {
    const changes = kpiChanges(kpis(), kpis({ vehKm: 0 }))
    expect(changes.map((c) => c.key)).toEqual([...KPI_KEYS])
    expect(Object.keys(kpis()).sort()).toEqual([...KPI_KEYS].sort())
  })
})

describe('signed numbers', () => {
  const en = createFormatters('en')
  const it_ = createFormatters('it')

  it('carry a plus or a typographic minus, none on zero', () => {
    expect(signed(en, 1234.4, 0)).toBe('+1,234')
    expect(signed(en, -56, 0)).toBe('\u221256')
    expect(signed(en, 0.04, 1)).toBe('0.0')
    expect(signed(it_, -12345.5, 1)).toBe('\u221212.345,5')
  })

  it('write % with a space and — when there is no base', () => {
    expect(signedPercent(en, 5.24)).toBe('+5.2 %')
    expect(signedPercent(en, -12.4)).toBe('\u221212 %')
    expect(signedPercent(en, null)).toBe('—')
  })
})
