/**
 * A scenario's generators (an event, a new building) as SUMO trips (docs/scenarios.md, "Verification
 * in SUMO"): the generator sits on the SUMO edge nearest its position that cars may use (within
 * GENERATOR_RADIUS_M, inside the network's area). Its produced trips go from that edge to where the
 * sampled vehicles end their trips, its attracted trips come from where they start theirs — each end
 * weighted by how many sampled vehicles use it — as SUMO flows over the whole run, routed by SUMO
 * (fastest path at departure). A generator off the network is reported with the reason.
 */
import type { ScenarioEdit } from '../../../../contracts/schemas/scenario'
import type { SumoNet } from '../../../../geodata/src/sumo/sumo-net'
import type { Queryable } from '../../db/adapter'
import { nearestSumoEdges } from '../../db/scenario-sumo-geometry'
import type { AppliedEdit, EditProblem } from './sumo-edits'

export const GENERATOR_RADIUS_M = 300

export interface PlacedGenerator {
  edit: number
  edgeId: string
  producedVehH: number
  attractedVehH: number
}

const esc = (v: string | number) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function allowsCars(l: { allow: string | null; disallow: string | null }): boolean {
  const has = (v: string | null) => v !== null && v.split(/\s+/).some((c) => c === 'passenger' || c === 'all')
  return l.allow !== null && l.allow.trim() !== '' ? has(l.allow) : !has(l.disallow)
}

export async function placeGenerators(q: Queryable, networkId: string, net: SumoNet, edits: readonly ScenarioEdit[], indices: readonly number[]): Promise<{ generators: PlacedGenerator[]; applied: AppliedEdit[]; unmapped: EditProblem[] }> {
  const carEdges = new Set(net.edges.filter((e) => e.func === 'normal' && e.lanes.some(allowsCars)).map((e) => e.id))
  const generators: PlacedGenerator[] = []
  const unmapped: EditProblem[] = []
  for (const k of indices) {
    const e = edits[k]
    if (e?.kind !== 'generator') continue
    const near = await nearestSumoEdges(q, networkId, e.position, GENERATOR_RADIUS_M, 20)
    const edge = near.edges.find((x) => carEdges.has(x.id))
    if (!near.inArea) unmapped.push({ edit: k, kind: e.kind, message: `${e.name} (${e.position.join(', ')}) is outside the SUMO network's area` })
    else if (!edge) unmapped.push({ edit: k, kind: e.kind, message: `no road of the SUMO network that cars may use lies within ${GENERATOR_RADIUS_M} m of ${e.name}` })
    else generators.push({ edit: k, edgeId: edge.id, producedVehH: e.producedVehH, attractedVehH: e.attractedVehH })
  }
  return { generators, applied: generators.map((g) => ({ edit: g.edit, kind: 'generator', sumoEdges: [g.edgeId] })), unmapped }
}

/**
 * The generators' flows over [0, endS), given the sampled vehicles' route file (`<route id edges>`,
 * `<vehicle … route="…" type="…">`): trips split over the sampled trips' ends in proportion (largest
 * remainders, so the numbers add up), typed as most sampled vehicles are. Null when there is nothing to add.
 */
export function generatorRoutesXml(generators: readonly PlacedGenerator[], sampledText: string, endS: number): { xml: string; vehicles: number } | null {
  const routes = new Map<string, string[]>()
  for (const m of sampledText.matchAll(/<route id="([^"]+)" edges="([^"]+)"/g)) routes.set(m[1]!, m[2]!.trim().split(/\s+/))
  const starts = new Map<string, number>()
  const ends = new Map<string, number>()
  const types = new Map<string, number>()
  for (const m of sampledText.matchAll(/<vehicle [^>]*?route="([^"]+)"[^>]*>/g)) {
    const edges = routes.get(m[1]!)
    if (!edges || edges.length === 0) continue
    starts.set(edges[0]!, (starts.get(edges[0]!) ?? 0) + 1)
    ends.set(edges.at(-1)!, (ends.get(edges.at(-1)!) ?? 0) + 1)
    const type = /\stype="([^"]+)"/.exec(m[0])?.[1] ?? 'DEFAULT_VEHTYPE'
    types.set(type, (types.get(type) ?? 0) + 1)
  }
  const type = [...types].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'DEFAULT_VEHTYPE'
  const flows: string[] = []
  let vehicles = 0
  for (const g of generators) {
    const sides: Array<['to' | 'from', number, Map<string, number>]> = [['to', g.producedVehH, ends], ['from', g.attractedVehH, starts]]
    for (const [side, vehH, weights] of sides) {
      const others = [...weights].filter(([edge]) => edge !== g.edgeId).sort((a, b) => (a[0] < b[0] ? -1 : 1))
      for (const [other, n] of split(Math.round((vehH * endS) / 3600), others)) {
        const [from, to] = side === 'to' ? [g.edgeId, other] : [other, g.edgeId]
        flows.push(`    <flow id="gemello-gen-${g.edit}-${side}-${esc(other)}" type="${esc(type)}" begin="0" end="${endS}" number="${n}" from="${esc(from)}" to="${esc(to)}" departLane="best"/>`)
        vehicles += n
      }
    }
  }
  if (flows.length === 0) return null
  return { xml: ['<?xml version="1.0" encoding="UTF-8"?>', '<routes>', ...flows, '</routes>', ''].join('\n'), vehicles }
}

/** `total` split over weighted keys by largest remainders; keys getting 0 left out. */
function split(total: number, weighted: ReadonlyArray<[string, number]>): Array<[string, number]> {
  const sum = weighted.reduce((s, [, w]) => s + w, 0)
  if (total <= 0 || sum <= 0) return []
  const parts = weighted.map(([k, w]) => ({ k, exact: (total * w) / sum, n: Math.floor((total * w) / sum) }))
  let left = total - parts.reduce((s, p) => s + p.n, 0)
  for (const p of [...parts].sort((a, b) => b.exact - b.n - (a.exact - a.n) || (a.k < b.k ? -1 : 1))) {
    if (left <= 0) break
    p.n++
    left--
  }
  return parts.filter((p) => p.n > 0).map((p) => [p.k, p.n])
}
