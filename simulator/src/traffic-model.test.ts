import { describe, expect, it } from 'vitest'
import { TrafficValuesSchema } from '../../contracts/schemas/reading'
import { mulberry32 } from './prng'
import { bprSpeedKmh, EFFECTIVE_VEHICLE_LENGTH_M, expectedMinuteCount, FREE_SPEED_KMH, lanesFor, occupancyPct, trafficMinute } from './traffic-model'

describe('congestion curve and occupancy', () => {
  it('gives free speed at zero flow and slows down monotonically as flow grows', () => {
    expect(bprSpeedKmh(0, 1800)).toBe(FREE_SPEED_KMH)
    let last = Number.POSITIVE_INFINITY
    for (let q = 0; q <= 4000; q += 50) {
      const v = bprSpeedKmh(q, 1800)
      expect(v).toBeLessThanOrEqual(last)
      last = v
    }
    expect(bprSpeedKmh(1800, 1800)).toBeCloseTo(50 / 1.15, 6)
  })

  it('computes occupancy as flow × effective length / speed, rising with flow and falling with speed', () => {
    expect(occupancyPct(1000, 50)).toBeCloseTo(((1000 * EFFECTIVE_VEHICLE_LENGTH_M) / 50_000) * 100, 9)
    expect(occupancyPct(1200, 40)).toBeGreaterThan(occupancyPct(600, 40))
    expect(occupancyPct(1200, 20)).toBeGreaterThan(occupancyPct(1200, 40))
    expect(occupancyPct(0, 40)).toBe(0)
    expect(occupancyPct(50_000, 3)).toBe(100)
  })

  it('puts a loop counting 2,177 veh/h in its busiest hour on two lanes', () => {
    expect(lanesFor(0)).toBe(1)
    expect(lanesFor(1800)).toBe(1)
    expect(lanesFor(2177)).toBe(2)
  })
})

describe('spreading an hourly count over minutes', () => {
  it('keeps the hour total exactly', () => {
    for (const [prev, cur, next] of [
      [100, 1953, 1782],
      [1917, 1953, 400],
      [0, 12, 0],
      [500, 0, 500],
    ] as const) {
      let sum = 0
      for (let m = 0; m < 60; m++) sum += expectedMinuteCount(prev, cur, next, m)
      expect(sum).toBeCloseTo(cur, 9)
    }
  })

  it('moves smoothly from a quiet hour towards a busy one', () => {
    const rates = Array.from({ length: 60 }, (_, m) => expectedMinuteCount(200, 600, 1200, m))
    for (let m = 1; m < 60; m++) expect(rates[m] as number).toBeGreaterThan(rates[m - 1] as number)
  })
})

describe('one minute of a loop', () => {
  it('reports schema-valid values whose flow, speed and occupancy agree', () => {
    for (let i = 0; i < 2000; i++) {
      const rng = mulberry32(i)
      const expected = (i % 100) * 0.8
      const lanes = 1 + (i % 3)
      const v = trafficMinute(expected, lanes, rng)
      expect(TrafficValuesSchema.safeParse(v).success).toBe(true)
      expect(v.flowVehH % 60).toBe(0)
      expect(v.lane).toBeNull()
      const speed = v.speedKmh as number
      expect(speed).toBeGreaterThan(0)
      // Occupancy is rounded to 2 decimals.
      expect(Math.abs(v.occupancyPct - occupancyPct(v.flowVehH / lanes, speed))).toBeLessThanOrEqual(0.005 + 1e-9)
    }
  })

  it('is slower on average at high expected flow than at low', () => {
    const mean = (expected: number) => {
      let s = 0
      for (let i = 0; i < 500; i++) s += trafficMinute(expected, 1, mulberry32(i)).speedKmh as number
      return s / 500
    }
    expect(mean(35)).toBeLessThan(mean(5))
    expect(mean(5)).toBeLessThan(FREE_SPEED_KMH * 1.01)
  })
})
