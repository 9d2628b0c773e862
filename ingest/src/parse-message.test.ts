import { describe, expect, it } from 'vitest'
import { jsonDepth, parseMessage, type KnownDevice, type Parsed } from './parse-message'

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0)
const devices = new Map<string, KnownDevice>([
  ['loop-450', { kind: 'traffic-loop', expectedIntervalS: 60 }],
  ['aq-de-amicis', { kind: 'air-quality', expectedIntervalS: 3600 }],
  ['ztl-varco-n-78', { kind: 'ztl-gate', expectedIntervalS: 300 }],
])
const traffic = { flowVehH: 600, occupancyPct: 7.5, speedKmh: 41, intervalS: 60 }
const msg = (topic: string, payload: unknown) => ({
  topic,
  payload: Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  clientId: null,
  receivedAtMs: NOW,
})
const parse = (topic: string, payload: unknown) => parseMessage(msg(topic, payload), devices)
const reasonOf = (p: Parsed) => (p.type === 'quarantine' ? p.row.reason : p.type)

describe('parseMessage', () => {
  it('accepts a valid loop reading and keeps both clocks', () => {
    const p = parse('gemello/v1/traffic-loop/loop-450/traffic', { seq: 7, observedAt: NOW - 30_000, values: traffic })
    expect(p.type).toBe('reading')
    if (p.type !== 'reading') return
    expect(p.reading).toMatchObject({ deviceId: 'loop-450', stream: 'traffic', shape: 'traffic', seq: 7, observedAtMs: NOW - 30_000, receivedAtMs: NOW, quality: 'good' })
    expect(p.unverifiedDevice).toBe(false)
  })

  it('accepts RFC 3339 times with an offset and refuses them without one', () => {
    const ok = parse('gemello/v1/traffic-loop/loop-450/traffic', { seq: 1, observedAt: '2026-11-26T12:59:00+01:00', values: traffic })
    expect(ok.type === 'reading' && ok.reading.observedAtMs).toBe(NOW - 60_000)
    expect(reasonOf(parse('gemello/v1/traffic-loop/loop-450/traffic', { seq: 1, observedAt: '2026-11-26T11:59:00', values: traffic }))).toBe('schema_violation')
  })

  it.each([
    ['invalid_topic', 'city/traffic/loop-450', { seq: 1, observedAt: NOW, values: traffic }],
    ['invalid_topic', 'gemello/v1/traffic-loop/loop-450', { seq: 1, observedAt: NOW, values: traffic }],
    ['unknown_kind', 'gemello/v1/toaster/t-1/heat', { seq: 1, observedAt: NOW, values: {} }],
    ['unknown_stream', 'gemello/v1/traffic-loop/loop-450/weather', { seq: 1, observedAt: NOW, values: traffic }],
    ['invalid_json', 'gemello/v1/traffic-loop/loop-450/traffic', '{"seq": 1, "observedAt": '],
    ['invalid_utf8', 'gemello/v1/traffic-loop/loop-450/traffic', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['json_too_deep', 'gemello/v1/traffic-loop/loop-450/traffic', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['payload_too_large', 'gemello/v1/traffic-loop/loop-450/traffic', JSON.stringify({ seq: 1, observedAt: NOW, values: traffic, pad: 'x'.repeat(70_000) })],
    ['schema_violation', 'gemello/v1/traffic-loop/loop-450/traffic', { observedAt: NOW, values: traffic }],
    ['schema_violation', 'gemello/v1/traffic-loop/loop-450/traffic', { seq: 1, observedAt: NOW, values: { ...traffic, flowVehH: '600' } }],
    ['schema_violation', 'gemello/v1/traffic-loop/loop-450/traffic', '{"seq":1,"observedAt":1,"values":{"flowVehH":1e400,"occupancyPct":1,"speedKmh":1,"intervalS":60}}'],
    ['schema_violation', 'gemello/v1/ztl-gate/ztl-varco-n-78/gate', { seq: 1, observedAt: NOW, values: { status: 'operational', intervalS: 300, vehicles: 12, plate: 'AB123CD' } }],
    ['schema_violation', 'gemello/v1/traffic-loop/loop-450/traffic', { seq: -1, observedAt: NOW, values: traffic }],
    ['device_mismatch', 'gemello/v1/traffic-loop/loop-450/traffic', { deviceId: 'loop-451', seq: 1, observedAt: NOW, values: traffic }],
    ['kind_mismatch', 'gemello/v1/air-quality/loop-450/no2', { seq: 1, observedAt: NOW, values: { value: 20, unit: 'ug/m3', validity: 'valid', averagingS: 3600 } }],
    ['timestamp_too_old', 'gemello/v1/traffic-loop/loop-450/traffic', { seq: 1, observedAt: NOW - 30 * 86_400_000, values: traffic }],
    ['timestamp_too_far_future', 'gemello/v1/traffic-loop/loop-450/traffic', { seq: 1, observedAt: NOW + 3_600_000, values: traffic }],
    ['timestamp_invalid', 'gemello/v1/traffic-loop/loop-450/traffic', { seq: 1, observedAt: '2026-02-31T10:00:00Z', values: traffic }],
  ])('quarantines %s (%s)', (reason, topic, payload) => {
    const p = parse(topic, payload)
    expect(reasonOf(p)).toBe(reason)
    if (p.type === 'quarantine') {
      expect(p.row.detail.length).toBeGreaterThan(0)
      expect(p.row.raw.length).toBeLessThanOrEqual(64 * 1024)
      expect(p.row.sha256).toMatch(/^[0-9a-f]{64}$/)
    }
  })

  it('flags a device clock a minute ahead but keeps the reading', () => {
    const p = parse('gemello/v1/traffic-loop/loop-450/traffic', { seq: 1, observedAt: NOW + 60_000, values: traffic })
    expect(p.type === 'reading' && p.reading.quality).toBe('clock_skew_future')
  })

  it('leaves readings of devices it has not seen to the database check', () => {
    const p = parse('gemello/v1/traffic-loop/loop-new/traffic', { seq: 1, observedAt: NOW, values: traffic })
    expect(p.type === 'reading' && p.unverifiedDevice).toBe(true)
  })

  it('parses a registration and refuses one that changes the kind', () => {
    const reg = parse('gemello/v1/traffic-loop/loop-9000/register', { name: 'New loop', position: [11.34, 44.49] })
    expect(reg.type).toBe('register')
    expect(reasonOf(parse('gemello/v1/connectivity/loop-450/register', { name: 'x', position: [11.34, 44.49] }))).toBe('kind_mismatch')
    expect(reasonOf(parse('gemello/v1/traffic-loop/loop-9001/register', { name: 'x', position: [191, 44.49] }))).toBe('schema_violation')
  })
})

describe('jsonDepth', () => {
  it('counts nesting and ignores brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3)
    expect(jsonDepth('{"a":"[[[[\\"]]]"}')).toBe(1)
  })
})
