import { describe, expect, it } from 'vitest'
import type { Device } from '../../../contracts/schemas/device'
import type { ValidReading } from '../db/readings'
import { LiveMirror } from './live-mirror'

const T0 = Date.UTC(2026, 10, 26, 8, 0, 0)
const device = (id: string, lon = 11.34, lat = 44.49, kind: Device['kind'] = 'traffic-loop'): Device => ({ id, kind, name: id, position: [lon, lat], expectedIntervalS: 60, source: 'open-data', dataset: null, props: {} })
const reading = (deviceId: string, observedAtMs: number, flow = 100): ValidReading => ({
  deviceId, kind: 'traffic-loop', stream: 'traffic', shape: 'traffic', seq: observedAtMs / 60_000, observedAtMs, receivedAtMs: observedAtMs + 500, quality: 'good',
  values: { flowVehH: flow, occupancyPct: 5, speedKmh: 40, intervalS: 60 },
})
const all = { layers: new Set(['traffic-loop']) }

function mirrorAt(clock: { now: number }) {
  return new LiveMirror({ retainEntries: 5, now: () => clock.now })
}

describe('LiveMirror', () => {
  it('turns a silent stream stale after 3 intervals and no-comm after 10, and logs each change once', () => {
    const clock = { now: T0 }
    const m = mirrorAt(clock)
    m.upsertDevices([device('loop-1')])
    m.applyReadings([reading('loop-1', T0)])
    expect(m.snapshot(all).states[0]?.quality).toBe('good')
    clock.now = T0 + 180_000
    expect(m.sweep()).toBe(0)
    clock.now = T0 + 180_001
    expect(m.sweep()).toBe(1)
    expect(m.snapshot(all).states[0]?.quality).toBe('uncertain_stale')
    expect(m.sweep()).toBe(0)
    clock.now = T0 + 600_001
    expect(m.sweep()).toBe(1)
    expect(m.snapshot(all).states[0]?.quality).toBe('bad_no_comm')
  })

  it('judges a state again when its device gets another interval, not only when its old threshold passes', () => {
    const clock = { now: T0 }
    const m = mirrorAt(clock)
    m.upsertDevices([device('loop-1')])
    m.applyReadings([reading('loop-1', T0)])
    clock.now = T0 + 200_000
    expect(m.sweep()).toBe(1) // 200 s > 3 × 60 s: stale; next look at 10 × 60 s
    m.upsertDevices([{ ...device('loop-1'), expectedIntervalS: 600 }])
    expect(m.sweep()).toBe(1) // 200 s < 3 × 600 s: fresh again
    expect(m.snapshot(all).states[0]?.quality).toBe('good')
  })

  it('never moves a state back in time and never shows an old value as fresh', () => {
    const clock = { now: T0 + 1_000_000 }
    const m = mirrorAt(clock)
    m.upsertDevices([device('loop-1')])
    m.applyReadings([reading('loop-1', T0 + 900_000, 500)])
    m.applyReadings([reading('loop-1', T0, 1)])
    expect(m.snapshot(all).states[0]?.values.flowVehH).toBe(500)
    // A value that arrives already 20 minutes old is shown as no-comm, not good.
    const n = mirrorAt(clock)
    n.upsertDevices([device('loop-2')])
    n.applyReadings([reading('loop-2', T0)])
    expect(n.snapshot(all).states[0]?.quality).toBe('bad_no_comm')
  })

  it('replays exactly the entries after a cursor, coalesced per stream, and says when it no longer can', () => {
    const clock = { now: T0 }
    const m = mirrorAt(clock)
    m.upsertDevices([device('loop-1'), device('loop-2', 11.0, 44.0)])
    const start = m.cursor.seq
    m.applyReadings([reading('loop-1', T0, 1)])
    m.applyReadings([reading('loop-1', T0 + 60_000, 2)])
    m.applyReadings([reading('loop-2', T0, 3)])
    const entries = m.since(start)!
    expect(entries.map((e) => e.seq)).toEqual([start + 1, start + 2, start + 3])
    const inBox = m.collect(entries, { layers: new Set(['traffic-loop']), bbox: [11.3, 44.4, 11.4, 44.6] })
    expect(inBox.states.map((s) => [s.deviceId, s.values.flowVehH])).toEqual([['loop-1', 2]])
    for (let i = 0; i < 10; i++) m.applyReadings([reading('loop-1', T0 + (i + 2) * 60_000)])
    expect(m.since(start)).toBeNull()
    expect(m.since(m.cursor.seq)).toEqual([])
  })
})

describe('LiveMirror, streams slower than their device', () => {
  it('judges a daily PM10 value by the day, not by the station’s hourly interval', () => {
    const clock = { now: T0 }
    const m = mirrorAt(clock)
    m.upsertDevices([{ ...device('aq-1', 11.34, 44.49, 'air-quality'), expectedIntervalS: 3600 }])
    const pm10: ValidReading = { deviceId: 'aq-1', kind: 'air-quality', stream: 'pm10', shape: 'air-quality', seq: 1, observedAtMs: T0, receivedAtMs: T0, quality: 'good', values: { value: 30, unit: 'ug/m3', validity: 'valid', averagingS: 86_400 } }
    const no2: ValidReading = { ...pm10, stream: 'no2', values: { ...pm10.values, averagingS: 3600 } }
    m.applyReadings([pm10, no2])
    clock.now = T0 + 12 * 3_600_000
    m.sweep()
    const q = Object.fromEntries(m.snapshot({ layers: new Set(['air-quality']) }).states.map((s) => [s.stream, s.quality]))
    expect(q).toEqual({ pm10: 'good', no2: 'bad_no_comm' })
  })
})
