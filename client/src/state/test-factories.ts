import type { Alarm } from '../../../contracts/alarm-api'
import type { LiveDevice, LiveState } from '../../../contracts/schemas/live-state'

/** Test data with partial overrides (used by the unit tests next to this folder's modules). */
export function liveDevice(overrides: Partial<LiveDevice> = {}): LiveDevice {
  return {
    id: 'loop-1',
    kind: 'traffic-loop',
    name: 'Via Irnerio',
    position: [11.35, 44.5],
    expectedIntervalS: 60,
    source: 'open-data',
    ...overrides,
  }
}

export const T0 = 1_780_000_000_000

export function liveState(overrides: Partial<LiveState> = {}): LiveState {
  return {
    deviceId: 'loop-1',
    kind: 'traffic-loop',
    stream: 'traffic',
    seq: 1,
    observedAtMs: T0,
    receivedAtMs: T0 + 200,
    values: { flowVehH: 600, occupancyPct: 8, speedKmh: 42, intervalS: 60, lane: 0 },
    reportedQuality: 'good',
    quality: 'good',
    ...overrides,
  }
}

export function aqState(stream: string, value: number, overrides: Partial<LiveState> = {}): LiveState {
  return liveState({
    deviceId: 'aq-1',
    kind: 'air-quality',
    stream,
    values: { value, unit: 'ug/m3', validity: 'valid', averagingS: 3600 },
    ...overrides,
  })
}

/** An open, unacknowledged alarm with partial overrides. */
export function alarmFixture(overrides: Partial<Alarm> = {}): Alarm {
  return {
    id: 1,
    ruleId: 'gate-offline',
    ruleName: 'ZTL gate or access point offline',
    ruleType: 'offline',
    priority: 'medium',
    subject: 'ztl-varco-n-10-san-felice-direzione-centro',
    deviceId: 'ztl-varco-n-10-san-felice-direzione-centro',
    deviceKind: 'ztl-gate',
    deviceName: 'San Felice',
    position: [11.33, 44.497],
    district: 'Porto-Saragozza',
    message: 'reports fault',
    value: 'fault',
    cause: 'c',
    consequence: 'q',
    response: 'r',
    translations: {},
    active: true,
    acked: false,
    shelved: null,
    suppressedBy: null,
    outOfService: false,
    display: 'unacknowledged',
    listed: true,
    chattering: false,
    raisedAtMs: 1000,
    lastChangeAtMs: 1000,
    clearedAtMs: null,
    ackedAtMs: null,
    ackedBy: null,
    activations: 1,
    closed: false,
    ...overrides,
  }
}
