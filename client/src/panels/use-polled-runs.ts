import { useCallback, useEffect, useState } from 'react'
import { activeRunIds, mergeRun, RUN_POLL_MS, type PolledRun } from './polled-runs'
import { useFetched } from './use-fetched'

export interface PolledRuns<T extends PolledRun> {
  /** The runs, newest first, each at its latest answer. */
  list: T[]
  /** The list could not be fetched (the last good one stays). */
  error: string | null
  loaded: boolean
  /** Lists the run an action answered with (started, cancelled) and hands it on; a queued or running one is followed. */
  track(answer: Promise<T>): Promise<T>
  reload(): void
}

/**
 * The runs `fetchList` answers, and every queued or running one asked for its progress with `fetchRun`
 * every 2 s until it is done, failed or cancelled. Both fetchers are kept stable by the caller (useCallback).
 */
export function usePolledRuns<T extends PolledRun>(
  fetchList: (signal?: AbortSignal) => Promise<T[]>,
  fetchRun: (runId: number, signal?: AbortSignal) => Promise<T>,
): PolledRuns<T> {
  const fetched = useFetched<T[]>(fetchList)
  const [list, setList] = useState<T[]>([])
  const apply = useCallback((run: T) => setList((l) => mergeRun(l, run)), [])

  useEffect(() => {
    if (fetched.data) setList((l) => fetched.data!.reduce(mergeRun<T>, l))
  }, [fetched.data])

  const active = activeRunIds(list).join(',')
  useEffect(() => {
    if (!active) return
    const ids = active.split(',').map(Number)
    const ac = new AbortController()
    const timer = setInterval(() => {
      for (const id of ids) fetchRun(id, ac.signal).then(apply, () => undefined) // the next tick asks again
    }, RUN_POLL_MS)
    return () => {
      clearInterval(timer)
      ac.abort()
    }
  }, [fetchRun, active, apply])

  return {
    list,
    error: fetched.error,
    loaded: fetched.data !== null,
    track: (answer) =>
      answer.then((run) => {
        apply(run)
        return run
      }),
    reload: fetched.reload,
  }
}
