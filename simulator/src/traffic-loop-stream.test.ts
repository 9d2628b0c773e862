import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { TrafficValuesSchema, type TrafficValues } from '../../contracts/schemas/reading'
import { LOOP_COUNTS_FILE, readLoopCounts } from './loop-counts'
import { DAY_MS, dayNumber, HOUR_MS, MINUTE_MS, romeOffsetMs, trafficSourceDay } from './source-calendar'
import { registryLoops, TEST_CITY_DATA_DIR, trafficLoop } from './testing/sim-device-factory'
import { assignTrafficSources, trafficLoopStream } from './traffic-loop-stream'
import { occupancyPct } from './traffic-model'

const hasData = existsSync(path.join(TEST_CITY_DATA_DIR, LOOP_COUNTS_FILE))
const SEED = 42
/** Loop 95 (VIALE M. K. GANDHI, code 0.127 2.18 8 1) and its geopoint in the counts file. */
const LOOP_95: [number, number] = [11.3086826273458, 44.4990522268361]

/** A 2026 day whose traffic is replayed from `source`. */
function simDayReplaying(source: number): number {
  for (let d = dayNumber(2026, 1, 1); d < dayNumber(2027, 1, 1); d++) if (trafficSourceDay(d) === source) return d
  throw new Error('no simulated day maps to that source day')
}

/** UTC instant of local (Bologna) hour `hour` on civil day `day`. */
function localHourStart(day: number, hour: number): number {
  const guess = day * DAY_MS + hour * HOUR_MS
  return guess - romeOffsetMs(guess - HOUR_MS)
}

/** The 60 one-minute readings covering local hour `hour` (observed at its minute ends). */
function hourOfReadings(valuesAt: (t: number) => Record<string, unknown> | null, day: number, hour: number): TrafficValues[] {
  const start = localHourStart(day, hour)
  return Array.from({ length: 60 }, (_, k) => valuesAt(start + (k + 1) * MINUTE_MS) as TrafficValues)
}

describe.skipIf(!hasData)('traffic loops replaying the real counts', () => {
  const counts = hasData ? readLoopCounts(TEST_CITY_DATA_DIR) : null

  it('adds up the 60 minutes of an hour to the real hourly count (loop 95, Thu 1 Feb 2024)', () => {
    const device = trafficLoop('95', LOOP_95)
    const a = assignTrafficSources([device], counts, SEED).get(device.id)
    if (!a) throw new Error('not assigned')
    expect(a.info.mode).toBe('own')
    const stream = trafficLoopStream(device, a, SEED)
    const day = simDayReplaying(dayNumber(2024, 2, 1))
    const real = [227, 100, 42, 45, 74, 228, 640, 1917, 1953, 1782, 1450, 1384]
    for (const [hour, count] of real.entries()) {
      const readings = hourOfReadings((t) => stream.valuesAt(t), day, hour)
      const vehicles = readings.reduce((s, r) => s + r.flowVehH / 60, 0)
      // Poisson noise: the sum has standard deviation √count.
      expect(Math.abs(vehicles - count)).toBeLessThanOrEqual(4 * Math.sqrt(count) + 2)
    }
  })

  it('produces schema-valid, mutually consistent flow, speed and occupancy through a day', () => {
    const device = trafficLoop('95', LOOP_95)
    const a = assignTrafficSources([device], counts, SEED).get(device.id)
    if (!a) throw new Error('not assigned')
    const stream = trafficLoopStream(device, a, SEED)
    const day = simDayReplaying(dayNumber(2024, 2, 1))
    const meanSpeed = (hour: number) => hourOfReadings((t) => stream.valuesAt(t), day, hour).reduce((s, r) => s + (r.speedKmh as number), 0) / 60
    for (let hour = 0; hour < 24; hour++) {
      for (const r of hourOfReadings((t) => stream.valuesAt(t), day, hour)) {
        expect(TrafficValuesSchema.safeParse(r).success).toBe(true)
        expect(Math.abs(r.occupancyPct - occupancyPct(r.flowVehH / a.info.lanes, r.speedKmh as number))).toBeLessThanOrEqual(0.0051)
      }
    }
    // 08:00 carries ~1,950 veh/h on two lanes, 03:00 about 45: the morning peak is slower.
    expect(meanSpeed(8)).toBeLessThan(meanSpeed(3))
  })

  it('regenerates exactly the same reading for the same time and seed', () => {
    const device = trafficLoop('95', LOOP_95)
    const make = (seed: number) => {
      const a = assignTrafficSources([device], counts, seed).get(device.id)
      if (!a) throw new Error('not assigned')
      return trafficLoopStream(device, a, seed)
    }
    const t = Date.UTC(2026, 10, 26, 8, 31)
    expect(make(SEED).valuesAt(t)).toEqual(make(SEED).valuesAt(t))
    const series = (seed: number) => Array.from({ length: 30 }, (_, k) => make(seed).valuesAt(t + k * MINUTE_MS))
    expect(series(SEED)).not.toEqual(series(SEED + 1))
  })

  it('lets a loop without counts borrow the nearest counted loop, scaled by a fixed 0.6–1.4 factor', () => {
    // South-west of loop 95, away from loop 171 (14 m north-east of it, other direction).
    const near95: [number, number] = [LOOP_95[0] - 0.0002, LOOP_95[1] - 0.0001]
    const device = trafficLoop('900001', near95)
    const a = assignTrafficSources([device], counts, SEED).get(device.id)
    if (!a) throw new Error('not assigned')
    expect(a.info).toMatchObject({ mode: 'borrowed', idUni: '900001', fromIdUni: '95' })
    expect(a.info.distanceM).toBeLessThan(30)
    expect(a.info.scale).toBeGreaterThanOrEqual(0.6)
    expect(a.info.scale).toBeLessThanOrEqual(1.4)
    expect(assignTrafficSources([device], counts, SEED).get(device.id)?.info.scale).toBe(a.info.scale)
    const stream = trafficLoopStream(device, a, SEED)
    const day = simDayReplaying(dayNumber(2024, 2, 1))
    const vehicles = hourOfReadings((t) => stream.valuesAt(t), day, 8).reduce((s, r) => s + r.flowVehH / 60, 0)
    const expected = 1953 * a.info.scale
    expect(Math.abs(vehicles - expected)).toBeLessThanOrEqual(4 * Math.sqrt(expected) + 2)
  })

  it('replays own counts for 85 of the 864 registry loops and borrows for the other 779', () => {
    const assignments = assignTrafficSources(registryLoops(), counts, SEED)
    const modes = [...assignments.values()].map((a) => a.info.mode)
    expect(modes.length).toBe(864)
    expect(modes.filter((m) => m === 'own').length).toBe(85)
    expect(modes.filter((m) => m === 'borrowed').length).toBe(779)
  })
})

describe('traffic loops without the city data', () => {
  it('run on the measured average profile and say so', () => {
    const device = trafficLoop('450', [11.346, 44.508])
    const a = assignTrafficSources([device], null, SEED).get(device.id)
    expect(a?.info.mode).toBe('synthetic')
    if (!a) return
    const v = trafficLoopStream(device, a, SEED).valuesAt(Date.UTC(2026, 10, 26, 7, 30))
    expect(TrafficValuesSchema.safeParse(v).success).toBe(true)
  })
})
