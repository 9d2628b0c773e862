import { useCallback } from 'react'
import type { ScenarioSumoRequest, ScenarioSumoRun, VersionKey } from '../api/scenario-client'
import { usePolledRuns } from '../panels/use-polled-runs'
import { useScenarioServices } from './scenario-services'

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
  const fetchRun = useCallback((runId: number, signal?: AbortSignal) => client.getSumoRun(runId, signal), [client])
  const runs = usePolledRuns<ScenarioSumoRun>(fetchList, fetchRun)
  return {
    list: runs.list,
    error: runs.error,
    loaded: runs.loaded,
    start: (version, body) => runs.track(client.createSumoRun(version, body)),
    cancel: (runId) => runs.track(client.cancelSumoRun(runId)),
  }
}
