/**
 * Connectivity queries on PGlite or PostgreSQL: each device with its district and latest link
 * reading, and the link readings counted in a (from, to] window of the partitioned history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { linkReadingCounts, listAccessPoints } from './connectivity'
import { writeBatch, type ValidReading } from './readings'

const NOW = Math.floor(Date.now() / 60_000) * 60_000
const MIN = 60_000

const link = (deviceId: string, observedAtMs: number, status: 'up' | 'degraded' | 'down', connectedClients = 3): ValidReading => ({
  deviceId,
  kind: 'connectivity',
  stream: 'link',
  shape: 'link',
  seq: observedAtMs / 1000,
  observedAtMs,
  receivedAtMs: observedAtMs + 500,
  quality: 'good',
  values: { status, connectedClients, rxKbps: 120.5, txKbps: 80 },
})

let t: TestDb

beforeAll(async () => {
  t = await createTestDb()
  await t.db.exec(`
    INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
      ('quartiere-2', 'quartiere', '2', 'Navile', 'test', ST_MakeEnvelope(11.30, 44.50, 11.34, 44.53, 4326)),
      ('zona-9', 'zona', '9', 'Bolognina', 'test', ST_MakeEnvelope(11.30, 44.50, 11.34, 44.53, 4326));
    INSERT INTO device (id, kind, name, geom, expected_interval_s, source) VALUES
      ('net-a', 'connectivity', 'Router A', ST_SetSRID(ST_MakePoint(11.32, 44.51), 4326), 60, 'generated'),
      ('net-b', 'connectivity', 'Router B', ST_SetSRID(ST_MakePoint(11.60, 44.51), 4326), 60, 'generated'),
      ('ztl-a', 'ztl-gate', 'Gate A', ST_SetSRID(ST_MakePoint(11.32, 44.51), 4326), 300, 'open-data')`)
  await t.db.transaction((tx) =>
    writeBatch(tx, {
      readings: [
        link('net-a', NOW - 24 * 60 * MIN, 'down'), // exactly at the window's start: outside (from, to]
        link('net-a', NOW - 24 * 60 * MIN + MIN, 'up'),
        link('net-a', NOW - 30 * MIN, 'down'),
        link('net-a', NOW, 'degraded', 9), // exactly at the window's end: inside
        link('net-b', NOW - 48 * 60 * MIN, 'up'), // yesterday's yesterday: outside
      ],
      quarantine: [],
      registrations: [],
    }),
  )
}, 120_000)

afterAll(async () => {
  await t?.drop()
})

describe('listAccessPoints', () => {
  it('lists connectivity devices only, with the district (quartiere, not zona) and the latest link reading', async () => {
    const rows = await listAccessPoints(t.db)
    expect(rows).toEqual([
      {
        deviceId: 'net-a',
        name: 'Router A',
        position: [11.32, 44.51],
        expectedIntervalS: 60,
        district: 'Navile',
        link: { observedAtMs: NOW, quality: 'good', values: { status: 'degraded', connectedClients: 9, rxKbps: 120.5, txKbps: 80 } },
      },
      { deviceId: 'net-b', name: 'Router B', position: [11.6, 44.51], expectedIntervalS: 60, district: null, link: { observedAtMs: NOW - 48 * 60 * MIN, quality: 'good', values: expect.objectContaining({ status: 'up' }) } },
    ])
  })
})

describe('linkReadingCounts', () => {
  it('counts the readings in (from, to] and those with status up; devices without any are absent', async () => {
    const counts = await linkReadingCounts(t.db, NOW - 24 * 60 * MIN, NOW)
    expect([...counts]).toEqual([['net-a', { readings: 3, up: 1 }]])
  })

  it('counts nothing in a window with no reading', async () => {
    expect((await linkReadingCounts(t.db, NOW + MIN, NOW + 60 * MIN)).size).toBe(0)
  })
})
