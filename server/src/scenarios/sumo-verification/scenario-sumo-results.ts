/**
 * What a scenario's SUMO verification gives back (docs/scenarios.md, "Verification in SUMO"): SUMO's
 * output files read (sumo-results.ts's readers), beside the fast estimate. Pure apart from reading the
 * files. Flows are per hour of the measured time ([beginS, endS), after the warm-up).
 *
 *  - Per SUMO edge (every normal edge, so a closed one shows its zero): vehicles that came onto it
 *    (entered from upstream or departed on it, less those that only teleported through), travel time
 *    and mean speed; the city road edge it lies on (edge-mapping.ts); the estimate's flow on its link —
 *    the road edge's in that direction for a city scenario, the SUMO edge's own for a SUMO one.
 *  - Per loop with detectors in the scenario's detector file: its count at the base's hour against
 *    the sum of its detectors' e1 counts, and against the estimate's flow on the link the estimate's
 *    calibration puts the loop on; GEH of the simulation against each.
 *  - KPIs over the network's normal edges, per hour: vehicle-km (Σ sampled seconds × mean speed),
 *    vehicle-hours (Σ sampled seconds), mean speed, delay (Σ time loss); teleports and completed trips
 *    of the whole run (statistics). The estimate's KPIs over the links the SUMO edges are compared with.
 */
import type { EstimateLinkFeature, ScenarioSumoResults } from '../../../../contracts/scenario-api'
import type { ScenarioDetectorRow, ScenarioEdgeRow } from '../../db/scenario-sumo-runs'
import { detectorIntervals, geh, readEdgeData, readStatistics, sumIn, type NetworkDetector } from '../../signals/sumo-results'
import type { RoadMatch } from './edge-mapping'
import type { AppliedEdit, EditProblem } from './sumo-edits'

export interface ScenarioResultInputs {
  network: string
  hour: number
  beginS: number
  endS: number
  files: { edges: string; e1: string | null; statistics: string }
  /** The network's normal edges. */
  edgeIds: readonly string[]
  roadOf: ReadonlyMap<string, RoadMatch>
  detectors: readonly NetworkDetector[]
  /** Each loop's count at the hour (veh/h). */
  loopFlows: ReadonlyMap<string, number>
  /**
   * The estimate: its links, the link each SUMO edge is compared with, the link each counted loop is
   * on (its calibration's); null when there is no estimate (estimateNote says why).
   */
  estimate: { links: readonly EstimateLinkFeature[]; linkOf: ReadonlyMap<string, EstimateLinkKey>; loopLinks: ReadonlyMap<string, EstimateLinkKey> } | null
  estimateNote: string | null
  vehicles: number
  demand: ScenarioSumoResults['demand']
  applied: AppliedEdit[]
  unmapped: EditProblem[]
  inactive: number[]
  wallTimeS: number
}

const round = (x: number | null, d = 1) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d)
/** An estimate link: the network's edge id (a road edge's or a SUMO edge's) and its direction. */
export interface EstimateLinkKey {
  edgeId: string
  reverse: boolean
}
const linkKey = (k: EstimateLinkKey) => `${k.edgeId}|${k.reverse}`

export function computeScenarioResults(i: ScenarioResultInputs): { results: ScenarioSumoResults; edges: ScenarioEdgeRow[]; detectors: ScenarioDetectorRow[] } {
  const measuredS = i.endS - i.beginS
  const perHour = 3600 / measuredS
  const edgeData = readEdgeData(i.files.edges)
  const stats = readStatistics(i.files.statistics)
  const links = new Map((i.estimate?.links ?? []).map((l) => [linkKey(l.properties), l]))
  const estimatedOn = (k: EstimateLinkKey | undefined): number | null => {
    if (!i.estimate || !k) return null
    // A link the estimate left out carries (next to) nothing.
    return links.get(linkKey(k))?.properties.flowVehH ?? 0
  }

  // Per edge, and the KPIs.
  let metres = 0
  let seconds = 0
  let lossS = 0
  const edges: ScenarioEdgeRow[] = [...i.edgeIds].sort().map((edgeId) => {
    const e = edgeData.get(edgeId)
    const match = i.roadOf.get(edgeId) ?? null
    if (e) {
      metres += e.sampledSeconds * (e.speed ?? 0)
      seconds += e.sampledSeconds
      lossS += e.timeLoss
    }
    const sampled = (e?.sampledSeconds ?? 0) > 0
    return {
      edgeId,
      roadEdgeId: match?.roadEdgeId ?? null,
      reverse: match?.reverse ?? false,
      simulatedVehH: round(Math.max(0, (e?.entered ?? 0) + (e?.departed ?? 0) - (e?.teleported ?? 0)) * perHour)!,
      travelTimeS: sampled ? round(e!.traveltime, 2) : null,
      speedKmh: sampled && e!.speed !== null ? round(e!.speed * 3.6) : null,
      estimatedVehH: round(estimatedOn(i.estimate?.linkOf.get(edgeId))),
    }
  })
  const vehKm = (metres / 1000) * perHour
  const vehHours = (seconds / 3600) * perHour

  // Per loop.
  const e1 = i.files.e1 ? detectorIntervals(i.files.e1) : new Map<string, Array<Record<string, unknown>>>()
  const simulatedOf = new Map<string, number>()
  for (const d of i.detectors) {
    if (!d.deviceId || !e1.has(d.detectorId)) continue // not in the scenario's detector file (commented out there)
    simulatedOf.set(d.deviceId, (simulatedOf.get(d.deviceId) ?? 0) + sumIn(e1.get(d.detectorId), 'nVehContrib', i.beginS, i.endS) * perHour)
  }
  const detectors: ScenarioDetectorRow[] = [...simulatedOf].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([deviceId, simulated]) => {
    const counted = i.loopFlows.get(deviceId) ?? null
    const estimated = estimatedOn(i.estimate?.loopLinks.get(deviceId))
    return {
      deviceId,
      counted: round(counted),
      simulated: round(simulated)!,
      estimated: round(estimated),
      geh: counted === null ? null : round(geh(simulated, counted), 2),
      gehEstimate: estimated === null ? null : round(geh(simulated, estimated), 2),
    }
  })
  const counted = detectors.filter((d) => d.geh !== null)

  // The estimate over the roads the SUMO edges lie on.
  let estimateKpis: ScenarioSumoResults['estimateKpis'] = null
  if (i.estimate) {
    const roads = new Set([...i.estimate.linkOf.values()].map(linkKey))
    let km = 0
    let h = 0
    for (const key of roads) {
      const l = links.get(key)
      if (!l) continue
      km += l.properties.flowVehH * (lengthM(l.geometry.coordinates) / 1000)
      h += (l.properties.flowVehH * l.properties.timeS) / 3600
    }
    estimateKpis = { vehKm: round(km)!, vehHours: round(h, 2)!, meanSpeedKmh: h > 0 ? round(km / h)! : 0 }
  }

  const results: ScenarioSumoResults = {
    network: i.network,
    hour: i.hour,
    warmupS: i.beginS,
    measuredS,
    vehicles: i.vehicles,
    demand: i.demand,
    appliedEdits: i.applied,
    unmappedEdits: i.unmapped,
    inactiveEdits: i.inactive,
    kpis: {
      vehKm: round(vehKm)!,
      vehHours: round(vehHours, 2)!,
      meanSpeedKmh: vehHours > 0 ? round(vehKm / vehHours)! : 0,
      delayVehHours: round((lossS / 3600) * perHour, 2)!,
      teleports: stats.teleports,
      tripsCompleted: stats.trips,
    },
    estimateKpis,
    estimateNote: i.estimateNote,
    edgeCount: edges.length,
    detectors: detectors.map((d) => ({ deviceId: d.deviceId, countedVehH: d.counted, simulatedVehH: d.simulated, estimatedVehH: d.estimated, geh: d.geh, gehEstimate: d.gehEstimate })),
    gehBelow5Share: counted.length === 0 ? null : round(counted.filter((d) => d.geh! < 5).length / counted.length, 4),
    wallTimeS: round(i.wallTimeS, 3)!,
  }
  return { results, edges, detectors }
}

/** Length of a [lon, lat] line in metres (haversine). */
function lengthM(coords: ReadonlyArray<readonly [number, number] | number[]>): number {
  const R = 6_371_008.8
  const rad = Math.PI / 180
  let m = 0
  for (let k = 1; k < coords.length; k++) {
    const [lon1, lat1] = coords[k - 1] as [number, number]
    const [lon2, lat2] = coords[k] as [number, number]
    const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2
    m += 2 * R * Math.asin(Math.sqrt(a))
  }
  return m
}
