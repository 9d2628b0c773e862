import { useCallback, useEffect, useState } from 'react'
import type { ScenarioSumoRequest, ScenarioSumoRun, VersionKey } from '../api/scenario-client'
import { useFetched } from '../panels/use-fetched'
import { useScenarioServices } from './scenario-services'
import { activeSumoRunIds, mergeSumoRun, SCENARIO_SUMO_POLL_MS } from './sumo-runs'

export interface ScenarioSumoRuns {
  /** The scenario's runs, newest first, each at its latest answer. */
  list: ScenarioSumoRun[]
  error: string | null
  loaded: boolean
  start(version: VersionKey, body: ScenarioSumoRequest): Promise<ScenarioSumoRun>
  cancel(runId: number): Promise<ScenarioSumoRun>
}

/**
 * The scenario's SUMO verifications (listScenarioSumoRuns), and every queued or running one asked for
 * its progress (getScenarioSumoRun) every 2 s until it is done, failed or cancelled.
 */
export function useScenarioSumoRuns(scenarioId: string): ScenarioSumoRuns {
  const { client } = useScenarioServices()
  const fetchList = useCallback((signal?: AbortSignal) => client.listSumoRuns(scenarioId, signal), [client, scenarioId])
  const fetched = useFetched<ScenarioSumoRun[]>(fetchList)
  const [list, setList] = useState<ScenarioSumoRun[]>([])
  const apply = useCallback((run: ScenarioSumoRun) => setList((l) => mergeSumoRun(l, run)), [])

  useEffect(() => {
    if (fetched.data) setList((l) => fetched.data!.reduce(mergeSumoRun, l))
  }, [fetched.data])

  const active = activeSumoRunIds(list).join(',')
  useEffect(() => {
    if (!active) return
    const ids = active.split(',').map(Number)
    const ac = new AbortController()
    const timer = setInterval(() => {
      for (const id of ids) client.getSumoRun(id, ac.signal).then(apply, () => undefined) // the next tick asks again
    }, SCENARIO_SUMO_POLL_MS)
    return () => {
      clearInterval(timer)
      ac.abort()
    }
  }, [client, active, apply])

  return {
    list,
    error: fetched.error,
    loaded: fetched.data !== null,
    start: (version, body) =>
      client.createSumoRun(version, body).then((run) => {
        apply(run)
        return run
      }),
    cancel: (runId) =>
      client.cancelSumoRun(runId).then((run) => {
        apply(run)
        return run
      }),
  }
}
