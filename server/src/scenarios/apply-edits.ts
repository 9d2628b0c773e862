/**
 * A scenario's network edits applied to the base network of the fast estimate (ADR 0009): closures
 * (whole, or some lanes, in a time window of the day), speed limits, lane use, bus lanes; and the
 * demand edits applied to the OD matrix (a global factor). Pure. An edit naming an edge the network
 * does not have is a problem reported with the edit's index — never applied silently to nothing.
 * Edits the estimate cannot model yet are reported too (`unsupported`), so the KPIs say what they omit.
 */
import type { ScenarioEdit } from '../../../contracts/schemas/scenario'
import type { LinkInput } from '../domain/assignment/network'

export interface EditableNetwork {
  links: LinkInput[]
  /** Link index → the source network's edge id (null for connectors); a reverse direction shares its edge's id. */
  roadEdgeOf: Array<string | null>
}

export interface EditProblem {
  edit: number
  kind: ScenarioEdit['kind']
  message: string
}

export interface DistrictScale {
  edit: number
  /** As the edit names them (a quartiere's name or code; matched without case). */
  districts: string[]
  factor: number
}

export interface Generator {
  edit: number
  name: string
  position: [number, number]
  producedVehH: number
  attractedVehH: number
}

export interface AppliedEdits {
  /** The base's links in the base's order (indices stay valid: a warm start reuses the base's routes), edited; closed links flagged. */
  links: LinkInput[]
  roadEdgeOf: Array<string | null>
  /** Indices of the links the edits changed (closed, capacity, speed). */
  changedLinks: number[]
  /** Multiply the whole OD matrix by this (scale-demand without districts). */
  demandFactor: number
  /** Trips from or to these districts × factor (once for a trip between two of them). */
  districtScales: DistrictScale[]
  /** New trips produced and attracted at a point (an event, a new building). */
  generators: Generator[]
  problems: EditProblem[]
  /** Edits valid but not modelled by the fast estimate (listed with the KPIs). */
  unsupported: EditProblem[]
  /** Edits outside the scenario's hour (a closure's time window): not applied. */
  inactive: number[]
}

/** Whether `hour` lies in [from, to) — a window may wrap midnight (22 → 6). */
export function inWindow(hour: number, from: number | undefined, to: number | undefined): boolean {
  if (from === undefined && to === undefined) return true
  const f = from ?? 0
  const t = to ?? 24
  return f <= t ? hour >= f && hour < t : hour >= f || hour < t
}

export function applyEdits(base: EditableNetwork, edits: readonly ScenarioEdit[], hour: number): AppliedEdits {
  const links = base.links.map((l) => ({ ...l }))
  const changed = new Set<number>()
  const byEdge = new Map<string, number[]>()
  base.roadEdgeOf.forEach((e, i) => {
    if (e !== null) (byEdge.get(e) ?? byEdge.set(e, []).get(e)!).push(i)
  })
  const problems: EditProblem[] = []
  const unsupported: EditProblem[] = []
  const inactive: number[] = []
  const districtScales: DistrictScale[] = []
  const generators: Generator[] = []
  let demandFactor = 1
  const linksOf = (k: number, e: ScenarioEdit, edges: readonly string[]): number[] => {
    const missing = edges.filter((x) => !byEdge.has(x))
    if (missing.length) problems.push({ edit: k, kind: e.kind, message: `the network has no edge ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}` })
    return edges.flatMap((x) => byEdge.get(x) ?? [])
  }
  const setLanes = (i: number, lanes: number) => {
    const l = links[i]!
    const now = l.lanes ?? 1
    changed.add(i)
    if (lanes <= 0) {
      l.closed = true
      l.lanes = 0
      return
    }
    l.capacityVehH = (l.capacityVehH * lanes) / now
    l.lanes = lanes
  }
  edits.forEach((e, k) => {
    switch (e.kind) {
      case 'close-road':
        if (!inWindow(hour, e.fromHour, e.toHour)) {
          inactive.push(k)
          return
        }
        for (const i of linksOf(k, e, e.edges)) setLanes(i, e.lanesClosed === undefined ? 0 : (links[i]!.lanes ?? 1) - e.lanesClosed)
        return
      case 'speed-limit':
        for (const i of linksOf(k, e, e.edges)) {
          links[i]!.t0S = links[i]!.lengthM / (e.speedKmh / 3.6)
          changed.add(i)
        }
        return
      case 'lane-use':
        for (const i of linksOf(k, e, e.edges)) setLanes(i, e.lanes)
        return
      case 'bus-lane':
        // One lane to buses; a one-lane street becomes bus-only (closed to general traffic).
        for (const i of linksOf(k, e, e.edges)) setLanes(i, (links[i]!.lanes ?? 1) - 1)
        return
      case 'scale-demand':
        if (e.districts && e.districts.length > 0) districtScales.push({ edit: k, districts: e.districts, factor: e.factor })
        else demandFactor *= e.factor
        return
      case 'signal-plan':
        unsupported.push({ edit: k, kind: e.kind, message: 'a signal plan change is verified in SUMO; the fast estimate keeps the base timings' })
        return
      case 'generator':
        generators.push({ edit: k, name: e.name, position: e.position, producedVehH: e.producedVehH, attractedVehH: e.attractedVehH })
        return
    }
  })
  return { links, roadEdgeOf: base.roadEdgeOf.slice(), changedLinks: [...changed].sort((a, b) => a - b), demandFactor, districtScales, generators, problems, unsupported, inactive }
}

/**
 * The scenario's demand: the base matrix × the global factor, and trips from or to a scaled district ×
 * its factor (a trip between two scaled districts takes the larger change once, not the product).
 * `districtOf` gives each zone's district (null for external stations). A district no zone lies in is
 * a problem naming the edit.
 */
export function scaleDemand(od: Float64Array, zones: number, districtOf: (zone: number) => string | null, applied: Pick<AppliedEdits, 'demandFactor' | 'districtScales'>, problems: EditProblem[]): Float64Array {
  const out = applied.demandFactor === 1 ? od.slice() : od.map((q) => q * applied.demandFactor)
  if (applied.districtScales.length === 0) return out
  const norm = (x: string) => x.trim().toLowerCase()
  const known = new Set<string>()
  for (let z = 0; z < zones; z++) {
    const d = districtOf(z)
    if (d) known.add(norm(d))
  }
  // Per zone, the factor of its district's edit (the last edit naming it wins).
  const zoneFactor = new Float64Array(zones).fill(1)
  for (const s of applied.districtScales) {
    const wanted = new Set(s.districts.map(norm))
    const missing = s.districts.filter((x) => !known.has(norm(x)))
    if (missing.length) problems.push({ edit: s.edit, kind: 'scale-demand', message: `no statistical area lies in the district ${missing.join(', ')} (districts: ${[...known].sort().join(', ')})` })
    for (let z = 0; z < zones; z++) {
      const d = districtOf(z)
      if (d && wanted.has(norm(d))) zoneFactor[z] = s.factor
    }
  }
  for (let a = 0; a < zones; a++) {
    for (let b = 0; b < zones; b++) {
      const fa = zoneFactor[a]!
      const fb = zoneFactor[b]!
      if (fa === 1 && fb === 1) continue
      // The change of larger magnitude (a closure of a district's streets and a new development both count once).
      const f = Math.abs(Math.log(Math.max(fa, 1e-9))) >= Math.abs(Math.log(Math.max(fb, 1e-9))) ? fa : fb
      out[a * zones + b]! *= f
    }
  }
  return out
}
