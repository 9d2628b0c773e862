/**
 * The alarm lifecycle (ADR 0006): ISA-18.2 states on the OPC UA Part 9 state machine, as a pure
 * function the evaluator, the server and the tests share; and the flood and chattering detectors of
 * ISA-18.2 / EEMUA 191. No clock is read here: every function takes `nowMs`.
 */
import { z } from 'zod'

export const AlarmPrioritySchema = z.enum(['high', 'medium', 'low', 'diagnostic'])
export type AlarmPriority = z.infer<typeof AlarmPrioritySchema>

/** Longest an operator may shelve an alarm (reliability-security.md §5.2). */
export const MAX_SHELVE_MS = 8 * 3_600_000

export interface Shelving {
  /** null: one-shot — until the alarm returns to normal (OPC UA OneShotShelve). */
  untilMs: number | null
  reason: string
  by: string
}

export interface AlarmState {
  /** The condition holds now. */
  active: boolean
  acked: boolean
  shelved: Shelving | null
  /** By design (a root cause, a time window): who suppresses it, e.g. `alarm:ingest-down`. */
  suppressedBy: string | null
  outOfService: boolean
}

export const NORMAL: AlarmState = Object.freeze({ active: false, acked: true, shelved: null, suppressedBy: null, outOfService: false })

/** What the operator's list calls it (ISA-18.2). `normal`: not active and acknowledged — off the list. */
export type AlarmDisplay = 'unacknowledged' | 'acknowledged' | 'rtn-unacknowledged' | 'normal'

export function display(s: AlarmState): AlarmDisplay {
  if (s.active) return s.acked ? 'acknowledged' : 'unacknowledged'
  return s.acked ? 'normal' : 'rtn-unacknowledged'
}

/** Shown in the operator's list: not normal, and not shelved, suppressed or out of service. */
export function listed(s: AlarmState): boolean {
  return display(s) !== 'normal' && s.shelved === null && s.suppressedBy === null && !s.outOfService
}

export type AlarmEvent =
  | { type: 'activate' }
  | { type: 'clear' }
  | { type: 'ack'; by: string }
  | { type: 'shelve'; by: string; reason: string; untilMs: number | null }
  | { type: 'unshelve'; by: string }
  | { type: 'suppress'; by: string }
  | { type: 'unsuppress' }
  | { type: 'out-of-service'; by: string; on: boolean }
  /** Time passes: a timed shelving past its end ends. */
  | { type: 'tick' }
  /** The evaluator restarted without knowing the shelving state: unshelved (OPC UA Part 9). */
  | { type: 'restart-unknown-shelving' }

export type Transition = { ok: true; state: AlarmState; changed: boolean } | { ok: false; code: 'ALARM_STATE' | 'VALIDATION_FAILED'; message: string }

const same = (a: AlarmState, b: AlarmState) =>
  a.active === b.active && a.acked === b.acked && a.outOfService === b.outOfService && a.suppressedBy === b.suppressedBy && JSON.stringify(a.shelved) === JSON.stringify(b.shelved)

const done = (before: AlarmState, state: AlarmState): Transition => ({ ok: true, state, changed: !same(before, state) })

/** The next state of an alarm after an event, or why the event is refused. Idempotent where it can be. */
export function transition(s: AlarmState, e: AlarmEvent, nowMs: number): Transition {
  switch (e.type) {
    case 'activate':
      // A new activation needs a new acknowledgement (an active alarm stays as it is).
      return done(s, s.active ? s : { ...s, active: true, acked: false })
    case 'clear': {
      // Returning to normal ends a one-shot shelving.
      const shelved = s.shelved && s.shelved.untilMs === null ? null : s.shelved
      return done(s, { ...s, active: false, shelved })
    }
    case 'ack':
      if (s.acked) return done(s, s)
      return done(s, { ...s, acked: true })
    case 'shelve': {
      if (s.outOfService) return { ok: false, code: 'ALARM_STATE', message: 'The alarm is out of service; put it back in service before shelving it.' }
      if (e.reason.trim() === '') return { ok: false, code: 'VALIDATION_FAILED', message: 'Shelving needs a reason.' }
      if (e.untilMs !== null && (e.untilMs <= nowMs || e.untilMs - nowMs > MAX_SHELVE_MS)) {
        return { ok: false, code: 'VALIDATION_FAILED', message: `A shelving ends in the future and lasts at most ${MAX_SHELVE_MS / 3_600_000} hours.` }
      }
      if (e.untilMs === null && !s.active) return { ok: false, code: 'ALARM_STATE', message: 'A one-shot shelving lasts until the alarm returns to normal; this one is not active.' }
      return done(s, { ...s, shelved: { untilMs: e.untilMs, reason: e.reason.trim(), by: e.by } })
    }
    case 'unshelve':
      return done(s, { ...s, shelved: null })
    case 'suppress':
      return done(s, { ...s, suppressedBy: e.by })
    case 'unsuppress':
      return done(s, { ...s, suppressedBy: null })
    case 'out-of-service':
      return done(s, { ...s, outOfService: e.on, ...(e.on ? { shelved: null } : {}) })
    case 'tick':
      return done(s, s.shelved && s.shelved.untilMs !== null && s.shelved.untilMs <= nowMs ? { ...s, shelved: null } : s)
    case 'restart-unknown-shelving':
      return done(s, { ...s, shelved: null })
  }
}

/** ISA-18.2: an alarm that changes state this many times within CHATTER_WINDOW_MS is chattering. */
export const CHATTER_TRANSITIONS = 3
export const CHATTER_WINDOW_MS = 60_000

/** Whether the activation/clear times of one alarm (any order) show chattering at `nowMs`. */
export function chattering(transitionTimesMs: readonly number[], nowMs: number): boolean {
  return transitionTimesMs.filter((t) => t > nowMs - CHATTER_WINDOW_MS && t <= nowMs).length >= CHATTER_TRANSITIONS
}

/** Flood (ISA-18.2 / EEMUA 191): starts above 10 activations in 10 minutes, ends below 5 in 10 minutes. */
export const FLOOD_WINDOW_MS = 10 * 60_000
export const FLOOD_START_ABOVE = 10
export const FLOOD_END_BELOW = 5

export class FloodDetector {
  private times: number[] = []
  private since: number | null = null
  private floodedMs = 0

  /** Records an activation; returns whether the control room is in flood afterwards. */
  activation(nowMs: number): boolean {
    this.times.push(nowMs)
    return this.at(nowMs)
  }

  /** Whether the control room is in flood at `nowMs` (call as time passes, too). */
  at(nowMs: number): boolean {
    this.times = this.times.filter((t) => t > nowMs - FLOOD_WINDOW_MS)
    const n = this.times.length
    if (this.since === null && n > FLOOD_START_ABOVE) this.since = nowMs
    else if (this.since !== null && n < FLOOD_END_BELOW) {
      this.floodedMs += nowMs - this.since
      this.since = null
    }
    return this.since !== null
  }

  /** Activations in the window ending at `nowMs`. */
  count(nowMs: number): number {
    return this.times.filter((t) => t > nowMs - FLOOD_WINDOW_MS && t <= nowMs).length
  }

  /** When the current flood started, or null. */
  floodSince(): number | null {
    return this.since
  }

  /** Time spent in flood so far (a KPI: target < 1 % of the time). */
  timeInFloodMs(nowMs: number): number {
    return this.floodedMs + (this.since !== null ? nowMs - this.since : 0)
  }
}
