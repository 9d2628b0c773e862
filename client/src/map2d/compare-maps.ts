/**
 * The split and swipe maps of the scenario explorer (no React): two MapLibre maps with the base map
 * style the server serves, each with its own deck.gl overlay — the left side's flows on the left
 * map, the right side's on the right one — whose cameras follow each other. Split puts them side by
 * side; swipe stacks them and clips the right one at the divider (the page does that with CSS), so
 * the planner sees one map with base and scenario on either side of the divider.
 */
import { Map as MapLibreMap, NavigationControl, ScaleControl } from 'maplibre-gl'
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { Layer, PickingInfo } from '@deck.gl/core'
import 'maplibre-gl/dist/maplibre-gl.css'
import './map.css'
import type { MapPose } from '../globe3d/camera-pose'
import { baseMapStyleUrl } from './base-map-style'
import { loadMapFonts } from './map-fonts'
import { applyLayerGroups } from './map-controller'
import type { MapPreferences } from './map-preferences'
import { addStyleImages } from './style-images'

export type CompareSide = 'left' | 'right'

export interface CompareMapsOptions {
  left: HTMLElement
  right: HTMLElement
  /** Where both maps look at start (the live map's camera). */
  pose: MapPose
  /** The live map's theme and layer groups. */
  preferences: MapPreferences
  /** Lines of the hover tooltip of a picked object on one side; null: none. */
  tooltip(side: CompareSide, layerId: string, object: unknown): string[] | null
}

interface Side {
  map: MapLibreMap
  overlay: MapboxOverlay
  tooltip: HTMLDivElement
}

export class CompareMaps {
  private readonly sides: Record<CompareSide, Side>
  private syncing = false
  private destroyed = false
  /** Resolves once both maps have drawn their first style. */
  readonly loaded: Promise<void>

  constructor(private readonly options: CompareMapsOptions) {
    const fonts = loadMapFonts()
    this.sides = { left: this.createSide('left', options.left), right: this.createSide('right', options.right) }
    const { left, right } = this.sides
    left.map.on('move', () => this.follow(left.map, right.map))
    right.map.on('move', () => this.follow(right.map, left.map))
    const styleLoaded = (m: MapLibreMap) => new Promise<void>((resolve) => m.once('style.load', () => resolve()))
    this.loaded = Promise.all([styleLoaded(left.map), styleLoaded(right.map), fonts]).then(() => Promise.all([this.idle('left'), this.idle('right')]).then(() => undefined))
  }

  map(side: CompareSide): MapLibreMap {
    return this.sides[side].map
  }

  setLayers(side: CompareSide, layers: Layer[]): void {
    if (!this.destroyed) this.sides[side].overlay.setProps({ layers })
  }

  /** The attributions of the base map's sources (their TileJSON's), as text. */
  sourceAttributions(): string[] {
    const m = this.sides.left.map
    const out = new Set<string>()
    const parser = new DOMParser()
    for (const id of Object.keys(m.getStyle()?.sources ?? {})) {
      const text = (m.getSource(id) as { attribution?: string } | undefined)?.attribution
      if (!text) continue
      // An inert document (no script runs, no image loads): only its text is kept.
      const plain = (parser.parseFromString(text, 'text/html').body.textContent ?? '').trim()
      if (plain) out.add(plain)
    }
    return [...out]
  }

  /** Both maps take their containers' new size (split ↔ swipe, the sheet resized). */
  resize(): void {
    for (const s of Object.values(this.sides)) s.map.resize()
  }

  /** The objects drawn at a pixel of one side's map (CSS px from its top-left). */
  pick(side: CompareSide, x: number, y: number, layerIds: string[]): PickingInfo | null {
    return this.sides[side].overlay.pickObject({ x, y, radius: 4, layerIds })
  }

  idle(side: CompareSide): Promise<void> {
    const m = this.sides[side].map
    return new Promise((resolve) => {
      if (m.loaded() && !m.isMoving()) resolve()
      else m.once('idle', () => resolve())
    })
  }

  destroy(): void {
    this.destroyed = true
    for (const s of Object.values(this.sides)) {
      s.map.removeControl(s.overlay)
      s.overlay.finalize()
      s.tooltip.remove()
      s.map.remove()
    }
  }

  private createSide(side: CompareSide, container: HTMLElement): Side {
    const { pose, preferences } = this.options
    const theme = preferences.theme
    container.dataset.theme = theme
    const map = new MapLibreMap({
      container,
      style: baseMapStyleUrl(theme),
      center: pose.center,
      zoom: pose.zoom,
      bearing: pose.bearing,
      pitch: Math.min(pose.pitch, 60),
      minZoom: 10,
      maxZoom: 19,
      maxPitch: 70,
      // The attribution is shown once, over both maps, by the page (it must stay visible in swipe mode).
      attributionControl: false,
      fadeDuration: 0,
    })
    if (side === 'right') {
      map.addControl(new NavigationControl({ showCompass: true, visualizePitch: true }), 'top-right')
      map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-left')
    }
    map.on('style.load', () => {
      addStyleImages(map)
      applyLayerGroups(map, preferences.groups)
    })
    map.on('styleimagemissing', () => addStyleImages(map))
    const tooltip = document.createElement('div')
    tooltip.className = 'map-tooltip'
    tooltip.setAttribute('role', 'tooltip')
    tooltip.hidden = true
    container.appendChild(tooltip)
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      pickingRadius: 5,
      onHover: (info: PickingInfo) => {
        const lines = info.layer && info.object ? this.options.tooltip(side, info.layer.id, info.object) : null
        if (!lines || lines.length === 0) {
          tooltip.hidden = true
          map.getCanvas().style.cursor = ''
          return
        }
        tooltip.replaceChildren(
          ...lines.map((line, i) => {
            const div = document.createElement('div')
            div.textContent = line
            if (i === 0) div.className = 'map-tooltip-title'
            return div
          }),
        )
        tooltip.hidden = false
        tooltip.style.transform = `translate(${Math.round(info.x + 14)}px, ${Math.round(info.y + 14)}px)`
        map.getCanvas().style.cursor = 'pointer'
      },
    })
    map.addControl(overlay)
    return { map, overlay, tooltip }
  }

  /** The other map looks where this one does (guarded: its own move event does not bounce back). */
  private follow(from: MapLibreMap, to: MapLibreMap): void {
    if (this.syncing) return
    this.syncing = true
    try {
      to.jumpTo({ center: from.getCenter(), zoom: from.getZoom(), bearing: from.getBearing(), pitch: from.getPitch() })
    } finally {
      this.syncing = false
    }
  }
}
