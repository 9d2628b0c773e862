/**
 * The thematic dashboards over real HTTP, real sessions and the real database (PGlite, or PostgreSQL
 * under test:services), on generated readings written through the ingest's write path and rolled up
 * by the rollup job, with answers worked out by hand: district figures now and per hour (an empty
 * district shown as empty, a stale loop and a loop reporting bad left out of "now"), corridors from
 * the alarm rules, bicycle counts; air quality per station with this year's exceedances counted on
 * the Europe/Rome calendar — across the new year's midnight and both DST changes — against the
 * allowed numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlarmRuleSchema } from '../../../../contracts/alarm-rules'
import { EnvironmentDashboardSchema, MobilityDashboardSchema, type EnvironmentDashboard, type MobilityDashboard, type StationPollutant } from '../../../../contracts/dashboard-api'
import type { ErrorEnvelope } from '../../../../contracts/errors'
import { putRule } from '../../db/alarms'
import { writeBatch, type ValidReading } from '../../db/readings'
import { runRollups } from '../../jobs/rollup-job'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { mountDashboardRoutes } from './dashboard-routes'
import { readMobilityDashboard } from './mobility-dashboard'

const MIN = 60_000
const HOUR = 3_600_000
/** Mobility: half past an hour, at least 1.5 h ago (the partitions of today exist). */
const H = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const NOW = H + 30 * MIN
/** Environment: Monday 27 October 2025, 11:30 in Rome (CET since Sunday's 03:00 → 02:00). */
const ENV_NOW = Date.parse('2025-10-27T10:30:00Z')

let t: TestDb
let app: RouteApp
let url: string
let cookie: string
let clock = NOW

const write = (readings: ValidReading[]) => t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
async function rollAll(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await t.db.transaction((tx) => runRollups(tx))
    if (r.queueRows === 0) return
  }
  throw new Error('the rollup queue did not drain')
}

const traffic = (deviceId: string, at: number, flowVehH: number, occupancyPct: number, speedKmh: number | null, quality: ValidReading['quality'] = 'good'): ValidReading => ({
  deviceId,
  kind: 'traffic-loop',
  stream: 'traffic',
  shape: 'traffic',
  seq: at / 1000,
  observedAtMs: at,
  receivedAtMs: at + 2000,
  quality,
  values: { flowVehH, occupancyPct, speedKmh, intervalS: 300, lane: null },
})
const bikes = (deviceId: string, at: number, n: number): ValidReading => ({
  deviceId,
  kind: 'bike-counter',
  stream: 'bikes',
  shape: 'bike-count',
  seq: at / 1000,
  observedAtMs: at,
  receivedAtMs: at + 2000,
  quality: 'good',
  values: { intervalS: 900, bikes: n },
})
type Validity = 'valid' | 'provisional' | 'invalid'
const air = (deviceId: string, stream: string, iso: string | number, value: number, validity: Validity = 'valid', unit = 'ug/m3'): ValidReading => {
  const at = typeof iso === 'number' ? iso : Date.parse(iso)
  return {
    deviceId,
    kind: 'air-quality',
    stream,
    shape: 'air-quality',
    seq: at / 1000,
    observedAtMs: at,
    receivedAtMs: at + 60_000,
    quality: 'good',
    values: { value, unit, validity, averagingS: stream === 'pm10' || stream === 'pm25' ? 86_400 : 3600 },
  }
}
/** Readings every `stepMin` minutes from `from` for `count` steps. */
const every = (from: number, stepMin: number, count: number, make: (at: number) => ValidReading) => Array.from({ length: count }, (_, k) => make(from + k * stepMin * MIN))

// --- environment input: NO₂ hourly at aq-centro ---------------------------------------------------
const NO2_SPECIAL: Record<string, [number, Validity]> = {
  '2025-10-26T00:00:00.000Z': [250, 'valid'], // 02:00 CEST, the first of Sunday's two 02:00 hours
  '2025-10-26T01:00:00.000Z': [250, 'valid'], // 02:00 CET, the second
  '2025-10-27T08:00:00.000Z': [210, 'valid'],
  '2025-10-27T09:00:00.000Z': [200, 'valid'], // at the limit: not above it
  '2025-10-27T10:00:00.000Z': [50, 'provisional'],
}
function no2Readings(): ValidReading[] {
  const out: ValidReading[] = [
    air('aq-centro', 'no2', '2024-12-31T22:00:00Z', 250), // 23:00 on 31 December in Rome: last year
    air('aq-centro', 'no2', '2024-12-31T23:00:00Z', 250), // 00:00 on 1 January in Rome: this year
    air('aq-centro', 'no2', '2025-06-01T12:00:00Z', 300, 'invalid'),
    // 30 March 2025, the 23-hour day: 15 hours above the limit, from 01:00 CET.
    ...every(Date.parse('2025-03-30T00:00:00Z'), 60, 15, (at) => air('aq-centro', 'no2', at, 220)),
  ]
  for (let at = Date.parse('2025-10-19T00:00:00Z'); at <= Date.parse('2025-10-27T10:00:00Z'); at += HOUR) {
    const [v, validity] = NO2_SPECIAL[new Date(at).toISOString()] ?? [40, 'valid']
    out.push(air('aq-centro', 'no2', at, v, validity))
  }
  return out
}

beforeAll(async () => {
  t = await createTestDb()
  await t.db.exec(`
    INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
      ('quartiere-1', 'quartiere', '1', 'Navile', 'test', ST_MakeEnvelope(11.30, 44.50, 11.34, 44.53, 4326)),
      ('quartiere-2', 'quartiere', '2', 'Santo Stefano', 'test', ST_MakeEnvelope(11.34, 44.48, 11.38, 44.50, 4326)),
      ('quartiere-3', 'quartiere', '3', 'Savena', 'test', ST_MakeEnvelope(11.38, 44.46, 11.42, 44.48, 4326)),
      ('zona-1', 'zona', '1', 'Bolognina', 'test', ST_MakeEnvelope(11.30, 44.50, 11.34, 44.53, 4326));
    INSERT INTO device (id, kind, name, geom, expected_interval_s, source, props) VALUES
      ('loop-n1', 'traffic-loop', 'Via Corticella', ST_SetSRID(ST_MakePoint(11.31, 44.51), 4326), 300, 'generated', '{}'),
      ('loop-n2', 'traffic-loop', 'Via Ferrarese', ST_SetSRID(ST_MakePoint(11.32, 44.51), 4326), 300, 'generated', '{}'),
      ('loop-n3', 'traffic-loop', 'Via Arcoveggio', ST_SetSRID(ST_MakePoint(11.33, 44.52), 4326), 300, 'generated', '{}'),
      ('loop-s1', 'traffic-loop', 'Via Irnerio', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), 300, 'generated', '{}'),
      ('loop-s2', 'traffic-loop', 'Via Santo Stefano', ST_SetSRID(ST_MakePoint(11.36, 44.49), 4326), 300, 'generated', '{}'),
      ('loop-x1', 'traffic-loop', 'Tangenziale', ST_SetSRID(ST_MakePoint(11.50, 44.60), 4326), 300, 'generated', '{}'),
      ('bike-n1', 'bike-counter', 'Bici Navile', ST_SetSRID(ST_MakePoint(11.31, 44.52), 4326), 900, 'generated', '{}'),
      ('bike-s1', 'bike-counter', 'Bici Santo Stefano', ST_SetSRID(ST_MakePoint(11.35, 44.485), 4326), 900, 'generated', '{}'),
      ('aq-centro', 'air-quality', 'ARPAE Centro', ST_SetSRID(ST_MakePoint(11.355, 44.49), 4326), 3600, 'generated', '{"pollutants": ["no2", "o3", "co", "pm10", "pm25"]}'),
      ('aq-vuota', 'air-quality', 'ARPAE Vuota', ST_SetSRID(ST_MakePoint(11.305, 44.505), 4326), 3600, 'generated', '{"pollutants": ["no2"]}')`)

  // Traffic every 5 minutes from H − 2 h (30 readings up to NOW − 5 min); loop-n3 falls silent at H − 5 min.
  const from = H - 2 * HOUR
  await write([
    ...every(from, 5, 30, (at) => traffic('loop-n1', at, 600, 10, 50)),
    ...every(from, 5, 30, (at) => traffic('loop-n2', at, 300, 40, null)),
    ...every(from, 5, 24, (at) => traffic('loop-n3', at, 120, 5, 60)),
    ...every(from, 5, 30, (at) => traffic('loop-s1', at, 900, 50, 10)),
    ...every(from, 5, 30, (at) => traffic('loop-s2', at, 450, 20, 30, at === H + 25 * MIN ? 'bad' : 'good')),
    ...every(from, 5, 30, (at) => traffic('loop-x1', at, 100, 1, 70)),
    ...every(from, 15, 10, (at) => bikes('bike-n1', at, 30)),
    ...every(from, 15, 10, (at) => bikes('bike-s1', at, 10)),
  ])

  const o3 = every(Date.parse('2025-10-26T16:00:00Z'), 60, 19, (at) => air('aq-centro', 'o3', at, at === Date.parse('2025-10-27T03:00:00Z') ? 190 : 130))
  const pm10 = [
    air('aq-centro', 'pm10', '2024-12-31T22:00:00Z', 90), // 31 December in Rome
    air('aq-centro', 'pm10', '2024-12-31T23:00:00Z', 80), // 1 January in Rome: a day above 50
    air('aq-centro', 'pm10', '2025-05-10T22:00:00Z', 200, 'invalid'),
    air('aq-centro', 'pm10', '2025-10-25T21:30:00Z', 90), // 25 October, 23:30 CEST: a day above 50
    air('aq-centro', 'pm10', '2025-10-25T22:30:00Z', 10), // 26 October, 00:30 CEST
    air('aq-centro', 'pm10', '2025-10-26T22:30:00Z', 100), // 26 October, 23:30 CET: the 25-hour day's mean is 55
    air('aq-centro', 'pm10', '2025-10-26T23:30:00Z', 0), // 27 October, 00:30 CET: today
  ]
  const pm25 = [air('aq-centro', 'pm25', '2025-02-01T23:00:00Z', 20), air('aq-centro', 'pm25', '2025-10-26T23:00:00Z', 32)]
  const co = [air('aq-centro', 'co', '2025-10-27T09:00:00Z', 1.2, 'valid', 'mg/m3')]
  const aq = [...no2Readings(), ...o3, ...pm10, ...pm25, ...co]
  for (let i = 0; i < aq.length; i += 100) await write(aq.slice(i, i + 100))
  await rollAll()

  await t.db.transaction(async (tx) => {
    const rule = (id: string, name: string, extra: Record<string, unknown>) =>
      putRule(
        tx,
        AlarmRuleSchema.parse({
          id,
          name,
          type: 'congestion',
          priority: 'medium',
          cause: 'Several loops of the corridor are congested at once.',
          consequence: 'Queues spread to the junctions upstream.',
          response: 'Check the cameras and consider the congestion signal plan.',
          ...extra,
        }),
        'test',
        NOW,
      )
    await rule('corridor-irnerio', 'Viali: Irnerio', { corridor: { deviceIds: ['loop-n1', 'loop-s1', 'loop-gone'], minLoops: 2 } })
    await rule('corridor-ferrarese', 'Asse Ferrarese', { occupancyPctAtLeast: 30, corridor: { deviceIds: ['loop-n2', 'loop-s1'], minLoops: 2 } })
    await rule('corridor-retired', 'Retired corridor', { enabled: false, corridor: { deviceIds: ['loop-n1', 'loop-n2'], minLoops: 1 } })
    await rule('loop-congestion', 'Congested loop', {})
  })
  await t.db.query(
    `INSERT INTO alarm (rule_id, rule_version, subject, priority, active, acked, message, raised_at, last_change_at)
     VALUES ('corridor-ferrarese', 1, 'corridor', 'medium', true, false, '2 of 2 loops congested', to_timestamp($1 / 1000.0), to_timestamp($1 / 1000.0))`,
    [NOW - 10 * MIN],
  )

  app = await serveRoutes(t.db, (a) => mountDashboardRoutes(a, { db: t.db, now: () => clock }))
  url = app.url
  cookie = await app.account('dash-operator', ['operator'])
}, 180_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

async function getJson<T>(path: string, schema: { parse(v: unknown): T }): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { cookie } })
  const text = await res.text()
  expect(res.status, text).toBe(200)
  return schema.parse(JSON.parse(text))
}

describe('GET /api/dashboards/mobility', () => {
  let m: MobilityDashboard
  beforeAll(async () => {
    clock = NOW
    m = await getJson('/api/dashboards/mobility?hours=3', MobilityDashboardSchema)
  })
  const district = (name: string | null) => m.districts.find((d) => (d.district?.name ?? null) === name)!

  it('covers the hours asked for, the last one in progress', () => {
    expect(m.serverTimeMs).toBe(NOW)
    expect(m.window).toEqual({ fromMs: H - 2 * HOUR, toMs: NOW, hours: 3, partialFromMs: H })
    expect(m.congestion).toEqual({ occupancyPctAtLeast: 35, speedKmhAtMost: 15 })
    expect(m.city.traffic.hourly.map((p) => p.tMs)).toEqual([H - 2 * HOUR, H - HOUR, H])
  })

  it('lists every district by name, the empty one as empty, then the devices outside every district', () => {
    expect(m.districts.map((d) => d.district)).toEqual([
      { id: 'quartiere-1', code: '1', name: 'Navile' },
      { id: 'quartiere-2', code: '2', name: 'Santo Stefano' },
      { id: 'quartiere-3', code: '3', name: 'Savena' },
      null,
    ])
    const savena = district('Savena')
    expect(savena.traffic.now).toEqual({ loops: 0, reporting: 0, occupancyPct: null, speedKmh: null, speedLoops: 0, flowVehH: null, congested: 0, congestedShare: null, observedAtMs: null, dataAgeMs: null })
    expect(savena.traffic.hourly.every((h) => h.loops === 0 && h.flowVehH === null && h.speedKmh === null && h.readings === 0)).toBe(true)
    expect(savena.bikes).toEqual({
      now: { counters: 0, reporting: 0, bikesPerHour: null, observedAtMs: null, dataAgeMs: null },
      hourly: [H - 2 * HOUR, H - HOUR, H].map((tMs) => ({ tMs, counters: 0, bikes: null })),
      total: 0,
    })
  })

  it('gives a district’s traffic now over its current loops: the stale loop left out, speed only where measured', () => {
    // loop-n3 last spoke 35 min ago (> 3 × 5 min): not reporting. loop-n2 is a single loop at 40 %: congested.
    expect(district('Navile').traffic.now).toEqual({
      loops: 3,
      reporting: 2,
      occupancyPct: 25,
      speedKmh: 50,
      speedLoops: 1,
      flowVehH: 900,
      congested: 1,
      congestedShare: 0.5,
      observedAtMs: H + 25 * MIN,
      dataAgeMs: 5 * MIN,
    })
    // loop-s2's latest reading says bad: left out.
    expect(district('Santo Stefano').traffic.now).toMatchObject({ loops: 2, reporting: 1, occupancyPct: 50, speedKmh: 10, flowVehH: 900, congested: 1, congestedShare: 1 })
    expect(district(null).traffic.now).toMatchObject({ loops: 1, reporting: 1, flowVehH: 100, congested: 0 })
    expect(m.city.traffic.now).toMatchObject({ loops: 6, reporting: 4, flowVehH: 1900, occupancyPct: 25.25, speedLoops: 3, congested: 2, congestedShare: 0.5 })
    expect(m.city.traffic.now.speedKmh).toBeCloseTo(130 / 3, 9)
  })

  it('gives each hour from the loops’ hourly means: flows summed, occupancy and speed averaged across loops', () => {
    const [h2, h1, h0] = district('Navile').traffic.hourly
    expect(h2).toMatchObject({ tMs: H - 2 * HOUR, loops: 3, flowVehH: 1020, speedKmh: 55, readings: 36 })
    expect(h2!.occupancyPct).toBeCloseTo(55 / 3, 9)
    expect(h1).toMatchObject({ tMs: H - HOUR, loops: 3, flowVehH: 1020, speedKmh: 55, readings: 36 })
    // The hour in progress: loop-n3 is silent, 6 readings each so far.
    expect(h0).toEqual({ tMs: H, loops: 2, flowVehH: 900, occupancyPct: 25, speedKmh: 50, readings: 12 })
    expect(district('Santo Stefano').traffic.hourly[2]).toEqual({ tMs: H, loops: 2, flowVehH: 1350, occupancyPct: 35, speedKmh: 20, readings: 12 })
  })

  it('counts bicycles per district and hour, and now as bikes per hour', () => {
    expect(district('Navile').bikes).toEqual({
      now: { counters: 1, reporting: 1, bikesPerHour: 120, observedAtMs: H + 15 * MIN, dataAgeMs: 15 * MIN },
      hourly: [
        { tMs: H - 2 * HOUR, counters: 1, bikes: 120 },
        { tMs: H - HOUR, counters: 1, bikes: 120 },
        { tMs: H, counters: 1, bikes: 60 },
      ],
      total: 300,
    })
    expect(district('Santo Stefano').bikes.hourly.map((h) => h.bikes)).toEqual([40, 40, 20])
    expect(m.city.bikes.now.bikesPerHour).toBe(160)
    expect(m.city.bikes.total).toBe(400)
  })

  it('lists the enabled corridors with their loops now, by the corridor rule’s own thresholds, and their open alarm', () => {
    expect(m.corridors.map((c) => c.ruleId)).toEqual(['corridor-ferrarese', 'corridor-irnerio'])
    const [ferrarese, irnerio] = m.corridors
    expect(ferrarese).toMatchObject({ name: 'Asse Ferrarese', occupancyPctAtLeast: 30, speedKmhAtMost: 15, minLoops: 2, congested: true, alarm: { active: true, acked: false } })
    expect(ferrarese!.loops.map((l) => [l.deviceId, l.congested])).toEqual([
      ['loop-n2', true],
      ['loop-s1', true],
    ])
    expect(irnerio).toMatchObject({ name: 'Viali: Irnerio', minLoops: 2, congested: false, alarm: null })
    expect(irnerio!.now).toMatchObject({ loops: 3, reporting: 2, congested: 1, flowVehH: 1500 })
    expect(irnerio!.loops).toEqual([
      { deviceId: 'loop-n1', name: 'Via Corticella', district: 'Navile', observedAtMs: H + 25 * MIN, dataAgeMs: 5 * MIN, quality: 'good', reporting: true, flowVehH: 600, occupancyPct: 10, speedKmh: 50, congested: false },
      { deviceId: 'loop-s1', name: 'Via Irnerio', district: 'Santo Stefano', observedAtMs: H + 25 * MIN, dataAgeMs: 5 * MIN, quality: 'good', reporting: true, flowVehH: 900, occupancyPct: 50, speedKmh: 10, congested: true },
      { deviceId: 'loop-gone', name: null, district: null, observedAtMs: null, dataAgeMs: null, quality: null, reporting: false, flowVehH: null, occupancyPct: null, speedKmh: null, congested: null },
    ])
    expect(irnerio!.hourly[2]).toEqual({ tMs: H, loops: 2, flowVehH: 1500, occupancyPct: 30, speedKmh: 30, readings: 12 })
  })

  it('answers from the rollups what the raw history answers', async () => {
    expect(m).toEqual(await readMobilityDashboard(t.db, 3, NOW, { source: 'raw' }))
  })
})

describe('GET /api/dashboards/environment', () => {
  let env: EnvironmentDashboard
  beforeAll(async () => {
    clock = ENV_NOW
    env = await getJson('/api/dashboards/environment?days=7', EnvironmentDashboardSchema)
  })
  const centro = (p: string): StationPollutant => env.stations.find((s) => s.deviceId === 'aq-centro')!.pollutants.find((x) => x.pollutant === p)!
  const figure = (p: string, id: string) => centro(p).standards.find((s) => s.standardId === id)!

  it('places today and this year on the Europe/Rome calendar', () => {
    expect(env.today).toEqual({ date: '2025-10-27', fromMs: Date.parse('2025-10-26T23:00:00Z') })
    expect(env.year).toEqual({ year: 2025, fromMs: Date.parse('2024-12-31T23:00:00Z') })
    expect(env.window).toEqual({ days: 7, hourlyFromMs: Date.parse('2025-10-20T11:00:00Z'), dailyFromMs: Date.parse('2025-10-20T22:00:00Z'), toMs: ENV_NOW })
    expect(env.standards.filter((s) => s.kind === 'limit').map((s) => s.id)).toEqual(['no2-hour', 'no2-year', 'pm10-day', 'pm10-year', 'pm25-year', 'co-8h'])
  })

  it('lists every station with the pollutants it declares or reports, by district', () => {
    expect(env.stations.map((s) => [s.deviceId, s.district, s.pollutants.map((p) => p.pollutant)])).toEqual([
      ['aq-centro', 'Santo Stefano', ['no2', 'o3', 'pm10', 'pm25', 'co']],
      ['aq-vuota', 'Navile', ['no2']],
    ])
  })

  it('gives the latest value with its age and validity', () => {
    expect(centro('no2').latest).toEqual({ value: 50, validity: 'provisional', observedAtMs: Date.parse('2025-10-27T10:00:00Z'), dataAgeMs: 30 * MIN, quality: 'good' })
    expect(centro('co')).toMatchObject({ unit: 'mg/m3', latest: { value: 1.2, validity: 'valid' } })
  })

  it('counts the hours above the NO₂ limit this Rome year — the new year’s first hour and both 02:00 hours of the DST change — against the 18 allowed', () => {
    // 00:00 on 1 January, 15 hours on 30 March, 02:00 CEST and 02:00 CET on 26 October, 09:00 today; not 31 December 23:00, not the invalid hour, not 200.
    expect(figure('no2', 'no2-hour')).toEqual({ standardId: 'no2-hour', value: 210, above: true, exceedancesThisYear: 19, allowedPerYear: 18, breached: true })
    expect(centro('no2').today).toMatchObject({ maxHourlyMean: 210, maxHourlyMeanAtMs: Date.parse('2025-10-27T08:00:00Z') })
    expect(centro('no2').today.mean).toBeCloseTo((9 * 40 + 210 + 200 + 50) / 12, 9)
  })

  it('counts the days above the PM10 daily limit on Rome days — across midnight and on the 25-hour day — against the 35 allowed', () => {
    // 1 January (80), 25 October (90), 26 October (mean of 10 and 100); not 31 December, not the invalid day, not today (0).
    expect(figure('pm10', 'pm10-day')).toEqual({ standardId: 'pm10-day', value: 0, above: false, exceedancesThisYear: 3, allowedPerYear: 35, breached: false })
    expect(centro('pm10').series).toEqual({
      stepS: 86_400,
      points: [
        ['2025-10-20T22:00:00Z', null],
        ['2025-10-21T22:00:00Z', null],
        ['2025-10-22T22:00:00Z', null],
        ['2025-10-23T22:00:00Z', null],
        ['2025-10-24T22:00:00Z', 90],
        ['2025-10-25T22:00:00Z', 55],
        ['2025-10-26T23:00:00Z', 0],
      ].map(([d, value]) => ({ tMs: Date.parse(d as string), value, provisional: false })),
    })
    expect(figure('pm10', 'pm10-year')).toEqual({ standardId: 'pm10-year', value: 56, above: true, exceedancesThisYear: null, allowedPerYear: null, breached: null })
    expect(centro('pm10').yearToDate).toEqual({ mean: 56, validValues: 5 })
  })

  it('gives an hourly series over the window with both 02:00 hours of the DST change and the provisional hour marked', () => {
    const s = centro('no2').series
    expect(s.stepS).toBe(3600)
    expect(s.points).toHaveLength(168)
    expect(s.points[0]!.tMs).toBe(Date.parse('2025-10-20T11:00:00Z'))
    const at = (iso: string) => s.points.find((p) => p.tMs === Date.parse(iso))
    expect(at('2025-10-26T00:00:00Z')).toEqual({ tMs: Date.parse('2025-10-26T00:00:00Z'), value: 250, provisional: false })
    expect(at('2025-10-26T01:00:00Z')).toEqual({ tMs: Date.parse('2025-10-26T01:00:00Z'), value: 250, provisional: false })
    expect(s.points.at(-1)).toEqual({ tMs: Date.parse('2025-10-27T10:00:00Z'), value: 50, provisional: true })
  })

  it('compares ozone with the information and alarm thresholds and the 8-hour target; CO with its 8-hour limit', () => {
    expect(figure('o3', 'o3-information')).toMatchObject({ value: 190, above: true, exceedancesThisYear: 1, allowedPerYear: null, breached: null })
    expect(figure('o3', 'o3-alarm')).toMatchObject({ value: 190, above: false, exceedancesThisYear: 0 })
    // 8-hour means need 6 of 8 hours: yesterday's from the window ending 21:00 UTC (22:00 in Rome); today's peak holds the 190.
    expect(centro('o3').today.maxEightHourMean).toBe((7 * 130 + 190) / 8)
    expect(figure('o3', 'o3-8h')).toEqual({ standardId: 'o3-8h', value: 137.5, above: true, exceedancesThisYear: 2, allowedPerYear: 25, breached: false })
    // One hour of CO: no 8-hour mean yet.
    expect(figure('co', 'co-8h')).toEqual({ standardId: 'co-8h', value: null, above: null, exceedancesThisYear: 0, allowedPerYear: 0, breached: false })
  })

  it('compares the year-to-date means with the annual limits', () => {
    expect(figure('pm25', 'pm25-year')).toMatchObject({ value: 26, above: true })
    const no2 = no2Readings().filter((r) => r.observedAtMs >= env.year.fromMs && r.values.validity !== 'invalid').map((r) => r.values.value as number)
    const ytd = figure('no2', 'no2-year')
    expect(ytd.value).toBeCloseTo(no2.reduce((a, b) => a + b, 0) / no2.length, 9)
    expect(ytd.above).toBe(ytd.value! > 40)
    expect(centro('no2').yearToDate.validValues).toBe(no2.length)
  })

  it('takes in a late reading of a past day within 10 minutes (the days before today are kept that long)', async () => {
    await write([air('aq-centro', 'no2', '2025-09-01T05:00:00Z', 300)])
    await rollAll()
    const count = async (atMs: number) => {
      clock = atMs
      const e = await getJson('/api/dashboards/environment?days=7', EnvironmentDashboardSchema)
      return e.stations[0]!.pollutants[0]!.standards[0]!.exceedancesThisYear
    }
    expect(await count(ENV_NOW + 9 * MIN)).toBe(19)
    expect(await count(ENV_NOW + 10 * MIN)).toBe(20)
  })

  it('shows a station without readings as such', () => {
    const [no2] = env.stations.find((s) => s.deviceId === 'aq-vuota')!.pollutants
    expect(no2!.latest).toBeNull()
    expect(no2!.series.points.every((p) => p.value === null)).toBe(true)
    expect(no2!.standards).toEqual([
      { standardId: 'no2-hour', value: null, above: null, exceedancesThisYear: 0, allowedPerYear: 18, breached: false },
      { standardId: 'no2-year', value: null, above: null, exceedancesThisYear: null, allowedPerYear: null, breached: null },
    ])
  })
})

describe('access and validation', () => {
  it('needs a session with live:read', async () => {
    for (const path of ['/api/dashboards/mobility', '/api/dashboards/environment']) {
      const res = await fetch(`${url}${path}`)
      expect(res.status).toBe(401)
      expect(((await res.json()) as ErrorEnvelope).error.code).toBe('UNAUTHENTICATED')
    }
  })

  it('refuses a window out of range, naming the field', async () => {
    const res = await fetch(`${url}/api/dashboards/mobility?hours=500`, { headers: { cookie } })
    expect(res.status).toBe(400)
    const e = ((await res.json()) as ErrorEnvelope).error
    expect(e.code).toBe('VALIDATION_FAILED')
    expect(e.details?.[0]?.path).toBe('query.hours')
  })
})
