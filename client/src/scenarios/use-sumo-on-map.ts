import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ScenarioEstimate, ScenarioSumoRun } from '../api/scenario-client'
import { errorMessage } from '../panels/action-error'
import { setSumo, type ScenarioSumoMapData } from '../state/scenario-map'
import { hourText } from './hour-text'
import { useScenarioServices } from './scenario-services'
import { sumoMapData, sumoRunHour } from './sumo-map'

export interface SumoOnMap {
  loading: boolean
  error: string | null
  /** Edges drawn (those with a line), of all the run's edges. */
  drawn: number
  total: number
}

/**
 * A finished run's edges on the maps (scenarioSumoRunEdges) while `run` is given; nothing of it once it
 * is not (another run, the toggle off, the tab closed). The sides' labels follow the estimate shown.
 */
export function useSumoOnMap(run: ScenarioSumoRun | null, estimate: ScenarioEstimate | null): SumoOnMap {
  const { t } = useTranslation()
  const { client, channel } = useScenarioServices()
  const [state, setState] = useState<{ runId: number; data: ScenarioSumoMapData | null; total: number; error: string | null } | null>(null)
  const runHour = run ? sumoRunHour(run) : null
  // Each side says its version and hour: the run may be of another version than the estimate open, or the slider moved since.
  const estimateLabel = estimate ? t('scenarios.map.sideEstimate', { v: estimate.scenario.version ?? '—', hour: hourText(estimate.hour) }) : t('scenarios.map.estimate')
  const simulationLabel = run && runHour !== null ? t('scenarios.map.sideSimulation', { v: run.version, hour: hourText(runHour) }) : t('scenarios.map.simulation')

  const runId = run?.id ?? null
  useEffect(() => {
    if (runId === null || !run) {
      setState(null)
      return
    }
    const ac = new AbortController()
    setState({ runId, data: null, total: 0, error: null })
    client.sumoRunEdges(runId, ac.signal).then(
      (edges) => {
        if (ac.signal.aborted) return
        const data = sumoMapData({ run, edges, estimateLabel, simulationLabel })
        setState({ runId, data, total: edges.length, error: null })
        channel.set((s) => setSumo(s, data))
      },
      (err: unknown) => !ac.signal.aborted && setState({ runId, data: null, total: 0, error: errorMessage(err) }),
    )
    return () => {
      ac.abort()
      channel.set((s) => (s.sumo?.runId === runId ? setSumo(s, null) : s))
    }
    // One fetch per run shown; the labels are kept up to date below.
  }, [client, channel, runId]) // run and labels are read as they are then

  // The estimate shown changes hour: the sides are named again (the layers keep their derived arrays).
  useEffect(() => {
    channel.set((s) =>
      s.sumo && s.sumo.runId === runId && (s.sumo.estimateLabel !== estimateLabel || s.sumo.simulationLabel !== simulationLabel) ? setSumo(s, { ...s.sumo, estimateLabel, simulationLabel }) : s,
    )
  }, [channel, runId, estimateLabel, simulationLabel, state])

  const current = state && state.runId === runId ? state : null
  return {
    loading: runId !== null && (current === null || (current.data === null && current.error === null)),
    error: current?.error ?? null,
    drawn: current?.data?.edges.length ?? 0,
    total: current?.total ?? 0,
  }
}
