/**
 * The fast estimate of a scenario (ADR 0009), from a base network, the base demand and the scenario's
 * edits: assign the demand (× the scenario's factor) on the edited network and report what planners
 * compare — vehicle-km, vehicle-hours, mean speed, delay against free flow, unserved demand, links over
 * capacity — and each road link's flow, v/c and time for the map. `compareKpis` gives Δ and % against
 * another estimate (the base). Pure: the database side (network, counts) is read by the callers.
 */
import type { ScenarioEdit } from '../../../contracts/schemas/scenario'
import { assign, type AssignOptions, type OdMatrix } from '../domain/assignment/assign'
import { buildNetwork, type ZoneInput } from '../domain/assignment/network'
import { linkEmissions } from '../domain/emissions/hot-emissions'
import { applyEdits, type EditableNetwork, type EditProblem } from './apply-edits'

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
  /** The source network's edge id (reverse directions carry their edge's id with a direction). */
  id: string
  roadEdgeId: string
  flowVehH: number
  vc: number
  timeS: number
}

export interface Estimate {
  kpis: Kpis
  links: LinkResult[]
  iterations: number
  relativeGap: number
  problems: EditProblem[]
  unsupported: EditProblem[]
  inactive: number[]
  /** The scenario's demand factor (scale-demand). */
  demandFactor: number
}

export function estimate(base: EditableNetwork, zones: readonly ZoneInput[], od: OdMatrix, edits: readonly ScenarioEdit[], hour: number, o: AssignOptions = {}): Estimate {
  const applied = applyEdits(base, edits, hour)
  const net = buildNetwork(applied.links, zones)
  const demand = applied.demandFactor === 1 ? od : od.map((q) => q * applied.demandFactor)
  const r = assign(net, demand, o)
  let vehKm = 0
  let vehHours = 0
  let freeHours = 0
  let over = 0
  const em = { co2: 0, nox: 0, pm25: 0 }
  const links: LinkResult[] = []
  for (let i = 0; i < net.linkCount; i++) {
    const edge = applied.roadEdgeOf[i]
    if (edge === null || edge === undefined || net.connector[i]) continue
    const v = r.flows[i]!
    const vc = v / net.capacity[i]!
    vehKm += (v * net.lengthM[i]!) / 1000
    vehHours += (v * r.times[i]!) / 3600
    freeHours += (v * net.t0[i]!) / 3600
    if (vc > 1) over++
    linkEmissions(v, net.lengthM[i]!, r.times[i]!, em)
    links.push({ id: net.linkIds[i]!, roadEdgeId: edge, flowVehH: v, vc, timeS: r.times[i]! })
  }
  return {
    kpis: { vehKm, vehHours, meanSpeedKmh: vehHours > 0 ? vehKm / vehHours : 0, delayVehHours: vehHours - freeHours, unservedVehH: r.unservedVehH, linksOverCapacity: over, co2Kg: em.co2 / 1000, noxKg: em.nox / 1000, pm25Kg: em.pm25 / 1000 },
    links,
    iterations: r.iterations,
    relativeGap: r.relativeGap,
    problems: applied.problems,
    unsupported: applied.unsupported,
    inactive: applied.inactive,
    demandFactor: applied.demandFactor,
  }
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
