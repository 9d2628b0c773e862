/**
 * An estimate's links and loops as the maps draw them (state/scenario-map.ts): each link with its
 * left and right side — base | scenario, or, comparing two scenarios, A | B joined by edge and
 * direction — and the difference right − left. Pure.
 */
import type { EstimateLinks, ScenarioEstimate } from '../api/scenario-client'
import type { LinkSide, ScenarioLinkDatum, ScenarioLoopDatum, ScenarioMapData } from '../state/scenario-map'

type LinkFeature = EstimateLinks['features'][number]

export const linkKey = (edgeId: string, reverse: boolean) => (reverse ? `${edgeId}~r` : edgeId)

const baseSide = (f: LinkFeature): LinkSide => ({ flowVehH: f.properties.baseFlowVehH, vc: f.properties.baseVc, closed: false })
const scenarioSide = (f: LinkFeature): LinkSide => ({ flowVehH: f.properties.flowVehH, vc: f.properties.vc, closed: f.properties.closed })
const EMPTY: LinkSide = { flowVehH: 0, vc: 0, closed: false }

function datum(f: LinkFeature, left: LinkSide, right: LinkSide): ScenarioLinkDatum {
  const p = f.properties
  return {
    key: linkKey(p.edgeId, p.reverse ?? false),
    edgeId: p.edgeId,
    reverse: p.reverse ?? false,
    name: p.name,
    roadClass: p.roadClass,
    path: f.geometry.coordinates.map(([x, y]) => [x, y] as [number, number]),
    left,
    right,
    deltaVehH: right.flowVehH - left.flowVehH,
  }
}

/**
 * Without `compare`: the base on the left, the scenario on the right (Δ as the server computed it).
 * With `compare` (scenario B): scenario A's flows on the left, B's on the right, Δ = B − A; a link
 * only one of them has counts as empty on the other side.
 */
export function linkData(links: EstimateLinks, compare?: EstimateLinks | null): ScenarioLinkDatum[] {
  if (!compare) return links.features.map((f) => ({ ...datum(f, baseSide(f), scenarioSide(f)), deltaVehH: f.properties.deltaVehH }))
  const b = new Map(compare.features.map((f) => [linkKey(f.properties.edgeId, f.properties.reverse ?? false), f]))
  const out: ScenarioLinkDatum[] = []
  for (const f of links.features) {
    const key = linkKey(f.properties.edgeId, f.properties.reverse ?? false)
    const other = b.get(key)
    b.delete(key)
    out.push(datum(f, scenarioSide(f), other ? scenarioSide(other) : EMPTY))
  }
  for (const f of b.values()) out.push(datum(f, EMPTY, scenarioSide(f)))
  return out
}

/** The calibration's loops that have a position (the others are listed, not drawn). */
export function loopData(estimate: ScenarioEstimate): ScenarioLoopDatum[] {
  return estimate.calibration.loops.flatMap((l) => (l.position ? [{ deviceId: l.deviceId, position: [l.position[0], l.position[1]] as [number, number], countedVehH: l.countedVehH, assignedVehH: l.assignedVehH, geh: l.geh }] : []))
}

let revisions = 0

/** The maps' data of one estimate (and the compared one), with a fresh revision. */
export function mapData(o: { estimate: ScenarioEstimate; links: EstimateLinks; compareLinks?: EstimateLinks | null; leftLabel: string; rightLabel: string }): ScenarioMapData {
  return {
    revision: ++revisions,
    hour: o.estimate.hour,
    links: linkData(o.links, o.compareLinks),
    loops: loopData(o.estimate),
    leftLabel: o.leftLabel,
    rightLabel: o.rightLabel,
    scenarioSide: o.compareLinks ? 'left' : 'right',
  }
}

/** Edge id → street name, from the links (to name the edges of an edit). */
export function edgeNames(links: readonly Pick<ScenarioLinkDatum, 'edgeId' | 'name'>[]): Map<string, string> {
  const names = new Map<string, string>()
  for (const l of links) if (l.name && !names.has(l.edgeId)) names.set(l.edgeId, l.name)
  return names
}
