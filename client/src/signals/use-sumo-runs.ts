import { useCallback } from 'react'
import type { SumoRun } from '../../../contracts/signal-api'
import type { SumoRunBody } from '../api/signal-client'
import { usePolledRuns } from '../panels/use-polled-runs'
import { useSignalServices } from './signal-services'

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
  const fetchRun = useCallback((runId: number, signal?: AbortSignal) => client.getSumoRun(runId, signal), [client])
  const runs = usePolledRuns<SumoRun>(fetchList, fetchRun)
  return {
    list: runs.list,
    error: runs.error,
    loaded: runs.loaded,
    start: (body) => runs.track(client.createSumoRun(controllerId, body)),
    cancel: (runId) => runs.track(client.cancelSumoRun(runId)),
    reload: runs.reload,
  }
}
