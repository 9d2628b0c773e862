/**
 * Connectivity over real HTTP and the real database (PGlite, or PostgreSQL under test:services),
 * on generated link readings with known answers: each device's state (a silent one included), the
 * district summary, the 24-hour availability, and the outage map.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectivityResponse, OutageCollection } from '../../../../contracts/camera-api'
import { writeBatch, type ValidReading } from '../../db/readings'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { mountConnectivityRoutes, presentAccessPoint } from './connectivity-routes'

const NOW = Math.floor(Date.now() / 60_000) * 60_000
const MIN = 60_000
/** The devices report every 10 minutes: silent after 10 × 10 min = 100 min. */
const INTERVAL_S = 600
const STEP = INTERVAL_S * 1000

type Status = 'up' | 'degraded' | 'down'
const link = (deviceId: string, observedAtMs: number, status: Status, connectedClients: number): ValidReading => ({
  deviceId,
  kind: 'connectivity',
  stream: 'link',
  shape: 'link',
  seq: observedAtMs / 1000,
  observedAtMs,
  receivedAtMs: observedAtMs + 400,
  quality: 'good',
  values: { status, connectedClients, rxKbps: 2048, txKbps: 512.5 },
})

/** Readings every 10 min at NOW − k·10 min for k in [first, last], status by k. */
function series(deviceId: string, first: number, last: number, status: (k: number) => Status, clients: number): ValidReading[] {
  const out: ValidReading[] = []
  for (let k = last; k >= first; k--) out.push(link(deviceId, NOW - k * STEP, status(k), clients))
  return out
}

let t: TestDb
let app: RouteApp
let url: string
let cookie: string

beforeAll(async () => {
  t = await createTestDb()
  await t.db.exec(`
    INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
      ('quartiere-2', 'quartiere', '2', 'Navile', 'test', ST_MakeEnvelope(11.30, 44.50, 11.34, 44.53, 4326)),
      ('quartiere-1', 'quartiere', '1', 'Santo Stefano', 'test', ST_MakeEnvelope(11.34, 44.48, 11.38, 44.50, 4326));
    INSERT INTO device (id, kind, name, geom, expected_interval_s, source) VALUES
      ('net-a', 'connectivity', 'AP A', ST_SetSRID(ST_MakePoint(11.31, 44.51), 4326), ${INTERVAL_S}, 'generated'),
      ('net-b', 'connectivity', 'AP B', ST_SetSRID(ST_MakePoint(11.32, 44.52), 4326), ${INTERVAL_S}, 'generated'),
      ('net-c', 'connectivity', 'AP C', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), ${INTERVAL_S}, 'generated'),
      ('net-d', 'connectivity', 'AP D', ST_SetSRID(ST_MakePoint(11.36, 44.49), 4326), ${INTERVAL_S}, 'generated'),
      ('net-e', 'connectivity', 'AP E', ST_SetSRID(ST_MakePoint(11.50, 44.60), 4326), ${INTERVAL_S}, 'generated'),
      ('ztl-a', 'ztl-gate', 'Gate A', ST_SetSRID(ST_MakePoint(11.31, 44.51), 4326), 300, 'open-data')`)
  const readings = [
    // Navile. A: 144 readings in the window (k = 0…143), every 4th degraded → 108 up; the last (k = 0)
    // degraded. The reading at k = 144 is exactly 24 h old: outside the window (from, to].
    ...series('net-a', 0, 144, (k) => (k % 4 === 0 ? 'degraded' : 'up'), 12),
    // B: 72 readings (last 12 h), down for the last hour (k = 0…5) → 66 up; one reading 30 h ago, outside.
    link('net-b', NOW - 30 * 60 * MIN, 'up', 4),
    ...series('net-b', 0, 71, (k) => (k < 6 ? 'down' : 'up'), 0),
    // Santo Stefano. C: all up but silent since 2 h (k = 12…143 → 132 readings); D: never reported.
    ...series('net-c', 12, 143, () => 'up', 30),
    // Outside every district. E: one reading 5 minutes ago, up.
    link('net-e', NOW - 5 * MIN, 'up', 5),
  ]
  await t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))

  app = await serveRoutes(t.db, (a) => mountConnectivityRoutes(a, { db: t.db, now: () => NOW }))
  url = app.url
  cookie = await app.account('net-planner', ['planner'])
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

const get = (path: string, withCookie = true) => fetch(`${url}${path}`, { headers: withCookie ? { cookie } : {} })

describe('GET /api/connectivity', () => {
  let body: ConnectivityResponse
  beforeAll(async () => {
    const res = await get('/api/connectivity')
    expect(res.status).toBe(200)
    body = (await res.json()) as ConnectivityResponse
  })

  it('shows each access point with its state, clients, throughput, data age and 24-hour availability', () => {
    expect(body.serverTimeMs).toBe(NOW)
    expect(body.window).toEqual({ fromMs: NOW - 24 * 60 * MIN, toMs: NOW })
    expect(body.accessPoints.map((p) => p.deviceId)).toEqual(['net-a', 'net-b', 'net-c', 'net-d', 'net-e'])
    const [a, b, c, d, e] = body.accessPoints
    expect(a).toEqual({
      deviceId: 'net-a',
      name: 'AP A',
      position: [11.31, 44.51],
      district: 'Navile',
      state: 'degraded',
      linkStatus: 'degraded',
      connectedClients: 12,
      rxKbps: 2048,
      txKbps: 512.5,
      observedAtMs: NOW,
      dataAgeMs: 0,
      quality: 'good',
      expectedIntervalS: INTERVAL_S,
      availability: 108 / 144,
      readings: 144,
    })
    expect(b).toMatchObject({ state: 'down', linkStatus: 'down', connectedClients: 0, availability: 66 / 72, readings: 72 })
    expect(c).toMatchObject({ district: 'Santo Stefano', state: 'silent', linkStatus: 'up', dataAgeMs: 120 * MIN, quality: 'bad_no_comm', availability: 1, readings: 132 })
    expect(d).toMatchObject({ district: 'Santo Stefano', state: 'silent', linkStatus: null, connectedClients: null, observedAtMs: null, dataAgeMs: null, quality: null, availability: null, readings: 0 })
    expect(e).toMatchObject({ district: null, state: 'up', dataAgeMs: 5 * MIN, connectedClients: 5, availability: 1, readings: 1 })
  })

  it('summarises per district: up, degraded, down, silent, clients now and availability over the last 24 h', () => {
    expect(body.districts).toEqual([
      { district: 'Navile', devices: 2, up: 0, degraded: 1, down: 1, silent: 0, clients: 12, availability: (108 + 66) / (144 + 72), readings: 216 },
      // C's 30 clients are 2 hours old: not counted as connected now.
      { district: 'Santo Stefano', devices: 2, up: 0, degraded: 0, down: 0, silent: 2, clients: 0, availability: 1, readings: 132 },
      { district: null, devices: 1, up: 1, degraded: 0, down: 0, silent: 0, clients: 5, availability: 1, readings: 1 },
    ])
    expect(body.total).toEqual({ district: null, devices: 5, up: 1, degraded: 1, down: 1, silent: 2, clients: 17, availability: (108 + 66 + 132 + 1) / 349, readings: 349 })
  })

  it('counts a device silent after more than 10 expected intervals, not at 10', () => {
    const row = { deviceId: 'x', name: 'x', position: [0, 0] as [number, number], expectedIntervalS: INTERVAL_S, district: null }
    const at = (ageMs: number) => presentAccessPoint({ ...row, link: { observedAtMs: NOW - ageMs, quality: 'good', values: { status: 'up', connectedClients: 1, rxKbps: 1, txKbps: 1 } } }, undefined, NOW).state
    expect(at(100 * MIN)).toBe('up')
    expect(at(100 * MIN + 1)).toBe('silent')
  })

  it('is refused to the public', async () => {
    expect((await get('/api/connectivity', false)).status).toBe(401)
  })
})

describe('GET /api/connectivity/outages.geojson', () => {
  it('is a GeoJSON FeatureCollection of the devices down or silent', async () => {
    const res = await get('/api/connectivity/outages.geojson')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    const fc = (await res.json()) as OutageCollection
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features.map((f) => [f.id, f.properties.state])).toEqual([
      ['net-b', 'down'],
      ['net-c', 'silent'],
      ['net-d', 'silent'],
    ])
    expect(fc.features[0]).toEqual({
      type: 'Feature',
      id: 'net-b',
      geometry: { type: 'Point', coordinates: [11.32, 44.52] },
      properties: { deviceId: 'net-b', name: 'AP B', district: 'Navile', state: 'down', linkStatus: 'down', observedAtMs: NOW, dataAgeMs: 0 },
    })
  })
})
