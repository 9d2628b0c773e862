/**
 * A scenario's base read from the loop history (PGlite, or PostgreSQL under test:services): an
 * observed base is that Rome hour of that day, a typical weekday base the mean of the weekdays of the
 * period at that hour; loops without a link or without counts are left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { trafficReading } from '../../../tests/helpers/factories'
import { writeBatch, type ValidReading } from '../db/readings'
import { baseCounts, demandQueryOf } from './base-counts'
import type { LoopLink } from './loop-links'

let t: TestDb
const HOUR = 3_600_000
/** 8:00 in Rome on a March 2026 date (CET, UTC+1) is 7:00 UTC; a reading at 7:30 UTC counts that hour. */
const at8 = (date: string) => Date.parse(`${date}T07:30:00Z`)
const LINKS: LoopLink[] = [
  { deviceId: 'loop-a', roadEdgeId: 'e-a', distanceM: 2, bearingDiffDeg: 5, reason: null },
  { deviceId: 'loop-b', roadEdgeId: 'e-b', distanceM: 3, bearingDiffDeg: 8, reason: null },
  { deviceId: 'loop-c', roadEdgeId: null, distanceM: null, bearingDiffDeg: null, reason: 'no road within 30 m' },
]

beforeAll(async () => {
  t = await createTestDb()
  await t.db.query(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source) VALUES
    ('loop-a', 'traffic-loop', 'A', ST_SetSRID(ST_MakePoint(11.34, 44.49), 4326), 3600, 'generated'),
    ('loop-b', 'traffic-loop', 'B', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), 3600, 'generated'),
    ('loop-c', 'traffic-loop', 'C', ST_SetSRID(ST_MakePoint(11.36, 44.49), 4326), 3600, 'generated')`)
  // Weekdays 9–13 March 2026: loop-a counts 400 + 10 × day of month at 8:00; loop-b only on the 10th; loop-c always.
  const readings: ValidReading[] = []
  for (const day of [9, 10, 11, 12, 13]) {
    const date = `2026-03-${String(day).padStart(2, '0')}`
    readings.push(trafficReading({ deviceId: 'loop-a', observedAtMs: at8(date), receivedAtMs: at8(date) + 1000, values: { flowVehH: 400 + 10 * day, intervalS: 3600 } }))
    readings.push(trafficReading({ deviceId: 'loop-c', observedAtMs: at8(date), receivedAtMs: at8(date) + 1000, values: { flowVehH: 999, intervalS: 3600 } }))
    // The hour after, to be ignored.
    readings.push(trafficReading({ deviceId: 'loop-a', observedAtMs: at8(date) + HOUR, receivedAtMs: at8(date) + HOUR + 1000, values: { flowVehH: 5000, intervalS: 3600 } }))
  }
  readings.push(trafficReading({ deviceId: 'loop-b', observedAtMs: at8('2026-03-10'), receivedAtMs: at8('2026-03-10') + 1000, values: { flowVehH: 700, intervalS: 3600 } }))
  await t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
}, 120_000)
afterAll(async () => t?.drop())

describe('the base of a scenario', () => {
  it('observed: the counts of that Rome hour of that day, only for loops on a link', async () => {
    const r = await baseCounts(t.db, { kind: 'observed', date: '2026-03-10', hour: 8 }, LINKS, { source: 'raw' })
    expect(r.counts).toEqual([
      { deviceId: 'loop-a', roadEdgeId: 'e-a', countedVehH: 500 },
      { deviceId: 'loop-b', roadEdgeId: 'e-b', countedVehH: 700 },
    ])
  })

  it('typical weekday: the mean over the period\'s weekdays at that hour; a loop counted on one day has that day', async () => {
    const r = await baseCounts(t.db, { kind: 'typical', dayType: 'weekday', hour: 8, fromDate: '2026-03-09', toDate: '2026-03-15' }, LINKS, { source: 'raw' })
    const a = r.counts.find((c) => c.deviceId === 'loop-a')!
    expect(a.countedVehH).toBeCloseTo(400 + 10 * 11, 6) // mean of days 9…13
    expect(r.counts.find((c) => c.deviceId === 'loop-b')!.countedVehH).toBe(700)
    expect(r.window).toMatchObject({ untilDate: '2026-03-15', dayType: 'weekday', hour: 8 })
  })

  it('maps the base to the history query', () => {
    expect(demandQueryOf({ kind: 'observed', date: '2026-03-14', hour: 17 })).toMatchObject({ singleDay: true, untilDate: '2026-03-14', dayType: 'saturday', hour: 17 })
    expect(demandQueryOf({ kind: 'typical', dayType: 'sunday', hour: 11 })).toMatchObject({ weeks: 8, dayType: 'sunday', hour: 11 })
  })
})
