/**
 * The ZTL-accesses and scenario-results datasets on a real database (PGlite, or PostgreSQL under
 * test:services): the hourly sums of two of Bologna's real ZTL gates over two hours, worked out by hand,
 * from raw readings and 1-hour rollups, without the unauthorized counts; the KPIs of a published
 * scenario's latest version and nothing of a draft, an older version, a stale estimate or a person;
 * and a refresh that publishes both without a refusal, the catalogue passing SHACL.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDeniedColumn } from '../../../../contracts/opendata-api'
import { ScenarioEstimateSchema, type KpisDto, type ScenarioEstimateDto } from '../../../../contracts/scenario-api'
import { ScenarioSchema, type Scenario } from '../../../../contracts/schemas/scenario'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import type { OpenDataConfig } from '../../config/config'
import { gateHoursByGroup } from '../../db/dashboards'
import { publishedDatasets } from '../../db/opendata'
import { writeBatch, type ValidReading } from '../../db/readings'
import { createScenario, saveScenarioVersion, setScenarioStatus, storeEstimate } from '../../db/scenarios'
import { runRollups } from '../../jobs/rollup-job'
import { refreshOpenData } from '../opendata-refresh'
import { privacyRefusal } from '../privacy-guard'
import type { DatasetRead } from './dataset-definition'
import { describeBase, scenarioResultsDataset } from './scenario-datasets'
import { ztlAccessesDataset } from './ztl-datasets'

const HOUR = 3_600_000
const MIN = 60_000
const NOW = Math.floor(Date.now() / HOUR) * HOUR + 20 * MIN
/** The two whole hours written, before the current one. */
const H0 = Math.floor(NOW / HOUR) * HOUR - 2 * HOUR
const H1 = H0 + HOUR
const ctx = { nowMs: NOW, historyDays: 2 }
const config: OpenDataConfig = {
  publisherName: 'Comune di Bologna', ipaCode: 'c_a944', place: { name: 'Bologna', geonames: 'http://sws.geonames.org/3181928/' }, contactName: 'Comune di Bologna – Open data', contactEmail: 'opendata@comune.bologna.it',
  baseUrl: 'https://gemello.example.it', refreshMs: HOUR, historyDays: 2, shapesDir: path.resolve(CITY_DATA_DIR, '..', 'specs', 'dcat-ap-it'),
}
const log = { info: () => undefined, warn: () => undefined, error: () => undefined }
const PLANNER = { actor: 'plan-neri', actorRole: 'planner', requestId: null }
const PUBLISHER = { actor: 'eng-gialli', actorRole: 'traffic_engineer', requestId: null }

let t: TestDb
let gateA: string
let gateB: string

const gate = (deviceId: string, at: number, vehicles: number, unauthorized: number): ValidReading => ({
  deviceId, kind: 'ztl-gate', stream: 'gate', shape: 'gate', seq: at / 1000, observedAtMs: at, receivedAtMs: at + 2000, quality: 'good',
  values: { status: 'operational', intervalS: 300, vehicles, unauthorized },
})

async function writeAndRoll(readings: ValidReading[]): Promise<void> {
  await t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
  for (let i = 0; i < 200; i++) if ((await t.db.transaction((tx) => runRollups(tx))).queueRows === 0) return
}

const kpis = (scale: number): KpisDto => ({
  vehKm: 120_000 * scale, vehHours: 3000 * scale, meanSpeedKmh: 40 / scale, delayVehHours: 800 * scale, unservedVehH: 0,
  linksOverCapacity: Math.round(40 * scale), co2Kg: 21_000 * scale, noxKg: 52.5 * scale, pm25Kg: 1.25 * scale,
})

/** A cached estimate as the estimator returns it: the base's KPIs against the scenario's at `scale` × the base. */
function estimate(doc: Scenario, version: number, hour: number, scale: number, computedAtMs: number): ScenarioEstimateDto {
  const base = kpis(1)
  const result = kpis(scale)
  const compare = Object.fromEntries(
    (Object.keys(base) as Array<keyof KpisDto>).map((k) => [k, { base: base[k], scenario: result[k], delta: result[k] - base[k], percent: base[k] === 0 ? null : ((result[k] - base[k]) / base[k]) * 100 }]),
  )
  return ScenarioEstimateSchema.parse({
    scenario: { id: doc.id, version, title: doc.title, network: 'city', base: doc.base },
    hour,
    calibration: { fitShare: 0.9, fits: true, meanGeh: 2.1, rmseVehH: 80, loops: [], window: null },
    base,
    result,
    compare,
    assignment: { algorithm: 'conjugate Frank-Wolfe', iterations: 12, relativeGap: 1e-4, converged: true, zones: 194, links: 11589, demandVehH: 47_857, scenarioDemandVehH: 47_857 },
    problems: [],
    unsupported: [],
    inactiveEdits: [],
    durationMs: 900,
    computedAtMs,
  })
}

const costa = ScenarioSchema.parse({
  id: 'costa-works', title: 'Cantiere in via Andrea Costa', base: { kind: 'observed', date: '2024-03-15', hour: 8 },
  edits: [{ kind: 'close-road', edges: ['osm-1', 'osm-2'], fromHour: 7, toHour: 10 }], assumptions: ['Deviazione segnalata da Paolo Bianchi in via Saffi'],
})
const draft = ScenarioSchema.parse({ id: 'saffi-draft', title: 'Bozza via Saffi', base: { kind: 'typical', dayType: 'weekday', hour: 17 } })
let publishedAtMs: number

beforeAll(async () => {
  t = await createTestDb()
  await importDataset(t.db, 'bologna-ztl-gates', path.join(CITY_DATA_DIR, datasetById('bologna-ztl-gates')!.file), { cityDataDir: CITY_DATA_DIR })
  const gates = (await t.db.query<{ id: string }>(`SELECT id FROM device WHERE kind = 'ztl-gate' AND source <> 'generated' ORDER BY id LIMIT 2`)).rows.map((r) => r.id)
  ;[gateA, gateB] = gates as [string, string]
  await writeAndRoll([
    gate(gateA, H0, 10, 1), gate(gateA, H0 + 5 * MIN, 12, 0), gate(gateA, H1 + 30 * MIN, 7, 2),
    gate(gateB, H0 + 55 * MIN, 20, 3), gate(gateB, H1 + 10 * MIN, 5, 0), gate(gateB, H1 + 15 * MIN, 6, 4),
  ])

  // Estimates computed after the city data import, as the cache serves them; one from before it.
  const at = Date.now()
  await createScenario(t.db, { document: costa, note: 'prima bozza di Mario Rossi' }, PLANNER, at)
  await storeEstimate(t.db, costa.id, 1, estimate(costa, 1, 8, 1.5, at))
  await saveScenarioVersion(t.db, costa.id, { document: { ...costa, title: 'Cantiere in via Andrea Costa, fase 2' }, baseVersion: 1, note: 'chiusa anche la corsia bus' }, PLANNER, at + 1000)
  await storeEstimate(t.db, costa.id, 2, estimate(costa, 2, 8, 1.1, at + 1000))
  await storeEstimate(t.db, costa.id, 2, estimate(costa, 2, 17, 1.2, at + 2000))
  await storeEstimate(t.db, costa.id, 2, estimate(costa, 2, 9, 2, at - 10 * 86_400_000))
  publishedAtMs = at + 3000
  await setScenarioStatus(t.db, costa.id, 'published', PUBLISHER, publishedAtMs)
  await createScenario(t.db, { document: draft, note: '' }, PLANNER, at)
  await storeEstimate(t.db, draft.id, 1, estimate(draft, 1, 17, 0.9, at))
}, 300_000)

afterAll(async () => {
  await t?.drop()
})

const noPersonalData = (read: DatasetRead, def: typeof ztlAccessesDataset) => {
  expect(def.columns.filter((c) => isDeniedColumn(c.name))).toEqual([])
  expect(privacyRefusal(def, read.rows)).toBeNull()
}

describe('accessi-ztl-orario', () => {
  it('gives each gate’s vehicles and readings per hour, summed from raw readings and rollups, without unauthorized transits', async () => {
    const read = await ztlAccessesDataset.read(t.db, ctx)
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
    // Gate A: 10 + 12 in H0, 7 in H1; gate B: 20 in H0, 5 + 6 in H1.
    expect(read.rows.map((r) => r.properties)).toEqual([
      { device_id: gateA, hour_start: iso(H0), vehicles: 22, readings: 2 },
      { device_id: gateA, hour_start: iso(H1), vehicles: 7, readings: 1 },
      { device_id: gateB, hour_start: iso(H0), vehicles: 20, readings: 1 },
      { device_id: gateB, hour_start: iso(H1), vehicles: 11, readings: 2 },
    ])
    expect(read.rows.every((r) => r.geometry === null)).toBe(true)
    expect(read.temporal).toEqual({ startMs: H0, endMs: H1 + HOUR })
    expect(ztlAccessesDataset.columns.map((c) => c.name)).toEqual(['device_id', 'hour_start', 'vehicles', 'readings'])
    expect(JSON.stringify(read.rows)).not.toMatch(/unauthori[sz]ed/i)
    noPersonalData(read, ztlAccessesDataset)
  })

  it('reads the same hours from rollups as from raw history, and sums gates per group', async () => {
    const members = [{ deviceId: gateA, group: 'zone' }, { deviceId: gateB, group: 'zone' }]
    const auto = await gateHoursByGroup(t.db, members, H0, H1 + HOUR, NOW)
    expect(auto).toEqual(await gateHoursByGroup(t.db, members, H0, H1 + HOUR, NOW, { source: 'raw' }))
    expect(auto).toEqual([
      { group: 'zone', tMs: H0, gates: 2, vehicles: 42, readings: 3 },
      { group: 'zone', tMs: H1, gates: 2, vehicles: 18, readings: 3 },
    ])
  })
})

describe('scenari-risultati', () => {
  it('publishes the latest version of published scenarios only, one row per hour with a current estimate, with its KPIs and their deltas', async () => {
    const read = await scenarioResultsDataset.read(t.db, ctx)
    expect(read.temporal).toBeNull()
    expect(read.rows.map((r) => [r.properties.scenario_id, r.properties.version, r.properties.hour])).toEqual([['costa-works', 2, 8], ['costa-works', 2, 17]])
    const [at8, at17] = read.rows.map((r) => r.properties)
    expect(at8).toMatchObject({
      title: 'Cantiere in via Andrea Costa, fase 2', network: 'city', base: 'giorno osservato 2024-03-15, ore 08',
      veh_km: 132_000, veh_km_delta: 12_000, veh_hours: 3300, veh_hours_delta: 300, mean_speed_kmh: 36.36, mean_speed_kmh_delta: -3.64,
      delay_veh_hours: 880, delay_veh_hours_delta: 80, unserved_veh_h: 0, unserved_veh_h_delta: 0, links_over_capacity: 44, links_over_capacity_delta: 4,
      co2_kg: 23_100, co2_kg_delta: 2100, nox_kg: 57.75, nox_kg_delta: 5.25, pm25_kg: 1.375, pm25_kg_delta: 0.125,
      published_at: new Date(publishedAtMs).toISOString(),
    })
    expect(at17).toMatchObject({ hour: 17, veh_km: 144_000, veh_km_delta: 24_000, co2_kg: 25_200, links_over_capacity: 48 })
    expect(Object.keys(at8!).sort()).toEqual(scenarioResultsDataset.columns.map((c) => c.name).sort())
  })

  it('carries no author, publisher, note, assumption nor any column the guard denies', async () => {
    const read = await scenarioResultsDataset.read(t.db, ctx)
    const text = JSON.stringify(read.rows)
    for (const s of ['plan-neri', 'eng-gialli', 'Mario', 'Rossi', 'Paolo', 'Bianchi', 'corsia bus', 'Deviazione']) expect(text).not.toContain(s)
    for (const name of ['author', 'created_by', 'status_changed_by', 'note', 'assumptions', 'actor', 'username']) expect(read.rows[0]!.properties).not.toHaveProperty(name)
    noPersonalData(read, scenarioResultsDataset)
  })

  it('describes a typical base in words', () => {
    expect(describeBase({ kind: 'typical', dayType: 'sunday', hour: 7, fromDate: '2024-01-01', toDate: '2024-03-31' })).toBe('profilo tipico domenica e festivi, ore 07 (2024-01-01 – 2024-03-31)')
    expect(describeBase({ kind: 'typical', dayType: 'weekday', hour: 17 })).toBe('profilo tipico feriale, ore 17')
  })
})

describe('the refresh', () => {
  it('publishes both datasets without a refusal, and the catalogue passes SHACL', async () => {
    const s = await refreshOpenData({ db: t.db, config, log, datasets: [ztlAccessesDataset, scenarioResultsDataset] }, NOW)
    expect(s.refused).toEqual([])
    expect(s.published).toEqual(['accessi-ztl-orario', 'scenari-risultati'])
    expect(s.validation).toMatchObject({ validated: true, conforms: true, violations: [] })
    const published = await publishedDatasets(t.db)
    expect(published.get('accessi-ztl-orario')).toMatchObject({ rowCount: 4, temporal: { startMs: H0, endMs: H1 + HOUR } })
    expect(published.get('scenari-risultati')).toMatchObject({ rowCount: 2, temporal: null })
  })
})
