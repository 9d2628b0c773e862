import { describe, expect, it } from 'vitest'
import type { DeviceCondition } from '../state/device-condition'
import { liveDevice } from '../state/test-factories'
import { buildMarkerData } from './marker-data'
import { PALETTE, hexToRgba } from './palette'

const spec = { shape: 'circle', radiusPx: 4 } as const
const fresh = (severity: DeviceCondition['severity']): DeviceCondition => ({ freshness: 'fresh', severity, reason: 'ok', streams: [] })

describe('buildMarkerData', () => {
  it('keeps the data array while the devices are the same, and bumps the style version', () => {
    const devices = [liveDevice({ id: 'a' }), liveDevice({ id: 'b' })]
    const first = buildMarkerData(null, devices, new Map(), spec)
    const second = buildMarkerData(first, [...devices], new Map([['b', fresh('critical')]]), spec)
    expect(second.devices).toBe(first.devices)
    expect(second.version).toBe(first.version + 1)
    expect([...second.fill.subarray(4, 8)]).toEqual(hexToRgba(PALETTE.critical))
  })
  it('replaces the data array when the device set changes', () => {
    const first = buildMarkerData(null, [liveDevice({ id: 'a' })], new Map(), spec)
    const second = buildMarkerData(first, [liveDevice({ id: 'a' }), liveDevice({ id: 'b' })], new Map(), spec)
    expect(second.devices).not.toBe(first.devices)
    expect(second.radius).toHaveLength(2)
  })
})
