/**
 * The mobility and environment themes of the public dashboards over real HTTP on a real database
 * (PGlite, or PostgreSQL under test:services), on Bologna's real registries — districts, statistical
 * areas, loops, ZTL gates, bicycle counters, ARPAE stations — with readings written through the
 * ingest's write path and rolled up by the rollup job, and answers worked out by hand: every area
 * listed, ZTL accesses by district and Rome hour of the day, generated (demo) devices never counted,
 * the legal values as reference lines and this year's exceedances against the numbers allowed.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ThemeDashboardSchema, type ChartPanel, type ChoroplethPanel, type KpiPanel, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import { writeBatch, type ValidReading } from '../../db/readings'
import { runRollups } from '../../jobs/rollup-job'
import { mountThemeDashboardRoutes } from '../../routes/dashboards/theme-dashboard-routes'

const MIN = 60_000
const HOUR = 3_600_000
/** Mobility: half past an hour, 1.5 h ago (today's partitions exist); ?days=2 starts 47 hours before H. */
const H = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const NOW = H + 30 * MIN
const FROM = H - 47 * HOUR
/** Environment: Monday 27 October 2025, 11:30 in Rome (CET). */
const ENV_NOW = Date.parse('2025-10-27T10:30:00Z')

let t: TestDb
let app: RouteApp
let clock = NOW

const romeHour = (ms: number) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', hourCycle: 'h23' }).format(ms))
const reading = (deviceId: string, kind: string, stream: string, shape: string, at: number, values: Record<string, unknown>): ValidReading =>
  ({ deviceId, kind, stream, shape, seq: at / 1000, observedAtMs: at, receivedAtMs: at + 2000, quality: 'good', values }) as ValidReading
const gate = (id: string, at: number, vehicles: number, unauthorized = 0) => reading(id, 'ztl-gate', 'gate', 'gate', at, { status: 'operational', intervalS: 300, vehicles, unauthorized })
const loop = (id: string, at: number, flowVehH: number, occupancyPct: number, speedKmh: number | null) =>
  reading(id, 'traffic-loop', 'traffic', 'traffic', at, { flowVehH, occupancyPct, speedKmh, intervalS: 300, lane: null })
const bikes = (id: string, at: number, n: number) => reading(id, 'bike-counter', 'bikes', 'bike-count', at, { intervalS: 900, bikes: n })
const air = (id: string, stream: string, iso: string, value: number, validity = 'valid') =>
  ({ ...reading(id, 'air-quality', stream, 'air-quality', Date.parse(iso), { value, unit: 'ug/m3', validity, averagingS: stream === 'pm10' ? 86_400 : 3600 }), receivedAtMs: Date.parse(iso) + MIN }) as ValidReading
/** Readings every 5 minutes through one hour. */
const hourOf = (start: number, make: (at: number) => ValidReading) => Array.from({ length: 12 }, (_, k) => make(start + k * 5 * MIN))

async function write(readings: ValidReading[]): Promise<void> {
  for (let i = 0; i < readings.length; i += 200) await t.db.transaction((tx) => writeBatch(tx, { readings: readings.slice(i, i + 200), quarantine: [], registrations: [] }))
  for (let i = 0; i < 300; i++) if ((await t.db.transaction((tx) => runRollups(tx))).queueRows === 0) return
  throw new Error('the rollup queue did not drain')
}

interface Placed {
  id: string
  quartiere: string
  area: string
}
/** Real devices of a kind with the district and statistical area containing them (worked out here, independently of the theme). */
async function placed(kind: string): Promise<Placed[]> {
  const r = await t.db.query<Placed>(
    `SELECT d.id, q.id AS quartiere, s.id AS area FROM device d
     JOIN area q ON q.kind = 'quartiere' AND ST_Contains(q.geom, d.geom)
     JOIN area s ON s.kind = 'area_statistica' AND ST_Contains(s.geom, d.geom)
     WHERE d.kind = $1 AND d.source = 'open-data' ORDER BY d.id`,
    [kind],
  )
  return r.rows
}

// Chosen in beforeAll among the real devices.
let gA: Placed, gB: Placed, gC: Placed, l1: Placed, l2: Placed, c1: Placed
let gateReadings: ValidReading[] = []
const stations: { s1: { id: string; name: string }; s2: { id: string; name: string } } = { s1: { id: '', name: '' }, s2: { id: '', name: '' } }

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['bologna-quartieri', 'bologna-aree-statistiche', 'bologna-loops', 'bologna-ztl-gates', 'bologna-bike-counters', 'arpae-stations'] as const) {
    await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  }

  // Two gates of the district with the most gates, in different statistical areas if it can, and one gate elsewhere.
  const gates = await placed('ztl-gate')
  const count = (q: string) => gates.filter((g) => g.quartiere === q).length
  const busiest = [...gates].sort((a, b) => count(b.quartiere) - count(a.quartiere))[0]!.quartiere
  const inBusiest = gates.filter((g) => g.quartiere === busiest)
  gA = inBusiest[0]!
  gB = inBusiest.find((g) => g.area !== gA.area) ?? inBusiest[1]!
  gC = gates.find((g) => g.quartiere !== busiest)!
  const loops = await placed('traffic-loop')
  l1 = loops[0]!
  l2 = loops.find((l) => l.quartiere !== l1.quartiere)!
  c1 = (await placed('bike-counter'))[0]!
  const aq = await t.db.query<{ id: string; name: string }>(`SELECT id, name FROM device WHERE kind = 'air-quality' ORDER BY name LIMIT 2`)
  stations.s1 = aq.rows[0]!
  stations.s2 = aq.rows[1]!

  // Generated devices where real ones are: the demo district's, never the city's data.
  const demo = await t.db.query(
    `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, props)
     SELECT 'demo-' || kind, kind, 'Demo ' || kind, geom, expected_interval_s, 'generated', props FROM device WHERE id = ANY($1::text[]) RETURNING id`,
    [[gA.id, l1.id, c1.id, stations.s1.id]],
  )
  expect(demo.rowCount).toBe(4)

  gateReadings = [
    gate(gA.id, H - 2 * HOUR + 5 * MIN, 10, 3),
    gate(gA.id, H - 2 * HOUR + 35 * MIN, 12, 1),
    gate(gA.id, H + 10 * MIN, 7, 2), // the hour in progress: from raw history
    gate(gA.id, H - 26 * HOUR + 20 * MIN, 5), // yesterday, the same hour of the day (but for a DST change)
    gate(gB.id, H - HOUR + 15 * MIN, 20, 4),
    gate(gC.id, H - 2 * HOUR + 50 * MIN, 4),
    gate(gC.id, H - HOUR + 5 * MIN, 6),
  ]
  await write([
    ...gateReadings,
    gate(gA.id, FROM - 10 * MIN, 100), // before the period
    gate('demo-ztl-gate', H - 2 * HOUR + 5 * MIN, 1000, 50),
    ...hourOf(H - 2 * HOUR, (at) => loop(l1.id, at, 600, 40, 10)), // congested: occupancy ≥ 35 %, speed ≤ 15 km/h
    ...hourOf(H - HOUR, (at) => loop(l1.id, at, 300, 10, 50)),
    ...hourOf(H - 2 * HOUR, (at) => loop(l2.id, at, 120, 5, null)), // a single loop: no speed
    ...hourOf(H - 2 * HOUR, (at) => loop('demo-traffic-loop', at, 9999, 90, 2)),
    ...[0, 15, 30, 45].map((m) => bikes(c1.id, H - HOUR + m * MIN, 30)),
    bikes('demo-bike-counter', H - HOUR, 500),
  ])

  const { s1, s2 } = stations
  await write([
    // PM10 daily: S1 above 50 on 1 and 2 February and 25 October; 26 October at the limit, not above it; an invalid day.
    air(s1.id, 'pm10', '2025-02-01T11:00:00Z', 80),
    air(s1.id, 'pm10', '2025-02-02T11:00:00Z', 60),
    air(s1.id, 'pm10', '2025-02-03T11:00:00Z', 40),
    air(s1.id, 'pm10', '2025-05-10T11:00:00Z', 200, 'invalid'),
    air(s1.id, 'pm10', '2025-10-25T11:00:00Z', 90),
    air(s1.id, 'pm10', '2025-10-26T11:00:00Z', 50),
    air(s2.id, 'pm10', '2025-10-24T11:00:00Z', 55),
    // NO₂ hourly: S1 above 200 three hours on 26 October and one today; 200 is not above; S2's 300 is invalid.
    ...['10', '11', '12'].map((h) => air(s1.id, 'no2', `2025-10-26T${h}:00:00Z`, 210)),
    air(s1.id, 'no2', '2025-10-27T08:00:00Z', 200),
    air(s1.id, 'no2', '2025-10-27T09:00:00Z', 250),
    air(s2.id, 'no2', '2025-06-01T12:00:00Z', 300, 'invalid'),
    air(s2.id, 'no2', '2025-10-27T07:00:00Z', 30),
    // The demo station: far worse, and never shown.
    ...Array.from({ length: 10 }, (_, d) => air('demo-air-quality', 'pm10', `2025-10-${String(10 + d)}T11:00:00Z`, 500)),
    ...Array.from({ length: 30 }, (_, h) => air('demo-air-quality', 'no2', new Date(Date.parse('2025-10-26T05:00:00Z') + h * HOUR).toISOString(), 400)),
  ])

  app = await serveRoutes(t.db, (a) => mountThemeDashboardRoutes(a, { db: t.db, now: () => clock }))
}, 600_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

/** Anonymous, as the public page and an embedding site ask. */
async function dashboard(id: string, days: number, atMs: number): Promise<ThemeDashboard> {
  clock = atMs
  const res = await fetch(`${app.url}/api/public/dashboards/${id}?days=${days}`)
  const text = await res.text()
  expect(res.status, text).toBe(200)
  return ThemeDashboardSchema.parse(JSON.parse(text))
}
const panel = <T>(d: ThemeDashboard, id: string) => d.panels.find((p) => p.id === id) as T

describe('the mobility theme', () => {
  let d: ThemeDashboard
  let areas: { quartiere: Array<{ id: string; name: string }>; area_statistica: Array<{ id: string; name: string }> }
  beforeAll(async () => {
    d = await dashboard('mobility', 2, NOW)
    const of = async (kind: string) => (await t.db.query<{ id: string; name: string }>(`SELECT id, name FROM area WHERE kind = $1 ORDER BY id`, [kind])).rows
    areas = { quartiere: await of('quartiere'), area_statistica: await of('area_statistica') }
  })

  it('covers the days asked for, up to now, and credits the registries it draws on', () => {
    expect(d).toMatchObject({ id: 'mobility', kind: 'theme', generatedAtMs: NOW, window: { fromMs: FROM, toMs: NOW, days: 2 }, days: { default: 7, max: 31 } })
    const attributions = d.sources.map((s) => s.attribution)
    expect(attributions).toContain('Fonte: Comune di Bologna – opendata.comune.bologna.it, CC BY 4.0')
    expect(d.sources.map((s) => s.title).join('\n')).toMatch(/ZTL camera gates/)
  })

  it('lists every district and every statistical area at both levels, the empty ones as empty', () => {
    const map = panel<ChoroplethPanel>(d, 'areas')
    expect(areas.quartiere).toHaveLength(6)
    expect(areas.area_statistica).toHaveLength(90)
    for (const level of ['quartiere', 'area_statistica'] as const) {
      const rows = map.levels[level]!
      expect(rows.map((r) => r.areaId).sort()).toEqual(areas[level].map((a) => a.id))
      const quiet = rows.filter((r) => ![gA, gB, gC, l1, l2, c1].some((x) => (level === 'quartiere' ? x.quartiere : x.area) === r.areaId))
      expect(quiet.length).toBeGreaterThan(0)
      for (const r of quiet) expect(Object.values(r.values).every((v) => v === null)).toBe(true)
    }
  })

  it('sums ZTL accesses by district and Rome hour of the day as computed from the readings, unauthorised transits and the demo gate left out', () => {
    const chart = panel<ChartPanel>(d, 'ztl-by-hour')
    expect(chart).toMatchObject({ chart: 'stacked', xKind: 'hour', measureId: 'ztlAccesses' })
    const expected = new Map<string, Map<number, number>>()
    const districtOf = new Map([gA, gB, gC].map((g) => [g.id, g.quartiere]))
    for (const r of gateReadings) {
      const q = districtOf.get(r.deviceId)!
      const hours = expected.get(q) ?? new Map<number, number>()
      expected.set(q, hours)
      hours.set(romeHour(r.observedAtMs), (hours.get(romeHour(r.observedAtMs)) ?? 0) + (r.values as { vehicles: number }).vehicles)
    }
    for (const [q, hours] of expected) {
      const series = chart.series.find((s) => s.id === q)!
      expect(series.points.map((p) => p.x)).toEqual(Array.from({ length: 24 }, (_, h) => h))
      expect(series.points).toEqual(Array.from({ length: 24 }, (_, h) => ({ x: h, y: hours.get(h) ?? null })))
    }
    const total = chart.series.flatMap((s) => s.points).reduce((a, p) => a + (p.y ?? 0), 0)
    expect(total).toBe(64)
    expect(panel<KpiPanel>(d, 'ztl').value).toBe(64)
  })

  it('gives ZTL accesses per district and statistical area, in the bar chart and the choropleth alike', () => {
    const bar = panel<ChartPanel>(d, 'ztl-by-district')
    expect(bar.categories!.map((c) => c.key)).toEqual(panel<ChoroplethPanel>(d, 'areas').levels.quartiere!.map((r) => r.areaId))
    const busiest = bar.series[0]!.points.find((p) => p.x === gA.quartiere)!
    expect(busiest.y).toBe(10 + 12 + 7 + 5 + 20)
    expect(bar.series[0]!.points.find((p) => p.x === gC.quartiere)!.y).toBe(4 + 6)
    const byArea = new Map<string, number>()
    for (const [g, n] of [[gA, 34], [gB, 20], [gC, 10]] as const) byArea.set(g.area, (byArea.get(g.area) ?? 0) + n)
    const rows = panel<ChoroplethPanel>(d, 'areas').levels.area_statistica!
    for (const [area, n] of byArea) expect(rows.find((r) => r.areaId === area)!.values.ztlAccesses).toBe(n)
  })

  it('gives traffic as means over the loops’ hours — flow, speed where measured, the congested share — without the demo loop', () => {
    expect(panel<KpiPanel>(d, 'flow').value).toBe((600 + 300 + 120) / 3)
    expect(panel<KpiPanel>(d, 'speed').value).toBe((10 + 50) / 2)
    const rows = panel<ChoroplethPanel>(d, 'areas').levels.quartiere!
    expect(rows.find((r) => r.areaId === l1.quartiere)!.values).toMatchObject({ flow: 450, speed: 30, congestedShare: 0.5 })
    expect(rows.find((r) => r.areaId === l2.quartiere)!.values).toMatchObject({ flow: 120, speed: null, congestedShare: 0 })
    const flow = panel<ChartPanel>(d, 'flow-hourly')
    expect(flow).toMatchObject({ chart: 'line', xKind: 'time' })
    expect(flow.series[0]!.points).toHaveLength(48)
    expect(flow.series[0]!.points.filter((p) => p.y !== null)).toEqual([
      { x: H - 2 * HOUR, y: (600 + 120) / 2 },
      { x: H - HOUR, y: 300 },
    ])
    expect(panel<ChartPanel>(d, 'speed-hourly').series[0]!.points.filter((p) => p.y !== null)).toEqual([
      { x: H - 2 * HOUR, y: 10 },
      { x: H - HOUR, y: 50 },
    ])
  })

  it('counts the city’s bicycles, not the demo counter’s', () => {
    expect(panel<KpiPanel>(d, 'bikes').value).toBe(120)
    expect(panel<ChoroplethPanel>(d, 'areas').levels.area_statistica!.find((r) => r.areaId === c1.area)!.values.bikes).toBe(120)
  })

  it('bounds the period by the theme’s maximum and refuses one out of range', async () => {
    expect((await dashboard('mobility', 31, NOW)).window).toEqual({ fromMs: H - (31 * 24 - 1) * HOUR, toMs: NOW, days: 31 })
    const res = await fetch(`${app.url}/api/public/dashboards/mobility?days=0`)
    expect(res.status).toBe(400)
  })
})

describe('the environment theme', () => {
  let d: ThemeDashboard
  beforeAll(async () => {
    d = await dashboard('environment', 7, ENV_NOW)
  })
  const seriesOf = (c: ChartPanel, id: string) => c.series.find((s) => s.id === id)

  it('lists the real stations only, and says why there is no map by area', async () => {
    const real = (await t.db.query<{ id: string }>(`SELECT id FROM device WHERE kind = 'air-quality' AND source <> 'generated'`)).rows.map((r) => r.id)
    const bar = panel<ChartPanel>(d, 'exceedances')
    expect(bar.categories!.map((c) => c.key).sort()).toEqual(real.sort())
    expect(d.panels.some((p) => p.kind === 'choropleth')).toBe(false)
    expect(panel<KpiPanel>(d, 'stations').note!.en).toMatch(/no map by area/)
    expect(d.sources.map((s) => s.attribution)).toContain('Fonte: ARPAE Emilia-Romagna')
  })

  it('draws the legal values as reference lines: PM10 50 a day, NO₂ 200 an hour, 35 days and 18 hours allowed, the annual limits', () => {
    expect(panel<ChartPanel>(d, 'pm10-daily').references.map((r) => r.value)).toEqual([50])
    expect(panel<ChartPanel>(d, 'no2-hourly').references.map((r) => r.value)).toEqual([200])
    expect(panel<ChartPanel>(d, 'exceedances').references.map((r) => r.value).sort((a, b) => a - b)).toEqual([18, 35])
    expect(panel<ChartPanel>(d, 'annual-means').references.map((r) => r.value).sort((a, b) => a - b)).toEqual([25, 40])
  })

  it('counts this year’s exceedances per station as seeded, the worst station in the KPIs against the allowed numbers', () => {
    const { s1, s2 } = stations
    const bar = panel<ChartPanel>(d, 'exceedances')
    const at = (series: string, station: string) => seriesOf(bar, series)!.points.find((p) => p.x === station)!.y
    expect([at('pm10-day', s1.id), at('no2-hour', s1.id), at('pm10-day', s2.id), at('no2-hour', s2.id)]).toEqual([3, 4, 1, 0])
    expect(panel<KpiPanel>(d, 'pm10-days')).toMatchObject({ value: 3, note: { en: expect.stringContaining(s1.name) } })
    expect(panel<KpiPanel>(d, 'pm10-days').note!.en).toMatch(/35 days a year above 50 µg\/m³ allowed/)
    expect(panel<KpiPanel>(d, 'no2-hours')).toMatchObject({ value: 4 })
    expect(panel<KpiPanel>(d, 'no2-hours').note!.en).toMatch(/18 hours a year above 200 µg\/m³ allowed/)
  })

  it('charts daily PM10 and hourly NO₂ per station over the period, and the year-to-date means', () => {
    const { s1, s2 } = stations
    const pm10 = seriesOf(panel<ChartPanel>(d, 'pm10-daily'), s1.id)!.points
    expect(pm10).toHaveLength(7)
    expect(pm10.filter((p) => p.y !== null)).toEqual([
      { x: Date.parse('2025-10-24T22:00:00Z'), y: 90 },
      { x: Date.parse('2025-10-25T22:00:00Z'), y: 50 },
    ])
    const no2 = seriesOf(panel<ChartPanel>(d, 'no2-hourly'), s1.id)!.points
    expect(no2).toHaveLength(7 * 24)
    expect(no2.find((p) => p.x === Date.parse('2025-10-27T09:00:00Z'))!.y).toBe(250)
    const ytd = panel<ChartPanel>(d, 'annual-means')
    expect(seriesOf(ytd, 'pm10-year')!.points.find((p) => p.x === s1.id)!.y).toBe((80 + 60 + 40 + 90 + 50) / 5)
    expect(seriesOf(ytd, 'no2-year')!.points.find((p) => p.x === s1.id)!.y).toBe((3 * 210 + 200 + 250) / 5)
    expect(seriesOf(ytd, 'no2-year')!.points.find((p) => p.x === s2.id)!.y).toBe(30)
  })

  it('counts the stations reporting now, not the demo station', () => {
    expect(panel<KpiPanel>(d, 'stations').value).toBe(2)
  })
})
