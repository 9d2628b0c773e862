import { describe, expect, it } from 'vitest'
import { BikeCountValuesSchema, GateValuesSchema, LinkValuesSchema, SignalStageValuesSchema, type BikeCountValues, type GateValues, type LinkValues } from '../../contracts/schemas/reading'
import { bolognaLocal, HOUR_MS, MINUTE_MS } from './source-calendar'
import { bikeCounterStream, connectivityStream, signalStageStream, ztlGateStream } from './synthetic-streams'
import { simDevice } from './testing/sim-device-factory'

const SEED = 42
/** Monday 2026-11-23 00:00 Bologna (23:00Z the day before). */
const MONDAY = Date.UTC(2026, 10, 22, 23)

function day<T>(valuesAt: (t: number) => unknown, intervalMs: number, from = MONDAY): Array<{ t: number; v: T }> {
  return Array.from({ length: (24 * HOUR_MS) / intervalMs }, (_, k) => {
    const t = from + (k + 1) * intervalMs
    return { t, v: valuesAt(t) as T }
  })
}

describe('ZTL gates (synthetic)', () => {
  const devices = Array.from({ length: 20 }, (_, i) => simDevice('ztl-gate', { id: `varco-${i}` }))

  it('report schema-valid counts every 5 minutes, never an image or a plate', () => {
    for (const d of devices) {
      const s = ztlGateStream(d, SEED)
      expect(s.intervalMs).toBe(5 * MINUTE_MS)
      for (const { v } of day<GateValues>((t) => s.valuesAt(t), s.intervalMs)) {
        expect(GateValuesSchema.safeParse(v).success).toBe(true)
        expect(Object.keys(v).sort()).toEqual(['intervalS', 'status', 'unauthorized', 'vehicles'])
        expect(v.unauthorized ?? 0).toBeLessThanOrEqual(v.vehicles)
      }
    }
  })

  it('count unauthorized transits only while the ZTL is active (07:00–20:00)', () => {
    const s = ztlGateStream(devices[0] ?? simDevice('ztl-gate'), SEED)
    for (const { t, v } of day<GateValues>((x) => s.valuesAt(x), s.intervalMs)) {
      const hour = bolognaLocal(t - 2.5 * MINUTE_MS).hour
      if (hour < 7 || hour >= 20) expect(v.unauthorized).toBe(0)
    }
  })

  it('are mostly operational, with rare deterministic degraded or fault hours', () => {
    const statuses = devices.flatMap((d) => {
      const s = ztlGateStream(d, SEED)
      return Array.from({ length: 7 }, (_, k) => day<GateValues>((t) => s.valuesAt(t), s.intervalMs, MONDAY + k * 24 * HOUR_MS)).flat().map((x) => x.v.status)
    })
    const operational = statuses.filter((s) => s === 'operational').length / statuses.length
    expect(operational).toBeGreaterThan(0.97)
    expect(operational).toBeLessThan(1)
  })
})

describe('bicycle counters (synthetic commuter profile)', () => {
  it('have a morning and an evening peak on working days', () => {
    const s = bikeCounterStream(simDevice('bike-counter'), SEED)
    const readings = day<BikeCountValues>((t) => s.valuesAt(t), s.intervalMs)
    for (const { v } of readings) expect(BikeCountValuesSchema.safeParse(v).success).toBe(true)
    const at = (hour: number) =>
      readings.filter(({ t }) => bolognaLocal(t - 1).hour === hour).reduce((sum, { v }) => sum + v.bikes, 0)
    expect(at(8)).toBeGreaterThan(at(12))
    expect(at(17)).toBeGreaterThan(at(12))
    expect(at(12)).toBeGreaterThan(at(3))
  })
})

describe('connectivity devices (synthetic)', () => {
  it('report clients and throughput, zero when down', () => {
    for (let i = 0; i < 30; i++) {
      const s = connectivityStream(simDevice('connectivity', { id: `wifi-${i}` }), SEED)
      for (const { v } of day<LinkValues>((t) => s.valuesAt(t), s.intervalMs)) {
        expect(LinkValuesSchema.safeParse(v).success).toBe(true)
        if (v.status === 'down') expect([v.connectedClients, v.rxKbps, v.txKbps]).toEqual([0, 0, 0])
        if (v.connectedClients === 0) expect(v.rxKbps).toBe(0)
      }
    }
  })
})

describe('signal controllers', () => {
  it('cycle through the stages of a fixed plan', () => {
    const s = signalStageStream(simDevice('signal-controller', { expectedIntervalS: 5, props: { cycleS: 80, stages: 4, programId: '209' } }))
    const stages = Array.from({ length: 16 }, (_, k) => s.valuesAt(MONDAY + k * 5000))
    for (const v of stages) expect(SignalStageValuesSchema.safeParse(v).success).toBe(true)
    expect(new Set(stages.map((v) => (v as { stage: number }).stage))).toEqual(new Set([0, 1, 2, 3]))
  })
})
