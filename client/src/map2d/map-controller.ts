import { AttributionControl, Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type MapMouseEvent } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { Layer, PickingInfo } from '@deck.gl/core'
import 'maplibre-gl/dist/maplibre-gl.css'
import './map.css'
import type { Bbox } from '../../../contracts/events'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import { HOVER_LAYERS, LAYER_GROUP_KEY, STREET_NAME, baseMapStyleUrl, streetHoverLayer } from './base-map-style'
import { featureLabel, type BasemapFeatureKind } from './feature-label'
import { loadMapFonts } from './map-fonts'
import type { MapPreferences, MapTheme, ToggleGroup } from './map-preferences'
import { addStyleImages } from './style-images'
import { paddedBbox } from './viewport'

setWorkerUrl(workerUrl)

export interface MapControllerOptions {
  container: HTMLElement
  center: [number, number]
  bbox: Bbox | null
  attribution: string
  /** Theme and layer groups at start. */
  preferences: MapPreferences
  /** False on the video wall: no navigation buttons, no hover. */
  interactive: boolean
  onViewportChange(bbox: Bbox): void
  onDeviceClick(device: LiveDevice | null): void
  /** Lines of the hover tooltip of a device. */
  deviceTooltip(device: LiveDevice): string[]
  /**
   * deck.gl layers whose objects are not devices (the scenario explorer's links and loops): a click
   * on them selects no device, and their hover tooltip comes from `tooltip` (null: none).
   */
  otherLayers?: OtherLayers
}

export interface OtherLayers {
  owns(layerId: string): boolean
  tooltip(layerId: string, object: unknown): string[] | null
  /** A click on one of their objects (a citizen case opens in its panel). */
  click?(layerId: string, object: unknown): void
}

const AREA_KIND: Record<string, BasemapFeatureKind> = { quartiere: 'district', zona: 'zone', ztl: 'ztl' }

/** Shows or hides each style layer of a switchable group (signals, buildings, network) as the preferences say. */
export function applyLayerGroups(map: MapLibreMap, groups: MapPreferences['groups']): void {
  for (const layer of map.getStyle()?.layers ?? []) {
    const group = (layer.metadata as Record<string, unknown> | undefined)?.[LAYER_GROUP_KEY]
    if (typeof group !== 'string' || !(group in groups)) continue
    map.setLayoutProperty(layer.id, 'visibility', groups[group as ToggleGroup] ? 'visible' : 'none')
  }
}

/**
 * The MapLibre map with the style the server serves (/styles/<theme>.json over our vector tiles),
 * the deck.gl overlay for devices and a small DOM tooltip. No React here: the React component only
 * mounts it and feeds it layers and preferences.
 */
export class MapController {
  readonly map: MapLibreMap
  private readonly overlay: MapboxOverlay
  private readonly tooltip: HTMLDivElement
  private readonly options: MapControllerOptions
  private hoveredDevice: LiveDevice | null = null
  private hoveredLines: string[] | null = null
  private baseLabel: string[] = []
  private pointer: { x: number; y: number } | null = null
  private hoveredStreet = ''
  private preferences: MapPreferences
  /** Resolves once the fonts are loaded and the first style is drawn. */
  readonly loaded: Promise<void>

  constructor(options: MapControllerOptions) {
    this.options = options
    this.preferences = options.preferences
    options.container.dataset.theme = this.preferences.theme
    // Registers the label fonts now: MapLibre awaits document.fonts.load() for a family before it draws
    // its first glyph, so the labels come out in Titillium Web, never in a fallback font first.
    const fonts = loadMapFonts()
    this.map = new MapLibreMap({
      container: options.container,
      style: baseMapStyleUrl(this.preferences.theme),
      center: options.center,
      zoom: 13,
      minZoom: 10,
      maxZoom: 19,
      maxPitch: 70,
      attributionControl: false,
      fadeDuration: 0,
    })
    this.map.addControl(new AttributionControl({ compact: false, customAttribution: options.attribution }), 'bottom-right')
    // Right-hand side: the layer panel covers the left. The compass shows pitch and bearing (2.5D
    // buildings) and resets north on click.
    if (options.interactive) this.map.addControl(new NavigationControl({ showCompass: true, visualizePitch: true }), 'top-right')
    this.map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-right')
    if (options.bbox) {
      const [w, s, e, n] = options.bbox
      // Leave room for the layer panel on the left when it is there.
      const left = options.interactive ? Math.min(340, options.container.clientWidth * 0.3) : 24
      this.map.fitBounds([[w, s], [e, n]], { padding: { top: 24, bottom: 24, right: 24, left }, animate: false })
    }

    this.overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      pickingRadius: 5,
      onClick: (info: PickingInfo) => {
        const other = this.isOtherLayer(info)
        if (other) options.otherLayers?.click?.(info.layer!.id, info.object)
        options.onDeviceClick(other ? null : ((info.object as LiveDevice | undefined) ?? null))
      },
      onHover: (info: PickingInfo) => {
        const other = this.isOtherLayer(info)
        this.hoveredLines = options.interactive && other ? (options.otherLayers?.tooltip(info.layer!.id, info.object) ?? null) : null
        this.hoveredDevice = options.interactive && !other ? ((info.object as LiveDevice | undefined) ?? null) : null
        this.map.getCanvas().style.cursor = this.hoveredDevice || this.hoveredLines ? 'pointer' : ''
        this.renderTooltip()
      },
    })
    this.map.addControl(this.overlay)

    this.tooltip = document.createElement('div')
    this.tooltip.className = 'map-tooltip'
    this.tooltip.setAttribute('role', 'tooltip')
    this.tooltip.hidden = true
    options.container.appendChild(this.tooltip)

    // Every style (the first, and each theme switch) gets our icons, the hover layer and the groups.
    this.map.on('style.load', () => this.decorateStyle())
    this.map.on('styleimagemissing', () => addStyleImages(this.map))
    this.map.on('moveend', () => options.onViewportChange(this.viewportBbox()))
    if (options.interactive) {
      this.map.on('mousemove', (e) => this.onMouseMove(e))
      this.map.on('mouseout', () => {
        this.pointer = null
        this.setHoveredStreet('')
        this.renderTooltip()
      })
    }
    const styleLoaded = new Promise<void>((resolve) => this.map.once('style.load', () => resolve()))
    this.loaded = Promise.all([styleLoaded, fonts]).then(() => this.idle())
  }

  get theme(): MapTheme {
    return this.preferences.theme
  }

  /** Applies a new theme (reloads the style) and the layer groups' visibility. */
  setPreferences(next: MapPreferences): void {
    const themeChanged = next.theme !== this.preferences.theme
    this.preferences = next
    if (themeChanged) {
      this.options.container.dataset.theme = next.theme
      this.hoveredStreet = ''
      this.map.setStyle(baseMapStyleUrl(next.theme))
    } else if (this.map.isStyleLoaded()) this.applyGroups()
  }

  /** The viewport, padded so that small pans stay inside the subscription. */
  viewportBbox(): Bbox {
    const b = this.map.getBounds()
    return paddedBbox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], 0.3)
  }

  setLayers(layers: Layer[]): void {
    this.overlay.setProps({ layers })
  }

  /** The objects drawn by deck.gl layers around a map pixel (CSS px from the map's top-left), topmost first. */
  pickObjects(x: number, y: number, layerIds: string[], radius = 4): PickingInfo[] {
    return this.overlay.pickMultipleObjects({ x, y, radius, layerIds, depth: 8 })
  }

  /** Pans so that a position is not hidden under a panel covering `rightInsetPx` on the right. */
  reveal(position: [number, number], rightInsetPx: number): void {
    const p = this.map.project(position)
    const width = this.options.container.clientWidth
    const height = this.options.container.clientHeight
    const margin = 40
    if (p.x > margin && p.x < width - rightInsetPx - margin && p.y > margin && p.y < height - margin) return
    this.map.easeTo({ center: position, offset: [-rightInsetPx / 2, 0], duration: 400 })
  }

  /** Flies to a position, zooming in to at least `zoom` (never out). */
  /** Flies to a position; `visibleWidthPx` centres it in the map's left part (the rest is covered by a panel). */
  flyTo(position: [number, number], zoom: number, visibleWidthPx?: number): void {
    const width = this.map.getContainer().clientWidth
    const right = visibleWidthPx !== undefined && visibleWidthPx < width ? width - visibleWidthPx : 0
    this.map.flyTo({ center: position, zoom: Math.max(zoom, this.map.getZoom()), duration: 1200, essential: true, padding: { top: 0, bottom: 0, left: 0, right } })
  }

  /** Centres the map on a position at a zoom (and pitch, bearing), without animation; resolves when drawn (test API). */
  async view(lon: number, lat: number, zoom: number, pitch = this.map.getPitch(), bearing = this.map.getBearing()): Promise<void> {
    this.map.jumpTo({ center: [lon, lat], zoom, pitch, bearing })
    await this.idle()
  }

  /** Page pixel position of a coordinate (test API). */
  project(lon: number, lat: number): [number, number] {
    const p = this.map.project([lon, lat])
    const r = this.options.container.getBoundingClientRect()
    return [r.left + p.x, r.top + p.y]
  }

  /** Properties of the features a style layer draws in the viewport (test API: labels, buildings). */
  renderedFeatures(layerId: string): Array<Record<string, unknown>> {
    if (!this.map.getLayer(layerId)) return []
    return this.map.queryRenderedFeatures({ layers: [layerId] }).map((f) => ({ ...f.properties }))
  }

  /** 'visible' or 'none' (a group switched off), 'missing' when the style has no such layer. */
  layerVisibility(layerId: string): string {
    if (!this.map.getLayer(layerId)) return 'missing'
    return String(this.map.getLayoutProperty(layerId, 'visibility') ?? 'visible')
  }

  /** Resolves once the map has drawn everything it has. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.map.loaded() && !this.map.isMoving()) resolve()
      else this.map.once('idle', () => resolve())
    })
  }

  destroy(): void {
    this.map.removeControl(this.overlay)
    this.overlay.finalize()
    this.tooltip.remove()
    this.map.remove()
  }

  private decorateStyle(): void {
    addStyleImages(this.map)
    const metadata = (this.map.getStyle()?.metadata ?? {}) as Record<string, unknown>
    const highlight = typeof metadata['gemello:highlight'] === 'string' ? metadata['gemello:highlight'] : '#9aa0a9'
    if (this.map.getSource('base') && !this.map.getLayer('roads-hover')) {
      this.map.addLayer(streetHoverLayer(highlight), this.map.getLayer('roads-label') ? 'roads-label' : undefined)
    }
    this.applyGroups()
  }

  private applyGroups(): void {
    applyLayerGroups(this.map, this.preferences.groups)
  }

  private onMouseMove(e: MapMouseEvent): void {
    this.pointer = { x: e.point.x, y: e.point.y }
    const lines: string[] = []
    let street = ''
    const seen = new Set<BasemapFeatureKind>()
    const layers = HOVER_LAYERS.filter((id) => this.map.getLayer(id))
    for (const feature of this.map.queryRenderedFeatures(e.point, { layers: [...layers] })) {
      const props = feature.properties ?? {}
      const kind: BasemapFeatureKind | undefined = feature.layer.id === 'roads-fill' ? 'street' : AREA_KIND[String(props.kind)]
      if (!kind || seen.has(kind)) continue
      const label = featureLabel(kind, props)
      if (!label) continue
      seen.add(kind)
      if (kind === 'street') {
        street = String(props.name ?? props.nomevia ?? props.street ?? '')
        lines.unshift(label)
      } else lines.push(kind === 'ztl' && !/^ZTL/i.test(label) ? `ZTL · ${label}` : label)
    }
    this.baseLabel = lines
    this.setHoveredStreet(street)
    this.renderTooltip()
  }

  private setHoveredStreet(name: string): void {
    if (name === this.hoveredStreet || !this.map.getLayer('roads-hover')) return
    this.hoveredStreet = name
    this.map.setFilter('roads-hover', ['==', STREET_NAME, name || '\u0000'])
  }

  /** The picked object belongs to one of the other layers (not a device). */
  private isOtherLayer(info: PickingInfo): boolean {
    return !!info.layer && !!info.object && (this.options.otherLayers?.owns(info.layer.id) ?? false)
  }

  private renderTooltip(): void {
    const lines = this.hoveredLines ?? (this.hoveredDevice ? this.options.deviceTooltip(this.hoveredDevice) : this.baseLabel)
    if (!this.pointer || lines.length === 0) {
      this.tooltip.hidden = true
      return
    }
    this.tooltip.replaceChildren(
      ...lines.map((line, i) => {
        const div = document.createElement('div')
        div.textContent = line
        if (i === 0) div.className = 'map-tooltip-title'
        return div
      }),
    )
    this.tooltip.hidden = false
    this.tooltip.style.transform = `translate(${Math.round(this.pointer.x + 14)}px, ${Math.round(this.pointer.y + 14)}px)`
  }
}
