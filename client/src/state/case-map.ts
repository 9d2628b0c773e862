/**
 * The citizen-case layer's state (docs/cases.md "The office screens"): the open cases as points, which
 * one the cases panel has open, and whether the layer is shown. The cases panel and the layer panel
 * write it; client/src/map2d/live-map.tsx draws it (panels never touch the map engine). The points come
 * from /api/cases.geojson and are kept current by `case:changed` pushes; a push that arrived while the
 * GeoJSON was on its way is applied again over the fetched answer, so a change is never lost to a race.
 */
import type { CaseFeatureCollection, CasePriority, CaseSummary } from '../../../contracts/case-api'
import type { CaseStatus } from '../../../contracts/schemas/case'
import { createStore, type Store } from './store'

export interface CasePoint {
  id: number
  position: [number, number]
  serviceCode: string
  status: CaseStatus
  priority: CasePriority
  /** Past its SLA while open: the one abnormal state the layer colours. */
  overdue: boolean
  requestedAtMs: number
}

export interface CaseMapState {
  /** The layer is drawn (the layer panel's toggle; on while the cases panel is open). */
  shown: boolean
  points: ReadonlyMap<number, CasePoint>
  /** The case open in the panel: ringed on the map. */
  selected: number | null
  /** A click on a case point on the map (the panel opens it); cleared by the panel. */
  clicked: number | null
  /** Pushes received since the last fetch started, applied again over its answer. */
  pending: readonly CaseSummary[]
  error: string | null
}

export type CaseMapStore = Store<CaseMapState>

export const INITIAL_CASE_MAP: CaseMapState = { shown: false, points: new Map(), selected: null, clicked: null, pending: [], error: null }

export function createCaseMapStore(initial: Partial<CaseMapState> = {}): CaseMapStore {
  return createStore({ ...INITIAL_CASE_MAP, ...initial })
}

/** The map point of a pushed case, or null when it left the map (closed). */
export function casePointOf(c: CaseSummary, nowMs: number): CasePoint | null {
  if (c.closedAtMs !== null) return null
  return {
    id: c.id,
    position: c.position,
    serviceCode: c.serviceCode,
    status: c.status,
    priority: c.priority,
    overdue: c.slaBreachedAtMs !== null || (c.expectedAtMs !== null && c.expectedAtMs < nowMs),
    requestedAtMs: c.requestedAtMs,
  }
}

function withPoint(points: ReadonlyMap<number, CasePoint>, id: number, p: CasePoint | null): ReadonlyMap<number, CasePoint> {
  const next = new Map(points)
  if (p) next.set(id, p)
  else next.delete(id)
  return next
}

/** A fetch starts: pushes from now on are kept to be applied over its answer. */
export function startCaseFetch(s: CaseMapState): CaseMapState {
  return { ...s, pending: [] }
}

/** The fetched open cases replace the points; pushes that came meanwhile are applied on top. */
export function replaceCasePoints(s: CaseMapState, fc: CaseFeatureCollection, nowMs: number): CaseMapState {
  let points: ReadonlyMap<number, CasePoint> = new Map(
    fc.features.map((f) => [f.id, { id: f.id, position: f.geometry.coordinates, serviceCode: f.properties.serviceCode, status: f.properties.status, priority: f.properties.priority, overdue: f.properties.overdue, requestedAtMs: f.properties.requestedAtMs }]),
  )
  for (const c of s.pending) points = withPoint(points, c.id, casePointOf(c, nowMs))
  return { ...s, points, pending: [], error: null }
}

/** A `case:changed` push: the point moves, changes or leaves the map (closed). */
export function applyCaseChange(s: CaseMapState, c: CaseSummary, nowMs: number): CaseMapState {
  return { ...s, points: withPoint(s.points, c.id, casePointOf(c, nowMs)), pending: [...s.pending, c].slice(-500) }
}
