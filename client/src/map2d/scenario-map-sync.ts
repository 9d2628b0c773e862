/**
 * The 2D live map's side of the scenario map state (client/src/state/scenario-map.ts): while the
 * explorer picks, a click on a street reports its edges — from the estimate's links when they are
 * drawn, from the base map's roads (whose `id` is the road edge's) otherwise — and a click elsewhere
 * reports the point; requested boxes are brought into view beside the explorer's sheet. The layers
 * themselves are drawn by LiveMap with the device layers (map2d/layers/scenario-links/).
 */
import type { MapMouseEvent } from 'maplibre-gl'
import type { Bbox } from '../../../contracts/events'
import { reportEdgesClick, reportPointClick, type PickedEdge, type ScenarioLinkDatum, type ScenarioMapState, type ScenarioMapStore } from '../state/scenario-map'
import { SCENARIO_LAYER_IDS } from './layers/scenario-links/scenario-links-layer'
import type { MapController } from './map-controller'

/** The base map's road layer (server/src/style/road-layers.ts): its features carry the road edge id. */
const ROAD_LAYER = 'roads-fill'
const PICK_RADIUS_PX = 5

/**
 * The edges a click on a street picks, from the candidates under the pointer (topmost first): the top
 * one and every other edge of the same street there — both directions of a two-way road, which the
 * network may hold as two edges — but not the cross street of a junction.
 */
export function streetEdges(candidates: readonly PickedEdge[]): PickedEdge[] {
  const top = candidates[0]
  if (!top) return []
  const same = top.name ? candidates.filter((c) => c.name === top.name) : [top]
  const seen = new Set<string>()
  return same.filter((c) => !seen.has(c.edgeId) && !!seen.add(c.edgeId))
}

export interface ScenarioMapSync {
  stop(): void
}

export function syncScenarioMap(controller: MapController, channel: ScenarioMapStore): ScenarioMapSync {
  const map = controller.map
  const container = map.getContainer()

  const candidates = (x: number, y: number): PickedEdge[] => {
    const fromLinks = controller.pickObjects(x, y, [SCENARIO_LAYER_IDS.links], PICK_RADIUS_PX).flatMap((info) => {
      const l = info.object as ScenarioLinkDatum | undefined
      return l ? [{ edgeId: l.edgeId, name: l.name }] : []
    })
    if (fromLinks.length) return fromLinks
    if (!map.getLayer(ROAD_LAYER)) return []
    const box: [[number, number], [number, number]] = [
      [x - PICK_RADIUS_PX, y - PICK_RADIUS_PX],
      [x + PICK_RADIUS_PX, y + PICK_RADIUS_PX],
    ]
    return map.queryRenderedFeatures(box, { layers: [ROAD_LAYER] }).flatMap((f) => {
      const id = f.properties?.id
      const name = f.properties?.name
      return typeof id === 'string' || typeof id === 'number' ? [{ edgeId: String(id), name: typeof name === 'string' && name ? name : null }] : []
    })
  }

  const onClick = (e: MapMouseEvent) => {
    const s = channel.get()
    if (!s.active || s.pick === 'none') return
    if (s.pick === 'point') {
      channel.set((st) => reportPointClick(st, [e.lngLat.lng, e.lngLat.lat]))
      return
    }
    const edges = streetEdges(candidates(e.point.x, e.point.y))
    if (edges.length) channel.set((st) => reportEdgesClick(st, edges))
  }

  /** Brings a box into the part of the map the sheet leaves free; nothing moves when it is there already. */
  const focus = ([w, so, e, n]: Bbox, coverRightPx: number) => {
    const width = container.clientWidth
    const height = container.clientHeight
    const right = Math.min(coverRightPx + 40, width * 0.7)
    const corners = [map.project([w, so]), map.project([e, n])]
    const inView = corners.every((p) => p.x >= 40 && p.x <= width - right && p.y >= 40 && p.y <= height - 120)
    if (inView && map.getZoom() >= 14) return
    map.fitBounds(
      [
        [w, so],
        [e, n],
      ],
      { padding: { top: 60, bottom: 140, left: 60, right }, maxZoom: Math.max(17, map.getZoom()), duration: 600 },
    )
  }

  let prev: ScenarioMapState | null = null
  const apply = () => {
    const s = channel.get()
    const before = prev
    prev = s
    container.classList.toggle('is-picking', s.active && s.pick !== 'none')
    if (s.focus && s.focus.seq !== before?.focus?.seq) focus(s.focus.bbox, s.coverRightPx)
  }

  map.on('click', onClick)
  const unsubscribe = channel.subscribe(apply)
  apply()
  return {
    stop() {
      unsubscribe()
      map.off('click', onClick)
      container.classList.remove('is-picking')
    },
  }
}
