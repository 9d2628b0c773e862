/**
 * A scenario's fast estimate from the database (ADR 0009): the city network, the loops on their links,
 * the base's counts, a gravity prior adjusted to those counts on the unedited network (the calibration,
 * reported as the fit badge), then the base and the scenario assigned and compared.
 */
import type { Scenario } from '../../../contracts/schemas/scenario'
import type { Queryable } from '../db/adapter'
import { buildNetwork } from '../domain/assignment/network'
import { estimateOd, type LinkCount } from '../domain/assignment/od-estimation'
import { ShortestPathTree } from '../domain/assignment/shortest-paths'
import { baseCounts } from './base-counts'
import { calibrationReport, type CalibrationReport } from './calibration'
import { readCityNetwork, type CityNetwork } from './city-network'
import { compareKpis, estimate, type Estimate, type KpiDelta } from './estimate'
import { matchLoopsToLinks } from './loop-links'

export class ScenarioRunError extends Error {}

export interface ScenarioEstimate {
  scenario: { id: string; title: string; network: string; base: Scenario['base'] }
  calibration: Omit<CalibrationReport, 'loops'> & { loops: number; window: unknown }
  base: Estimate['kpis']
  result: Estimate['kpis']
  compare: KpiDelta
  assignment: { iterations: number; relativeGap: number; zones: number; links: number }
  problems: Estimate['problems']
  unsupported: Estimate['unsupported']
  inactiveEdits: number[]
  durationMs: number
}

/** Deterrence of the gravity prior: trips fall by e per 10 minutes of free-flow time. */
const DETERRENCE_S = 600

/** Gravity prior between zones: masses (areas 1, external stations by their road), deterrence by free-flow time. */
export function gravityPrior(city: CityNetwork, freeFlowTimeS: (from: number, to: number) => number, total: number): Float64Array {
  const Z = city.zones.length
  const od = new Float64Array(Z * Z)
  let sum = 0
  for (let a = 0; a < Z; a++) {
    for (let b = 0; b < Z; b++) {
      if (a === b) continue
      const za = city.zones[a]!
      const zb = city.zones[b]!
      // An entry station only produces, an exit only attracts; no trip from outside straight back outside.
      if (za.kind === 'external' && zb.kind === 'external') continue
      if (za.kind === 'external' && za.name.startsWith('Exit')) continue
      if (zb.kind === 'external' && zb.name.startsWith('Entry')) continue
      const t = freeFlowTimeS(a, b)
      if (!Number.isFinite(t)) continue
      const v = Math.exp(-t / DETERRENCE_S) * (za.kind === 'external' ? 3 : 1) * (zb.kind === 'external' ? 3 : 1)
      od[a * Z + b] = v
      sum += v
    }
  }
  if (sum > 0) for (let i = 0; i < od.length; i++) od[i] = (od[i]! * total) / sum
  return od
}

export async function runScenarioEstimate(db: Queryable, scenario: Scenario, opts: { nowMs?: number } = {}): Promise<ScenarioEstimate> {
  const t0 = performance.now()
  if (scenario.network !== 'city') throw new ScenarioRunError(`The fast estimate runs on the city network for now; ${scenario.network} is verified with SUMO`)
  const city = await readCityNetwork(db)
  if (city.links.length === 0 || city.zones.length === 0) throw new ScenarioRunError('The database has no city street graph or statistical areas: import the city first (npm start does)')
  const loopLinks = await matchLoopsToLinks(db)
  const { counts, window } = await baseCounts(db, scenario.base, loopLinks, opts.nowMs !== undefined ? { nowMs: opts.nowMs } : {})
  if (counts.length === 0) {
    throw new ScenarioRunError(`No loop counts in the history for this base (${JSON.stringify(scenario.base)}): choose a day and hour the loops have counted (the simulator replays Bologna's 2024 counts)`)
  }
  const net = buildNetwork(city.links, city.zones)
  const linkOfEdge = new Map<string, number>()
  city.roadEdgeOf.forEach((e, i) => {
    if (e !== null && !city.links[i]!.id.endsWith(':reverse')) linkOfEdge.set(e, i)
  })
  const linkCounts: LinkCount[] = counts.flatMap((c) => (linkOfEdge.has(c.roadEdgeId) ? [{ link: linkOfEdge.get(c.roadEdgeId)!, vehH: c.countedVehH }] : []))
  // Free-flow zone-to-zone times for the prior.

  const tree = new ShortestPathTree(net)
  const Z = city.zones.length
  const tt = new Float64Array(Z * Z).fill(Infinity)
  for (let a = 0; a < Z; a++) {
    tree.run(net.zoneNode[a]!, net.t0)
    for (let b = 0; b < Z; b++) tt[a * Z + b] = tree.dist[net.zoneNode[b]!]!
  }
  const meanCount = linkCounts.reduce((s, c) => s + c.vehH, 0) / Math.max(1, linkCounts.length)
  // A first level: as many trips as make the counted links' mean flow about the counted mean (refined by the estimate).
  const prior = gravityPrior(city, (a, b) => tt[a * Z + b]!, meanCount * Z)
  const est = estimateOd(net, prior, linkCounts, { iterations: 6, assign: { relativeGap: 1e-4, maxIterations: 200 } })
  const flowOfEdge = (edge: string) => {
    const l = linkOfEdge.get(edge)
    return l === undefined ? 0 : est.assignment.flows[l]!
  }
  const cal = calibrationReport(counts.filter((c) => linkOfEdge.has(c.roadEdgeId)), flowOfEdge)
  const hour = scenario.base.hour
  const base = estimate(city, city.zones, est.od, [], hour, { relativeGap: 1e-4, maxIterations: 200 })
  const result = estimate(city, city.zones, est.od, scenario.edits, hour, { relativeGap: 1e-4, maxIterations: 200 })
  return {
    scenario: { id: scenario.id, title: scenario.title, network: scenario.network, base: scenario.base },
    calibration: { fitShare: cal.fitShare, fits: cal.fits, rmseVehH: cal.rmseVehH, meanGeh: cal.meanGeh, loops: cal.loops.length, window },
    base: base.kpis,
    result: result.kpis,
    compare: compareKpis(base.kpis, result.kpis),
    assignment: { iterations: result.iterations, relativeGap: result.relativeGap, zones: Z, links: net.linkCount },
    problems: result.problems,
    unsupported: result.unsupported,
    inactiveEdits: result.inactive,
    durationMs: Math.round(performance.now() - t0),
  }
}
