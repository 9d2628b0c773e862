import { describe, expect, it } from 'vitest'
import type { DeviceKind } from '../../contracts/schemas/device'
import { readingTopic } from '../../contracts/events'
import { CLOCK_AHEAD_MS, CLOCK_BEHIND_MS, FaultInjector, MALFORMED_VARIANTS, malformedPayload, type Envelope } from './faults'
import { checkPublished } from './published-check'

const traffic: Envelope = { seq: 29_000_000, observedAt: 1_740_000_000_000, values: { flowVehH: 600, occupancyPct: 8.47, speedKmh: 46.1, intervalS: 60, lane: null } }
const gate: Envelope = { seq: 5_800_000, observedAt: 1_740_000_000_000, values: { status: 'operational', intervalS: 300, vehicles: 41, unauthorized: 1 } }

describe('malformed payloads', () => {
  it.each(MALFORMED_VARIANTS)('%s is refused by the contracts', (variant) => {
    const [kind, id, stream, env]: [DeviceKind, string, string, Envelope] =
      variant === 'plate_field' ? ['ztl-gate', 'varco-n-78', 'gate', gate] : ['traffic-loop', 'loop-450', 'traffic', traffic]
    expect(checkPublished(readingTopic(kind, id, stream), Buffer.from(JSON.stringify(env))).ok).toBe(true)
    const bad = malformedPayload(variant, kind, id, stream, env)
    expect(checkPublished(bad.topic, bad.payload).ok).toBe(false)
  })
})

describe('fault injector', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `loop-${i}`)

  it('injects nothing when off', () => {
    const f = new FaultInjector(undefined, 1)
    expect(f.enabled).toBe(false)
    expect(ids.every((id) => f.clockOffsetMs(id) === 0 && f.silentAfter(id) === null && f.pick(id, 'traffic', 1) === null)).toBe(true)
  })

  it('picks a fixed share of readings and devices, the same for the same seed', () => {
    const a = new FaultInjector({ rate: 0.1 }, 7)
    const b = new FaultInjector({ rate: 0.1 }, 7)
    const picks = ids.map((id, i) => a.pick(id, 'traffic', i))
    expect(picks).toEqual(ids.map((id, i) => b.pick(id, 'traffic', i)))
    const share = picks.filter((p) => p !== null).length / ids.length
    expect(share).toBeGreaterThan(0.07)
    expect(share).toBeLessThan(0.13)
    expect(new Set(picks.filter((p) => p !== null))).toEqual(new Set(['malformed', 'duplicate', 'late']))
    const skews = ids.map((id) => a.clockOffsetMs(id)).filter((s) => s !== 0)
    expect(skews.filter((s) => s === CLOCK_AHEAD_MS).length).toBeGreaterThan(skews.filter((s) => s === CLOCK_BEHIND_MS).length)
    expect(skews.filter((s) => s === CLOCK_BEHIND_MS).length).toBeGreaterThan(0)
    expect(ids.filter((id) => a.silentAfter(id) !== null).length).toBeGreaterThan(100)
  })

  it('only injects the kinds asked for', () => {
    const f = new FaultInjector({ rate: 0.5, kinds: ['duplicate'] }, 3)
    expect(new Set(ids.map((id, i) => f.pick(id, 's', i)).filter((p) => p !== null))).toEqual(new Set(['duplicate']))
    expect(ids.every((id) => f.clockOffsetMs(id) === 0 && f.silentAfter(id) === null)).toBe(true)
  })

  it('refuses a rate outside 0–1 and unknown kinds', () => {
    expect(() => new FaultInjector({ rate: 2 }, 1)).toThrow(/between 0 and 1/)
    expect(() => new FaultInjector({ rate: 0.1, kinds: ['bogus' as 'late'] }, 1)).toThrow(/unknown fault kind/)
  })

  it('puts a plate only on ZTL gates', () => {
    const f = new FaultInjector({ rate: 1, kinds: ['malformed'] }, 5)
    for (let seq = 0; seq < 500; seq++) expect(f.malform('traffic-loop', 'loop-1', 'traffic', { ...traffic, seq }).variant).not.toBe('plate_field')
  })
})
