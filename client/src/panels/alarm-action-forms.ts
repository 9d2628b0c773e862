/**
 * The operator's alarm action forms as values (ISA-18.2 / OPC UA Part 9 shelving): the shelving
 * presets and the checks the server makes too, so the form says what is wrong before sending.
 */
import type { AlarmAction } from '../../../contracts/alarm-api'
import { MAX_SHELVE_MS } from '../../../contracts/alarms'

export const SHELVE_PRESETS = ['15m', '1h', '4h', '8h', 'until-normal'] as const
export type ShelvePreset = (typeof SHELVE_PRESETS)[number]

const PRESET_MS: Record<Exclude<ShelvePreset, 'until-normal'>, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '4h': 4 * 3_600_000,
  '8h': 8 * 3_600_000,
}

/**
 * A margin under the 8 h maximum: the page's idea of server time lags the server by the network
 * delay, so "8 h" is sent a minute short rather than refused.
 */
const CLOCK_MARGIN_MS = 60_000

/** End of a shelving started now (server time); null for the one-shot "until it returns to normal". */
export function shelveUntilMs(preset: ShelvePreset, serverNowMs: number): number | null {
  if (preset === 'until-normal') return null
  return serverNowMs + Math.min(PRESET_MS[preset], MAX_SHELVE_MS - CLOCK_MARGIN_MS)
}

export const REASON_MIN = 3
export const REASON_MAX = 500

export type ReasonProblem = 'too-short' | 'too-long' | null

/** The reason a shelving or an out-of-service needs (trimmed, 3 to 500 characters). */
export function reasonProblem(reason: string): ReasonProblem {
  const r = reason.trim()
  if (r.length < REASON_MIN) return 'too-short'
  if (r.length > REASON_MAX) return 'too-long'
  return null
}

export type ShelveProblem = ReasonProblem | 'not-active'

/** Why this shelving cannot be sent, or null. A one-shot shelving needs an active alarm. */
export function shelveProblem(reason: string, preset: ShelvePreset, active: boolean): ShelveProblem {
  return reasonProblem(reason) ?? (preset === 'until-normal' && !active ? 'not-active' : null)
}

export function shelveAction(reason: string, preset: ShelvePreset, serverNowMs: number): AlarmAction {
  return { action: 'shelve', reason: reason.trim(), untilMs: shelveUntilMs(preset, serverNowMs) }
}
