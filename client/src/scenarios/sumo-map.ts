/**
 * A finished SUMO run's edges as the maps draw them (state/scenario-map.ts `sumo`): the edges the
 * network has a shape for, with their simulated and estimated flows, the difference and the speed;
 * and what the map shows of them in each compare mode. Pure.
 */
import type { ScenarioSumoEdge, ScenarioSumoRun } from '../api/scenario-client'
import type { CompareMode, LonLat, ScenarioSumoEdgeDatum, ScenarioSumoMapData } from '../state/scenario-map'

/** The edges with a line to draw (two points or more); the others are left out. */
export function sumoEdgeData(edges: readonly ScenarioSumoEdge[]): ScenarioSumoEdgeDatum[] {
  return edges.flatMap((e) =>
    e.coordinates && e.coordinates.length >= 2
      ? [
          {
            edgeId: e.edgeId,
            roadEdgeId: e.roadEdgeId,
            reverse: e.reverse ?? false,
            path: e.coordinates.map(([x, y]): LonLat => [x, y]),
            simulatedVehH: e.simulatedVehH,
            estimatedVehH: e.estimatedVehH,
            differenceVehH: e.differenceVehH,
            speedKmh: e.speedKmh,
            travelTimeS: e.travelTimeS,
          },
        ]
      : [],
  )
}

/** The hour a run simulated: its results', else its request's; null when neither says. */
export function sumoRunHour(run: Pick<ScenarioSumoRun, 'results' | 'request'>): number | null {
  return run.results?.hour ?? run.request.hour ?? null
}

/** A run can be drawn once it is done with results. */
export const canShowSumoRun = (run: Pick<ScenarioSumoRun, 'status' | 'results'>) => run.status === 'done' && run.results !== null

let revisions = 0

/** The maps' data of a finished run, with a fresh revision. */
export function sumoMapData(o: { run: Pick<ScenarioSumoRun, 'id' | 'results' | 'request'>; edges: readonly ScenarioSumoEdge[]; estimateLabel: string; simulationLabel: string }): ScenarioSumoMapData {
  return {
    revision: ++revisions,
    runId: o.run.id,
    hour: sumoRunHour(o.run) ?? 0,
    edges: sumoEdgeData(o.edges),
    estimateLabel: o.estimateLabel,
    simulationLabel: o.simulationLabel,
  }
}

/** What the map legend explains: the estimate's Δ, a run's difference from the estimate, or flows (split and swipe). */
export type LegendKind = 'delta' | 'sumoDifference' | 'flows' | 'sumoFlows'

export function legendKind(mode: CompareMode | '3d', sumoShown: boolean): LegendKind {
  const flows = mode === 'split' || mode === 'swipe'
  if (flows) return sumoShown ? 'sumoFlows' : 'flows'
  return sumoShown && mode === 'map' ? 'sumoDifference' : 'delta'
}
