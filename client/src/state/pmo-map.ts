/**
 * The PMO sites layer's state (docs/pmo.md "On the map"): the projects' sites, which project the PMO
 * sheet has open (highlighted, flown to), a click on a site (the sheet opens its project) and whether
 * the layer is shown. The PMO sheet and the layer panel write it; client/src/map2d/live-map.tsx draws
 * it (panels never touch the map engine). The sites come from /api/pmo/sites.geojson.
 */
import type { z } from 'zod'
import type { Health } from '../../../contracts/pmo-api'
import { HealthSchema } from '../../../contracts/pmo-api'
import { ProjectSiteSchema } from '../../../contracts/schemas/pmo'
import { createStore, type Store } from './store'

type SiteGeometry = z.infer<typeof ProjectSiteSchema>['geometry']

export interface PmoSite {
  /** The project's id. */
  id: string
  title: string
  health: Health
  closesRoad: boolean
  closedFrom: string | null
  closedTo: string | null
  geometry: SiteGeometry
}

export interface PmoMapState {
  /** The layer is drawn (the layer panel's toggle; on while the PMO sheet is open). */
  shown: boolean
  sites: readonly PmoSite[]
  /** The project open in the PMO sheet: highlighted and flown to. */
  selected: string | null
  /** A click on a site on the map (the sheet opens its project); cleared by the sheet. */
  clicked: string | null
  /** Bumped after a save so the layer fetches the sites again. */
  revision: number
  error: string | null
}

export type PmoMapStore = Store<PmoMapState>

export const INITIAL_PMO_MAP: PmoMapState = { shown: false, sites: [], selected: null, clicked: null, revision: 0, error: null }

export function createPmoMapStore(initial: Partial<PmoMapState> = {}): PmoMapStore {
  return createStore({ ...INITIAL_PMO_MAP, ...initial })
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** A feature of /api/pmo/sites.geojson as a site; null when it is not one (skipped, never thrown). */
export function pmoSiteOf(feature: unknown): PmoSite | null {
  if (!feature || typeof feature !== 'object') return null
  const f = feature as { id?: unknown; geometry?: unknown; properties?: Record<string, unknown> | null }
  const geometry = ProjectSiteSchema.shape.geometry.safeParse(f.geometry)
  const props = f.properties ?? {}
  const id = str(f.id) ?? str(props.id)
  const health = HealthSchema.safeParse(props.health)
  if (!geometry.success || !id) return null
  return { id, title: str(props.title) ?? id, health: health.success ? health.data : 'on_track', closesRoad: props.closesRoad === true, closedFrom: str(props.closedFrom), closedTo: str(props.closedTo), geometry: geometry.data }
}

/** Where to look at a site: the middle of its coordinates' bounding box. */
export function siteCenter(site: Pick<PmoSite, 'geometry'>): [number, number] {
  const g = site.geometry
  const points: ReadonlyArray<readonly [number, number]> = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.coordinates.flat()
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2]
}
