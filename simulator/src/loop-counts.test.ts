import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { countsForSourceDay, LOOP_COUNTS_FILE, readLoopCounts } from './loop-counts'
import { dayNumber, weekdayOf } from './source-calendar'
import { TEST_CITY_DATA_DIR } from './testing/sim-device-factory'

const hasData = existsSync(path.join(TEST_CITY_DATA_DIR, LOOP_COUNTS_FILE))

describe.skipIf(!hasData)('the real loop counts (spire_conteggi_2024-01_04)', () => {
  const counts = hasData ? readLoopCounts(TEST_CITY_DATA_DIR) : null

  it('holds the 84 loops (id_uni) of the 3,323 rows', () => {
    expect(counts?.byIdUni.size).toBe(84)
    expect(counts?.rows).toBe(3323)
  })

  it('reads the row of loop 95 (VIALE GANDHI) on Thursday 1 February 2024 as published', () => {
    const row = counts?.byIdUni.get('95')?.days.get(dayNumber(2024, 2, 1))
    expect(Array.from(row ?? []).slice(0, 9)).toEqual([227, 100, 42, 45, 74, 228, 640, 1917, 1953])
    expect(counts?.byIdUni.get('95')?.position).toEqual([11.3086826273458, 44.4990522268361])
  })

  it('replays the registry’s code of id_uni 296 (2.30 2.30 6 1), not its other code nor an average', () => {
    const loop = counts?.byIdUni.get('296')
    expect(loop?.codes).toEqual(['2.30 2.30 6 1'])
    expect(loop?.days.get(dayNumber(2024, 2, 1))?.[0]).toBe(125)
    expect(loop?.sortedDays).toHaveLength(60)
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
