/**
 * The census editor and the 2D map talk through this store, never directly (docs/house-style.md:
 * panels never touch the map engines). The editor says what the map shows and does — the features of
 * the viewport, the selection, drawing or editing a geometry, picking a related feature, a version
 * diff or a repair preview — and the map reports what the person did there: the viewport, a click on
 * a feature, the geometry drawn or reshaped. client/src/map2d/census-map-sync.ts is the map's side.
 */
import type { Bbox } from '../../../contracts/events'
import type { CensusGeometryType, CollectionId } from '../../../contracts/schemas/census'
import { createStore, type Store } from './store'

export type Position = [number, number, ...number[]]
/** A census feature's geometry, CRS84 (lon, lat). */
export type EditableGeometry = { type: 'Point'; coordinates: Position } | { type: 'LineString'; coordinates: Position[] } | { type: 'Polygon'; coordinates: Position[][] }
/** Any GeoJSON geometry the map may show (a repair may give a MultiPolygon). */
export interface AnyGeometry {
  type: string
  coordinates: unknown
}

/** A feature as the map draws it: its id, geometry and a short label. */
export interface MapFeature {
  id: number
  geometry: EditableGeometry
  label: string
}

export interface MapLayerData {
  collection: CollectionId
  features: readonly MapFeature[]
}

export type CensusMapMode =
  | { kind: 'browse' }
  /** Drawing a new geometry of this type (terra-draw). */
  | { kind: 'draw'; geometryType: CensusGeometryType }
  /** Moving or reshaping the draft geometry (terra-draw select mode). */
  | { kind: 'edit' }
  /** A click on a feature of these collections fills a relation. */
  | { kind: 'pick'; collections: readonly CollectionId[] }

/** Two geometries over the map: a version diff (old dashed, new solid) or a repair preview. */
export interface MapOverlay {
  kind: 'diff' | 'repair'
  before: AnyGeometry | null
  after: AnyGeometry | null
}

export interface CensusMapState {
  /** The census editor is open: clicks on the map belong to it (devices are not selected). */
  active: boolean
  /** The features drawn: the open collection's, and the relation targets while picking. */
  main: MapLayerData | null
  targets: readonly MapLayerData[]
  selectedId: number | null
  /** The feature whose draft geometry terra-draw shows: hidden from the feature layer meanwhile. */
  editingId: number | null
  mode: CensusMapMode
  /** The draft geometry; `revision` moves when the editor replaces it (undo, a typed coordinate), not when the map reports it. */
  draft: { geometry: EditableGeometry | null; revision: number }
  overlay: MapOverlay | null
  /** A request to bring a box into view; `seq` makes the same box a new request. */
  focus: { bbox: Bbox; seq: number } | null
  /** CSS pixels the editor's sheet covers on the right of the map. */
  coverRightPx: number
  // What the map reports.
  /** A 2D map is bound (the 3D view has no census layer). */
  mapBound: boolean
  viewport: { bbox: Bbox; zoom: number } | null
  /** What terra-draw is doing now, as the map reports it. */
  drawing: 'idle' | 'draw' | 'edit'
  clicked: { collection: CollectionId; id: number; seq: number } | null
}

export type CensusMapStore = Store<CensusMapState>

export const INITIAL_CENSUS_MAP: CensusMapState = {
  active: false,
  main: null,
  targets: [],
  selectedId: null,
  editingId: null,
  mode: { kind: 'browse' },
  draft: { geometry: null, revision: 0 },
  overlay: null,
  focus: null,
  coverRightPx: 0,
  mapBound: false,
  viewport: null,
  drawing: 'idle',
  clicked: null,
}

export function createCensusMapStore(): CensusMapStore {
  return createStore(INITIAL_CENSUS_MAP)
}

/** The editor closes: the map forgets everything but what it reports itself. */
export function closeCensusMap(s: CensusMapState): CensusMapState {
  return { ...INITIAL_CENSUS_MAP, mapBound: s.mapBound, viewport: s.viewport, coverRightPx: 0 }
}

/** The editor replaces the draft geometry (new revision: the map loads it into terra-draw). */
export function replaceDraft(s: CensusMapState, geometry: EditableGeometry | null): CensusMapState {
  return { ...s, draft: { geometry, revision: s.draft.revision + 1 } }
}

/** The map reports the geometry drawn or reshaped (same revision: terra-draw already shows it); a drawn one is then edited. */
export function reportDraft(s: CensusMapState, geometry: EditableGeometry): CensusMapState {
  return { ...s, mode: s.mode.kind === 'draw' ? { kind: 'edit' } : s.mode, draft: { geometry, revision: s.draft.revision } }
}

export function reportClick(s: CensusMapState, collection: CollectionId, id: number): CensusMapState {
  return { ...s, clicked: { collection, id, seq: (s.clicked?.seq ?? 0) + 1 } }
}

export function requestFocus(s: CensusMapState, bbox: Bbox): CensusMapState {
  return { ...s, focus: { bbox, seq: (s.focus?.seq ?? 0) + 1 } }
}

/** The collections whose features a click selects in this mode (none while drawing: the click is a vertex). */
export function clickableCollections(s: CensusMapState): readonly CollectionId[] {
  if (s.mode.kind === 'pick') return s.mode.collections
  if ((s.mode.kind === 'browse' || s.mode.kind === 'edit') && s.main) return [s.main.collection]
  return []
}

/** [west, south, east, north] of a geometry; null when it has no position. */
export function geometryBbox(g: AnyGeometry | null): Bbox | null {
  if (!g) return null
  let w = Infinity
  let s = Infinity
  let e = -Infinity
  let n = -Infinity
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      w = Math.min(w, c[0])
      e = Math.max(e, c[0])
      s = Math.min(s, c[1])
      n = Math.max(n, c[1])
      return
    }
    for (const x of c) walk(x)
  }
  walk(g.coordinates)
  return Number.isFinite(w) ? [w, s, e, n] : null
}
