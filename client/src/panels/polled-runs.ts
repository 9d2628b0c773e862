/**
 * Runs a panel follows while the server works on them (the SUMO verifications of a controller or of a
 * scenario): the list newest first, each run replaced by its latest answer, and the ones still to follow
 * (queued or running: asked every 2 s). Pure; use-polled-runs.ts does the asking.
 */

/** What a followed run has in common, whatever it runs. */
export interface PolledRun {
  id: number
  status: string
  cancelRequested?: boolean
}

/** How often a queued or running run is asked for its progress. */
export const RUN_POLL_MS = 2000

export const isActiveRun = (run: Pick<PolledRun, 'status'>) => run.status === 'queued' || run.status === 'running'

/** A cancel applies to a queued or running run not already asked to stop. */
export const canCancelRun = (run: Pick<PolledRun, 'status' | 'cancelRequested'>) => isActiveRun(run) && !run.cancelRequested

/** A run answered (started, polled, cancelled): the list with it replaced or added, newest first. */
export function mergeRun<T extends Pick<PolledRun, 'id'>>(list: readonly T[], run: T): T[] {
  return [run, ...list.filter((r) => r.id !== run.id)].sort((a, b) => b.id - a.id)
}

/** The ids of the runs to poll, ascending (a stable key for the polling effect). */
export function activeRunIds(list: readonly Pick<PolledRun, 'id' | 'status'>[]): number[] {
  return list
    .filter(isActiveRun)
    .map((r) => r.id)
    .sort((a, b) => a - b)
}
