import { describe, expect, it } from 'vitest'
import { DEFAULT_RETENTION_POLICY, resolveRetentionPolicy, retentionCutoffs } from './retention-job'

describe('resolveRetentionPolicy', () => {
  it('fills in 30 / 90 / 3650 days', () => {
    expect(resolveRetentionPolicy()).toEqual({ rawDays: 30, oneMinuteDays: 90, oneHourDays: 3650 })
    expect(resolveRetentionPolicy({ rawDays: 14 })).toEqual({ ...DEFAULT_RETENTION_POLICY, rawDays: 14 })
  })

  it('refuses raw retention under 8 days, saying why', () => {
    expect(() => resolveRetentionPolicy({ rawDays: 7 })).toThrow(/HISTORY_RAW_DAYS \(rawDays\) must be at least 8 days, got 7/)
    expect(resolveRetentionPolicy({ rawDays: 8 }).rawDays).toBe(8)
  })

  it('refuses fractions, zero, and rollups kept shorter than what they summarise', () => {
    expect(() => resolveRetentionPolicy({ oneHourDays: 1.5 })).toThrow(/HISTORY_1H_DAYS/)
    expect(() => resolveRetentionPolicy({ oneMinuteDays: 0 })).toThrow(/HISTORY_1M_DAYS/)
    expect(() => resolveRetentionPolicy({ rawDays: 60, oneMinuteDays: 45 })).toThrow(/HISTORY_1M_DAYS \(45\) must be at least HISTORY_RAW_DAYS \(60\)/)
    expect(() => resolveRetentionPolicy({ oneMinuteDays: 400, oneHourDays: 365 })).toThrow(/HISTORY_1H_DAYS/)
  })
})

describe('retentionCutoffs', () => {
  it('counts whole UTC days back from the start of today', () => {
    const now = Date.UTC(2026, 10, 26, 17, 30)
    expect(retentionCutoffs({ rawDays: 30, oneMinuteDays: 90, oneHourDays: 3650 }, now)).toEqual({
      raw: Date.UTC(2026, 9, 27),
      '1m': Date.UTC(2026, 7, 28),
      '1h': Date.UTC(2016, 10, 28),
    })
  })
})
