import { AttributionControl, Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { Layer, PickingInfo } from '@deck.gl/core'
import 'maplibre-gl/dist/maplibre-gl.css'
import './map.css'
import type { Bbox } from '../../../contracts/events'
import type { BasemapLayer } from '../../../contracts/api'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import { HOVER_LAYERS, STREET_NAME, buildBaseMapStyle } from './base-map-style'
import { featureLabel, type BasemapFeatureKind } from './feature-label'
import { paddedBbox } from './viewport'

setWorkerUrl(workerUrl)

export interface MapControllerOptions {
  container: HTMLElement
  center: [number, number]
  bbox: Bbox | null
  attribution: string
  /** False on the video wall: no navigation buttons, no hover. */
  interactive: boolean
  onViewportChange(bbox: Bbox): void
  onDeviceClick(device: LiveDevice | null): void
  /** Lines of the hover tooltip of a device. */
  deviceTooltip(device: LiveDevice): string[]
}

const HOVER_KIND: Record<(typeof HOVER_LAYERS)[number], BasemapFeatureKind> = {
  'streets-major': 'street',
  'streets-minor': 'street',
  'ztl-fill': 'ztl',
  'zone-fill': 'zone',
  'quartieri-fill': 'district',
}

/**
 * The MapLibre map with its code-built dark style, the deck.gl overlay for devices and a small DOM
 * tooltip. No React here: the React component only mounts it and feeds it layers.
 */
export class MapController {
  readonly map: MapLibreMap
  private readonly overlay: MapboxOverlay
  private readonly tooltip: HTMLDivElement
  private readonly options: MapControllerOptions
  private hoveredDevice: LiveDevice | null = null
  private baseLabel: string[] = []
  private pointer: { x: number; y: number } | null = null
  private hoveredStreet = ''
  readonly loaded: Promise<void>

  constructor(options: MapControllerOptions) {
    this.options = options
    this.map = new MapLibreMap({
      container: options.container,
      style: buildBaseMapStyle(),
      center: options.center,
      zoom: 13,
      minZoom: 10,
      maxZoom: 19,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      fadeDuration: 0,
    })
    this.map.touchZoomRotate.disableRotation()
    this.map.keyboard.disableRotation()
    this.map.addControl(new AttributionControl({ compact: false, customAttribution: options.attribution }), 'bottom-right')
    if (options.interactive) this.map.addControl(new NavigationControl({ showCompass: false }), 'bottom-left')
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
      onClick: (info: PickingInfo) => options.onDeviceClick((info.object as LiveDevice | undefined) ?? null),
      onHover: (info: PickingInfo) => {
        this.hoveredDevice = options.interactive ? ((info.object as LiveDevice | undefined) ?? null) : null
        this.map.getCanvas().style.cursor = this.hoveredDevice ? 'pointer' : ''
        this.renderTooltip()
      },
    })
    this.map.addControl(this.overlay)

    this.tooltip = document.createElement('div')
    this.tooltip.className = 'map-tooltip'
    this.tooltip.setAttribute('role', 'tooltip')
    this.tooltip.hidden = true
    options.container.appendChild(this.tooltip)

    this.map.on('moveend', () => options.onViewportChange(this.viewportBbox()))
    if (options.interactive) {
      this.map.on('mousemove', (e) => this.onMouseMove(e))
      this.map.on('mouseout', () => {
        this.pointer = null
        this.setHoveredStreet('')
        this.renderTooltip()
      })
    }
    this.loaded = new Promise((resolve) => {
      if (this.map.loaded()) resolve()
      else this.map.once('load', () => resolve())
    })
  }

  /** The viewport, padded so that small pans stay inside the subscription. */
  viewportBbox(): Bbox {
    const b = this.map.getBounds()
    return paddedBbox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], 0.3)
  }

  async setBasemap(layer: BasemapLayer, data: GeoJSON.FeatureCollection): Promise<void> {
    await this.loaded
    const source = this.map.getSource<GeoJSONSource>(layer)
    source?.setData(data)
  }

  setLayers(layers: Layer[]): void {
    this.overlay.setProps({ layers })
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

  /** Centres the map on a position at a zoom, without animation, and resolves when it is drawn (test API). */
  async view(lon: number, lat: number, zoom: number): Promise<void> {
    this.map.jumpTo({ center: [lon, lat], zoom })
    await this.idle()
  }

  /** Page pixel position of a coordinate (test API). */
  project(lon: number, lat: number): [number, number] {
    const p = this.map.project([lon, lat])
    const r = this.options.container.getBoundingClientRect()
    return [r.left + p.x, r.top + p.y]
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

  private onMouseMove(e: MapMouseEvent): void {
    this.pointer = { x: e.point.x, y: e.point.y }
    const lines: string[] = []
    let street = ''
    const seen = new Set<BasemapFeatureKind>()
    const layers = HOVER_LAYERS.filter((id) => this.map.getLayer(id))
    for (const feature of this.map.queryRenderedFeatures(e.point, { layers: [...layers] })) {
      const kind = HOVER_KIND[feature.layer.id as (typeof HOVER_LAYERS)[number]]
      if (!kind || seen.has(kind)) continue
      const label = featureLabel(kind, feature.properties ?? {})
      if (!label) continue
      seen.add(kind)
      if (kind === 'street') {
        street = String(feature.properties?.name ?? feature.properties?.nomevia ?? feature.properties?.street ?? '')
        lines.unshift(label)
      } else lines.push(kind === 'ztl' && !/^ZTL/i.test(label) ? `ZTL · ${label}` : label)
    }
    this.baseLabel = lines
    this.setHoveredStreet(street)
    this.renderTooltip()
  }

  private setHoveredStreet(name: string): void {
    if (name === this.hoveredStreet || !this.map.getLayer('streets-hover')) return
    this.hoveredStreet = name
    this.map.setFilter('streets-hover', ['==', STREET_NAME, name || '\u0000'])
  }

  private renderTooltip(): void {
    const lines = this.hoveredDevice ? this.options.deviceTooltip(this.hoveredDevice) : this.baseLabel
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
