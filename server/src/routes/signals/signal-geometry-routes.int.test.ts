/**
 * The junction on the map over real HTTP, on the embedded database or PostgreSQL (test:services):
 * Bologna's joined SUMO network imported with the real importer, controller 210 derived from the
 * real files as bologna-signal-plans does. Every group with lanes gets its lanes' features, drawn
 * towards the stop line; the polygons of the junctions its links cross are there; a controller with
 * no network gives an empty collection; unknown controllers and missing permissions are refused.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../../contracts/access'
import { SignalGeometrySchema, type SignalGeometry, type SignalJunctionFeature, type SignalLaneFeature } from '../../../../contracts/signal-api'
import { SignalControllerSchema, SignalPlanSchema, type SignalController } from '../../../../contracts/schemas/signal-plan'
import { junction, plan } from '../../../../contracts/signal-safety/testing/signal-factories'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { deriveSignalModel } from '../../../../geodata/src/sumo/signal-model'
import { parseSumoAdditional } from '../../../../geodata/src/sumo/sumo-additional-parser'
import { parseSumoNet } from '../../../../geodata/src/sumo/sumo-net-parser'
import type { SumoNet } from '../../../../geodata/src/sumo/sumo-net'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import { importController } from '../../db/signals'
import { mountSignalGeometryRoutes } from './signal-geometry-routes'

const JOINED = path.join(CITY_DATA_DIR, 'sumo-bologna', 'joined')
const NET = 'sumo-joined'
const NOW = Date.parse('2025-03-12T10:00:00Z')
const system = { actor: 'system:import', actorRole: 'system' }

let t: TestDb
let app: RouteApp
let net: SumoNet
let controller: SignalController
const cookies: Record<string, string> = {}
const call = <T = unknown>(p: string, who: string | null) => app.call<T>('GET', p, who ? cookies[who]! : null)

beforeAll(async () => {
  t = await createTestDb()
  await importDataset(t.db, NET, path.join(JOINED, 'joined_buslanes.net.xml'))
  net = parseSumoNet(readFileSync(path.join(JOINED, 'joined_buslanes.net.xml'), 'utf8'), 'joined_buslanes.net.xml').net
  const programs = parseSumoAdditional(readFileSync(path.join(JOINED, 'joined_tls.add.xml'), 'utf8'), 'joined_tls.add.xml').additional.tlLogics
  const m = deriveSignalModel(net, '210', programs, { importedAt: '2025-03-01T00:00:00Z' })
  controller = SignalControllerSchema.parse({ ...m.controller, networkId: NET })
  await t.db.transaction((tx) => importController(tx, { controller, plans: m.plans.map((p) => SignalPlanSchema.parse(p)), networkId: NET, deviceId: null, dataset: 'bologna-signal-plans' }, system, NOW))
  // A controller made in Gemello, with no SUMO network behind it.
  await t.db.transaction((tx) => importController(tx, { controller: SignalControllerSchema.parse(junction()), plans: [SignalPlanSchema.parse(plan())], networkId: null, deviceId: null, dataset: 'test' }, system, NOW))
  app = await serveRoutes(t.db, (a) => mountSignalGeometryRoutes(a, { db: t.db }))
  const accounts: Array<[string, Role[]]> = [['op-verdi', ['operator']], ['gis-gialli', ['gis_editor']]]
  for (const [name, roles] of accounts) cookies[name] = await app.account(name, roles)
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

const lanesOf = (g: SignalGeometry) => g.features.filter((f): f is SignalLaneFeature => f.properties.kind === 'lane')
const junctionsOf = (g: SignalGeometry) => g.features.filter((f): f is SignalJunctionFeature => f.properties.kind === 'junction')
const dist2 = (a: readonly number[], b: readonly number[]) => (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2

describe('the geometry of controller 210', () => {
  let geometry: SignalGeometry

  beforeAll(async () => {
    const r = await call<SignalGeometry>('/api/signal-controllers/210/geometry', 'op-verdi')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/geo+json')
    geometry = SignalGeometrySchema.parse(r.body)
  })

  it('has every lane of every group with lanes, with the group’s id, type and movement', () => {
    const withLanes = controller.signalGroups.filter((g) => g.lanes.length > 0)
    expect(withLanes.length).toBeGreaterThanOrEqual(10)
    const got = lanesOf(geometry).map((f) => `${f.properties.groupId} ${f.properties.laneId}`)
    expect(got).toEqual(withLanes.flatMap((g) => g.lanes.map((l) => `${g.id} ${l}`)))
    for (const f of lanesOf(geometry)) {
      const g = controller.signalGroups.find((x) => x.id === f.properties.groupId)!
      expect(f.properties).toMatchObject({ type: g.type, turn: g.turn })
    }
    // A lane two groups share (the left turn lane of a43[1]) is there once per group.
    expect(got).toEqual(expect.arrayContaining(['S3 a43[1]_2', 'S4 a43[1]_2']))
  })

  it('gives the polygon of each junction the controller’s links cross, in Bologna', () => {
    // Independently of the query: the junction of each link's internal lane (":<junction>_<link>_<lane>").
    const links = new Set(controller.signalGroups.flatMap((g) => g.links))
    const viaJunctions = new Set(net.connections.filter((c) => c.tl === '210' && c.linkIndex !== null && links.has(c.linkIndex) && c.via).map((c) => c.via!.replace(/^:/, '').replace(/_\d+_\d+$/, '')))
    const withShape = [...viaJunctions].filter((id) => (net.junctions.find((j) => j.id === id)?.shape?.length ?? 0) >= 3).sort()
    expect(withShape.length).toBeGreaterThan(0)
    expect(junctionsOf(geometry).map((f) => f.properties.junctionId)).toEqual(withShape)
    for (const f of junctionsOf(geometry)) {
      const ring = f.geometry.coordinates[0]!
      expect(ring[0]).toEqual(ring.at(-1))
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThan(11.2)
        expect(lon).toBeLessThan(11.5)
        expect(lat).toBeGreaterThan(44.4)
        expect(lat).toBeLessThan(44.6)
      }
    }
  })

  it('draws each lane towards its stop line: it ends at the junction it enters, nearer it than it starts', () => {
    for (const f of lanesOf(geometry)) {
      const entered = net.junctions.find((j) => j.incLanes.includes(f.properties.laneId))!
      const polygon = junctionsOf(geometry).find((j) => j.properties.junctionId === entered.id)
      expect(polygon, `the junction ${f.properties.laneId} enters`).toBeDefined()
      const nearest = (p: readonly number[]) => Math.min(...polygon!.geometry.coordinates[0]!.map((c) => dist2(p, c)))
      const line = f.geometry.coordinates
      expect(nearest(line.at(-1)!), f.properties.laneId).toBeLessThan(nearest(line[0]!))
    }
  })
})

describe('other controllers and who may ask', () => {
  it('gives an empty collection for a controller with no SUMO network', async () => {
    const r = await call<SignalGeometry>('/api/signal-controllers/J1/geometry', 'op-verdi')
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ type: 'FeatureCollection', features: [] })
  })

  it('answers NOT_FOUND for an unknown controller and VALIDATION_FAILED for a malformed id', async () => {
    const missing = await call('/api/signal-controllers/999/geometry', 'op-verdi')
    expect(missing.status).toBe(404)
    expect(missing.error!.code).toBe('NOT_FOUND')
    expect(missing.error!.message).toContain('GET /api/signal-controllers')
    const bad = await call(`/api/signal-controllers/${'x'.repeat(41)}/geometry`, 'op-verdi')
    expect(bad.status).toBe(400)
    expect(bad.error!.code).toBe('VALIDATION_FAILED')
  })

  it('needs a session and signal-plan:read', async () => {
    expect((await call('/api/signal-controllers/210/geometry', null)).error!.code).toBe('UNAUTHENTICATED')
    expect((await call('/api/signal-controllers/210/geometry', 'gis-gialli')).error!.code).toBe('FORBIDDEN')
  })
})
