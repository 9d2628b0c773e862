/**
 * The whole product in one process, as `npm start` runs it, on the real Bologna data: embedded
 * PGlite + aedes by default, PostgreSQL + Mosquitto under `npm run test:services`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import mqtt from 'mqtt'
import pino from 'pino'
import pg from 'pg'
import SwaggerParser from '@apidevtools/swagger-parser'
import { io as connect } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AboutResponseSchema, ListScenesResponseSchema, DeviceWithStateSchema, HistoryResponseSchema, ListDevicesResponseSchema, QuarantineResponseSchema, ReadyResponseSchema } from '../../contracts/api'
import { ErrorEnvelopeSchema } from '../../contracts/errors'
import { AlarmChangedSchema, AlarmSchema, ListAlarmsResponseSchema, ListRulesResponseSchema, type Alarm } from '../../contracts/alarm-api'
import { SceneSchema } from '../../contracts/schemas/scene'
import { PROTOCOL_VERSION, SnapshotSchema, type Snapshot } from '../../contracts/events'
import { loadConfig } from '../../server/src/config/config'
import { DbBootError } from '../../server/src/db/adapter'
import { startEmbeddedBroker } from '../../server/src/broker/broker'
import { startGemello, type Gemello } from '../../server/src/app/gemello'
import { createTestDb, type TestDb } from '../helpers/test-db'
import { dropSessions } from '../helpers/test-broker'
import { CITY_DATA_DIR, TEST_DATABASE_URL, TEST_MQTT_URL, TEST_TARGET } from '../helpers/test-env'
import { waitFor } from '../helpers/wait-for'
import { TEST_DEVICE_KEY, testKeyring } from '../helpers/test-mqtt-identity'
import { declaredRoutes, undeclaredRoutes } from '../../server/src/http/access'
import { can, STAFF_ROLES, type Role } from '../../contracts/access'
import { staffSession } from '../helpers/staff-session'
import { signInAdmin, TEST_ADMIN_ENV } from '../helpers/staff-session'

let g: Gemello
let dataDir: string
let testDb: TestDb | null = null
/** The admin's session cookie: the live map and the ingest views need a signed-in user. */
let cookie = ''
const json = async (p: string) => {
  const r = await fetch(`${g.url}${p}`, { headers: { cookie } })
  return { status: r.status, body: (await r.json()) as unknown }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gemello-it-'))
  const env: NodeJS.ProcessEnv = { ...TEST_ADMIN_ENV, PORT: '0', MQTT_PORT: '0', DATA_DIR: dataDir, CITY_DATA_DIR, SIMULATOR: 'on', LOG_LEVEL: 'warn', INGEST_CLIENT_ID: `gemello-it-${process.pid}`, INGEST_SHARE_GROUP: `it-${process.pid}`,
    // The route × role matrix sends every declared route five methods as the public, well over 600 a minute from one address.
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000' }
  if (TEST_TARGET === 'services') {
    testDb = await createTestDb()
    await testDb.db.close()
    env.DATABASE_URL = testDb.url!
    env.MQTT_URL = TEST_MQTT_URL
    env.DEVICE_KEY = TEST_DEVICE_KEY
  }
  g = await startGemello(loadConfig(env), { log: pino({ level: 'warn' }), clientDir: null })
  cookie = await signInAdmin(g.url)
}, 240_000)

afterAll(async () => {
  await g?.stop()
  if (TEST_TARGET === 'services') await dropSessions(TEST_MQTT_URL, [`gemello-it-${process.pid}`, `gemello-it-${process.pid}-cmd`])
  rmSync(dataDir, { recursive: true, force: true })
  if (testDb) await testDb.drop().catch(() => undefined)
})

describe('Gemello on the Bologna data', () => {
  it('is ready, with the real city loaded and its attributions', async () => {
    const ready = await json('/readyz')
    expect(ready.status).toBe(200)
    expect(ReadyResponseSchema.parse(ready.body).status).toBe('ready')
    const about = AboutResponseSchema.parse((await json('/api/about')).body)
    expect(about.city).toMatchObject({ name: 'Bologna', data: 'real' })
    expect(about.mode.database).toBe(TEST_TARGET === 'services' ? 'server' : 'embedded')
    expect(about.attributions.map((a) => a.text)).toEqual(expect.arrayContaining(['Fonte: Comune di Bologna – opendata.comune.bologna.it, CC BY 4.0', 'Fonte: ARPAE Emilia-Romagna']))
  })

  it('lists the real devices: every loop of the registry, the gates, the bike counters, the ARPAE stations', async () => {
    const count = async (kind: string) => ListDevicesResponseSchema.parse((await json(`/api/devices?kind=${kind}&limit=1`)).body).total
    expect(await count('traffic-loop')).toBeGreaterThanOrEqual(863)
    expect(await count('ztl-gate')).toBe(79)
    expect(await count('bike-counter')).toBe(24)
    expect(await count('air-quality')).toBe(5)
    const loop = DeviceWithStateSchema.parse((await json('/api/devices/loop-450')).body)
    expect(loop.position[0]).toBeCloseTo(11.3462080467851, 9)
    expect(loop.position[1]).toBeCloseTo(44.508210897842, 9)
    expect(loop.props.codiceSpira).toBe('3.21 3.24 4 1')
  })

  it('filters devices by bounding box', async () => {
    const box = ListDevicesResponseSchema.parse((await json('/api/devices?bbox=11.345,44.507,11.348,44.510&limit=100')).body)
    expect(box.devices.map((d) => d.id)).toContain('loop-450')
    for (const d of box.devices) {
      expect(d.position[0]).toBeGreaterThanOrEqual(11.345)
      expect(d.position[1]).toBeLessThanOrEqual(44.51)
    }
  })

  it('turns a reading published from outside into stored history, latest state and a live delta', async () => {
    const sock = connect(`${g.url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], extraHeaders: { cookie } })
    const snapshot = await new Promise<Snapshot>((resolve) => {
      sock.on('live:snapshot', resolve)
      sock.emit('live:subscribe', { layers: ['traffic-loop'], cadenceMs: 50 }, () => undefined)
    })
    expect(SnapshotSchema.parse(snapshot).devices.length).toBeGreaterThanOrEqual(863)
    let seen: number | null = null
    sock.on('live:delta', (d) => {
      for (const s of d.states) if (s.deviceId === 'loop-450' && s.values.flowVehH === 1234) seen = s.observedAtMs
    })
    // Each device connects as itself (username = device id, password derived from the device key).
    const asDevice = async (id: string) => mqtt.connectAsync(g.broker.url, { ...(await g.broker.auth.keyring!.credentials({ type: 'device', deviceId: id })), protocolVersion: g.broker.protocolVersion, clientId: `it-${id}-${process.pid}` })
    const device = await asDevice('loop-450')
    const gate = await asDevice('ztl-varco-n-78')
    const observedAt = Date.now() + 1000 // newer than whatever the simulator sent this minute
    await device.publishAsync('gemello/v1/traffic-loop/loop-450/traffic', JSON.stringify({ seq: 9e12, observedAt, values: { flowVehH: 1234, occupancyPct: 20, speedKmh: 25, intervalS: 60 } }), { qos: 1 })
    await waitFor(() => seen === observedAt, 'the live delta with the published reading')
    const loop = DeviceWithStateSchema.parse((await json('/api/devices/loop-450')).body)
    expect(loop.states[0]).toMatchObject({ observedAtMs: observedAt, quality: 'good', values: { flowVehH: 1234 } })
    const history = HistoryResponseSchema.parse((await json(`/api/devices/loop-450/history?from=${observedAt - 1}&to=${observedAt + 1}`)).body)
    expect(history.points).toEqual([expect.objectContaining({ tMs: observedAt, values: expect.objectContaining({ flowVehH: 1234, occupancyPct: 20 }) })])

    // A malformed message lands in the quarantine with its reason; the pipeline keeps going.
    await gate.publishAsync('gemello/v1/ztl-gate/ztl-varco-n-78/gate', JSON.stringify({ seq: 1, observedAt: Date.now(), values: { status: 'operational', intervalS: 300, vehicles: 3, plate: 'AB123CD' } }), { qos: 1 })
    await waitFor(async () => QuarantineResponseSchema.parse((await json('/api/quarantine?reason=schema_violation')).body).entries.some((e) => e.topic.endsWith('ztl-varco-n-78/gate')), 'the quarantined gate payload')
    const q = QuarantineResponseSchema.parse((await json('/api/quarantine?limit=5')).body)
    expect(q.entries.find((e) => e.topic.endsWith('ztl-varco-n-78/gate'))?.detail).toMatch(/plate/)
    await device.endAsync()
    await gate.endAsync()
    sock.close()
  })

  it('exposes Prometheus metrics that follow the ingest: stored readings, quarantine by reason, batches, clients, event-loop lag', async () => {
    const metric = (text: string, name: string, labels = '') => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `))
      return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1))
    }
    const sock = connect(`${g.url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], extraHeaders: { cookie } })
    await new Promise<void>((resolve) => sock.on('connect', () => resolve()))
    const r = await fetch(`${g.url}/metrics`)
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await r.text()
    const st = g.ingest!.stats()
    // The counters are the ingest's own totals (the simulator keeps publishing: never below them at scrape time).
    expect(metric(text, 'gemello_ingest_readings_stored_total')).toBeGreaterThanOrEqual(1)
    expect(metric(text, 'gemello_ingest_readings_stored_total')).toBeLessThanOrEqual(st.stored)
    // The plate payload of the previous test, by its reason.
    expect(metric(text, 'gemello_ingest_quarantined_total', '{reason="schema_violation"}')).toBeGreaterThanOrEqual(1)
    expect(metric(text, 'gemello_ingest_batch_messages_count')).toBeGreaterThanOrEqual(1)
    expect(metric(text, 'gemello_db_batch_write_seconds_count')).toBe(metric(text, 'gemello_ingest_batch_messages_count'))
    expect(metric(text, 'gemello_socket_clients')).toBeGreaterThanOrEqual(1)
    expect(metric(text, 'gemello_live_devices')).toBeGreaterThanOrEqual(1063)
    expect(metric(text, 'gemello_ingest_up', '{part="database"}')).toBe(1)
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m)
    // No device ids, topics or payloads in labels.
    expect(text).not.toMatch(/loop-450|gemello\/v1|AB123CD/)
    sock.close()
  })

  it('gets live data from the simulator without anyone publishing by hand', async () => {
    await waitFor(async () => {
      const r = ListDevicesResponseSchema.parse((await json('/api/devices?kind=air-quality')).body)
      return r.devices.some((d) => d.states.length > 0)
    }, 'air-quality states from the simulator', 60_000)
  })

  it('answers bad requests with the error envelope and a stable code', async () => {
    const bad = await json('/api/devices?limit=0')
    expect(bad.status).toBe(400)
    expect(ErrorEnvelopeSchema.parse(bad.body).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'query.limit' })] })
    const missing = await json('/api/devices/loop-999999')
    expect(missing.status).toBe(404)
    expect(ErrorEnvelopeSchema.parse(missing.body).error.code).toBe('DEVICE_NOT_FOUND')
    const stream = await json('/api/devices/loop-450/history?stream=no2')
    expect(ErrorEnvelopeSchema.parse(stream.body).error.code).toBe('STREAM_NOT_FOUND')
    const range = await json('/api/devices/loop-450/history?agg=1m&from=0&to=1795700000000')
    expect(ErrorEnvelopeSchema.parse(range.body).error.code).toBe('RANGE_TOO_LARGE')
    expect(ErrorEnvelopeSchema.parse((await json('/api/nothing-here')).body).error.code).toBe('NOT_FOUND')
  })

  it('declares who may call every route it serves (deny by default: an undeclared route fails here)', () => {
    expect(undeclaredRoutes(g.server!.app)).toEqual([])
  })

  it('raises an alarm from a device reading, pushes it to the screens, and audits the operator who acknowledges it', async () => {
    const operator = await staffSession(g.url, cookie, 'alarm-operator', ['operator'])
    const planner = await staffSession(g.url, cookie, 'alarm-planner', ['planner'])
    const sock = connect(`${g.url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], extraHeaders: { cookie: operator } })
    const pushed: Alarm[] = []
    sock.on('alarm:changed', (e) => pushed.push(...AlarmChangedSchema.parse(e).alarms))
    await new Promise<void>((resolve) => sock.on('live:heartbeat', () => resolve()))
    // The default rules are installed at the first start, each with its cause, consequence and response.
    const rules = ListRulesResponseSchema.parse((await json('/api/alarm-rules')).body).rules
    expect(rules.map((r) => r.rule.id)).toEqual(expect.arrayContaining(['ingest-down', 'gate-offline', 'loop-congestion', 'no2-hourly-limit', 'pm10-daily-limit', 'o3-information']))

    const gate = await mqtt.connectAsync(g.broker.url, { ...(await g.broker.auth.keyring!.credentials({ type: 'device', deviceId: 'ztl-varco-n-10-san-felice-direzione-centro' })), protocolVersion: g.broker.protocolVersion, clientId: `it-alarm-${process.pid}` })
    await gate.publishAsync('gemello/v1/ztl-gate/ztl-varco-n-10-san-felice-direzione-centro/gate', JSON.stringify({ seq: 9e12, observedAt: Date.now() + 2000, values: { status: 'fault', intervalS: 300, vehicles: 0 } }), { qos: 1 })
    await waitFor(() => pushed.some((a) => a.deviceId === 'ztl-varco-n-10-san-felice-direzione-centro' && a.ruleId === 'gate-offline' && a.active), 'the gate alarm pushed on the socket')
    const list = ListAlarmsResponseSchema.parse((await json('/api/alarms')).body)
    const alarm = list.alarms.find((a) => a.deviceId === 'ztl-varco-n-10-san-felice-direzione-centro' && a.ruleId === 'gate-offline')!
    expect(alarm).toMatchObject({ priority: 'medium', display: 'unacknowledged', listed: true, deviceKind: 'ztl-gate', message: 'reports fault' })
    expect(alarm.response.length).toBeGreaterThan(20)
    // The rule's texts in Italian travel with the alarm, for an Italian control room.
    expect(alarm.translations.it).toMatchObject({ name: 'Varco ZTL o punto di accesso fuori servizio', response: expect.stringMatching(/manutentore/) })

    const act = (who: string, body: unknown) => fetch(`${g.url}/api/alarms/${alarm.id}/actions`, { method: 'POST', headers: { cookie: who, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await act(planner, { action: 'ack' })).status).toBe(403)
    const bad = await act(operator, { action: 'shelve', reason: 'maintenance', untilMs: Date.now() + 9 * 3_600_000 })
    expect(bad.status).toBe(400)
    expect(ErrorEnvelopeSchema.parse(await bad.json()).error.message).toMatch(/at most 8 hours/)
    const acked = await act(operator, { action: 'ack', note: 'maintainer called' })
    expect(acked.status).toBe(200)
    expect(AlarmSchema.parse(await acked.json())).toMatchObject({ display: 'acknowledged', ackedBy: 'alarm-operator' })
    await waitFor(() => pushed.some((a) => a.id === alarm.id && a.acked), 'the acknowledgement pushed to the screens')
    const audit = (await (await fetch(`${g.url}/api/audit?target=alarm:${alarm.id}`, { headers: { cookie } })).json()) as { entries: Array<{ actor: string; action: string; detail: Record<string, unknown> }> }
    expect(audit.entries).toEqual([expect.objectContaining({ actor: 'alarm-operator', action: 'alarm.ack', detail: { note: 'maintainer called' } })])
    await gate.endAsync()
    sock.close()
  })

  it('enforces the access table on every route × role × method (generated from contracts/access.ts)', async () => {
    const admin = await signInAdmin(g.url)
    const cookies: Partial<Record<Role, string>> = { public: '', admin }
    for (const role of STAFF_ROLES) if (role !== 'admin') cookies[role] = await staffSession(g.url, admin, `matrix-${role.replace('_', '-')}`, [role])
    const source = ((await (await fetch(`${g.url}/tiles`)).json()) as Array<{ id: string }>)[0]!.id
    const concrete = (p: string) =>
      p
        .replace(':source.json', `${source}.json`)
        .replace(':source', source)
        .replace(':z', '14')
        .replace(':x', '8716')
        .replace(':y.pbf', '5963.pbf')
        .replace(':id', 'loop-450')
        .replace(':layer', 'streets')
        .replace(':version', 'v1')
        .replace(':name', 'none.glb')
        .replace(':file', 'none.json')
        .replace(':username', 'nobody')
        .replace(':serviceCode', 'buca-stradale')
        .replace(':token', 'no-such-token')
        .replace(':format', 'json')
        .replace('{*spa}', 'somewhere')
        .replace('{*rest}', 'nothing-here')
    const routes = declaredRoutes().filter((r) => !r.path.startsWith('/t/') && !r.path.startsWith('/u/') && r.path !== '/api/auth/sign-out')
    const declaredAt = new Map<string, Set<string>>()
    for (const r of routes) declaredAt.set(r.path, (declaredAt.get(r.path) ?? new Set()).add(r.method))
    const failures: string[] = []
    let checked = 0
    for (const [role, roleCookie] of Object.entries(cookies) as Array<[Role, string]>) {
      const roles: Role[] = role === 'public' ? ['public'] : [role, 'public']
      for (const [path, methods] of declaredAt) {
        for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
          const access = routes.find((r) => r.path === path && (r.method === method || r.method === 'ALL'))?.access
          const res = await fetch(`${g.url}${concrete(path)}`, {
            method,
            redirect: 'manual',
            headers: { cookie: roleCookie, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
            ...(method === 'GET' ? {} : { body: '{}' }),
          })
          const code = res.headers.get('content-type')?.includes('json') ? ((await res.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code : (await res.arrayBuffer(), undefined)
          const at = `${role} ${method} ${path} → ${res.status} ${code ?? ''}`
          checked++
          if (access === undefined) {
            // Not served for this method: never a success, never a hint about permissions.
            if (res.status < 400 || [401, 403].includes(res.status)) failures.push(`${at} (undeclared method)`)
          } else if (access === 'anyone' || can(roles, access)) {
            if (code === 'UNAUTHENTICATED' || (code === 'FORBIDDEN' && res.status === 403 && path !== '/api/auth/setup') || code === 'STEP_UP_REQUIRED') failures.push(`${at} (allowed: ${access})`)
          } else {
            const want = role === 'public' ? [401, 'UNAUTHENTICATED'] : [403, 'FORBIDDEN']
            if (res.status !== want[0] || code !== want[1]) failures.push(`${at} (denied: ${access}; want ${want.join(' ')})`)
          }
          void methods
        }
      }
    }
    expect(failures).toEqual([])
    expect(checked).toBeGreaterThan(STAFF_ROLES.length * 5 * 20)
  }, 120_000)

  it('publishes a valid OpenAPI 3 document that includes the quarantine listing', async () => {
    const doc = (await json('/api/openapi.json')).body as Record<string, unknown>
    const api = (await SwaggerParser.validate(structuredClone(doc) as never)) as { paths: Record<string, unknown> }
    expect(Object.keys(api.paths)).toEqual(expect.arrayContaining(['/api/devices', '/api/devices/{id}', '/api/devices/{id}/history', '/api/quarantine', '/readyz', '/api/scenes/{id}']))
  })

  it('serves the SUMO lanes as a ground layer for the 3D view, road lanes only, with their network', async () => {
    const r = await json('/api/basemap/lanes')
    const fc = r.body as { features: Array<{ id: string; geometry: { type: string }; properties: { name: string; code: string } }> }
    // Lanes of the non-internal edges: acosta, pasubio and the joined network (each in its own right).
    expect(fc.features.length).toBeGreaterThan(800)
    expect(new Set(fc.features.map((f) => f.properties.code))).toEqual(new Set(['sumo-acosta', 'sumo-pasubio', 'sumo-joined']))
    expect(fc.features.every((f) => f.geometry.type === 'LineString' && !f.properties.name.startsWith(':'))).toBe(true)
  })

  it('serves the scenes that open by URL, and says which exist when one does not', async () => {
    const list = ListScenesResponseSchema.parse((await json('/api/scenes')).body)
    expect(list.scenes.map((s) => s.id)).toEqual(expect.arrayContaining(['bologna-overview', 'stazione-centrale', 'piazza-maggiore', 'andrea-costa', 'pasubio', 'milan-centre']))
    const scene = SceneSchema.parse((await json('/api/scenes/piazza-maggiore')).body)
    expect(scene.title.it).toBe('Piazza Maggiore')
    const missing = await json('/api/scenes/piazza-minore')
    expect(missing.status).toBe(404)
    const err = ErrorEnvelopeSchema.parse(missing.body).error
    expect(err.code).toBe('SCENE_NOT_FOUND')
    expect(err.message).toContain('piazza-maggiore')
  })
})

describe('boot fails fast with a message a person can act on', () => {
  it('when the database is unreachable', async () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', MQTT_URL: 'mqtt://127.0.0.1:1', DEVICE_KEY: TEST_DEVICE_KEY, CITY_DATA_DIR, PORT: '0' }
    const err = await startGemello(loadConfig(env), { log: pino({ level: 'silent' }), clientDir: null }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DbBootError)
    expect((err as Error).message).toMatch(/Cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/none: connection refused\. Start PostgreSQL or fix DATABASE_URL/)
  })

  it.skipIf(TEST_TARGET !== 'services')('when PostGIS is not enabled and cannot be enabled by this user', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    const name = `gemello_nopostgis_${process.pid}`
    await admin.query(`DROP DATABASE IF EXISTS ${name}`)
    await admin.query(`DROP ROLE IF EXISTS ${name}`)
    await admin.query(`CREATE ROLE ${name} LOGIN`)
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`)
    try {
      const url = new URL(TEST_DATABASE_URL)
      url.username = name
      url.pathname = `/${name}`
      const err = await startGemello(loadConfig({ DATABASE_URL: url.toString(), MQTT_URL: 'mqtt://127.0.0.1:1', DEVICE_KEY: TEST_DEVICE_KEY, CITY_DATA_DIR, PORT: '0' }), { log: pino({ level: 'silent' }), clientDir: null }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DbBootError)
      expect((err as DbBootError).code).toBe('POSTGIS_NOT_ENABLED')
      expect((err as Error).message).toMatch(/CREATE EXTENSION postgis/)
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.query(`DROP ROLE IF EXISTS ${name}`)
      await admin.end()
    }
  })

  it('moves the embedded broker to a free port when MQTT_PORT is taken, and says so', async () => {
    const squatter = net.createServer()
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', () => r()))
    const taken = (squatter.address() as net.AddressInfo).port
    const warnings: string[] = []
    const b = await startEmbeddedBroker({ host: '127.0.0.1', port: taken, keyring: await testKeyring(), log: { info: () => undefined, warn: (_o, m) => warnings.push(m ?? '') } })
    expect(b.url).not.toContain(`:${taken}`)
    expect(warnings.join()).toMatch(new RegExp(`MQTT port ${taken} is taken .*Mosquitto`))
    await b.close()
    squatter.close()
  })
})
