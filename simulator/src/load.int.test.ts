import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPublished } from './published-check'
import { LOAD_BBOX, loadDevices, startLoad, type LoadPublishEvent } from './load'
import { collect } from './testing/mqtt-collector'
import { startTestBroker, TEST_TARGET, type TestBroker } from './testing/test-broker'
import { startMosquitto } from '../../tests/chaos/harness/services'

let broker: TestBroker

beforeAll(async () => {
  // Flat out, 20,000 messages outrun one subscriber: a broker must queue them, as the production
  // configuration does (deploy/mosquitto/mosquitto.conf, max_queued_messages). Mosquitto's default of
  // 1,000 drops the rest — so services mode runs our own Mosquitto with the production file.
  if (TEST_TARGET === 'services') {
    const mq = await startMosquitto()
    broker = { url: mq.url, close: () => mq.stop() }
  } else broker = await startTestBroker()
})
afterAll(async () => {
  await broker.close()
})

describe('load devices', () => {
  it('are numbered load-000001… with the same positions inside Bologna for the same seed', () => {
    const a = loadDevices(500, 7)
    expect(a[0]?.id).toBe('load-000001')
    expect(a[499]?.id).toBe('load-000500')
    expect(loadDevices(500, 7)).toEqual(a)
    for (const d of a) {
      expect(d.kind).toBe('traffic-loop')
      expect(d.position[0]).toBeGreaterThanOrEqual(LOAD_BBOX.west)
      expect(d.position[0]).toBeLessThanOrEqual(LOAD_BBOX.east)
      expect(d.position[1]).toBeGreaterThanOrEqual(LOAD_BBOX.south)
      expect(d.position[1]).toBeLessThanOrEqual(LOAD_BBOX.north)
    }
    expect(loadDevices(5, 8)[0]?.position).not.toEqual(a[0]?.position)
  })
})

describe('load mode against a real MQTT broker', () => {
  it('never has more than maxPending publishes in flight per connection, and loses nothing (20,000 readings, flat out)', async () => {
    const sub = await collect(broker.url, 'gemello/v1/traffic-loop/#')
    const log: LoadPublishEvent[] = []
    const run = await startLoad({
      mqttUrl: broker.url,
      devices: 2000,
      ratePerS: 1_000_000,
      count: 20_000,
      connections: 2,
      maxPending: 100,
      seed: 1,
      onPublish: (e) => log.push(e),
    })
    const report = await run.done
    await sub.waitFor(20_000, 60_000)
    await sub.close()

    expect(report.sent).toBe(20_000)
    expect(report.acked).toBe(20_000)
    expect(report.errors).toBe(0)
    expect(report.maxPendingSeen).toBeLessThanOrEqual(100)
    // The bound was actually reached: the generator had to wait for acks.
    expect(report.maxPendingSeen).toBe(report.pendingBound)
    expect(report.pendingWaits).toBeGreaterThan(0)

    const received = sub.messages.filter((m) => m.topic.includes('/load-'))
    expect(received.length).toBe(20_000)
    const sent = new Set(log.map((e) => `${e.deviceId}:${e.seq}`))
    expect(sent.size).toBe(20_000)
    const lastSeq = new Map<string, number>()
    for (const m of received) {
      expect(checkPublished(m.topic, m.payload).ok).toBe(true)
      const deviceId = m.topic.split('/')[3] ?? ''
      const { seq, observedAt } = JSON.parse(m.payload.toString()) as { seq: number; observedAt: number }
      expect(seq).toBe(observedAt)
      expect(sent.has(`${deviceId}:${seq}`)).toBe(true)
      expect(seq).toBeGreaterThan(lastSeq.get(deviceId) ?? 0)
      lastSeq.set(deviceId, seq)
    }
  })

  it('paces a modest rate evenly', async () => {
    const run = await startLoad({ mqttUrl: broker.url, devices: 100, ratePerS: 2000, durationS: 2, seed: 2 })
    const report = await run.done
    expect(report.achievedRatePerS).toBeGreaterThan(1600)
    expect(report.achievedRatePerS).toBeLessThan(2200)
    expect(report.acked).toBe(report.sent)
  })

  it.skipIf(TEST_TARGET !== 'services')('carries sentAtHr in MQTT 5 user properties', async () => {
    const sub = await collect(broker.url, 'gemello/v1/traffic-loop/#', 5)
    const run = await startLoad({ mqttUrl: broker.url, protocolVersion: 5, devices: 10, ratePerS: 1000, count: 200, seed: 3 })
    await run.done
    await sub.waitFor(200)
    await sub.close()
    const now = process.hrtime.bigint()
    for (const m of sub.messages.filter((x) => x.topic.includes('/load-'))) {
      const sentAt = BigInt(String(m.userProperties?.sentAtHr))
      expect(sentAt).toBeLessThanOrEqual(now)
      expect(now - sentAt).toBeLessThan(60_000_000_000n)
    }
  })
})
