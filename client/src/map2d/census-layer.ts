/**
 * The census features on the 2D map, as MapLibre layers over the base map: the open collection's
 * features in the viewport (points, lines, polygons), the relation targets while picking, the selected
 * feature, and an overlay of two geometries (a version diff: the old one dashed and hollow, the new one
 * solid; or a repair preview). A click near a feature reports it. No React here; the sync
 * (census-map-sync.ts) feeds it the census map state.
 */
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl'
import type { CollectionId } from '../../../contracts/schemas/census'
import type { CensusMapState, MapLayerData } from '../state/census-map'
import { PALETTE } from './palette'

const FEATURES = 'census-features'
const OVERLAY = 'census-overlay'
/** Layers a click can hit, points first. */
export const CENSUS_HIT_LAYERS = ['census-point', 'census-line', 'census-fill'] as const
/** Pixels around the pointer a click still hits a feature in. */
const HIT_PX = 6

type Json = Record<string, unknown>
const isType = (t: string) => ['==', ['geometry-type'], t] as ['==', ['geometry-type'], string]
const role = (r: string) => ['==', ['get', 'role'], r] as ['==', ['get', string], string]

function layers(): LayerSpecification[] {
  const selected = ['boolean', ['get', 'selected'], false]
  const target = role('target')
  return [
    { id: 'census-fill', type: 'fill', source: FEATURES, filter: isType('Polygon'), paint: { 'fill-color': PALETTE.neutral, 'fill-opacity': ['case', selected, 0.28, 0.1] } },
    {
      id: 'census-line',
      type: 'line',
      source: FEATURES,
      filter: ['any', isType('LineString'), isType('Polygon')],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['case', selected, PALETTE.selection, ['==', ['get', 'role'], 'target'], PALETTE.text, PALETTE.neutral], 'line-width': ['case', selected, 4, 2] },
    },
    {
      id: 'census-point-halo',
      type: 'circle',
      source: FEATURES,
      filter: ['all', isType('Point'), ['boolean', ['get', 'selected'], false]],
      paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': PALETTE.selection, 'circle-stroke-width': 2.5 },
    },
    {
      id: 'census-point',
      type: 'circle',
      source: FEATURES,
      filter: isType('Point'),
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 16, 5, 19, 7],
        'circle-color': ['case', target, PALETTE.text, PALETTE.neutral],
        'circle-stroke-color': ['case', target, PALETTE.selection, PALETTE.neutralOutline],
        'circle-stroke-width': ['case', target, 2, 1.2],
      },
    },
    { id: 'census-overlay-fill', type: 'fill', source: OVERLAY, filter: ['all', isType('Polygon'), role('after')], paint: { 'fill-color': PALETTE.selection, 'fill-opacity': 0.12 } },
    {
      id: 'census-overlay-before',
      type: 'line',
      source: OVERLAY,
      filter: ['all', ['any', isType('LineString'), isType('Polygon')], role('before')],
      paint: { 'line-color': PALETTE.textMuted, 'line-width': 2.5, 'line-dasharray': [2, 2] },
    },
    {
      id: 'census-overlay-after',
      type: 'line',
      source: OVERLAY,
      filter: ['all', ['any', isType('LineString'), isType('Polygon')], role('after')],
      paint: { 'line-color': PALETTE.selection, 'line-width': 3 },
    },
    {
      id: 'census-overlay-point-before',
      type: 'circle',
      source: OVERLAY,
      filter: ['all', isType('Point'), role('before')],
      paint: { 'circle-radius': 8, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': PALETTE.textMuted, 'circle-stroke-width': 2 },
    },
    {
      id: 'census-overlay-point-after',
      type: 'circle',
      source: OVERLAY,
      filter: ['all', isType('Point'), role('after')],
      paint: { 'circle-radius': 6, 'circle-color': PALETTE.selection, 'circle-stroke-color': PALETTE.neutralOutline, 'circle-stroke-width': 1.5 },
    },
  ] as LayerSpecification[]
}

/** The GeoJSON the feature source draws: the main layer (without the feature being edited) and the targets. */
export function featureCollectionOf(s: Pick<CensusMapState, 'main' | 'targets' | 'selectedId' | 'editingId'>): Json {
  const out: Json[] = []
  const add = (layer: MapLayerData, r: 'main' | 'target') => {
    for (const f of layer.features) {
      if (r === 'main' && f.id === s.editingId) continue
      out.push({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { id: f.id, collection: layer.collection, role: r, label: f.label, selected: r === 'main' && f.id === s.selectedId } })
    }
  }
  for (const t of s.targets) add(t, 'target')
  if (s.main) add(s.main, 'main')
  return { type: 'FeatureCollection', features: out }
}

function overlayCollectionOf(s: Pick<CensusMapState, 'overlay'>): Json {
  const o = s.overlay
  const features: Json[] = []
  if (o?.before) features.push({ type: 'Feature', geometry: o.before, properties: { role: 'before' } })
  if (o?.after) features.push({ type: 'Feature', geometry: o.after, properties: { role: 'after' } })
  return { type: 'FeatureCollection', features }
}

export interface CensusLayerOptions {
  /** Collections a click may pick now (none: clicks are not the census layer's). */
  clickable(): readonly CollectionId[]
  onClick(collection: CollectionId, id: number): void
}

export class CensusLayer {
  private shown: Pick<CensusMapState, 'main' | 'targets' | 'selectedId' | 'editingId' | 'overlay'> | null = null
  private readonly onStyle = () => this.install()
  private readonly onMapClick = (e: MapMouseEvent) => this.click(e)

  constructor(
    private readonly map: MapLibreMap,
    private readonly options: CensusLayerOptions,
  ) {
    this.install()
    map.on('style.load', this.onStyle)
    map.on('click', this.onMapClick)
  }

  /** Draws what the state says; data is set only when its part of the state changed. */
  update(s: CensusMapState): void {
    const prev = this.shown
    if (!prev || prev.main !== s.main || prev.targets !== s.targets || prev.selectedId !== s.selectedId || prev.editingId !== s.editingId) this.source(FEATURES)?.setData(featureCollectionOf(s) as never)
    if (!prev || prev.overlay !== s.overlay) this.source(OVERLAY)?.setData(overlayCollectionOf(s) as never)
    this.shown = { main: s.main, targets: s.targets, selectedId: s.selectedId, editingId: s.editingId, overlay: s.overlay }
  }

  /** Properties of the census features drawn in the viewport (test API and checks). */
  rendered(): Array<Record<string, unknown>> {
    if (!this.map.getLayer('census-point')) return []
    return this.map.queryRenderedFeatures({ layers: [...CENSUS_HIT_LAYERS] }).map((f) => ({ ...f.properties }))
  }

  destroy(): void {
    this.map.off('style.load', this.onStyle)
    this.map.off('click', this.onMapClick)
    try {
      for (const l of [...layers()].reverse()) if (this.map.getLayer(l.id)) this.map.removeLayer(l.id)
      for (const id of [OVERLAY, FEATURES]) if (this.map.getSource(id)) this.map.removeSource(id)
    } catch {
      // The map is being removed with its style.
    }
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource(id) as GeoJSONSource | undefined
  }

  /** Adds the sources and layers to the style (the first one, and again after a theme switch). */
  private install(): void {
    try {
      if (!this.map.getSource(FEATURES)) this.map.addSource(FEATURES, { type: 'geojson', data: this.shown ? (featureCollectionOf(this.shown) as never) : { type: 'FeatureCollection', features: [] } })
      if (!this.map.getSource(OVERLAY)) this.map.addSource(OVERLAY, { type: 'geojson', data: this.shown ? (overlayCollectionOf(this.shown) as never) : { type: 'FeatureCollection', features: [] } })
      for (const l of layers()) if (!this.map.getLayer(l.id)) this.map.addLayer(l)
    } catch {
      // The style is still loading: its 'style.load' installs them.
    }
  }

  private click(e: MapMouseEvent): void {
    const collections = this.options.clickable()
    if (collections.length === 0 || !this.map.getLayer('census-point')) return
    const { x, y } = e.point
    const hits = this.map.queryRenderedFeatures(
      [
        [x - HIT_PX, y - HIT_PX],
        [x + HIT_PX, y + HIT_PX],
      ],
      { layers: [...CENSUS_HIT_LAYERS] },
    )
    const rank = (layerId: string) => CENSUS_HIT_LAYERS.indexOf(layerId as (typeof CENSUS_HIT_LAYERS)[number])
    const hit = hits
      .filter((f) => collections.includes(String(f.properties?.collection) as CollectionId))
      .sort((a, b) => rank(a.layer.id) - rank(b.layer.id))[0]
    if (!hit) return
    this.options.onClick(String(hit.properties!.collection) as CollectionId, Number(hit.properties!.id))
  }
}
