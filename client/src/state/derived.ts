import { DEVICE_KINDS, type DeviceKind } from '../../../contracts/schemas/device'
import type { LiveDevice, LiveState } from '../../../contracts/schemas/live-state'
import type { AppState, StatesByDevice } from './app-state'
import { deviceCondition, type DeviceCondition } from './device-condition'

const NO_STATES: ReadonlyMap<string, LiveState> = new Map()

/** Server time now, from the client clock and the last measured offset. */
export function serverNowMs(state: Pick<AppState, 'clockOffsetMs'>, clientNowMs: number): number {
  return clientNowMs + state.clockOffsetMs
}

export function statesOf(states: StatesByDevice, deviceId: string): ReadonlyMap<string, LiveState> {
  return states.get(deviceId) ?? NO_STATES
}

export function conditionsByDevice(
  devices: ReadonlyMap<string, LiveDevice>,
  states: StatesByDevice,
  serverNow: number,
): Map<string, DeviceCondition> {
  const out = new Map<string, DeviceCondition>()
  for (const device of devices.values()) out.set(device.id, deviceCondition(device, statesOf(states, device.id).values(), serverNow))
  return out
}

export interface LayerCount {
  devices: number
  /** Stale or silent (no communication, or never reported). */
  stale: number
  /** Fresh and not normal. */
  abnormal: number
}

export function layerCounts(devices: ReadonlyMap<string, LiveDevice>, conditions: ReadonlyMap<string, DeviceCondition>): Record<DeviceKind, LayerCount> {
  const counts = Object.fromEntries(DEVICE_KINDS.map((k) => [k, { devices: 0, stale: 0, abnormal: 0 }])) as Record<DeviceKind, LayerCount>
  for (const device of devices.values()) {
    const count = counts[device.kind]
    count.devices += 1
    const condition = conditions.get(device.id)
    if (!condition || condition.freshness !== 'fresh') count.stale += 1
    else if (condition.severity !== 'normal') count.abnormal += 1
  }
  return counts
}

export function countByKind(devices: ReadonlyMap<string, LiveDevice>): Record<DeviceKind, number> {
  const counts = Object.fromEntries(DEVICE_KINDS.map((k) => [k, 0])) as Record<DeviceKind, number>
  for (const device of devices.values()) counts[device.kind] += 1
  return counts
}

export function countStates(states: StatesByDevice): number {
  let n = 0
  for (const streams of states.values()) n += streams.size
  return n
}

/** Observation time of the newest reading held, null when none. */
export function newestObservedAtMs(states: StatesByDevice): number | null {
  let newest: number | null = null
  for (const streams of states.values()) {
    for (const s of streams.values()) if (newest === null || s.observedAtMs > newest) newest = s.observedAtMs
  }
  return newest
}
