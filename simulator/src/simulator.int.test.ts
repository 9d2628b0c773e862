import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseTopic } from '../../contracts/events'
import { LOOP_COUNTS_FILE } from './loop-counts'
import { checkPublished } from './published-check'
import { startSimulator, type PublishEvent, type SimulatorOptions, type SimulatorStats } from './simulator'
import { collect, type Received } from './testing/mqtt-collector'
import { mixedCity, TEST_CITY_DATA_DIR } from './testing/sim-device-factory'
import { startAedesBroker } from './testing/aedes-broker'
import { startTestBroker, TEST_TARGET, type TestBroker } from './testing/test-broker'
import { startMosquitto } from '../../tests/chaos/harness/services'

const hasData = existsSync(path.join(TEST_CITY_DATA_DIR, LOOP_COUNTS_FILE))
/** The fixed real clock: Thursday 26 November 2026, 10:00:30 in Bologna. */
const NOW = Date.UTC(2026, 10, 26, 9, 0, 30)
const HOURS = 3_600_000

interface Run {
  log: PublishEvent[]
  received: Received[]
  stats: SimulatorStats
}

let broker: TestBroker

beforeAll(async () => {
  // Services mode: our own Mosquitto. On the shared one, cli.int.test.ts publishes the same devices with
  // the same seed at the same time (test files run in parallel), and its copies arrive here as extras.
  if (TEST_TARGET === 'services') {
    const mq = await startMosquitto()
    broker = { url: mq.url, close: () => mq.stop() }
  } else broker = await startTestBroker()
})
afterAll(async () => {
  await broker.close()
})

/** Runs the simulator over [NOW − windowMs, NOW] at high speed with the fixed clock, with a subscriber listening. */
async function runWindow(overrides: Partial<SimulatorOptions> & { windowMs: number }): Promise<Run> {
  const { windowMs, ...rest } = overrides
  const devices = rest.devices ?? mixedCity()
  const ids = new Set(devices.map((d) => d.id))
  const sub = await collect(broker.url)
  const log: PublishEvent[] = []
  const sim = await startSimulator({
    mqttUrl: broker.url,
    devices,
    cityDataDir: TEST_CITY_DATA_DIR,
    seed: 42,
    speed: 20_000,
    startAt: NOW - windowMs,
    clock: () => NOW,
    onPublish: (e) => log.push(e),
    ...rest,
  })
  try {
    await sim.settled(60_000)
    await sub.waitFor(log.length)
    // Let any stray extra message arrive before comparing.
    await new Promise((r) => setTimeout(r, 100))
    const received = sub.messages.filter((m) => {
      const p = m.topic.split('/')
      return ids.has(p[3] ?? '')
    })
    return { log, received, stats: sim.stats() }
  } finally {
    await sim.stop()
    await sub.close()
  }
}

function key(topic: string, payload: Buffer): string {
  return `${topic} ${payload.toString('base64')}`
}

function multiset(items: Array<{ topic: string; payload: Buffer }>): Map<string, number> {
  const m = new Map<string, number>()
  for (const i of items) m.set(key(i.topic, i.payload), (m.get(key(i.topic, i.payload)) ?? 0) + 1)
  return m
}

describe.skipIf(!hasData)('simulator against a real MQTT broker', () => {
  it('delivers exactly the publish log at QoS 1: nothing lost, nothing extra, per-topic order kept', async () => {
    const { log, received, stats } = await runWindow({ windowMs: 3 * HOURS })
    expect(log.length).toBeGreaterThan(1000)
    expect(multiset(received)).toEqual(multiset(log))
    const perTopic = (xs: Array<{ topic: string; payload: Buffer }>, topic: string) => xs.filter((x) => x.topic === topic).map((x) => x.payload.toString())
    for (const topic of new Set(log.map((e) => e.topic))) expect(perTopic(received, topic)).toEqual(perTopic(log, topic))
    expect(stats.acked).toBe(log.length)
    expect(stats.pending).toBe(0)
    expect(stats.errors).toBe(0)
    const published = Object.values(stats.published).reduce((a, s) => a + Object.values(s).reduce((x, y) => x + y, 0), 0)
    expect(published).toBe(log.length)
  })

  it('publishes only contract-valid readings, never from the future, with seq monotonic per stream and derived from observedAt', async () => {
    const { log } = await runWindow({ windowMs: 2 * HOURS, speed: 5000 })
    const lastSeq = new Map<string, number>()
    for (const e of log) {
      expect(checkPublished(e.topic, e.payload)).toMatchObject({ ok: true, kind: 'reading' })
      const body = JSON.parse(e.payload.toString()) as { seq: number; observedAt: number; values: { intervalS?: number; averagingS?: number } }
      expect(body.observedAt).toBeLessThanOrEqual(NOW)
      expect(body.observedAt).toBeGreaterThanOrEqual(NOW - 2 * HOURS - 86_400_000)
      const prev = lastSeq.get(e.topic)
      if (prev !== undefined) expect(body.seq).toBeGreaterThan(prev)
      lastSeq.set(e.topic, body.seq)
      const t = parseTopic(e.topic)
      if (t.type === 'reading' && t.kind === 'traffic-loop') expect(body.seq).toBe(body.observedAt / 60_000)
      if (t.type === 'reading' && t.kind === 'air-quality') {
        const intervalMs = (body.values.averagingS ?? 0) * 1000
        expect(body.seq).toBe(Math.floor(body.observedAt / intervalMs))
      }
    }
    // Every kind in the city published something.
    expect(new Set(log.map((e) => e.kind))).toEqual(new Set(['traffic-loop', 'air-quality', 'ztl-gate', 'bike-counter', 'connectivity']))
  })

  it('is deterministic: the same seed and clock give a byte-identical payload sequence', async () => {
    const a = await runWindow({ windowMs: 1 * HOURS })
    const b = await runWindow({ windowMs: 1 * HOURS })
    expect(b.log.map((e) => e.topic)).toEqual(a.log.map((e) => e.topic))
    expect(Buffer.concat(b.log.map((e) => e.payload)).equals(Buffer.concat(a.log.map((e) => e.payload)))).toBe(true)
    const c = await runWindow({ windowMs: 1 * HOURS, seed: 43 })
    expect(Buffer.concat(c.log.map((e) => e.payload)).equals(Buffer.concat(a.log.map((e) => e.payload)))).toBe(false)
  })

  it('re-publishes identical readings after a restart (idempotent seq, observedAt and values)', async () => {
    const long = await runWindow({ windowMs: 2 * HOURS })
    const restarted = await runWindow({ windowMs: 30 * 60_000 })
    const before = new Set(long.log.map((e) => key(e.topic, e.payload)))
    for (const e of restarted.log) expect(before.has(key(e.topic, e.payload))).toBe(true)
  })

  it('announces every device first when register is on', async () => {
    const devices = mixedCity()
    const { log } = await runWindow({ windowMs: 10 * 60_000, register: true, devices })
    const registrations = log.slice(0, devices.length)
    expect(registrations.map((e) => e.deviceId)).toEqual(devices.map((d) => d.id))
    for (const e of registrations) expect(checkPublished(e.topic, e.payload)).toEqual({ ok: true, kind: 'register' })
  })

  it('injects each fault deterministically and counts it; malformed messages fail the contracts, the rest pass', async () => {
    const devices = mixedCity()
    const { log, received, stats } = await runWindow({ windowMs: 3 * HOURS, devices, faults: { rate: 0.25 } })
    expect(multiset(received)).toEqual(multiset(log))
    for (const type of ['malformed', 'duplicate', 'late', 'clock_skew', 'silent'] as const) expect(stats.faults[type]).toBeGreaterThan(0)
    expect(stats.faultDevices.clockAhead.length + stats.faultDevices.clockBehind.length).toBeGreaterThan(0)
    expect(stats.faultDevices.silent.length).toBeGreaterThan(0)
    const count = (fault: string) => log.filter((e) => e.fault === fault).length
    expect(count('malformed')).toBe(stats.faults.malformed)
    expect(count('duplicate')).toBe(stats.faults.duplicate)
    expect(count('late')).toBe(stats.faults.late)
    expect(count('clock_skew')).toBe(stats.faults.clock_skew)
    for (const [i, e] of log.entries()) {
      expect(checkPublished(e.topic, e.payload).ok).toBe(e.fault !== 'malformed')
      if (e.fault === 'duplicate') expect(key(e.topic, e.payload)).toBe(key(log[i - 1]?.topic ?? '', log[i - 1]?.payload ?? Buffer.alloc(0)))
      if (e.fault === 'late') {
        const newer = log.slice(0, i).filter((x) => x.topic === e.topic && x.fault !== 'malformed')
        expect(Math.max(...newer.map((x) => x.observedAtMs ?? 0))).toBeGreaterThan(e.observedAtMs ?? 0)
      }
    }
    // Skewed clocks: readings shifted by exactly +1 h or −30 days from a time inside the window.
    for (const e of log.filter((x) => x.fault === 'clock_skew')) {
      const offset = stats.faultDevices.clockAhead.includes(e.deviceId) ? 3_600_000 : -30 * 86_400_000
      const trueTime = (e.observedAtMs ?? 0) - offset
      expect(trueTime).toBeLessThanOrEqual(NOW)
      expect(trueTime).toBeGreaterThanOrEqual(NOW - 3 * HOURS - 86_400_000)
    }
    // Silent devices stop publishing: each publishes at most 5 readings.
    for (const id of stats.faultDevices.silent) expect(log.filter((e) => e.deviceId === id && e.fault !== 'duplicate' && e.fault !== 'late').length).toBeLessThanOrEqual(5)
    // The same seed injects the same faults.
    const again = await runWindow({ windowMs: 3 * HOURS, devices, faults: { rate: 0.25 } })
    expect(again.stats.faults).toEqual(stats.faults)
    expect(Buffer.concat(again.log.map((e) => e.payload)).equals(Buffer.concat(log.map((e) => e.payload)))).toBe(true)
  })

  it('reports which loops replay their own counts and which borrow', async () => {
    const { stats } = await runWindow({ windowMs: 5 * 60_000 })
    expect(stats.trafficSources.own).toBe(4)
    expect(stats.trafficSources.borrowed).toBe(3)
    expect(stats.trafficSources.byDevice['loop-450']).toMatchObject({ mode: 'borrowed', idUni: '450' })
    expect(stats.trafficSources.byDevice['loop-614']).toMatchObject({ mode: 'own', fromIdUni: '614', scale: 1 })
  })

  it('publishes nothing for kinds without devices (no signal controllers are registered)', async () => {
    const { log } = await runWindow({ windowMs: 10 * 60_000 })
    expect(log.some((e) => e.kind === 'signal-controller')).toBe(false)
  })

  it('stops within seconds even when the broker has gone away with publishes in flight', async () => {
    const own = await startAedesBroker()
    const sim = await startSimulator({ mqttUrl: own.url, devices: mixedCity(), cityDataDir: TEST_CITY_DATA_DIR, seed: 1, speed: 1e6, startAt: NOW - 48 * HOURS, clock: () => NOW, maxPending: 10, connections: 1 })
    await own.close()
    const started = performance.now()
    await sim.stop()
    expect(performance.now() - started).toBeLessThan(8000)
  })

  it('catches up at speed > 1 on the real clock without ever publishing an observation from the future', async () => {
    const stamped: Array<{ observedAtMs: number; publishedAtMs: number }> = []
    const sim = await startSimulator({
      mqttUrl: broker.url,
      devices: mixedCity(),
      cityDataDir: TEST_CITY_DATA_DIR,
      seed: 5,
      speed: 1200,
      catchUpMs: 30 * 60_000,
      onPublish: (e) => stamped.push({ observedAtMs: e.observedAtMs ?? 0, publishedAtMs: Date.now() }),
    })
    try {
      await sim.settled(30_000)
      expect(sim.stats().caughtUp).toBe(true)
    } finally {
      await sim.stop()
    }
    expect(stamped.length).toBeGreaterThan(200)
    for (const s of stamped) expect(s.observedAtMs).toBeLessThanOrEqual(s.publishedAtMs)
  })
})
