import { describe, expect, it } from 'vitest'
import type { DeviceCondition } from '../state/device-condition'
import { HATCHED, SHAPE, markerStyle, type MarkerSpec } from './marker-style'
import { PALETTE, hexToRgba } from './palette'

const spec: MarkerSpec = { shape: 'diamond', radiusPx: 6 }
const condition = (overrides: Partial<DeviceCondition>): DeviceCondition => ({ freshness: 'fresh', severity: 'normal', reason: 'ok', streams: [], ...overrides })

describe('markerStyle', () => {
  it('draws a normal fresh device in neutral grey with the kind shape', () => {
    const s = markerStyle(condition({}), spec)
    expect(s.fill).toEqual(hexToRgba(PALETTE.neutral))
    expect(s.shape).toBe(SHAPE.diamond)
    expect(s.radiusPx).toBe(6)
  })
  it('uses alarm colours only for abnormal fresh values, and grows the marker', () => {
    const s = markerStyle(condition({ severity: 'critical', reason: 'traffic_congested' }), spec)
    expect(s.fill).toEqual(hexToRgba(PALETTE.critical))
    expect(s.radiusPx).toBeGreaterThan(6)
  })
  it('hatches a stale device in grey whatever its last value said', () => {
    const s = markerStyle(condition({ freshness: 'stale', severity: 'normal', reason: 'stale' }), spec)
    expect(s.shape).toBe(SHAPE.diamond + HATCHED)
    expect(s.fill.slice(0, 3)).toEqual(hexToRgba(PALETTE.stale).slice(0, 3))
  })
  it('draws a silent device as a dim cross', () => {
    const s = markerStyle(condition({ freshness: 'no_comm', reason: 'no_comm' }), spec)
    expect(s.shape).toBe(SHAPE.cross)
    expect(s.line).toEqual(hexToRgba(PALETTE.noComm))
  })
  it('draws a device that never reported as a hollow outline', () => {
    const s = markerStyle(undefined, spec)
    expect(s.fill[3]).toBe(0)
  })
})
