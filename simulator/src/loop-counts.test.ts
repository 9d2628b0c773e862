import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { countsForSourceDay, LOOP_COUNTS_FILE, loopKey, parseDate, parseGeopoint, readLoopCounts } from './loop-counts'
import { dayNumber, weekdayOf } from './source-calendar'
import { TEST_CITY_DATA_DIR } from './testing/sim-device-factory'

const hasData = existsSync(path.join(TEST_CITY_DATA_DIR, LOOP_COUNTS_FILE))

describe('date and geopoint parsing', () => {
  it('reads dd/mm/yyyy and "lat, lon"', () => {
    expect(parseDate('01/02/2024')).toBe(dayNumber(2024, 2, 1))
    expect(parseDate('2024-02-01')).toBeNull()
    expect(parseGeopoint('44.4990522268361, 11.3086826273458')).toEqual([11.3086826273458, 44.4990522268361])
    expect(parseGeopoint('113.086.826.273.458')).toBeNull()
  })
})

describe.skipIf(!hasData)('the real loop counts (spire_conteggi_2024-01_04)', () => {
  const counts = hasData ? readLoopCounts(TEST_CITY_DATA_DIR) : null

  it('holds 84 loops (id_uni) under 85 codes', () => {
    expect(counts?.byIdUni.size).toBe(84)
    expect(counts?.byIdUniAndCode.size).toBe(85)
  })

  it('reads the row of loop 95 (VIALE GANDHI) on Thursday 1 February 2024 as published', () => {
    const row = counts?.byIdUni.get('95')?.days.get(dayNumber(2024, 2, 1))
    expect(Array.from(row ?? []).slice(0, 9)).toEqual([227, 100, 42, 45, 74, 228, 640, 1917, 1953])
    expect(counts?.byIdUni.get('95')?.position).toEqual([11.3086826273458, 44.4990522268361])
  })

  it('averages the two code series of id_uni 296 and keeps each one under its code', () => {
    const day = dayNumber(2024, 2, 1)
    const a = counts?.byIdUniAndCode.get(loopKey('296', '2.30 2.30 6 1'))?.days.get(day)?.[0]
    const b = counts?.byIdUniAndCode.get(loopKey('296', '0.127 2.30 6 1'))?.days.get(day)?.[0]
    expect([a, b]).toEqual([125, 133])
    expect(counts?.byIdUni.get('296')?.days.get(day)?.[0]).toBe(129)
  })

  it('falls back to the nearest day with the same weekday when a loop has no row for the day', () => {
    const series = counts?.byIdUni.get('95')
    if (!series) throw new Error('loop 95 missing')
    const missing = [...Array(121).keys()].map((i) => dayNumber(2024, 1, 1) + i).find((d) => !series.days.has(d) && weekdayOf(d) < 5)
    if (missing === undefined) throw new Error('no missing weekday')
    const row = countsForSourceDay(series, missing)
    const used = [...series.days].find(([, r]) => r === row)?.[0]
    expect(used).toBeDefined()
    expect(weekdayOf(used as number)).toBe(weekdayOf(missing))
  })
})
