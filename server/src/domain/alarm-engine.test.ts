import { describe, expect, it } from 'vitest'
import { AlarmRuleSchema, type AlarmRule } from '../../../contracts/alarm-rules'
import { chattering, FloodDetector } from '../../../contracts/alarms'
import { DEFAULT_RULES } from '../alarms/default-rules'
import { AlarmEngine, romePeriod, type ConditionChange, type EngineDevice, type EngineReading } from './alarm-engine'

const texts = {
  cause: 'A generated cause for the test rule.',
  consequence: 'A generated consequence for the test rule.',
  response: 'A generated operator response for the test rule.',
}
const rule = (doc: Record<string, unknown>): AlarmRule => AlarmRuleSchema.parse({ name: 'Test rule', priority: 'low', ...texts, ...doc })

const loop = (id: string, areas: string[] = []): EngineDevice => ({ id, kind: 'traffic-loop', name: id, expectedIntervalS: 60, areas })
const station: EngineDevice = { id: 'aq-1', kind: 'air-quality', name: 'Giardini Margherita', expectedIntervalS: 3600, areas: [] }
const gate: EngineDevice = { id: 'gate-1', kind: 'ztl-gate', name: 'Gate 1', expectedIntervalS: 300, areas: [] }

const T0 = Date.UTC(2026, 10, 26, 8, 0) // Thursday 09:00 in Rome
const traffic = (deviceId: string, atMs: number, v: Record<string, unknown>): EngineReading => ({
  deviceId,
  kind: 'traffic-loop',
  stream: 'traffic',
  observedAtMs: atMs,
  values: { flowVehH: 600, occupancyPct: 10, speedKmh: 40, intervalS: 60, ...v },
})
const pollutant = (stream: string, atMs: number, value: number, extra: Record<string, unknown> = {}): EngineReading => ({
  deviceId: 'aq-1',
  kind: 'air-quality',
  stream,
  observedAtMs: atMs,
  values: { value, unit: 'ug/m3', validity: 'valid', averagingS: 3600, ...extra },
})
const summary = (cs: ConditionChange[]) => cs.map((c) => `${c.active ? '+' : '-'}${c.ruleId}/${c.subject}`)

describe('alarm engine', () => {
  it('threshold: activates only after the delay, holds inside the deadband, returns to normal below it', () => {
    const e = new AlarmEngine([rule({ id: 'occ', type: 'threshold', metric: 'occupancyPct', above: 60, deadband: 10, delayS: 120 })], [loop('L1')])
    expect(e.reading(traffic('L1', T0, { occupancyPct: 70 }))).toEqual([])
    expect(e.reading(traffic('L1', T0 + 60_000, { occupancyPct: 75 }))).toEqual([])
    // A dip resets the delay.
    expect(e.reading(traffic('L1', T0 + 120_000, { occupancyPct: 50 }))).toEqual([])
    expect(e.reading(traffic('L1', T0 + 180_000, { occupancyPct: 65 }))).toEqual([])
    const on = e.reading(traffic('L1', T0 + 300_000, { occupancyPct: 66 }))
    expect(on).toMatchObject([{ ruleId: 'occ', subject: 'L1', active: true, value: 66 }])
    expect(on[0]!.message).toMatch(/occupancyPct 66 above 60 for 2 min/)
    // 55 is below the limit but inside the deadband: still active.
    expect(e.reading(traffic('L1', T0 + 360_000, { occupancyPct: 55 }))).toEqual([])
    expect(summary(e.reading(traffic('L1', T0 + 420_000, { occupancyPct: 49 })))).toEqual(['-occ/L1'])
  })

  it('threshold below a limit, and readings of other devices or kinds are not evaluated', () => {
    const e = new AlarmEngine([rule({ id: 'slow', type: 'threshold', metric: 'speedKmh', below: 10, scope: { deviceIds: ['L1'] } })], [loop('L1'), loop('L2'), station])
    expect(summary(e.reading(traffic('L2', T0, { speedKmh: 3 })))).toEqual([])
    expect(summary(e.reading(traffic('L1', T0, { speedKmh: 3 })))).toEqual(['+slow/L1'])
    expect(summary(e.reading(pollutant('no2', T0, 3)))).toEqual([])
  })

  it('scope by area and time window: outside the window the condition does not hold', () => {
    const peak = { days: [1, 2, 3, 4, 5], from: '07:00', to: '09:30' }
    const e = new AlarmEngine([rule({ id: 'peak', type: 'threshold', metric: 'flowVehH', above: 1000, scope: { area: { layer: 'quartieri', id: 'Santo Stefano' }, hours: peak } })], [loop('L1', ['Santo Stefano']), loop('L2', ['Navile'])])
    expect(summary(e.reading(traffic('L2', T0, { flowVehH: 1500 })))).toEqual([])
    expect(summary(e.reading(traffic('L1', T0, { flowVehH: 1500 })))).toEqual(['+peak/L1'])
    // 10:00 in Rome: past the window.
    expect(summary(e.reading(traffic('L1', T0 + 3_600_000, { flowVehH: 1500 })))).toEqual(['-peak/L1'])
  })

  it('congestion on a loop (occupancy and speed for the delay) and on a corridor (enough loops at once)', () => {
    const e = new AlarmEngine(
      [
        rule({ id: 'jam', type: 'congestion', delayS: 120 }),
        rule({ id: 'irnerio', type: 'congestion', delayS: 60, corridor: { deviceIds: ['L1', 'L2', 'L3'], minLoops: 2 } }),
      ],
      [loop('L1'), loop('L2'), loop('L3')],
    )
    const jam = { occupancyPct: 45, speedKmh: 8 }
    expect(summary(e.reading(traffic('L1', T0, jam)))).toEqual([])
    expect(summary(e.reading(traffic('L2', T0, jam)))).toEqual([])
    expect(summary(e.reading(traffic('L2', T0 + 60_000, jam)))).toEqual(['+irnerio/corridor'])
    expect(summary(e.reading(traffic('L1', T0 + 120_000, jam)))).toEqual(['+jam/L1'])
    // Fast but dense is not congestion; one loop flowing leaves 1 of 3: the corridor returns to normal.
    expect(summary(e.reading(traffic('L2', T0 + 180_000, { occupancyPct: 20, speedKmh: 50 })))).toEqual(['-irnerio/corridor'])
    // A single loop without speed: occupancy alone decides; with L1 still jammed, two loops again.
    expect(summary(e.reading(traffic('L3', T0 + 240_000, { occupancyPct: 50, speedKmh: null })))).toEqual([])
    expect(summary(e.reading(traffic('L3', T0 + 360_000, { occupancyPct: 50, speedKmh: null })))).toEqual(['+jam/L3', '+irnerio/corridor'])
  })

  it('flat-line: the same value for the window while readings keep coming is a stuck loop', () => {
    const e = new AlarmEngine([rule({ id: 'stuck', type: 'flatline', metric: 'flowVehH', windowS: 2700 })], [loop('L1')])
    for (let m = 0; m < 45; m++) expect(e.reading(traffic('L1', T0 + m * 60_000, { flowVehH: 0 }))).toEqual([])
    const on = e.reading(traffic('L1', T0 + 45 * 60_000, { flowVehH: 0 }))
    expect(on).toMatchObject([{ ruleId: 'stuck', active: true }])
    expect(on[0]!.message).toMatch(/stuck at 0 for 45 min/)
    expect(summary(e.reading(traffic('L1', T0 + 46 * 60_000, { flowVehH: 240 })))).toEqual(['-stuck/L1'])
  })

  it('stale: silent for k × the shortest stream interval; a reading ends it; a daily-only station is judged daily', () => {
    const pm10Only: EngineDevice = { ...station, id: 'aq-pm' }
    const e = new AlarmEngine([rule({ id: 'silent', type: 'stale', k: 10 })], [loop('L1'), pm10Only])
    e.prime([
      { deviceId: 'L1', stream: 'traffic', observedAtMs: T0 },
      { deviceId: 'aq-pm', stream: 'pm10', observedAtMs: T0 },
    ])
    expect(e.tick(T0 + 600_000, { rootCause: null })).toEqual([])
    const on = e.tick(T0 + 600_001, { rootCause: null })
    expect(summary(on)).toEqual(['+silent/L1'])
    expect(on[0]!.message).toMatch(/silent for 10 min \(expected every 60 s\)/)
    // PM10 is daily: 10 hours of silence is normal for it.
    expect(summary(e.tick(T0 + 10 * 3_600_000 + 1, { rootCause: null }))).toEqual([])
    expect(summary(e.reading(traffic('L1', T0 + 700_000, {})))).toEqual(['-silent/L1'])
  })

  it('ingest down is one root-cause condition, and silence is counted from its end', () => {
    const e = new AlarmEngine([rule({ id: 'ingest', type: 'ingest-down', priority: 'high' }), rule({ id: 'silent', type: 'stale', k: 10 })], [loop('L1'), loop('L2')])
    e.prime([
      { deviceId: 'L1', stream: 'traffic', observedAtMs: T0 },
      { deviceId: 'L2', stream: 'traffic', observedAtMs: T0 },
    ])
    expect(summary(e.tick(T0 + 5000, { rootCause: 'BROKER_DOWN' }))).toEqual(['+ingest/ingest'])
    expect(summary(e.tick(T0 + 700_000, { rootCause: 'BROKER_DOWN' }))).toEqual(['+silent/L1', '+silent/L2'])
    // The broker is back: data can arrive again; nobody is stale until k intervals after that.
    expect(summary(e.tick(T0 + 701_000, { rootCause: null }))).toEqual(['-ingest/ingest', '-silent/L1', '-silent/L2'])
    expect(summary(e.tick(T0 + 701_000 + 600_001, { rootCause: null }))).toEqual(['+silent/L1', '+silent/L2'])
  })

  it('offline: a gate reporting offline or fault, back when operational', () => {
    const e = new AlarmEngine([rule({ id: 'gate-off', type: 'offline' })], [gate])
    const g = (status: string, atMs: number): EngineReading => ({ deviceId: 'gate-1', kind: 'ztl-gate', stream: 'gate', observedAtMs: atMs, values: { status, intervalS: 300, vehicles: 0 } })
    expect(summary(e.reading(g('degraded', T0)))).toEqual([])
    expect(summary(e.reading(g('fault', T0 + 1)))).toEqual(['+gate-off/gate-1'])
    expect(summary(e.reading(g('offline', T0 + 2)))).toEqual([])
    expect(summary(e.reading(g('operational', T0 + 3)))).toEqual(['-gate-off/gate-1'])
  })

  it('state: a signal controller flashing for the delay is abnormal; back to a running mode is normal', () => {
    const ctrl: EngineDevice = { id: 'tls-1', kind: 'signal-controller', name: 'Junction 1', expectedIntervalS: 5, areas: [] }
    const e = new AlarmEngine(DEFAULT_RULES, [ctrl])
    const stage = (mode: string, atMs: number): EngineReading => ({ deviceId: 'tls-1', kind: 'signal-controller', stream: 'stage', observedAtMs: atMs, values: { programId: 'P1', stage: 0, mode } })
    expect(summary(e.reading(stage('flashing', T0)))).toEqual([])
    const on = e.reading(stage('flashing', T0 + 10_000))
    expect(on).toMatchObject([{ ruleId: 'signal-flashing', active: true, value: 'flashing' }])
    expect(summary(e.reading(stage('off', T0 + 15_000)))).toEqual([])
    expect(summary(e.reading(stage('fixed', T0 + 20_000)))).toEqual(['-signal-flashing/tls-1'])
  })

  it('air quality: hourly mean of the Rome calendar hour against the legal limit; invalid values left out', () => {
    const e = new AlarmEngine([rule({ id: 'no2', type: 'air-quality', pollutant: 'no2' }), rule({ id: 'pm10', type: 'air-quality', pollutant: 'pm10' })], [station])
    const h = Date.UTC(2026, 10, 26, 7, 0) // 08:00 in Rome
    expect(summary(e.reading(pollutant('no2', h, 180)))).toEqual([])
    expect(summary(e.reading(pollutant('no2', h + 30 * 60_000, 900, { validity: 'invalid' })))).toEqual([])
    const on = e.reading(pollutant('no2', h + 40 * 60_000, 240))
    expect(on).toMatchObject([{ ruleId: 'no2', active: true, value: 210 }])
    expect(on[0]!.message).toMatch(/NO₂ hourly limit value: hourly mean 210 µg\/m³ \(2026-11-26 08:00, limit 200\)/)
    expect(summary(e.reading(pollutant('no2', h + 60 * 60_000, 150)))).toEqual(['-no2/aq-1'])
    // PM10: the daily value of the Rome day; 50 is at the limit (not above), 51 exceeds it.
    expect(summary(e.reading(pollutant('pm10', h, 50, { averagingS: 86_400 })))).toEqual([])
    expect(summary(e.reading(pollutant('pm10', h + 86_400_000, 51, { averagingS: 86_400 })))).toEqual(['+pm10/aq-1'])
  })

  it('the Rome calendar day starts at local midnight, summer and winter', () => {
    expect(romePeriod(Date.UTC(2026, 10, 26, 23, 30), 'day')).toBe('2026-11-27')
    expect(romePeriod(Date.UTC(2026, 6, 26, 22, 30), 'day')).toBe('2026-07-27')
    expect(romePeriod(Date.UTC(2026, 6, 26, 21, 30), 'hour')).toBe('2026-07-26T23')
  })

  it('a changed rule ends its conditions and starts over; a disabled rule ends them too', () => {
    const r1 = rule({ id: 'occ', type: 'threshold', metric: 'occupancyPct', above: 60 })
    const e = new AlarmEngine([r1], [loop('L1')])
    expect(summary(e.reading(traffic('L1', T0, { occupancyPct: 70 })))).toEqual(['+occ/L1'])
    expect(summary(e.setRules([r1], T0))).toEqual([])
    expect(summary(e.setRules([{ ...r1, above: 80 } as AlarmRule], T0))).toEqual(['-occ/L1'])
    expect(summary(e.reading(traffic('L1', T0 + 60_000, { occupancyPct: 85 })))).toEqual(['+occ/L1'])
    expect(summary(e.setRules([{ ...r1, above: 80, enabled: false } as AlarmRule], T0))).toEqual(['-occ/L1'])
  })

  it('a process taking over knows the open alarms: it ends them when the condition ends, and does not raise them twice', () => {
    const e = new AlarmEngine([rule({ id: 'occ', type: 'threshold', metric: 'occupancyPct', above: 60 }), rule({ id: 'stuck', type: 'flatline', metric: 'flowVehH', windowS: 2700 })], [loop('L1')])
    e.seedActive([
      { ruleId: 'occ', subject: 'L1', deviceId: 'L1' },
      { ruleId: 'stuck', subject: 'L1', deviceId: 'L1' },
    ])
    expect(summary(e.reading(traffic('L1', T0, { occupancyPct: 70, flowVehH: 0 })))).toEqual([])
    expect(summary(e.reading(traffic('L1', T0 + 60_000, { occupancyPct: 20, flowVehH: 0 })))).toEqual(['-occ/L1'])
    expect(summary(e.reading(traffic('L1', T0 + 120_000, { occupancyPct: 20, flowVehH: 60 })))).toEqual(['-stuck/L1'])
  })
})

/** A deterministic PRNG (mulberry32) for generated streams. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('alarm engine on generated streams', () => {
  it('a morning of 200 loops: floods when congestion spreads, ends the flood when it recedes', () => {
    const loops = Array.from({ length: 200 }, (_, i) => loop(`L${i}`))
    const e = new AlarmEngine([rule({ id: 'jam', type: 'congestion', delayS: 180 })], loops)
    const flood = new FloodDetector()
    const rand = prng(42)
    const floods: Array<[number, boolean]> = []
    let was = false
    let activations = 0
    // 2 hours, one reading a minute per loop; between minute 30 and 60 a third of the loops jam.
    for (let m = 0; m < 120; m++) {
      const t = T0 + m * 60_000
      for (const [i, d] of loops.entries()) {
        const jammed = m >= 30 && m < 60 && i % 3 === 0
        const v = jammed ? { occupancyPct: 40 + rand() * 20, speedKmh: 5 + rand() * 8 } : { occupancyPct: 5 + rand() * 15, speedKmh: 35 + rand() * 20 }
        for (const c of e.reading(traffic(d.id, t, v))) if (c.active) (activations++, flood.activation(c.atMs))
      }
      const now = flood.at(t)
      if (now !== was) floods.push([m, now])
      was = now
    }
    expect(activations).toBe(67) // every jammed loop once: no chattering from noise inside the deadband
    expect(floods).toEqual([
      [33, true],
      [43, false],
    ])
    expect(flood.timeInFloodMs(T0 + 120 * 60_000)).toBe(10 * 60_000)
  })

  it('a loop hovering at the limit without a deadband chatters; the deadband stops it', () => {
    const hover = (deadband: number) => {
      const e = new AlarmEngine([rule({ id: 'occ', type: 'threshold', metric: 'occupancyPct', above: 60, deadband })], [loop('L1')])
      const rand = prng(7)
      const transitions: number[] = []
      let flagged = false
      for (let s = 0; s < 600; s += 10) {
        const t = T0 + s * 1000
        for (const c of e.reading(traffic('L1', t, { occupancyPct: 57 + rand() * 6 }))) transitions.push(c.atMs)
        flagged ||= chattering(transitions, t)
      }
      return { transitions: transitions.length, flagged }
    }
    expect(hover(0)).toMatchObject({ flagged: true })
    expect(hover(0).transitions).toBeGreaterThan(10)
    expect(hover(5)).toEqual({ transitions: 1, flagged: false })
  })
})
