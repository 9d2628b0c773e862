import { describe, expect, it } from 'vitest'
import { TileRegistry } from './tile-registry'

const ready = { ready: true, ageState: 'fresh' as const, asOfMs: 1, error: null }

describe('tile registry', () => {
  it('is ready when every listed tile reported its first data', () => {
    const r = new TileRegistry()
    r.report('map', ready)
    expect(r.allReady(['map', 'alarms'])).toBe(false)
    r.report('alarms', { ...ready, ready: false })
    expect(r.allReady(['map', 'alarms'])).toBe(false)
    r.report('alarms', ready)
    expect(r.allReady(['map', 'alarms'])).toBe(true)
  })
  it('forgets a tile that left the wall', () => {
    const r = new TileRegistry()
    r.report('map', ready)
    r.forget('map')
    expect(r.snapshot()).toEqual({})
  })
})
