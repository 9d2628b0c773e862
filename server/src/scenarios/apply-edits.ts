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

export interface AppliedEdits {
  links: LinkInput[]
  roadEdgeOf: Array<string | null>
  /** Multiply the whole OD matrix by this (scale-demand without districts). */
  demandFactor: number
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
  const removed = new Uint8Array(links.length)
  const byEdge = new Map<string, number[]>()
  base.roadEdgeOf.forEach((e, i) => {
    if (e !== null) (byEdge.get(e) ?? byEdge.set(e, []).get(e)!).push(i)
  })
  const problems: EditProblem[] = []
  const unsupported: EditProblem[] = []
  const inactive: number[] = []
  let demandFactor = 1
  const linksOf = (k: number, e: ScenarioEdit, edges: readonly string[]): number[] => {
    const missing = edges.filter((x) => !byEdge.has(x))
    if (missing.length) problems.push({ edit: k, kind: e.kind, message: `the network has no edge ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}` })
    return edges.flatMap((x) => byEdge.get(x) ?? [])
  }
  const setLanes = (i: number, lanes: number) => {
    const l = links[i]!
    const now = l.lanes ?? 1
    if (lanes <= 0) removed[i] = 1
    else l.capacityVehH = (l.capacityVehH * lanes) / now
    l.lanes = Math.max(0, lanes)
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
        for (const i of linksOf(k, e, e.edges)) links[i]!.t0S = links[i]!.lengthM / (e.speedKmh / 3.6)
        return
      case 'lane-use':
        for (const i of linksOf(k, e, e.edges)) setLanes(i, e.lanes)
        return
      case 'bus-lane':
        // One lane to buses; a one-lane street becomes bus-only (closed to general traffic).
        for (const i of linksOf(k, e, e.edges)) setLanes(i, (links[i]!.lanes ?? 1) - 1)
        return
      case 'scale-demand':
        if (e.districts && e.districts.length > 0) unsupported.push({ edit: k, kind: e.kind, message: 'demand scaled by district is not modelled by the fast estimate yet' })
        else demandFactor *= e.factor
        return
      case 'signal-plan':
        unsupported.push({ edit: k, kind: e.kind, message: 'a signal plan change is verified in SUMO; the fast estimate keeps the base timings' })
        return
      case 'generator':
        unsupported.push({ edit: k, kind: e.kind, message: 'trip generators are not modelled by the fast estimate yet' })
        return
    }
  })
  const keep = links.map((_, i) => i).filter((i) => removed[i] === 0)
  return { links: keep.map((i) => links[i]!), roadEdgeOf: keep.map((i) => base.roadEdgeOf[i]!), demandFactor, problems, unsupported, inactive }
}
