import { describe, expect, it } from 'vitest'
import { PastDaysCache, romeDate, romeDayStart, romeYearStart } from './environment-dashboard'
import type { AirQualityYear } from '../../db/dashboards'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()

describe('the Europe/Rome calendar', () => {
  it('starts each day at local midnight, in winter and in summer', () => {
    expect(iso(romeDayStart(at('2026-01-15T12:00:00Z')))).toBe('2026-01-14T23:00:00.000Z')
    expect(iso(romeDayStart(at('2026-07-15T12:00:00Z')))).toBe('2026-07-14T22:00:00.000Z')
    // 23:30 UTC is already tomorrow in Rome.
    expect(romeDate(at('2026-01-15T23:30:00Z'))).toBe('2026-01-16')
    expect(iso(romeDayStart(at('2026-01-15T23:30:00Z')))).toBe('2026-01-15T23:00:00.000Z')
  })

  it('gives the DST days their 23 and 25 hours', () => {
    const spring = romeDayStart(at('2025-03-30T12:00:00Z'))
    const autumn = romeDayStart(at('2025-10-26T12:00:00Z'))
    expect(iso(spring)).toBe('2025-03-29T23:00:00.000Z')
    expect(romeDayStart(spring + 26 * 3_600_000) - spring).toBe(23 * 3_600_000)
    expect(iso(autumn)).toBe('2025-10-25T22:00:00.000Z')
    expect(romeDayStart(autumn + 26 * 3_600_000) - autumn).toBe(25 * 3_600_000)
  })

  it('starts the year at midnight of 1 January in Rome', () => {
    expect(iso(romeYearStart(at('2025-06-01T00:00:00Z')))).toBe('2024-12-31T23:00:00.000Z')
    expect(iso(romeYearStart(at('2024-12-31T23:30:00Z')))).toBe('2024-12-31T23:00:00.000Z')
    expect(iso(romeYearStart(at('2024-12-31T22:30:00Z')))).toBe('2023-12-31T23:00:00.000Z')
  })
})

describe('PastDaysCache', () => {
  const empty = (): AirQualityYear => ({ sums: new Map(), exceedances: new Map() })

  it('reads once per key for the time it is kept, then again', async () => {
    const cache = new PastDaysCache(1000)
    let reads = 0
    const load = async () => {
      reads++
      return empty()
    }
    await Promise.all([cache.get('a', 0, load), cache.get('a', 10, load)])
    await cache.get('a', 999, load)
    expect(reads).toBe(1)
    await cache.get('a', 1000, load)
    expect(reads).toBe(2)
    await cache.get('b', 1001, load)
    expect(reads).toBe(3)
  })

  it('does not keep a failed read', async () => {
    const cache = new PastDaysCache(1000)
    await expect(cache.get('a', 0, () => Promise.reject(new Error('database down')))).rejects.toThrow('database down')
    expect(await cache.get('a', 1, async () => empty())).toEqual(empty())
  })
})
