/**
 * "Close roads at an incident": the road edges near an open incident (contracts/incident-api.ts), found
 * on the road links the map already has (the estimate's links, one LineString per edge and direction),
 * and the close-road edit's form prefilled with them, the incident as its `source` and a note naming
 * it. Distances are metres on a local flat projection around the incident — exact enough for tens of
 * metres. Pure.
 */
import type { Incident } from '../../../contracts/incident-api'
import { emptyEditForm, type EditForm } from './edit-form'

/** How far from an incident's point a road counts as at the incident, in metres. */
export const INCIDENT_RADIUS_M = 40

/** What edgesNear reads of a road link feature (the estimate's links features have it). */
export interface RoadLinkFeature {
  properties: { edgeId: string }
  geometry: { coordinates: ReadonlyArray<readonly number[]> }
}

const EARTH_RADIUS_M = 6_371_008.8
const RAD = Math.PI / 180

/** Distance in metres from p to the segment a–b, all [x, y] in metres. */
export function pointSegmentDistance(p: readonly [number, number], a: readonly [number, number], b: readonly [number, number]): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
}

/** [lon, lat] → [x east, y north] in metres on the flat plane tangent at `origin` ([lon, lat]). */
export function localProjection(origin: readonly [number, number]): (c: readonly number[]) => [number, number] {
  const [lon0, lat0] = origin
  const kx = EARTH_RADIUS_M * RAD * Math.cos(lat0 * RAD)
  const ky = EARTH_RADIUS_M * RAD
  return (c) => [((c[0] ?? 0) - lon0) * kx, ((c[1] ?? 0) - lat0) * ky]
}

/**
 * The distinct edge ids of the links passing within `radiusM` metres of `center` ([lon, lat]), nearest
 * first. Both directions come: a two-way road drawn once gives its edge (its `reverse` link shares the
 * id), a road held as two edges gives both, as a click on the street does.
 */
export function edgesNear(features: readonly RoadLinkFeature[], center: readonly [number, number], radiusM: number): string[] {
  const xy = localProjection(center)
  const best = new Map<string, number>()
  for (const f of features) {
    const coords = f.geometry.coordinates
    let d = Number.POSITIVE_INFINITY
    for (let i = 0; i + 1 < coords.length; i++) d = Math.min(d, pointSegmentDistance([0, 0], xy(coords[i]!), xy(coords[i + 1]!)))
    if (coords.length === 1) d = Math.hypot(...xy(coords[0]!))
    const id = f.properties.edgeId
    if (d <= radiusM && d < (best.get(id) ?? Number.POSITIVE_INFINITY)) best.set(id, d)
  }
  return [...best].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id)
}

/**
 * The close-road form for an incident: the edges within `radiusM` of it, `source: { incidentId }` and
 * the note given (the incident named in the planner's language); null when no road is that near — then
 * nothing is to be added.
 */
export function closureFormAtIncident(incident: Pick<Incident, 'id' | 'position'>, features: readonly RoadLinkFeature[], note: string, radiusM = INCIDENT_RADIUS_M): EditForm | null {
  const edges = edgesNear(features, [incident.position[0], incident.position[1]], radiusM)
  if (edges.length === 0) return null
  return { ...emptyEditForm('close-road'), edges, note, source: { incidentId: incident.id } }
}
