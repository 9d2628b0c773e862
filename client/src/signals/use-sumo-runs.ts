import { useCallback, useEffect, useState } from 'react'
import type { SumoRun } from '../../../contracts/signal-api'
import type { SumoRunBody } from '../api/signal-client'
import { useFetched } from '../panels/use-fetched'
import { useSignalServices } from './signal-services'
import { activeRunIds, mergeRun, SUMO_POLL_MS } from './sumo-runs'

export interface SumoRuns {
  /** The controller's runs, newest first, each at its latest answer. */
  list: SumoRun[]
  /** The list could not be fetched (the last good one stays). */
  error: string | null
  loaded: boolean
  /** Queues a run; it is listed (and followed) as soon as the server answers. */
  start(body: SumoRunBody): Promise<SumoRun>
  cancel(runId: number): Promise<SumoRun>
  reload(): void
}

/**
 * The controller's SUMO runs (listSumoRuns), and every queued or running one asked for its progress
 * with getSumoRun every 2 s until it is done, failed or cancelled.
 */
export function useSumoRuns(controllerId: string): SumoRuns {
  const { client } = useSignalServices()
  const fetchList = useCallback((signal?: AbortSignal) => client.listSumoRuns(controllerId, signal), [client, controllerId])
  const fetched = useFetched<SumoRun[]>(fetchList)
  const [list, setList] = useState<SumoRun[]>([])
  const apply = useCallback((run: SumoRun) => setList((l) => mergeRun(l, run)), [])

  useEffect(() => {
    if (fetched.data) setList((l) => fetched.data!.reduce(mergeRun, l))
  }, [fetched.data])

  const active = activeRunIds(list).join(',')
  useEffect(() => {
    if (!active) return
    const ids = active.split(',').map(Number)
    const ac = new AbortController()
    const timer = setInterval(() => {
      for (const id of ids) client.getSumoRun(id, ac.signal).then(apply, () => undefined) // the next tick asks again
    }, SUMO_POLL_MS)
    return () => {
      clearInterval(timer)
      ac.abort()
    }
  }, [client, active, apply])

  return {
    list,
    error: fetched.error,
    loaded: fetched.data !== null,
    start: (body) =>
      client.createSumoRun(controllerId, body).then((run) => {
        apply(run)
        return run
      }),
    cancel: (runId) =>
      client.cancelSumoRun(runId).then((run) => {
        apply(run)
        return run
      }),
    reload: fetched.reload,
  }
}
