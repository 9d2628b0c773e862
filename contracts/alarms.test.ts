import { describe, expect, it } from 'vitest'
import { chattering, display, FloodDetector, listed, MAX_SHELVE_MS, NORMAL, transition, type AlarmEvent, type AlarmState } from './alarms'

const T0 = Date.UTC(2026, 10, 27, 8, 0, 0)
function run(events: AlarmEvent[], start: AlarmState = NORMAL, now = T0): AlarmState {
  let s = start
  for (const e of events) {
    const r = transition(s, e, now)
    if (!r.ok) throw new Error(r.message)
    s = r.state
  }
  return s
}

describe('alarm lifecycle (ISA-18.2 on the OPC UA Part 9 machine)', () => {
  it('walks unacknowledged → acknowledged → normal, and returned-to-normal unacknowledged → normal', () => {
    expect(display(run([{ type: 'activate' }]))).toBe('unacknowledged')
    expect(display(run([{ type: 'activate' }, { type: 'ack', by: 'op' }]))).toBe('acknowledged')
    expect(display(run([{ type: 'activate' }, { type: 'ack', by: 'op' }, { type: 'clear' }]))).toBe('normal')
    expect(display(run([{ type: 'activate' }, { type: 'clear' }]))).toBe('rtn-unacknowledged')
    expect(display(run([{ type: 'activate' }, { type: 'clear' }, { type: 'ack', by: 'op' }]))).toBe('normal')
  })

  it('asks for a new acknowledgement when an acknowledged alarm clears and comes back', () => {
    const s = run([{ type: 'activate' }, { type: 'ack', by: 'op' }, { type: 'clear' }, { type: 'activate' }])
    expect(display(s)).toBe('unacknowledged')
  })

  it('is idempotent: a second ack or activation changes nothing', () => {
    const acked = run([{ type: 'activate' }, { type: 'ack', by: 'op' }])
    expect(transition(acked, { type: 'ack', by: 'other' }, T0)).toEqual({ ok: true, state: acked, changed: false })
    expect(transition(acked, { type: 'activate' }, T0)).toEqual({ ok: true, state: acked, changed: false })
  })

  it('shelves with a reason for at most 8 hours, hides the alarm, and brings it back at expiry', () => {
    const active = run([{ type: 'activate' }])
    expect(transition(active, { type: 'shelve', by: 'op', reason: ' ', untilMs: T0 + 60_000 }, T0)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' })
    expect(transition(active, { type: 'shelve', by: 'op', reason: 'works', untilMs: T0 + MAX_SHELVE_MS + 1 }, T0)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' })
    expect(transition(active, { type: 'shelve', by: 'op', reason: 'works', untilMs: T0 }, T0)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' })
    const shelved = run([{ type: 'shelve', by: 'op', reason: 'road works on the loop', untilMs: T0 + 30 * 60_000 }], active)
    expect(listed(shelved)).toBe(false)
    expect(transition(shelved, { type: 'tick' }, T0 + 29 * 60_000)).toMatchObject({ changed: false })
    const back = transition(shelved, { type: 'tick' }, T0 + 30 * 60_000)
    expect(back).toMatchObject({ ok: true, changed: true })
    expect(back.ok && listed(back.state)).toBe(true)
  })

  it('ends a one-shot shelving when the alarm returns to normal, and refuses one on an inactive alarm', () => {
    const oneShot = run([{ type: 'activate' }, { type: 'shelve', by: 'op', reason: 'known', untilMs: null }])
    expect(listed(oneShot)).toBe(false)
    const cleared = run([{ type: 'clear' }], oneShot)
    expect(cleared.shelved).toBeNull()
    expect(listed(cleared)).toBe(true) // returned to normal, not yet acknowledged
    expect(transition(NORMAL, { type: 'shelve', by: 'op', reason: 'x', untilMs: null }, T0)).toMatchObject({ ok: false, code: 'ALARM_STATE' })
  })

  it('unshelves after a restart that lost the shelving state (OPC UA Part 9)', () => {
    const shelved = run([{ type: 'activate' }, { type: 'shelve', by: 'op', reason: 'known', untilMs: T0 + 60_000 }])
    expect(listed(run([{ type: 'restart-unknown-shelving' }], shelved))).toBe(true)
  })

  it('keeps suppressed and out-of-service alarms off the list but tracks their condition', () => {
    const suppressed = run([{ type: 'suppress', by: 'alarm:ingest-down' }, { type: 'activate' }])
    expect(listed(suppressed)).toBe(false)
    expect(display(suppressed)).toBe('unacknowledged')
    expect(listed(run([{ type: 'unsuppress' }], suppressed))).toBe(true)
    const oos = run([{ type: 'activate' }, { type: 'shelve', by: 'op', reason: 'r', untilMs: T0 + 1000 }, { type: 'out-of-service', by: 'admin', on: true }])
    expect(oos.shelved).toBeNull()
    expect(listed(oos)).toBe(false)
    expect(transition(oos, { type: 'shelve', by: 'op', reason: 'r', untilMs: T0 + 1000 }, T0)).toMatchObject({ ok: false, code: 'ALARM_STATE' })
    expect(listed(run([{ type: 'out-of-service', by: 'admin', on: false }], oos))).toBe(true)
  })
})

describe('chattering and floods', () => {
  it('flags an alarm that changes state 3 times within a minute, not one that does so in 2 minutes', () => {
    expect(chattering([T0, T0 + 20_000, T0 + 40_000], T0 + 50_000)).toBe(true)
    expect(chattering([T0, T0 + 50_000, T0 + 100_000], T0 + 100_000)).toBe(false)
  })

  it('starts a flood above 10 activations in 10 minutes, ends it below 5, and counts the time in flood', () => {
    const f = new FloodDetector()
    for (let i = 0; i < 10; i++) expect(f.activation(T0 + i * 1000)).toBe(false)
    expect(f.activation(T0 + 10_000)).toBe(true) // the 11th in 10 minutes
    // Activations age out of the window: 9 minutes later, still 11 in the window → still in flood.
    expect(f.at(T0 + 9 * 60_000)).toBe(true)
    // At 10 min + 5.5 s, the 6 oldest have left: 5 remain, not below 5 → still in flood.
    expect(f.at(T0 + 600_000 + 5_500)).toBe(true)
    // One more second: 4 remain → the flood ends.
    expect(f.at(T0 + 600_000 + 6_500)).toBe(false)
    expect(f.timeInFloodMs(T0 + 700_000)).toBe(600_000 + 6_500 - 10_000)
  })
})
