/**
 * The fast estimate as a service (ADR 0009): what the routes, the CLI and the benchmark call. It keeps
 * what does not change between scenarios in memory — the city network and the loops on its links
 * (read once), and per base (day or day type, and hour) the demand calibrated to the loop counts with
 * its equilibrium — so a scenario's estimate is one assignment of the edited network warm-started from
 * the base's equilibrium. `invalidate()` drops it all (a new city import). The city's street graph, or
 * an imported SUMO network (sumo-network.ts) when the scenario names one.
 */
import type { EstimateLinkFeature, ScenarioEstimateDto } from '../../../contracts/scenario-api'
import type { Scenario, ScenarioBase } from '../../../contracts/schemas/scenario'
import type { Queryable } from '../db/adapter'
import { buildNetwork, type AssignmentNetwork } from '../domain/assignment/network'
import type { RouteState } from '../domain/assignment/path-based'
import { estimateOd, type LinkCount } from '../domain/assignment/od-estimation'
import { ShortestPathTree } from '../domain/assignment/shortest-paths'
import type { OdMatrix } from '../domain/assignment/assign'
import { baseCounts } from './base-counts'
import { calibrationReport, type CalibrationReport } from './calibration'
import { readCityNetwork, type CityNetwork } from './city-network'
import { compareKpis, DETERRENCE_S, estimate, zoneMass, type Estimate } from './estimate'
import { matchLoopsToLinks, type LoopLink } from './loop-links'
import { readSumoNetwork, sumoLoopLinks } from './sumo-network'

export class ScenarioRunError extends Error {}

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

interface Model {
  network: Scenario['network']
  city: CityNetwork
  net: AssignmentNetwork
  loops: LoopLink[]
  loopPositions: Map<string, [number, number]>
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

export interface EstimateOutput {
  estimate: ScenarioEstimateDto
  links: EstimateLinkFeature[]
}

const baseKey = (network: string, b: ScenarioBase, hour: number) => JSON.stringify({ network, ...b, hour })
type Geometry = Map<string, { coords: Array<[number, number]>; roadClass: string | null; name: string | null }>

export class ScenarioEstimator {
  private readonly models = new Map<string, Promise<Model>>()
  private readonly calibrated = new Map<string, Promise<Calibrated>>()
  private readonly geometries = new Map<string, Promise<Geometry>>()

  constructor(
    private readonly db: Queryable,
    private readonly opts: { nowMs?: number; maxCachedBases?: number } = {},
  ) {}

  invalidate(): void {
    this.models.clear()
    this.geometries.clear()
    this.calibrated.clear()
  }

  private loadModel(network: Scenario['network']): Promise<Model> {
    let model = this.models.get(network)
    if (model) return model
    model = (async () => {
      const city = network === 'city' ? await readCityNetwork(this.db) : await readSumoNetwork(this.db, network)
      if (city.links.length === 0 || city.zones.length === 0) {
        throw new ScenarioRunError(network === 'city' ? 'The database has no city street graph or statistical areas: import the city first (npm start does)' : `The SUMO network ${network} is not imported (npm run import -- ${network})`)
      }
      const net = buildNetwork(city.links, city.zones)
      const loops = network === 'city' ? await matchLoopsToLinks(this.db) : await sumoLoopLinks(this.db, network)
      const pos = await this.db.query<{ id: string; lon: number; lat: number }>(`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM device WHERE kind = 'traffic-loop'`)
      const loopPositions = new Map(pos.rows.map((r) => [r.id, [Number(r.lon), Number(r.lat)] as [number, number]]))
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
      return { network, city, net, loops, loopPositions, linkOfEdge, freeFlow }
    })()
    this.models.set(network, model)
    model.catch(() => this.models.delete(network))
    return model
  }

  /** The base's demand calibrated to its counts (cached per base and hour). */
  private calibrate(m: Model, base: ScenarioBase, hour: number): Promise<Calibrated> {
    const key = baseKey(m.network, base, hour)
    let c = this.calibrated.get(key)
    if (!c) {
      c = (async () => {
        const b = { ...base, hour }
        const { counts, window } = await baseCounts(this.db, b, m.loops, this.opts.nowMs !== undefined ? { nowMs: this.opts.nowMs } : {})
        const usable = counts.filter((x) => m.linkOfEdge.has(x.roadEdgeId))
        if (usable.length === 0) {
          throw new ScenarioRunError(`No loop counts in the history for this base (${describeBase(b)}): choose a day and hour the loops have counted (the simulator replays Bologna's 2024 counts)`)
        }
        const linkCounts: LinkCount[] = usable.map((x) => ({ link: m.linkOfEdge.get(x.roadEdgeId)!, vehH: x.countedVehH }))
        const Z = m.city.zones.length
        const meanCount = linkCounts.reduce((s, x) => s + x.vehH, 0) / linkCounts.length
        const prior = gravityPrior(m.city, (a, z) => m.freeFlow[a * Z + z]!, meanCount * Z, { throughTraffic: m.network !== 'city' })
        // A SUMO area is small: more rounds of the estimate cost little there.
        const est = estimateOd(m.net, prior, linkCounts, { iterations: m.net.linkCount > 5000 ? 6 : 20, assign: ASSIGN })
        const baseEstimate = estimate(m.city, est.od, [], hour, { ...BASE_ASSIGN, warmStart: est.assignment.state })
        const flowOf = new Map(baseEstimate.links.filter((l) => !l.id.endsWith(':reverse')).map((l) => [l.roadEdgeId, l.flowVehH]))
        const report = calibrationReport(usable, (edge) => flowOf.get(edge) ?? 0)
        return { od: est.od, state: baseEstimate.state, report, window, base: baseEstimate }
      })()
      this.calibrated.set(key, c)
      c.catch(() => this.calibrated.delete(key))
      const max = this.opts.maxCachedBases ?? 8
      while (this.calibrated.size > max) this.calibrated.delete(this.calibrated.keys().next().value!)
    }
    return c
  }

  async estimate(scenario: Scenario, o: { version?: number | null; hour?: number } = {}): Promise<EstimateOutput> {
    const t0 = performance.now()
    const hour = o.hour ?? scenario.base.hour
    const m = await this.loadModel(scenario.network)
    const cal = await this.calibrate(m, scenario.base, hour)
    const result = estimate(m.city, cal.od, scenario.edits, hour, { ...ASSIGN, warmStart: cal.state, base: cal.base })
    const demand = cal.base.demandVehH
    const out: ScenarioEstimateDto = {
      scenario: { id: scenario.id, version: o.version ?? null, title: scenario.title, network: scenario.network, base: scenario.base },
      hour,
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
        demandVehH: demand,
        scenarioDemandVehH: result.demandVehH,
      },
      problems: result.problems,
      unsupported: result.unsupported,
      inactiveEdits: result.inactive,
      durationMs: Math.round(performance.now() - t0),
      computedAtMs: Date.now(),
    }
    return { estimate: out, links: await this.linkFeatures(m.network, cal.base, result) }
  }

  private async linkFeatures(network: Scenario['network'], base: Estimate, result: Estimate): Promise<EstimateLinkFeature[]> {
    let g = this.geometries.get(network)
    if (!g) {
      const sql =
        network === 'city'
          ? { text: `SELECT id, road_class, name, ST_AsGeoJSON(geom, 6) AS geom FROM road_edge`, values: [] as string[] }
          : { text: `SELECT id, edge_type AS road_class, name, ST_AsGeoJSON(geom, 6) AS geom FROM sumo_edge WHERE network_id = $1 AND func = 'normal'`, values: [network] }
      g = this.db
        .query<{ id: string; road_class: string | null; name: string | null; geom: string }>(sql.text, sql.values)
        .then((r) => new Map(r.rows.map((x) => [x.id, { coords: (JSON.parse(x.geom) as { coordinates: Array<[number, number]> }).coordinates, roadClass: x.road_class, name: x.name }])))
      this.geometries.set(network, g)
      g.catch(() => this.geometries.delete(network))
    }
    const geom = await g
    const baseById = new Map(base.links.map((l) => [l.id, l]))
    const features: EstimateLinkFeature[] = []
    for (const l of result.links) {
      const b = baseById.get(l.id)
      const f = feature(geom.get(l.roadEdgeId), l.id, l.roadEdgeId, b, l)
      if (f) features.push(f)
    }
    return features
  }
}

function feature(
  g: { coords: Array<[number, number]>; roadClass: string | null; name: string | null } | undefined,
  linkId: string,
  edgeId: string,
  b: Estimate['links'][number] | undefined,
  s: Estimate['links'][number],
): EstimateLinkFeature | null {
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

function describeBase(b: ScenarioBase): string {
  return b.kind === 'observed' ? `${b.date} at ${b.hour}:00` : `a typical ${b.dayType} at ${b.hour}:00${b.fromDate ? ` from ${b.fromDate}` : ''}${b.toDate ? ` to ${b.toDate}` : ''}`
}
