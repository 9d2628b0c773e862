/**
 * The dashboard queries against the truth, on readings written through the ingest's write path and
 * rolled up by the rollup job: hourly figures of many devices from the rollups equal those from raw
 * history (unaligned windows, a reading not rolled up yet, a history backfill in progress), and
 * this year's air-quality exceedances are counted on Europe/Rome hours and days — the new year's
 * midnight, the 23-hour and the 25-hour day — with the 8-hour means reaching back into last year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { runRollups } from '../jobs/rollup-job'
import { airQualityHourly, airQualityYear, bikeHoursByGroup, devicesWithLatest, listDistricts, trafficHoursByGroup, type ExceedanceStandard, type GroupMember } from './dashboards'
import { writeBatch, type ValidReading } from './readings'

const MIN = 60_000
const HOUR = 3_600_000
/** Three hours of traffic ending an hour ago (today's partitions exist). */
const H = Math.floor(Date.now() / HOUR) * HOUR - 4 * HOUR
const NOW = H + 3 * HOUR + 10 * MIN

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
  await t.db.exec(`
    INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
      ('quartiere-6', 'quartiere', '6', 'Santo Stefano', 'test', ST_MakeEnvelope(11.34, 44.48, 11.38, 44.50, 4326)),
      ('quartiere-3', 'quartiere', '3', 'Borgo Panigale-Reno', 'test', ST_MakeEnvelope(11.20, 44.48, 11.30, 44.52, 4326)),
      ('quartiere-4', 'quartiere', '4', 'Navile', 'test', ST_MakeEnvelope(11.30, 44.50, 11.34, 44.53, 4326));
    INSERT INTO device (id, kind, name, geom, expected_interval_s, source) VALUES
      ('loop-a', 'traffic-loop', 'A', ST_SetSRID(ST_MakePoint(11.31, 44.51), 4326), 60, 'generated'),
      ('loop-b', 'traffic-loop', 'B', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), 60, 'generated'),
      ('loop-c', 'traffic-loop', 'C', ST_SetSRID(ST_MakePoint(11.60, 44.60), 4326), 60, 'generated'),
      ('aq-x', 'air-quality', 'X', ST_SetSRID(ST_MakePoint(11.36, 44.49), 4326), 3600, 'generated')`)
})
afterAll(async () => {
  await t?.drop()
})

const write = (readings: ValidReading[]) => t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
const rollAll = async () => {
  for (let i = 0; i < 200; i++) {
    const r = await t.db.transaction((tx) => runRollups(tx))
    if (r.queueRows === 0) return
  }
  throw new Error('the rollup queue did not drain')
}
let seq = 1
const traffic = (deviceId: string, at: number, flowVehH: number, occupancyPct: number, speedKmh: number | null): ValidReading => ({
  deviceId,
  kind: 'traffic-loop',
  stream: 'traffic',
  shape: 'traffic',
  seq: seq++,
  observedAtMs: at,
  receivedAtMs: at + 1000,
  quality: 'good',
  values: { flowVehH, occupancyPct, speedKmh, intervalS: 60, lane: 0 },
})
const air = (stream: string, iso: string | number, value: number, validity = 'valid', unit = 'ug/m3'): ValidReading => {
  const at = typeof iso === 'number' ? iso : Date.parse(iso)
  return { deviceId: 'aq-x', kind: 'air-quality', stream, shape: 'air-quality', seq: seq++, observedAtMs: at, receivedAtMs: at + 1000, quality: 'good', values: { value, unit, validity, averagingS: 3600 } }
}

describe('devices and districts', () => {
  it('lists the districts by Italian name and places each device in the district that contains it', async () => {
    expect((await listDistricts(t.db)).map((d) => d.name)).toEqual(['Borgo Panigale-Reno', 'Navile', 'Santo Stefano'])
    const devices = await devicesWithLatest(t.db, ['traffic-loop'])
    expect(devices.map((d) => [d.id, d.district?.id ?? null])).toEqual([
      ['loop-a', 'quartiere-4'],
      ['loop-b', 'quartiere-6'],
      ['loop-c', null],
    ])
  })
})

describe('hourly figures of many devices', () => {
  const members: GroupMember[] = [
    { deviceId: 'loop-a', group: 'navile' },
    { deviceId: 'loop-b', group: 'santo-stefano' },
    { deviceId: 'loop-a', group: 'city' },
    { deviceId: 'loop-b', group: 'city' },
    { deviceId: 'loop-c', group: 'city' },
  ]
  beforeAll(async () => {
    // Every minute for 3 h 10 min; varied values, exact in binary floating point; loop-b measures no speed every 4th minute.
    const readings: ValidReading[] = []
    for (let i = 0; i < 190; i++) {
      const at = H + i * MIN
      readings.push(traffic('loop-a', at, 600 + (i % 5) * 10, 10 + (i % 3) * 0.5, 50 - (i % 4)))
      readings.push(traffic('loop-b', at, 400 + (i % 7) * 20, 30 + (i % 2) * 8, i % 4 === 0 ? null : 12 + (i % 6)))
      if (i % 2 === 0) readings.push(traffic('loop-c', at, 100, 2, 80))
    }
    for (let i = 0; i < readings.length; i += 200) await write(readings.slice(i, i + 200))
    await rollAll()
  })

  it('gives known figures per group and hour: flows summed, occupancy and speed averaged across loops', async () => {
    const rows = await trafficHoursByGroup(t.db, members, H, H + HOUR, NOW)
    const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const range = Array.from({ length: 60 }, (_, i) => i)
    const aFlow = meanOf(range.map((i) => 600 + (i % 5) * 10))
    const bFlow = meanOf(range.map((i) => 400 + (i % 7) * 20))
    const aOcc = meanOf(range.map((i) => 10 + (i % 3) * 0.5))
    const bOcc = meanOf(range.map((i) => 30 + (i % 2) * 8))
    const aSpeed = meanOf(range.map((i) => 50 - (i % 4)))
    const bSpeed = meanOf(range.filter((i) => i % 4 !== 0).map((i) => 12 + (i % 6)))
    const city = rows.find((r) => r.group === 'city')!
    expect(city).toMatchObject({ tMs: H, loops: 3, readings: 150 })
    expect(city.flowVehH).toBeCloseTo(aFlow + bFlow + 100, 9)
    expect(city.occupancyPct).toBeCloseTo((aOcc + bOcc + 2) / 3, 9)
    expect(city.speedKmh).toBeCloseTo((aSpeed + bSpeed + 80) / 3, 9)
    const ss = rows.find((r) => r.group === 'santo-stefano')!
    expect(ss).toMatchObject({ loops: 1, readings: 60 })
    expect(ss.speedKmh).toBeCloseTo(bSpeed, 9)
  })

  it('answers from the rollups what raw history answers, over whole and unaligned windows', async () => {
    const windows: Array<[number, number]> = [
      [H, NOW],
      [H + 17 * MIN, H + 2 * HOUR + 3 * MIN],
      [H - HOUR, H + HOUR],
      [H + HOUR, NOW - MIN],
    ]
    for (const [from, to] of windows) {
      const raw = await trafficHoursByGroup(t.db, members, from, to, NOW, { source: 'raw' })
      expect(raw.length).toBeGreaterThan(0)
      expect(await trafficHoursByGroup(t.db, members, from, to, NOW), `${from - H}…${to - H}`).toEqual(raw)
    }
  })

  it('reads the whole hours from the rollups: a reading not rolled up yet is seen once the job has run', async () => {
    await write([traffic('loop-c', H + HOUR + 31 * MIN, 5000, 2, 80)])
    const before = await trafficHoursByGroup(t.db, members, H, NOW, NOW)
    expect(before).not.toEqual(await trafficHoursByGroup(t.db, members, H, NOW, NOW, { source: 'raw' }))
    await rollAll()
    expect(await trafficHoursByGroup(t.db, members, H, NOW, NOW)).toEqual(await trafficHoursByGroup(t.db, members, H, NOW, NOW, { source: 'raw' }))
  })

  it('reads raw history while a backfill of the rollups is queued', async () => {
    await t.db.query(`INSERT INTO rollup_queue (shape, min_bucket, is_range) VALUES ('traffic', '-infinity', true)`)
    await write([traffic('loop-c', H + 2 * HOUR + 31 * MIN, 7000, 2, 80)])
    expect(await trafficHoursByGroup(t.db, members, H, NOW, NOW)).toEqual(await trafficHoursByGroup(t.db, members, H, NOW, NOW, { source: 'raw' }))
    await rollAll()
    expect(await trafficHoursByGroup(t.db, members, H, NOW, NOW)).toEqual(await trafficHoursByGroup(t.db, members, H, NOW, NOW, { source: 'raw' }))
  })

  it('counts bicycles per group and hour', async () => {
    const bike = (at: number, bikes: number): ValidReading => ({ deviceId: 'bike-1', kind: 'bike-counter', stream: 'bikes', shape: 'bike-count', seq: seq++, observedAtMs: at, receivedAtMs: at, quality: 'good', values: { intervalS: 900, bikes } })
    await write([bike(H, 7), bike(H + 15 * MIN, 8), bike(H + 45 * MIN, 9), bike(H + HOUR, 1)])
    await rollAll()
    expect(await bikeHoursByGroup(t.db, [{ deviceId: 'bike-1', group: 'g' }], H, NOW, NOW)).toEqual([
      { group: 'g', tMs: H, counters: 1, bikes: 24 },
      { group: 'g', tMs: H + HOUR, counters: 1, bikes: 1 },
    ])
  })
})

describe('air quality on the Europe/Rome calendar', () => {
  const YEAR = Date.parse('2024-12-31T23:00:00Z') // 1 January 2025, 00:00 in Rome
  const END = Date.parse('2025-11-01T00:00:00Z')
  const standards: ExceedanceStandard[] = [
    { id: 'no2-hour', pollutant: 'no2', averaging: 'hour', thresholdUg: 200 },
    { id: 'pm10-day', pollutant: 'pm10', averaging: 'day', thresholdUg: 50 },
    { id: 'o3-8h', pollutant: 'o3', averaging: '8h', thresholdUg: 120 },
    { id: 'co-8h', pollutant: 'co', averaging: '8h', thresholdUg: 10_000 },
  ]
  const hoursFrom = (iso: string, values: number[], stream: string) => values.map((v, i) => air(stream, Date.parse(iso) + i * HOUR, v))

  beforeAll(async () => {
    await write([
      // NO₂: 23:00 on 31 December (no), 00:00 on 1 January (yes); 30 March, 02:00 UTC is 04:00 CEST (yes);
      // 26 October, both 02:00 hours (yes, twice); exactly 200 (no); invalid (no); in ppm (left out).
      air('no2', '2024-12-31T22:00:00Z', 250),
      air('no2', '2024-12-31T23:00:00Z', 250),
      air('no2', '2025-03-30T02:00:00Z', 201),
      air('no2', '2025-10-26T00:00:00Z', 230),
      air('no2', '2025-10-26T01:00:00Z', 230),
      air('no2', '2025-10-27T09:00:00Z', 200),
      air('no2', '2025-06-01T09:00:00Z', 900, 'invalid'),
      air('no2', '2025-06-02T09:00:00Z', 900, 'valid', 'ppm'),
      // PM10 on Rome days: 31 December 23:30 in Rome (last year) and 1 January 00:30 (this year, 80);
      // 30 March, the 23-hour day: 23:30 UTC on the 29th (00:30 CET) and 21:30 UTC on the 30th (23:30 CEST), mean 51;
      // 22:30 UTC on the 30th is 00:30 CEST on the 31st (40) — at a fixed +1 h it would pull the 30th down to 47.3;
      // 26 October, the 25-hour day: 22:30 UTC on the 25th (00:30 CEST, 10) and 22:30 UTC on the 26th (23:30 CET, 100): mean 55;
      // 23:30 UTC on the 26th is the 27th in Rome (0).
      air('pm10', '2024-12-31T22:30:00Z', 90),
      air('pm10', '2024-12-31T23:30:00Z', 80),
      air('pm10', '2025-03-29T23:30:00Z', 52),
      air('pm10', '2025-03-30T21:30:00Z', 50),
      air('pm10', '2025-03-30T22:30:00Z', 40),
      air('pm10', '2025-10-25T22:30:00Z', 10),
      air('pm10', '2025-10-26T22:30:00Z', 100),
      air('pm10', '2025-10-26T23:30:00Z', 0),
      // O₃ 8-hour means: 17:00–00:00 in Rome across the new year (the mean ending at 00:00 on 1 January counts for this year);
      // on 1 July the only mean above 120 ends at an hour without a value (6 of 8 hours).
      ...hoursFrom('2024-12-31T16:00:00Z', [150, 150, 150, 150, 150, 150, 150, 150], 'o3'),
      ...hoursFrom('2025-07-01T06:00:00Z', [10, 130, 130, 130, 130, 130, 130], 'o3'),
      // CO in mg/m³: 11 mg/m³ for 8 hours is above the 10 mg/m³ limit.
      ...hoursFrom('2025-08-01T06:00:00Z', Array<number>(8).fill(11), 'co').map((r) => ({ ...r, values: { ...r.values, unit: 'mg/m3' } })),
    ])
    await rollAll()
  })

  it('reads the hours before the year for the first 8-hour means, and nothing after the end asked for', async () => {
    // The year's first hour only: its 8-hour mean runs from 17:00 on 31 December (Rome).
    const first = await airQualityYear(t.db, ['aq-x'], ['o3'], standards, YEAR, YEAR + HOUR, END)
    expect(Object.fromEntries(first.exceedances)).toEqual({ 'aq-x/o3-8h': 1 })
    expect(Object.fromEntries(first.sums)).toEqual({ 'aq-x/o3': { periods: 1, readings: 1, sumUg: 150 } })
    expect(await airQualityYear(t.db, ['aq-x'], ['o3'], standards, YEAR, YEAR, END)).toEqual({ sums: new Map(), exceedances: new Map() })
  })

  it('counts hours, Rome days and days of 8-hour means above the values, strictly, this year only', async () => {
    const year = await airQualityYear(t.db, ['aq-x'], ['no2', 'pm10', 'o3', 'co'], standards, YEAR, END, END)
    expect(Object.fromEntries(year.exceedances)).toEqual({ 'aq-x/no2-hour': 4, 'aq-x/pm10-day': 3, 'aq-x/o3-8h': 2, 'aq-x/co-8h': 1 })
    // Valid NO₂ values this year in µg/m³: 250, 201, 230, 230, 200 (the ppm one cannot be converted).
    expect(year.sums.get('aq-x/no2')).toEqual({ periods: 5, readings: 5, sumUg: 250 + 201 + 230 + 230 + 200 })
    expect(year.sums.get('aq-x/co')).toEqual({ periods: 8, readings: 8, sumUg: 88_000 })
  })

  it('answers from the rollups what raw history answers', async () => {
    const args = [t.db, ['aq-x'], ['no2', 'pm10', 'o3', 'co'], standards, YEAR, END, END] as const
    expect(await airQualityYear(...args)).toEqual(await airQualityYear(...args, { source: 'raw' }))
    const hours = await airQualityHourly(t.db, ['aq-x'], ['no2', 'pm10'], YEAR - 2 * HOUR, END, END)
    expect(hours).toEqual(await airQualityHourly(t.db, ['aq-x'], ['no2', 'pm10'], YEAR - 2 * HOUR, END, END, { source: 'raw' }))
  })

  it('gives each hour its Europe/Rome day, the 25-hour day included', async () => {
    const hours = await airQualityHourly(t.db, ['aq-x'], ['no2', 'pm10'], Date.parse('2025-10-25T00:00:00Z'), Date.parse('2025-10-28T00:00:00Z'), END)
    const day = (iso: string) => new Date(hours.find((h) => h.tMs === Date.parse(iso))!.dayMs).toISOString()
    expect(day('2025-10-25T22:00:00Z')).toBe('2025-10-25T22:00:00.000Z') // 00:00 CEST on the 26th
    expect(day('2025-10-26T00:00:00Z')).toBe('2025-10-25T22:00:00.000Z')
    expect(day('2025-10-26T22:00:00Z')).toBe('2025-10-25T22:00:00.000Z') // 23:00 CET, still the 26th
    expect(day('2025-10-26T23:00:00Z')).toBe('2025-10-26T23:00:00.000Z') // the 27th
    expect(hours.find((h) => h.tMs === Date.parse('2025-10-26T23:00:00Z'))).toMatchObject({ stream: 'pm10', meanUg: 0, n: 1, validity: 'valid' })
  })
})
