/**
 * A scenario's network and demand edits as SUMO runs them (docs/scenarios.md, "Verification in
 * SUMO"): one additional file of rerouters and variable speed signs, and a factor on the loop counts.
 * Pure. Edge ids are already SUMO's (edge-mapping.ts maps a city scenario's road edges onto them);
 * what cannot be mapped is reported with the edit's index and the reason, never dropped silently.
 *
 *  - close-road, whole: two rerouters on every edge of the network. One closes the edge
 *    (`closingReroute`): a vehicle whose route crosses it is rerouted when it enters any edge. The other
 *    closes each of its road lanes (`closingLaneReroute`): SUMO 1.15 lets a vehicle that finds no detour
 *    drive through an edge closed by the first alone (checked on Costa's network); with its lanes closed
 *    it queues before it, and SUMO teleports it after its time-to-teleport. (Both closings in one
 *    rerouter stop the rerouting: two rerouters.) `lanesClosed`: that many road lanes from the kerb side
 *    (SUMO lane 0 is the rightmost) closed with `closingLaneReroute`, the whole edge when that is all its
 *    lanes. Only in its time window: the simulation's time t is Rome's H:00 − warm-up + t, so a window
 *    closes the hours of the run it covers.
 *  - lane-use N: road lanes N and beyond closed (the first N from the kerb stay open); an edge with N
 *    lanes or fewer cannot gain lanes in SUMO and is reported.
 *  - bus-lane: the rightmost road lane allowed to buses only (`closingLaneReroute allow="bus"`); an
 *    edge whose rightmost lane is a bus lane already is reported.
 *  - speed-limit: a variable speed sign on every lane of the edge from 0 s.
 *  - scale-demand: everywhere → the loop counts × factor (the product of such edits); by district →
 *    not mapped (the counts know no origins or destinations).
 *  - signal-plan and generator need the database and the network; the runner resolves them
 *    (scenario-sumo-runner.ts).
 */
import type { ScenarioEdit } from '../../../../contracts/schemas/scenario'
import { inWindow } from '../apply-edits'

export interface EditProblem {
  edit: number
  kind: ScenarioEdit['kind']
  message: string
}

export interface AppliedEdit {
  edit: number
  kind: ScenarioEdit['kind']
  sumoEdges: string[]
}

export interface SumoLaneInfo {
  id: string
  index: number
  allow: string | null
  disallow: string | null
}

/** A normal edge of the SUMO network with its lanes. */
export interface SumoEdgeInfo {
  id: string
  lanes: SumoLaneInfo[]
}

/** An edit's edges as SUMO edges, and the ids that have none (with the reason). */
export interface MappedEdges {
  sumoEdges: string[]
  unmapped: Array<{ id: string; reason: string }>
}

export interface SimulatedTime {
  /** The Rome hour simulated: the measured time starts at hour:00. */
  hour: number
  warmupS: number
  /** The simulation's end (warm-up + measured time), s. */
  endS: number
}

export interface SumoEditsInput {
  edits: readonly ScenarioEdit[]
  /** The network's normal edges by id. */
  edges: ReadonlyMap<string, SumoEdgeInfo>
  /** An edit's edge ids → SUMO edges (the identity on a SUMO scenario, edge-mapping.ts on a city one). */
  mapEdges(ids: readonly string[]): MappedEdges
  time: SimulatedTime
}

export interface SumoEdits {
  /** The additional file (rerouters, variable speed signs); null when no edit needs one. */
  additionalXml: string | null
  applied: AppliedEdit[]
  unmapped: EditProblem[]
  inactive: number[]
  /** Loop counts × this (scale-demand everywhere). */
  demandScale: number
  /** Edits the runner resolves (signal-plan, generator), by index. */
  deferred: number[]
}

const esc = (v: string | number) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const MS_PER_KMH = 1 / 3.6

/** Lanes that carry vehicles (not a sidewalk or a cycle track), kerb side first. */
export function roadLanes(e: SumoEdgeInfo): SumoLaneInfo[] {
  const only = (l: SumoLaneInfo) => l.allow !== null && l.allow.split(/\s+/).every((c) => c === 'pedestrian' || c === 'bicycle')
  return e.lanes.filter((l) => !only(l)).sort((a, b) => a.index - b.index)
}

/** Sim-time intervals [begin, end) of a closure's window within [0, endS), whole Rome hours merged. */
export function windowIntervals(t: SimulatedTime, fromHour: number | undefined, toHour: number | undefined): Array<[number, number]> {
  const out: Array<[number, number]> = []
  // Hour boundaries in sim time: warmupS + 3600·k; the first segment may start before the run.
  for (let k = -Math.ceil(t.warmupS / 3600); t.warmupS + 3600 * k < t.endS; k++) {
    const begin = Math.max(0, t.warmupS + 3600 * k)
    const end = Math.min(t.endS, t.warmupS + 3600 * (k + 1))
    if (end <= begin) continue
    const hour = (((t.hour + k) % 24) + 24) % 24
    if (!inWindow(hour, fromHour, toHour)) continue
    const last = out.at(-1)
    if (last && last[1] === begin) last[1] = end
    else out.push([begin, end])
  }
  return out
}

export function sumoEdits(input: SumoEditsInput): SumoEdits {
  const { edits, edges, time } = input
  const allEdges = [...edges.keys()].sort()
  const elements: string[] = []
  const applied: AppliedEdit[] = []
  const unmapped: EditProblem[] = []
  const inactive: number[] = []
  const deferred: number[] = []
  let demandScale = 1

  /** The edit's SUMO edges; the ids without one reported (one problem per edit). */
  const edgesOf = (k: number, e: ScenarioEdit & { edges: string[] }): SumoEdgeInfo[] => {
    const m = input.mapEdges(e.edges)
    const problems = [...m.unmapped]
    const found: SumoEdgeInfo[] = []
    for (const id of [...new Set(m.sumoEdges)]) {
      const edge = edges.get(id)
      if (edge) found.push(edge)
      else problems.push({ id, reason: 'the SUMO network has no such normal edge' })
    }
    if (problems.length > 0) unmapped.push({ edit: k, kind: e.kind, message: describeUnmapped(problems, found.length === 0) })
    return found
  }
  /** Reports the edges of an edit that SUMO cannot change as asked; returns the others. */
  const keep = (k: number, e: ScenarioEdit, list: Array<{ edge: SumoEdgeInfo; why: string | null }>): SumoEdgeInfo[] => {
    const refused = list.filter((x) => x.why !== null)
    if (refused.length > 0) unmapped.push({ edit: k, kind: e.kind, message: refused.map((x) => `SUMO edge ${x.edge.id}: ${x.why}`).join('; ') })
    return list.filter((x) => x.why === null).map((x) => x.edge)
  }
  const rerouter = (id: string, intervals: Array<[number, number]>, closings: string[]) => {
    if (closings.length === 0) return
    elements.push(`    <rerouter id="${id}" edges="${esc(allEdges.join(' '))}">`)
    for (const [b, en] of intervals) elements.push(`        <interval begin="${b}" end="${en}">`, ...closings.map((c) => `            ${c}`), '        </interval>')
    elements.push('    </rerouter>')
  }
  const closeLanes = (lanes: SumoLaneInfo[], allow?: string) => lanes.map((l) => `<closingLaneReroute id="${esc(l.id)}"${allow ? ` allow="${allow}"` : ''}/>`)
  const always: Array<[number, number]> = [[0, time.endS]]

  edits.forEach((e, k) => {
    switch (e.kind) {
      case 'close-road': {
        const intervals = windowIntervals(time, e.fromHour, e.toHour)
        if (intervals.length === 0) {
          inactive.push(k)
          return
        }
        const found = edgesOf(k, e)
        if (found.length === 0) return
        const whole = found.filter((edge) => e.lanesClosed === undefined || e.lanesClosed >= roadLanes(edge).length)
        rerouter(`gemello-edit-${k}`, intervals, whole.map((edge) => `<closingReroute id="${esc(edge.id)}"/>`))
        rerouter(`gemello-edit-${k}-lanes`, intervals, found.flatMap((edge) => closeLanes(roadLanes(edge).slice(0, whole.includes(edge) ? undefined : e.lanesClosed))))
        applied.push({ edit: k, kind: e.kind, sumoEdges: found.map((x) => x.id) })
        return
      }
      case 'lane-use': {
        const found = keep(k, e, edgesOf(k, e).map((edge) => ({ edge, why: roadLanes(edge).length <= e.lanes ? `it has ${roadLanes(edge).length} lane(s), not more than ${e.lanes}: SUMO cannot add lanes` : null })))
        if (found.length === 0) return
        rerouter(`gemello-edit-${k}`, always, found.flatMap((edge) => closeLanes(roadLanes(edge).slice(e.lanes))))
        applied.push({ edit: k, kind: e.kind, sumoEdges: found.map((x) => x.id) })
        return
      }
      case 'bus-lane': {
        const found = keep(k, e, edgesOf(k, e).map((edge) => ({ edge, why: roadLanes(edge)[0]?.allow?.trim() === 'bus' ? 'its rightmost lane is a bus lane already' : null })))
        if (found.length === 0) return
        rerouter(`gemello-edit-${k}`, always, found.flatMap((edge) => closeLanes(roadLanes(edge).slice(0, 1), 'bus')))
        applied.push({ edit: k, kind: e.kind, sumoEdges: found.map((x) => x.id) })
        return
      }
      case 'speed-limit': {
        const found = edgesOf(k, e)
        if (found.length === 0) return
        const lanes = found.flatMap((edge) => edge.lanes.map((l) => l.id))
        elements.push(`    <variableSpeedSign id="gemello-edit-${k}" lanes="${esc(lanes.join(' '))}">`, `        <step time="0" speed="${round(e.speedKmh * MS_PER_KMH, 3)}"/>`, '    </variableSpeedSign>')
        applied.push({ edit: k, kind: e.kind, sumoEdges: found.map((x) => x.id) })
        return
      }
      case 'scale-demand':
        if (e.districts && e.districts.length > 0) {
          unmapped.push({ edit: k, kind: e.kind, message: `demand by district (${e.districts.join(', ')}) is not mapped onto SUMO's demand: it is rebuilt from loop counts, which know no origins or destinations` })
          return
        }
        demandScale *= e.factor
        applied.push({ edit: k, kind: e.kind, sumoEdges: [] })
        return
      case 'signal-plan':
      case 'generator':
        deferred.push(k)
        return
    }
  })
  const additionalXml = elements.length === 0 ? null : ['<?xml version="1.0" encoding="UTF-8"?>', '<additional>', ...elements, '</additional>', ''].join('\n')
  return { additionalXml, applied, unmapped, inactive, demandScale, deferred }
}

function describeUnmapped(problems: Array<{ id: string; reason: string }>, none: boolean): string {
  const byReason = new Map<string, string[]>()
  for (const p of problems) (byReason.get(p.reason) ?? byReason.set(p.reason, []).get(p.reason)!).push(p.id)
  const parts = [...byReason].map(([reason, ids]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}: ${reason}`)
  return `${none ? 'not applied — ' : 'applied without '}${parts.join('; ')}`
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d
