import type { ValidReading, RegistrationRow } from '../../server/src/db/readings'

let seq = 1

/** A traffic reading for a test device, with partial overrides. */
export function trafficReading(overrides: Partial<ValidReading> & { values?: Partial<Record<string, unknown>> } = {}): ValidReading {
  const now = Date.now()
  const { values, ...rest } = overrides
  return {
    deviceId: 'loop-test-1',
    kind: 'traffic-loop',
    stream: 'traffic',
    shape: 'traffic',
    seq: seq++,
    observedAtMs: now - 1000,
    receivedAtMs: now,
    quality: 'good',
    ...rest,
    values: { flowVehH: 600, occupancyPct: 8.5, speedKmh: 42.3, intervalS: 60, lane: 0, ...values },
  }
}

export function registration(overrides: Partial<RegistrationRow> = {}): RegistrationRow {
  return {
    deviceId: 'loop-test-1',
    kind: 'traffic-loop',
    name: 'Test loop',
    position: [11.3426, 44.4949],
    expectedIntervalS: 60,
    props: {},
    ...overrides,
  }
}
