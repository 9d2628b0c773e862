import { describe, expect, it } from 'vitest'
import { MAX_SHELVE_MS } from '../../../contracts/alarms'
import { reasonProblem, shelveAction, shelveProblem, shelveUntilMs } from './alarm-action-forms'

const NOW = 1_750_000_000_000

describe('shelving presets', () => {
  it('ends a timed shelving after the preset', () => {
    expect(shelveUntilMs('15m', NOW)).toBe(NOW + 15 * 60_000)
    expect(shelveUntilMs('4h', NOW)).toBe(NOW + 4 * 3_600_000)
  })
  it('keeps "8 h" inside the server’s maximum', () => {
    const until = shelveUntilMs('8h', NOW)!
    expect(until - NOW).toBeLessThan(MAX_SHELVE_MS)
    expect(until - NOW).toBeGreaterThan(MAX_SHELVE_MS - 5 * 60_000)
  })
  it('sends null for a one-shot shelving', () => expect(shelveUntilMs('until-normal', NOW)).toBeNull())
  it('builds the action with the reason trimmed', () => {
    expect(shelveAction('  road works on the gate  ', '1h', NOW)).toEqual({ action: 'shelve', reason: 'road works on the gate', untilMs: NOW + 3_600_000 })
  })
})

describe('reasons', () => {
  it('needs at least 3 characters after trimming', () => {
    expect(reasonProblem('  ab ')).toBe('too-short')
    expect(reasonProblem('abc')).toBeNull()
  })
  it('refuses more than 500 characters', () => expect(reasonProblem('x'.repeat(501))).toBe('too-long'))
  it('refuses a one-shot shelving of an alarm that is not active', () => {
    expect(shelveProblem('maintenance', 'until-normal', false)).toBe('not-active')
    expect(shelveProblem('maintenance', 'until-normal', true)).toBeNull()
    expect(shelveProblem('maintenance', '1h', false)).toBeNull()
  })
  it('says the reason problem first', () => expect(shelveProblem('', 'until-normal', false)).toBe('too-short'))
})
