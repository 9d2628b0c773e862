import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { bikeShare, profileAt, ROAD_TRAFFIC_PROFILE } from './daily-profiles'
import { LOOP_COUNTS_FILE, readLoopCounts } from './loop-counts'
import { sourceDayType, type DayType } from './source-calendar'
import { TEST_CITY_DATA_DIR } from './testing/sim-device-factory'

describe('daily profiles', () => {
  it('has road-traffic shares that sum to 1 per day type', () => {
    for (const p of Object.values(ROAD_TRAFFIC_PROFILE)) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3)
  })

  it('interpolates between hour centres and wraps at midnight', () => {
    const p = ROAD_TRAFFIC_PROFILE.weekday
    expect(profileAt(p, 8.5)).toBeCloseTo(p[8] as number, 12)
    expect(profileAt(p, 9)).toBeCloseTo(((p[8] as number) + (p[9] as number)) / 2, 12)
    expect(profileAt(p, 0)).toBeCloseTo(((p[23] as number) + (p[0] as number)) / 2, 12)
  })

  it('gives the synthetic bicycle profile a total of about one day', () => {
    let sum = 0
    for (let h = 0; h < 24; h += 0.25) sum += bikeShare('weekday', h) * 0.25
    expect(sum).toBeGreaterThan(0.95)
    expect(sum).toBeLessThan(1.05)
  })

  it.skipIf(!existsSync(path.join(TEST_CITY_DATA_DIR, LOOP_COUNTS_FILE)))('matches the road profile recomputed from the real counts', () => {
    const counts = readLoopCounts(TEST_CITY_DATA_DIR)
    const acc: Record<DayType, { sum: number[]; n: number }> = {
      weekday: { sum: Array(24).fill(0), n: 0 },
      saturday: { sum: Array(24).fill(0), n: 0 },
      sunday: { sum: Array(24).fill(0), n: 0 },
    }
    // Per loop and day, over the rows the counts reader keeps.
    for (const s of counts.byIdUni.values()) {
      for (const [day, row] of s.days) {
        const total = row.reduce((a, b) => a + b, 0)
        if (total < 200) continue
        const a = acc[sourceDayType(day)]
        row.forEach((v, h) => (a.sum[h] = (a.sum[h] ?? 0) + v / total))
        a.n++
      }
    }
    for (const type of ['weekday', 'saturday', 'sunday'] as const) {
      const a = acc[type]
      a.sum.forEach((v, h) => expect(v / a.n).toBeCloseTo(ROAD_TRAFFIC_PROFILE[type][h] as number, 3))
    }
  })
})
