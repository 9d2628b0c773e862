/**
 * The SUMO verification runs of a controller as the workbench keeps them (docs/signals.md,
 * "Verification in SUMO"): the list newest first with each run replaced by its latest answer, the
 * runs still to follow (queued or running: getSumoRun every 2 s), which run's results are shown, and
 * the request a start sends for the version on screen.
 */
import type { SumoRun } from '../../../contracts/signal-api'
import type { SumoRunBody } from '../api/signal-client'
import type { VersionRef } from './plan-versions'

/** How often a queued or running run is asked for its progress. */
export const SUMO_POLL_MS = 2000

/** Measured durations offered, seconds (the server accepts 60–3600). */
export const SUMO_DURATIONS_S = [600, 900, 1800, 3600] as const

export const isActive = (run: Pick<SumoRun, 'status'>) => run.status === 'queued' || run.status === 'running'

/** A cancel applies to a queued or running run not already asked to stop. */
export const canCancel = (run: Pick<SumoRun, 'status' | 'cancelRequested'>) => isActive(run) && !run.cancelRequested

/** A run answered (started, polled, cancelled): the list with it replaced or added, newest first. */
export function mergeRun(list: readonly SumoRun[], run: SumoRun): SumoRun[] {
  return [run, ...list.filter((r) => r.id !== run.id)].sort((a, b) => b.id - a.id)
}

/** The ids of the runs to poll, ascending (a stable key for the polling effect). */
export function activeRunIds(list: readonly SumoRun[]): number[] {
  return list
    .filter(isActive)
    .map((r) => r.id)
    .sort((a, b) => a - b)
}

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
