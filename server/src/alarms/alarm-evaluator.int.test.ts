/**
 * The alarm evaluator on a real database (PGlite, or PostgreSQL under test:services): readings in,
 * alarm rows and events out; the lifecycle through operator actions; suppression under the ingest's
 * root cause; floods; and one evaluator at a time, with a standby taking over.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AlarmRuleSchema, type AlarmRule } from '../../../contracts/alarm-rules'
import { actOnAlarm, alarmKpis, alarmWithEvents, floodState, listAlarms, putRule } from '../db/alarms'
import type { ValidReading } from '../db/readings'
import { LocalLiveBus } from '../realtime/live-bus'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { waitFor } from '../../../tests/helpers/wait-for'
import { AlarmEvaluator } from './alarm-evaluator'

const texts = {
  cause: 'A generated cause for the test rule.',
  consequence: 'A generated consequence for the test rule.',
  response: 'A generated operator response for the test rule.',
}
const rule = (doc: Record<string, unknown>): AlarmRule => AlarmRuleSchema.parse({ name: 'Test rule', priority: 'low', ...texts, ...doc })
const RULES = [
  rule({ id: 'occ', type: 'threshold', metric: 'occupancyPct', above: 60, deadband: 10 }),
  rule({ id: 'gate-off', type: 'offline', priority: 'medium' }),
  rule({ id: 'silent', type: 'stale', k: 10 }),
  rule({ id: 'ingest', type: 'ingest-down', priority: 'high' }),
]

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined }
let t: TestDb
let bus: LocalLiveBus
let rootCause: string | null = null
let published: string[][] = []
let ev: AlarmEvaluator
let seq = 1
const start = Date.now()

const loopReading = (deviceId: string, occupancyPct: number, atMs = Date.now()): ValidReading => ({
  deviceId,
  kind: 'traffic-loop',
  stream: 'traffic',
  shape: 'traffic',
  seq: seq++,
  observedAtMs: atMs,
  receivedAtMs: atMs,
  quality: 'good',
  values: { flowVehH: 300, occupancyPct, speedKmh: 30, intervalS: 60 },
})
const gateReading = (deviceId: string, status: string, atMs = Date.now()): ValidReading => ({
  deviceId,
  kind: 'ztl-gate',
  stream: 'gate',
  shape: 'gate',
  seq: seq++,
  observedAtMs: atMs,
  receivedAtMs: atMs,
  quality: 'good',
  values: { status, intervalS: 300, vehicles: 4 },
})

function evaluator(): AlarmEvaluator {
  return new AlarmEvaluator({ db: t.db, bus, log: silentLog, rootCause: () => rootCause, publish: (ids) => published.push(ids), tickMs: 100, leaseRenewMs: 200, leaseTtlS: 2 })
}

beforeAll(async () => {
  t = await createTestDb()
  // Two districts and devices in them (the alarm carries its district for the wall's cards).
  await t.db.query(`INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
    ('q1', 'quartiere', '1', 'Santo Stefano', 'test', ST_MakeEnvelope(11.34, 44.48, 11.36, 44.50, 4326)),
    ('q2', 'quartiere', '2', 'Navile', 'test', ST_MakeEnvelope(11.32, 44.50, 11.36, 44.53, 4326))`)
  const devices: Array<[string, string, number, number, number]> = [
    ['L1', 'traffic-loop', 11.35, 44.49, 60],
    ['L2', 'traffic-loop', 11.35, 44.51, 60],
    ['G1', 'ztl-gate', 11.345, 44.495, 300],
  ]
  for (let i = 0; i < 15; i++) devices.push([`F${i}`, 'traffic-loop', 11.35, 44.49, 60])
  for (const [id, kind, lon, lat, every] of devices) {
    await t.db.query(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source) VALUES ($1, $2, $1, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, 'generated')`, [id, kind, lon, lat, every])
  }
  await t.db.transaction(async (tx) => {
    for (const r of RULES) await putRule(tx, r, 'test', start)
  })
}, 120_000)

afterAll(async () => {
  await t?.drop()
})

beforeEach(async () => {
  bus = new LocalLiveBus()
  rootCause = null
  published = []
  await t.db.query('DELETE FROM alarm_event')
  await t.db.query('DELETE FROM alarm')
  await t.db.query('DELETE FROM alarm_flood')
  await t.db.query('DELETE FROM alarm_lease')
  ev = evaluator()
  await ev.start()
  await waitFor(() => ev.isLeader(), 'the evaluator to hold the lease')
  await ev.settled()
})

afterEach(async () => {
  await ev.stop()
})

const listed = async () => (await listAlarms(t.db, 'list', { limit: 100 })).map((a) => `${a.ruleId}/${a.subject}:${a.display}`)

describe('alarm evaluator', () => {
  it('raises an alarm from a reading, with its rule’s cause, consequence, response and the device’s district; clears it back to normal', async () => {
    bus.publishReadings([loopReading('L1', 75)])
    await waitFor(async () => (await listed()).length === 1, 'the alarm')
    const [a] = await listAlarms(t.db, 'list', { limit: 10 })
    expect(a).toMatchObject({ ruleId: 'occ', subject: 'L1', deviceId: 'L1', deviceKind: 'traffic-loop', district: 'Santo Stefano', priority: 'low', display: 'unacknowledged', listed: true, cause: texts.cause, response: texts.response, value: 75 })
    expect(a!.message).toMatch(/occupancyPct 75 above 60/)
    expect(published.flat()).toContain(String(a!.id))

    bus.publishReadings([loopReading('L1', 45)])
    await waitFor(async () => (await listed())[0] === 'occ/L1:rtn-unacknowledged', 'returned to normal, unacknowledged')
    // The operator acknowledges: inactive + acknowledged = closed, off the list, in the history.
    await t.db.transaction((tx) => actOnAlarm(tx, a!.id, { action: 'ack' }, 'operator-1', Date.now()))
    expect(await listed()).toEqual([])
    const closed = await listAlarms(t.db, 'history', { limit: 10 })
    expect(closed[0]).toMatchObject({ id: a!.id, closed: true, ackedBy: 'operator-1' })
    const detail = await alarmWithEvents(t.db, a!.id)
    expect(detail!.events.map((e) => `${e.type}:${e.actor}`)).toEqual(['activate:system:alarms', 'clear:system:alarms', 'ack:operator-1'])
  })

  it('a new activation of an open alarm needs a new acknowledgement; a shelved alarm stays off the list until its shelving ends', async () => {
    bus.publishReadings([gateReading('G1', 'fault')])
    await waitFor(async () => (await listed()).length === 1, 'the gate alarm')
    const [a] = await listAlarms(t.db, 'list', { limit: 10 })
    await t.db.transaction((tx) => actOnAlarm(tx, a!.id, { action: 'ack' }, 'op', Date.now()))
    expect(await listed()).toEqual(['gate-off/G1:acknowledged'])
    bus.publishReadings([gateReading('G1', 'operational'), gateReading('G1', 'offline')])
    await waitFor(async () => (await listed())[0] === 'gate-off/G1:unacknowledged', 're-activated, unacknowledged again')
    expect((await listAlarms(t.db, 'open', { limit: 10 }))[0]).toMatchObject({ id: a!.id, activations: 2 })

    await t.db.transaction((tx) => actOnAlarm(tx, a!.id, { action: 'shelve', reason: 'gate under maintenance today', untilMs: Date.now() + 1500 }, 'op', Date.now()))
    expect(await listed()).toEqual([])
    expect((await listAlarms(t.db, 'shelved', { limit: 10 }))[0]).toMatchObject({ shelved: { reason: 'gate under maintenance today', by: 'op' } })
    // The evaluator's tick ends the shelving; the alarm is annunciated again.
    await waitFor(async () => (await listed()).length === 1, 'the shelving to expire', 10_000)
    const events = (await alarmWithEvents(t.db, a!.id))!.events.map((e) => e.type)
    expect(events).toEqual(['activate', 'ack', 'clear', 'activate', 'shelve', 'shelve-expired'])
  })

  it('an alarm out of service stays off the list and open until put back in service, then closes once normal and acknowledged', async () => {
    bus.publishReadings([loopReading('L1', 80)])
    await waitFor(async () => (await listed()).length === 1, 'the alarm')
    const [a] = await listAlarms(t.db, 'list', { limit: 10 })
    await t.db.transaction((tx) => actOnAlarm(tx, a!.id, { action: 'out-of-service', reason: 'loop being replaced this week' }, 'op', Date.now()))
    expect(await listed()).toEqual([])
    expect((await listAlarms(t.db, 'out-of-service', { limit: 10 }))[0]).toMatchObject({ id: a!.id, outOfService: true })
    bus.publishReadings([loopReading('L1', 20)])
    await waitFor(async () => (await listAlarms(t.db, 'out-of-service', { limit: 10 }))[0]?.active === false, 'cleared while out of service')
    await t.db.transaction((tx) => actOnAlarm(tx, a!.id, { action: 'ack' }, 'op', Date.now()))
    // Still open: out of service keeps it (a new activation would land on this instance, still out of service).
    expect(await listAlarms(t.db, 'open', { limit: 10 })).toHaveLength(1)
    await t.db.transaction((tx) => actOnAlarm(tx, a!.id, { action: 'in-service' }, 'op', Date.now()))
    expect(await listAlarms(t.db, 'open', { limit: 10 })).toEqual([])
    expect((await alarmWithEvents(t.db, a!.id))!.events.map((e) => e.type)).toEqual(['activate', 'out-of-service', 'clear', 'ack', 'in-service'])
  })

  it('an ingest outage is one high alarm; the silent devices under it are suppressed, and close quietly when data flows again', async () => {
    bus.publishReadings([loopReading('L1', 10, Date.now() - 20 * 60_000), loopReading('L2', 10, Date.now() - 20 * 60_000), gateReading('G1', 'fault')])
    await waitFor(async () => (await listAlarms(t.db, 'open', { limit: 100 })).length === 3, 'two silent loops and a gate fault')
    expect((await listed()).sort()).toEqual(['gate-off/G1:unacknowledged', 'silent/L1:unacknowledged', 'silent/L2:unacknowledged'])
    for (const a of await listAlarms(t.db, 'list', { limit: 10 })) if (a.subject !== 'G1') await t.db.transaction((tx) => actOnAlarm(tx, a.id, { action: 'ack' }, 'op', Date.now()))

    rootCause = 'BROKER_DOWN'
    await waitFor(async () => (await listed()).length === 1, 'one root-cause alarm on the list')
    expect(await listed()).toEqual(['ingest/ingest:unacknowledged'])
    const suppressed = await listAlarms(t.db, 'suppressed', { limit: 10 })
    expect(suppressed.map((a) => a.subject).sort()).toEqual(['G1', 'L1', 'L2'])
    expect(new Set(suppressed.map((a) => a.suppressedBy))).toEqual(new Set([`alarm:${(await listAlarms(t.db, 'list', { limit: 1 }))[0]!.id}`]))

    // Data flows again: silence counts from now, so the loops are no longer stale; they close without
    // landing on the list. The gate's own fault is still there, annunciated again.
    rootCause = null
    await waitFor(async () => (await listAlarms(t.db, 'suppressed', { limit: 10 })).length === 0, 'suppression lifted')
    await waitFor(async () => !(await listed()).some((x) => x.startsWith('silent/')), 'the loops closed')
    // Priority first (ISA-18.2): the high root cause, returned to normal, above the medium gate fault.
    expect(await listed()).toEqual(['ingest/ingest:rtn-unacknowledged', 'gate-off/G1:unacknowledged'])
  })

  it('more than 10 activations in 10 minutes is a flood, recorded and counted in the KPIs', async () => {
    bus.publishReadings(Array.from({ length: 15 }, (_, i) => loopReading(`F${i}`, 90)))
    await waitFor(async () => (await floodState(t.db, Date.now())).active, 'the flood')
    const f = await floodState(t.db, Date.now())
    expect(f.lastTenMinutes).toBe(15)
    const k = await alarmKpis(t.db, 1, Date.now(), 2)
    expect(k).toMatchObject({ activations: 15, operators: 2, alarmsPerOperatorHour: 7.5, open: 15, byPriority: { low: 15, medium: 0, high: 0, diagnostic: 0 } })
    expect(k.byDistrict).toEqual([{ district: 'Santo Stefano', open: 15, unacknowledged: 15, highest: 'low' }])
  })

  it('one evaluator at a time: a second process stands by and takes over when the first stops', async () => {
    const standby = evaluator()
    await standby.start()
    await new Promise((r) => setTimeout(r, 500))
    expect([ev.isLeader(), standby.isLeader()]).toEqual([true, false])
    // Only the leader evaluates: one alarm, not two.
    bus.publishReadings([loopReading('L2', 80)])
    await waitFor(async () => (await listed()).length === 1, 'the alarm')
    await ev.stop()
    await waitFor(() => standby.isLeader(), 'the standby to take over')
    await standby.settled()
    // The new leader knows the open alarm: it clears it instead of raising a second one.
    bus.publishReadings([loopReading('L2', 85)])
    bus.publishReadings([loopReading('L2', 20)])
    await waitFor(async () => (await listed())[0] === 'occ/L2:rtn-unacknowledged', 'cleared by the new leader')
    expect(await listAlarms(t.db, 'open', { limit: 10 })).toHaveLength(1)
    await standby.stop()
  })
})
