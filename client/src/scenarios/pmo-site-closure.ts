/**
 * "Close roads at a PMO work site": the road edges at a project's site (GET /api/pmo/sites.geojson, a
 * Point, LineString or Polygon), found on the road links the map already has (the estimate's links,
 * one LineString per edge and direction), and the close-road edit's form prefilled with them, the
 * project as its `source` and a note naming it. Distances are metres on a local flat projection
 * around the site, as for an incident (incident-closure.ts). Pure.
 */
import type { TFunction } from 'i18next'
import type { ScenarioBase } from '../../../contracts/schemas/scenario'
import type { PmoSiteFeature, PmoSiteGeometry } from '../../../contracts/pmo-api'
import { emptyEditForm, type EditForm } from './edit-form'
import { edgesNear, localProjection, pointSegmentDistance, type RoadLinkFeature } from './incident-closure'

/** How far from a site's line or area a road counts as at the site, in metres. */
export const SITE_RADIUS_M = 25
/** How far from a site given as a point a road counts as at the site, in metres (as for an incident). */
export const SITE_POINT_RADIUS_M = 40

type XY = readonly [number, number]
type Segment = readonly [XY, XY]

/** The default radius for a site of this geometry. */
export function siteRadiusM(site: PmoSiteGeometry): number {
  return site.type === 'Point' ? SITE_POINT_RADIUS_M : SITE_RADIUS_M
}

const cross = (o: XY, a: XY, b: XY) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

/** Distance in metres between the segments a–b and c–d, all [x, y] in metres: 0 when they cross or touch. */
export function segmentSegmentDistance(a: XY, b: XY, c: XY, d: XY): number {
  const d1 = cross(c, d, a)
  const d2 = cross(c, d, b)
  const d3 = cross(a, b, c)
  const d4 = cross(a, b, d)
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 0
  return Math.min(pointSegmentDistance(a, c, d), pointSegmentDistance(b, c, d), pointSegmentDistance(c, a, b), pointSegmentDistance(d, a, b))
}

/** Whether p lies inside the polygon's rings (even–odd: a hole's inside is outside). */
export function insideRings(p: XY, rings: ReadonlyArray<readonly XY[]>): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]!
      const b = ring[j]!
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
    }
  }
  return inside
}

const segmentsOf = (points: readonly XY[]): Segment[] => (points.length === 1 ? [[points[0]!, points[0]!]] : points.slice(1).map((p, i): Segment => [points[i]!, p]))

type Box = [number, number, number, number]
const boxOf = (points: readonly XY[], pad = 0): Box => {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of points) {
    box[0] = Math.min(box[0], x - pad)
    box[1] = Math.min(box[1], y - pad)
    box[2] = Math.max(box[2], x + pad)
    box[3] = Math.max(box[3], y + pad)
  }
  return box
}
const overlaps = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]

/**
 * The distinct edge ids of the links at a site, nearest first (ties by id): for a Point those within
 * `radiusM` of it (edgesNear); for a LineString those whose segments pass within `radiusM` of the
 * site's segments; for a Polygon those with a vertex inside it or passing within `radiusM` of its
 * boundary (so also a link crossing it). Both directions come, as a click on the street gives them.
 */
export function edgesAtSite(features: readonly RoadLinkFeature[], site: PmoSiteGeometry, radiusM = siteRadiusM(site)): string[] {
  if (site.type === 'Point') return edgesNear(features, site.coordinates, radiusM)
  const rings = site.type === 'Polygon' ? site.coordinates : [site.coordinates]
  const origin = rings[0]?.[0]
  if (!origin) return []
  const xy = localProjection(origin)
  const ringsXy = rings.map((r) => r.map(xy))
  const siteSegments = ringsXy.flatMap(segmentsOf)
  const reach = boxOf(ringsXy.flat(), radiusM)
  const best = new Map<string, number>()
  for (const f of features) {
    const points = f.geometry.coordinates.map(xy)
    if (points.length === 0 || !overlaps(boxOf(points), reach)) continue
    let d = Number.POSITIVE_INFINITY
    if (site.type === 'Polygon' && points.some((p) => insideRings(p, ringsXy))) d = 0
    else for (const [a, b] of segmentsOf(points)) for (const [c, e] of siteSegments) d = Math.min(d, segmentSegmentDistance(a, b, c, e))
    const id = f.properties.edgeId
    if (d <= radiusM && d < (best.get(id) ?? Number.POSITIVE_INFINITY)) best.set(id, d)
  }
  return [...best].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id)
}

/** The observed day of the base when the site's road is open that day (before closedFrom or after closedTo); null otherwise. */
export function observedDayOutside(base: ScenarioBase, site: Pick<PmoSiteFeature['properties'], 'closedFrom' | 'closedTo'>): string | null {
  if (base.kind !== 'observed') return null
  const before = site.closedFrom !== null && base.date < site.closedFrom
  const after = site.closedTo !== null && base.date > site.closedTo
  return before || after ? base.date : null
}

/** The close-road form at a site, and why the planner may want to think twice. */
export interface SiteClosure {
  form: EditForm
  /** The scenario's observed day falls outside the site's closure, in words; null when inside or not an observed day. */
  warning: string | null
}

/**
 * The close-road form for a site: the `edges` found there (edgesAtSite), `source: { pmoSiteId }`, a
 * note naming the project and its closure ("Cantiere PMO: <title> (<from> – <to>)"), and a warning
 * when the base is an observed day outside the closure (the planner may keep it all the same); null
 * when no edge was found — then nothing is to be added.
 */
export function closureFormAtSite(site: Pick<PmoSiteFeature, 'properties'>, edges: readonly string[], base: ScenarioBase, t: TFunction): SiteClosure | null {
  if (edges.length === 0) return null
  const { id, title, closedFrom, closedTo } = site.properties
  const dates = { from: closedFrom ?? '…', to: closedTo ?? '…' }
  const note = closedFrom === null && closedTo === null ? t('scenarios.pmoSite.noteUndated', { title }) : t('scenarios.pmoSite.note', { title, ...dates })
  const day = observedDayOutside(base, site.properties)
  return {
    form: { ...emptyEditForm('close-road'), edges: [...edges], note, source: { pmoSiteId: id } },
    warning: day === null ? null : t('scenarios.pmoSite.outsideWindow', { date: day, ...dates }),
  }
}
