/**
 * The fast estimate of a scenario (ADR 0009), from a base network, the base demand and the scenario's
 * edits: the edited network (closures flagged, so link indices stay the base's), the scenario's demand
 * (× the global factor, × a district's factor for trips from or to it, plus the trips of generators —
 * a new zone connected to the nearest streets), assigned by gradient projection warm-started from the
 * base's equilibrium when given; then what planners compare — vehicle-km, vehicle-hours, mean speed,
 * delay against free flow, unserved demand, links over capacity, hot exhaust emissions — and each road
 * link's flow, v/c and time for the map. `compareKpis` gives Δ and % against the base. Pure: the
 * database side (network, counts) is read by the callers.
 */
import type { ScenarioEdit } from '../../../contracts/schemas/scenario'
import type { OdMatrix } from '../domain/assignment/assign'
import { linkEmissions } from '../domain/emissions/hot-emissions'
import { buildNetwork, type LinkInput, type ZoneInput } from '../domain/assignment/network'
import { assignPaths, type RouteState } from '../domain/assignment/path-based'
import { ShortestPathTree } from '../domain/assignment/shortest-paths'
import { applyEdits, scaleDemand, type EditableNetwork, type EditProblem, type Generator } from './apply-edits'

export interface Kpis {
  vehKm: number
  vehHours: number
  meanSpeedKmh: number
  /** Vehicle-hours above free-flow time. */
  delayVehHours: number
  unservedVehH: number
  linksOverCapacity: number
  /** Hot exhaust emissions of the hour on the road links, kg (domain/emissions). */
  co2Kg: number
  noxKg: number
  pm25Kg: number
}

export interface LinkResult {
  /** The source network's link id (reverse directions carry their edge's id with `:reverse`). */
  id: string
  roadEdgeId: string
  flowVehH: number
  vc: number
  timeS: number
  closed: boolean
}

/** A zone of the estimate: its centroid, and what the demand edits need to know of it. */
export interface EstimateZone extends ZoneInput {
  kind?: 'area' | 'external'
  name?: string
  /** The district (quartiere) it lies in; null for external stations. */
  district?: string | null
}

export interface EstimateBase extends EditableNetwork {
  zones: EstimateZone[]
  /** Node positions (lon, lat) for placing generators; without them a generator is not modelled. */
  nodePositions?: ReadonlyMap<string, readonly [number, number]>
}

export interface EstimateOptions {
  relativeGap?: number
  maxIterations?: number
  /** The base's equilibrium on the same links and zones: the scenario starts from its routes. */
  warmStart?: RouteState
  /** The base's own estimate: returned as it is when the edits change nothing at this hour (no noise of a re-run). */
  base?: Estimate
}

export interface Estimate {
  kpis: Kpis
  links: LinkResult[]
  iterations: number
  relativeGap: number
  converged: boolean
  problems: EditProblem[]
  unsupported: EditProblem[]
  inactive: number[]
  /** The scenario's demand factor (global scale-demand) and its total demand, veh/h. */
  demandFactor: number
  demandVehH: number
  /** The equilibrium's routes (a base's estimate is the warm start of its scenarios). */
  state: RouteState
}

/** Deterrence of trip distribution (the gravity prior's, also a generator's): e per 10 minutes. */
export const DETERRENCE_S = 600
/** A zone's weight in distribution: areas 1, external stations 3 (a major road's traffic). */
export const zoneMass = (z: EstimateZone) => (z.kind === 'external' ? 3 : 1)
const GENERATOR_CONNECTORS = 3
const CONNECTOR_SPEED_KMH = 20

export function estimate(base: EstimateBase, od: OdMatrix, edits: readonly ScenarioEdit[], hour: number, o: EstimateOptions = {}): Estimate {
  const applied = applyEdits(base, edits, hour)
  const problems = [...applied.problems]
  const unsupported = [...applied.unsupported]
  const Z0 = base.zones.length
  let demand = scaleDemand(od, Z0, (z) => base.zones[z]!.district ?? null, applied, problems)
  if (o.base && applied.changedLinks.length === 0 && applied.generators.length === 0 && demand.every((q, i) => q === od[i])) {
    return { ...o.base, problems, unsupported, inactive: applied.inactive }
  }
  let links: LinkInput[] = applied.links
  let zones: EstimateZone[] = base.zones
  let warm = o.warmStart
  const gens = applied.generators.filter((g) => {
    if (base.nodePositions) return true
    unsupported.push({ edit: g.edit, kind: 'generator', message: 'this network has no node positions to place a generator on' })
    return false
  })
  if (gens.length > 0) {
    const ext = addGenerators(links, zones, demand, gens, base.nodePositions!)
    links = ext.links
    zones = ext.zones
    demand = ext.od
    if (warm) warm = widenState(warm, Z0, zones.length)
  }
  const net = buildNetwork(links, zones)
  const changed = [...applied.changedLinks]
  for (let i = applied.links.length; i < links.length; i++) changed.push(i)
  const r = assignPaths(net, demand, {
    relativeGap: o.relativeGap ?? 1e-4,
    maxIterations: o.maxIterations ?? 100,
    ...(warm ? { warmStart: warm, changedLinks: changed } : {}),
  })
  let vehKm = 0
  let vehHours = 0
  let freeHours = 0
  let over = 0
  const em = { co2: 0, nox: 0, pm25: 0 }
  const out: LinkResult[] = []
  for (let i = 0; i < applied.links.length; i++) {
    const edge = applied.roadEdgeOf[i]
    if (edge === null || edge === undefined || net.connector[i]) continue
    const closed = net.closed[i] === 1
    const v = closed ? 0 : r.flows[i]!
    const time = closed ? 0 : r.times[i]!
    const vc = closed ? 0 : v / net.capacity[i]!
    if (v > 0) {
      vehKm += (v * net.lengthM[i]!) / 1000
      vehHours += (v * time) / 3600
      freeHours += (v * net.t0[i]!) / 3600
      linkEmissions(v, net.lengthM[i]!, time, em)
    }
    if (vc > 1) over++
    out.push({ id: net.linkIds[i]!, roadEdgeId: edge, flowVehH: v, vc, timeS: time, closed })
  }
  let total = 0
  for (const q of demand) total += q
  return {
    kpis: {
      vehKm,
      vehHours,
      meanSpeedKmh: vehHours > 0 ? vehKm / vehHours : 0,
      delayVehHours: vehHours - freeHours,
      unservedVehH: r.unservedVehH,
      linksOverCapacity: over,
      co2Kg: em.co2 / 1000,
      noxKg: em.nox / 1000,
      pm25Kg: em.pm25 / 1000,
    },
    links: out,
    iterations: r.iterations,
    relativeGap: r.relativeGap,
    converged: r.converged,
    problems,
    unsupported,
    inactive: applied.inactive,
    demandFactor: applied.demandFactor,
    demandVehH: total,
    state: r.state,
  }
}

/**
 * Generators as new zones: a centroid connected both ways to the three nearest street nodes (20 km/h),
 * its produced trips spread over the destinations and its attracted trips over the origins like the
 * gravity prior (mass × e^(−t/10 min), t the free-flow time from the generator — taken as the same both
 * ways), entries only producing and exits only attracting. Links are appended: the base's keep their indices.
 */
function addGenerators(baseLinks: LinkInput[], baseZones: EstimateZone[], od: Float64Array, gens: Generator[], pos: ReadonlyMap<string, readonly [number, number]>) {
  const links = baseLinks.slice()
  const zones = baseZones.slice()
  const candidates = new Set<string>()
  const hasIn = new Set<string>()
  for (const l of baseLinks) if (!l.connector && !l.closed) {
    candidates.add(l.from)
    hasIn.add(l.to)
  }
  const nodes = [...candidates].filter((n) => hasIn.has(n) && pos.has(n))
  for (const g of gens) {
    const near = nodes
      .map((n) => ({ n, d: metres(pos.get(n)!, g.position) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, GENERATOR_CONNECTORS)
    const centroid = `generator:${g.edit}`
    for (const { n, d } of near) {
      const lengthM = Math.max(20, d)
      const c = { lengthM, t0S: lengthM / (CONNECTOR_SPEED_KMH / 3.6), capacityVehH: 1e6, connector: true, alpha: 0 }
      links.push({ id: `${centroid}>${n}`, from: centroid, to: n, ...c }, { id: `${n}>${centroid}`, from: n, to: centroid, ...c })
    }
    zones.push({ id: centroid, node: centroid, kind: 'area', name: g.name, district: null })
  }
  const Z0 = baseZones.length
  const Z = zones.length
  const out = new Float64Array(Z * Z)
  for (let a = 0; a < Z0; a++) out.set(od.subarray(a * Z0, (a + 1) * Z0), a * Z)
  // Free-flow times from each generator (connectors included) to every zone.
  const net = buildNetwork(links, zones)
  const tree = new ShortestPathTree(net)
  gens.forEach((g, k) => {
    const gz = Z0 + k
    tree.run(net.zoneNode[gz]!, net.t0)
    const w = new Float64Array(Z)
    let sumP = 0
    let sumA = 0
    const wa = new Float64Array(Z)
    for (let z = 0; z < Z0; z++) {
      const t = tree.dist[net.zoneNode[z]!]!
      if (!Number.isFinite(t)) continue
      const zone = zones[z]!
      const v = zoneMass(zone) * Math.exp(-t / DETERRENCE_S)
      const isEntry = zone.kind === 'external' && (zone.name ?? '').startsWith('Entry')
      const isExit = zone.kind === 'external' && (zone.name ?? '').startsWith('Exit')
      if (!isEntry) { w[z] = v; sumP += v }
      if (!isExit) { wa[z] = v; sumA += v }
    }
    for (let z = 0; z < Z0; z++) {
      if (sumP > 0) out[gz * Z + z] = (g.producedVehH * w[z]!) / sumP
      if (sumA > 0) out[z * Z + gz] = (g.attractedVehH * wa[z]!) / sumA
    }
  })
  return { links, zones, od: out }
}

/** The same routes indexed for more zones (cells z·Z + d move to z·Z' + d). */
function widenState(s: RouteState, Z0: number, Z: number): RouteState {
  const routes: RouteState['routes'] = new Array(Z * Z)
  const flows: RouteState['flows'] = new Array(Z * Z)
  for (let a = 0; a < Z0; a++) for (let b = 0; b < Z0; b++) {
    routes[a * Z + b] = s.routes[a * Z0 + b]
    flows[a * Z + b] = s.flows[a * Z0 + b]
  }
  const originTstt = new Float64Array(Z)
  const originSptt = new Float64Array(Z)
  originTstt.set(s.originTstt)
  originSptt.set(s.originSptt)
  return { zones: Z, routes, flows, originTstt, originSptt }
}

function metres(a: readonly [number, number], b: readonly [number, number]): number {
  const k = Math.PI / 180
  const x = (b[0] - a[0]) * k * Math.cos(((a[1] + b[1]) / 2) * k)
  const y = (b[1] - a[1]) * k
  return Math.sqrt(x * x + y * y) * 6_371_000
}

export type KpiDelta = { [K in keyof Kpis]: { base: number; scenario: number; delta: number; percent: number | null } }

export function compareKpis(base: Kpis, scenario: Kpis): KpiDelta {
  const out = {} as KpiDelta
  for (const k of Object.keys(base) as Array<keyof Kpis>) {
    const b = base[k]
    const s = scenario[k]
    out[k] = { base: b, scenario: s, delta: s - b, percent: b === 0 ? null : ((s - b) / b) * 100 }
  }
  return out
}
