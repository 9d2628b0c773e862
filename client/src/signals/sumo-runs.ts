/**
 * The SUMO verification runs of a controller as the workbench keeps them (docs/signals.md,
 * "Verification in SUMO"): which run's results are shown, and the request a start sends for the
 * version on screen. The list itself is followed as panels/polled-runs.ts keeps it.
 */
import type { SumoRun } from '../../../contracts/signal-api'
import type { SumoRunBody } from '../api/signal-client'
import type { VersionRef } from './plan-versions'

/** Measured durations offered, seconds (the server accepts 60–3600). */
export const SUMO_DURATIONS_S = [600, 900, 1800, 3600] as const

/** The run whose detail is shown: the one picked, else the newest. */
export function shownRun(list: readonly SumoRun[], picked: number | null): SumoRun | null {
  return list.find((r) => r.id === picked) ?? list[0] ?? null
}

export interface SumoRunForm {
  demand: SumoRunBody['demand'] & string
  /** Europe/Rome day, '' for the newest day with counts (the server picks it). */
  date: string
  hour: number
  durationS: number
}

export const DEFAULT_SUMO_FORM: SumoRunForm = { demand: 'loop-counts', date: '', hour: 8, durationS: 3600 }

/** The body of createSumoRun for the version on screen. */
export function sumoRunBody(version: VersionRef, form: SumoRunForm): SumoRunBody {
  return { planId: version.planId, version: version.version, demand: form.demand, hour: form.hour, durationS: form.durationS, ...(form.date ? { date: form.date } : {}) }
}
