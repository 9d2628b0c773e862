/**
 * The SUMO verification of a scenario version as the explorer keeps it (ADR 0009): the durations
 * offered and a finished run's figures beside the fast estimate's. Pure; the runs are followed as
 * panels/polled-runs.ts keeps them.
 */
import type { ScenarioSumoRun } from '../api/scenario-client'

/** Measured durations offered, seconds (the contract accepts 60–3600). */
export const SCENARIO_SUMO_DURATIONS_S = [600, 1800, 3600] as const

/** One row of the side-by-side table: the simulation's figure, the estimate's, and how far apart (% of the estimate). */
export interface SumoKpiRow {
  key: 'vehKm' | 'vehHours' | 'meanSpeedKmh' | 'delayVehHours' | 'teleports' | 'tripsCompleted'
  simulated: number
  estimated: number | null
  /** (simulated − estimated) / estimated × 100; null without an estimate or when it is 0. */
  differencePercent: number | null
}

export function sumoKpiRows(results: NonNullable<ScenarioSumoRun['results']>): SumoKpiRow[] {
  const est = results.estimateKpis
  const row = (key: SumoKpiRow['key'], simulated: number, estimated: number | null): SumoKpiRow => ({
    key,
    simulated,
    estimated,
    differencePercent: estimated === null || estimated === 0 ? null : ((simulated - estimated) / estimated) * 100,
  })
  return [
    row('vehKm', results.kpis.vehKm, est?.vehKm ?? null),
    row('vehHours', results.kpis.vehHours, est?.vehHours ?? null),
    row('meanSpeedKmh', results.kpis.meanSpeedKmh, est?.meanSpeedKmh ?? null),
    row('delayVehHours', results.kpis.delayVehHours, null),
    row('teleports', results.kpis.teleports, null),
    row('tripsCompleted', results.kpis.tripsCompleted, null),
  ]
}

/** The loops of a finished run, worst fit first (no count last). */
export function detectorsByGeh(results: NonNullable<ScenarioSumoRun['results']>): NonNullable<ScenarioSumoRun['results']>['detectors'] {
  return [...results.detectors].sort((a, b) => (b.geh ?? -1) - (a.geh ?? -1))
}
