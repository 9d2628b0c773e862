/**
 * The fast estimate's computation (ADR 0009), without the database: what runs in the estimator's
 * worker thread (estimator-worker.ts), so a base's calibration (≈ 12 s on the city) never blocks the
 * server's event loop — sockets, alarms and the API keep answering while it runs. It keeps what does
 * not change between scenarios — per network the assignment network, its loops and free-flow times;
 * per base (day or day type, and hour) the demand calibrated to the loop counts with its equilibrium —
 * so a scenario's estimate is one assignment of the edited network warm-started from the base's
 * equilibrium. Inputs and outputs are plain data (structured-clonable): scenario-estimator.ts reads
 * them from the database on the main thread.
 */
import type { EstimateLinkFeature, ScenarioEstimateDto } from '../../../contracts/scenario-api'
import type { Scenario } from '../../../contracts/schemas/scenario'
import { buildNetwork, type AssignmentNetwork } from '../domain/assignment/network'
import type { RouteState } from '../domain/assignment/path-based'
import { estimateOd, type LinkCount } from '../domain/assignment/od-estimation'
import { ShortestPathTree } from '../domain/assignment/shortest-paths'
import type { OdMatrix } from '../domain/assignment/assign'
import { calibrationReport, type CalibrationReport, type CountedLink } from './calibration'
import type { CityNetwork } from './city-network'
import { compareKpis, DETERRENCE_S, estimate, zoneMass, type Estimate } from './estimate'

export class ScenarioRunError extends Error {
  override readonly name = 'ScenarioRunError'
}

/** Scenarios are assigned to a relative gap of 1e-4; the base to 1e-5, so what a scenario changes stands out of the base's own rest gap. */
const ASSIGN = { relativeGap: 1e-4, maxIterations: 100 }
const BASE_ASSIGN = { relativeGap: 1e-5, maxIterations: 200 }
export const ALGORITHM = 'gradient projection on routes (warm-started from the base), BPR + Webster signal delay'

/**
 * Gravity prior between zones: masses (areas 1, external stations by their road), deterrence by
 * free-flow time. `throughTraffic`: trips from an entry straight to an exit count (a SUMO network's
 * area, whose zones are all at its fringe); on the city they do not (the comune's own trips dominate).
 */
export function gravityPrior(city: CityNetwork, freeFlowTimeS: (from: number, to: number) => number, total: number, o: { throughTraffic?: boolean } = {}): Float64Array {
  const Z = city.zones.length
  const od = new Float64Array(Z * Z)
  let sum = 0
  for (let a = 0; a < Z; a++) {
    for (let b = 0; b < Z; b++) {
      if (a === b) continue
      const za = city.zones[a]!
      const zb = city.zones[b]!
      // An entry station only produces, an exit only attracts; no trip from outside straight back outside.
      if (za.kind === 'external' && zb.kind === 'external' && !o.throughTraffic) continue
      if (za.kind === 'external' && za.name.startsWith('Exit')) continue
      if (zb.kind === 'external' && zb.name.startsWith('Entry')) continue
      const t = freeFlowTimeS(a, b)
      if (!Number.isFinite(t)) continue
      const v = Math.exp(-t / DETERRENCE_S) * zoneMass(za) * zoneMass(zb)
      od[a * Z + b] = v
      sum += v
    }
  }
  if (sum > 0) for (let i = 0; i < od.length; i++) od[i] = (od[i]! * total) / sum
  return od
}

export type EdgeGeometry = { coords: Array<[number, number]>; roadClass: string | null; name: string | null }

/** What the main thread reads for a network, once. */
export interface ModelInput {
  network: Scenario['network']
  city: CityNetwork
  loopPositions: Map<string, [number, number]>
  /** road_edge (or SUMO edge) id → its line and labels, for the delta layer. */
  geometry: Map<string, EdgeGeometry>
}

/** A base's counts as read by the main thread (base-counts.ts). */
export interface CalibrateInput {
  network: Scenario['network']
  key: string
  hour: number
  counts: CountedLink[]
  window: unknown
  /** For the error when no loop of the network counted. */
  describeBase: string
}

export interface EstimateOutput {
  estimate: ScenarioEstimateDto
  links: EstimateLinkFeature[]
}

interface Model {
  network: Scenario['network']
  city: CityNetwork
  net: AssignmentNetwork
  loopPositions: Map<string, [number, number]>
  geometry: Map<string, EdgeGeometry>
  /** road_edge id → link index of its own direction (not the added reverse). */
  linkOfEdge: Map<string, number>
  /** Free-flow zone-to-zone times. */
  freeFlow: Float64Array
}

interface Calibrated {
  od: OdMatrix
  /** The base's equilibrium routes: every scenario of this base starts from them. */
  state: RouteState
  report: CalibrationReport
  window: unknown
  base: Estimate
}

export class EstimatorCore {
  private readonly models = new Map<string, Model>()
  private readonly calibrated = new Map<string, Calibrated>()

  setModel(input: ModelInput): void {
    const { city, network } = input
    const net = buildNetwork(city.links, city.zones)
    const linkOfEdge = new Map<string, number>()
    city.roadEdgeOf.forEach((e, i) => {
      if (e !== null && !city.links[i]!.id.endsWith(':reverse')) linkOfEdge.set(e, i)
    })
    const tree = new ShortestPathTree(net)
    const Z = city.zones.length
    const freeFlow = new Float64Array(Z * Z).fill(Infinity)
    for (let a = 0; a < Z; a++) {
      tree.run(net.zoneNode[a]!, net.t0)
      for (let b = 0; b < Z; b++) freeFlow[a * Z + b] = tree.dist[net.zoneNode[b]!]!
    }
    for (const key of [...this.calibrated.keys()]) if (key.startsWith(`${JSON.stringify(network)}|`)) this.calibrated.delete(key)
    this.models.set(network, { network, city, net, loopPositions: input.loopPositions, geometry: input.geometry, linkOfEdge, freeFlow })
  }

  /** The base's demand calibrated to its counts: an OD estimate, then its equilibrium at the base's gap. */
  calibrate(input: CalibrateInput): void {
    const m = this.model(input.network)
    const usable = input.counts.filter((x) => m.linkOfEdge.has(x.roadEdgeId))
    if (usable.length === 0) {
      throw new ScenarioRunError(`No loop counts in the history for this base (${input.describeBase}): choose a day and hour the loops have counted (the simulator replays Bologna's 2024 counts)`)
    }
    const linkCounts: LinkCount[] = usable.map((x) => ({ link: m.linkOfEdge.get(x.roadEdgeId)!, vehH: x.countedVehH }))
    const Z = m.city.zones.length
    const meanCount = linkCounts.reduce((s, x) => s + x.vehH, 0) / linkCounts.length
    const prior = gravityPrior(m.city, (a, z) => m.freeFlow[a * Z + z]!, meanCount * Z, { throughTraffic: m.network !== 'city' })
    // A SUMO area is small: more rounds of the estimate cost little there.
    const est = estimateOd(m.net, prior, linkCounts, { iterations: m.net.linkCount > 5000 ? 6 : 20, assign: ASSIGN })
    const baseEstimate = estimate(m.city, est.od, [], input.hour, { ...BASE_ASSIGN, warmStart: est.assignment.state })
    const flowOf = new Map(baseEstimate.links.filter((l) => !l.id.endsWith(':reverse')).map((l) => [l.roadEdgeId, l.flowVehH]))
    const report = calibrationReport(usable, (edge) => flowOf.get(edge) ?? 0)
    this.calibrated.set(input.key, { od: est.od, state: baseEstimate.state, report, window: input.window, base: baseEstimate })
  }

  drop(key: string): void {
    this.calibrated.delete(key)
  }

  clear(): void {
    this.models.clear()
    this.calibrated.clear()
  }

  /** One scenario on a calibrated base: the warm assignment, the KPIs against the base, the links for the map. */
  estimate(key: string, scenario: Scenario, o: { version: number | null; hour: number; startedAtMs: number }): EstimateOutput {
    const m = this.model(scenario.network)
    const cal = this.calibrated.get(key)
    if (!cal) throw new Error(`the base ${key} is not calibrated in this estimator`)
    const result = estimate(m.city, cal.od, scenario.edits, o.hour, { ...ASSIGN, warmStart: cal.state, base: cal.base })
    const out: ScenarioEstimateDto = {
      scenario: { id: scenario.id, version: o.version, title: scenario.title, network: scenario.network, base: scenario.base },
      hour: o.hour,
      calibration: {
        fitShare: cal.report.fitShare,
        fits: cal.report.fits,
        meanGeh: cal.report.meanGeh,
        rmseVehH: cal.report.rmseVehH,
        loops: cal.report.loops.map((l) => ({ deviceId: l.deviceId, roadEdgeId: l.roadEdgeId, position: m.loopPositions.get(l.deviceId) ?? null, countedVehH: l.countedVehH, assignedVehH: l.assignedVehH, geh: l.geh })),
        window: cal.window,
      },
      base: cal.base.kpis,
      result: result.kpis,
      compare: compareKpis(cal.base.kpis, result.kpis),
      assignment: {
        algorithm: ALGORITHM,
        iterations: result.iterations,
        relativeGap: result.relativeGap,
        converged: result.converged,
        zones: m.city.zones.length,
        links: m.net.linkCount,
        demandVehH: cal.base.demandVehH,
        scenarioDemandVehH: result.demandVehH,
      },
      problems: result.problems,
      unsupported: result.unsupported,
      inactiveEdits: result.inactive,
      durationMs: Math.round(Date.now() - o.startedAtMs),
      computedAtMs: Date.now(),
    }
    return { estimate: out, links: linkFeatures(m.geometry, cal.base, result) }
  }

  private model(network: string): Model {
    const m = this.models.get(network)
    if (!m) throw new Error(`the network ${network} is not loaded in this estimator`)
    return m
  }
}

/** A base's key: the network first, so a network's new model drops its bases. */
export const baseKey = (network: string, b: Scenario['base'], hour: number) => `${JSON.stringify(network)}|${JSON.stringify({ ...b, hour })}`

function linkFeatures(geometry: Map<string, EdgeGeometry>, base: Estimate, result: Estimate): EstimateLinkFeature[] {
  const baseById = new Map(base.links.map((l) => [l.id, l]))
  const features: EstimateLinkFeature[] = []
  for (const l of result.links) {
    const f = feature(geometry.get(l.roadEdgeId), l.id, l.roadEdgeId, baseById.get(l.id), l)
    if (f) features.push(f)
  }
  return features
}

function feature(g: EdgeGeometry | undefined, linkId: string, edgeId: string, b: Estimate['links'][number] | undefined, s: Estimate['links'][number]): EstimateLinkFeature | null {
  if (!g || g.coords.length < 2) return null
  const reverse = linkId.endsWith(':reverse')
  const baseFlow = b?.flowVehH ?? 0
  const flow = s?.flowVehH ?? 0
  const closed = s?.closed ?? false
  if (baseFlow < 0.5 && flow < 0.5 && !closed) return null
  const r = (x: number) => Math.round(x * 10) / 10
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: reverse ? [...g.coords].reverse() : g.coords },
    properties: {
      edgeId,
      reverse,
      roadClass: g.roadClass,
      name: g.name,
      baseFlowVehH: r(baseFlow),
      flowVehH: r(flow),
      deltaVehH: r(flow - baseFlow),
      baseVc: Math.round((b?.vc ?? 0) * 1000) / 1000,
      vc: Math.round((s?.vc ?? 0) * 1000) / 1000,
      baseTimeS: r(b?.timeS ?? 0),
      timeS: r(s?.timeS ?? 0),
      closed,
    },
  }
}
