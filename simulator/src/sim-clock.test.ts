import { describe, expect, it } from 'vitest'
import { SimClock } from './sim-clock'

function manual(start = 0) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('simulated clock', () => {
  const NOW = Date.UTC(2026, 10, 26, 9)

  it('runs in real time at speed 1 from now', () => {
    const mono = manual()
    const clock = new SimClock({ speed: 1, clock: () => NOW + mono.now(), monotonic: mono.now })
    expect(clock.now()).toBe(NOW)
    mono.advance(5000)
    expect(clock.now()).toBe(NOW + 5000)
  })

  it('catches up from the past at speed > 1, then never passes the real now', () => {
    const mono = manual()
    const clock = new SimClock({ speed: 60, catchUpMs: 3_600_000, clock: () => NOW, monotonic: mono.now })
    expect(clock.startAtMs).toBe(NOW - 3_600_000)
    mono.advance(30_000)
    expect(clock.now()).toBe(NOW - 1_800_000)
    expect(clock.caughtUp()).toBe(false)
    mono.advance(60_000)
    expect(clock.now()).toBe(NOW)
    expect(clock.caughtUp()).toBe(true)
  })

  it('ignores the catch-up at speed ≤ 1', () => {
    const clock = new SimClock({ speed: 1, catchUpMs: 3_600_000, clock: () => NOW })
    expect(clock.startAtMs).toBe(NOW)
  })

  it('says how long to wait for a simulated instant', () => {
    const mono = manual()
    const clock = new SimClock({ speed: 10, startAtMs: NOW - 100_000, clock: () => NOW, monotonic: mono.now })
    expect(clock.wallMsUntil(NOW - 50_000)).toBe(5000)
    // Beyond the real now the wait is real time.
    expect(clock.wallMsUntil(NOW + 60_000)).toBe(60_000)
  })

  it('refuses a start in the future and a non-positive speed', () => {
    expect(() => new SimClock({ speed: 1, startAtMs: NOW + 1, clock: () => NOW })).toThrow(/future/)
    expect(() => new SimClock({ speed: 0 })).toThrow(/speed/)
  })
})
