/**
 * The PMO sites layer's state (docs/pmo.md "On the map"): the projects' sites, which project the PMO
 * sheet has open (highlighted, flown to), a click on a site (the sheet opens its project) and whether
 * the layer is shown. The PMO sheet and the layer panel write it; client/src/map2d/live-map.tsx draws
 * it (panels never touch the map engine). The sites come from /api/pmo/sites.geojson.
 */
import type { PmoSiteFeature, PmoSiteGeometry } from '../../../contracts/pmo-api'
import { createStore, type Store } from './store'

/** What the layer draws of a site: the project's id, title and health, the road closure and the geometry. */
export type PmoSite = Pick<PmoSiteFeature['properties'], 'id' | 'title' | 'health' | 'closesRoad' | 'closedFrom' | 'closedTo'> & { geometry: PmoSiteGeometry }

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

/** A site of /api/pmo/sites.geojson (parsed by the PMO client) as the layer draws it. */
export function pmoSiteOf({ geometry, properties: p }: PmoSiteFeature): PmoSite {
  return { id: p.id, title: p.title, health: p.health, closesRoad: p.closesRoad, closedFrom: p.closedFrom, closedTo: p.closedTo, geometry }
}

/** Where to look at a site: the middle of its coordinates' bounding box. */
export function siteCenter(site: Pick<PmoSite, 'geometry'>): [number, number] {
  const g = site.geometry
  const points: ReadonlyArray<readonly [number, number]> = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.coordinates.flat()
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2]
}
