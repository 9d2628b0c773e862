/**
 * The map's side of the census map state (client/src/state/census-map.ts): draws what the census
 * editor says (CensusLayer), draws and edits the draft geometry (CensusDraw, terra-draw), brings
 * requested boxes into view beside the editor's sheet, and reports back the viewport, the features
 * clicked and the geometries drawn.
 */
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { Bbox } from '../../../contracts/events'
import type { CensusMapState, CensusMapStore } from '../state/census-map'
import { clickableCollections, reportClick, reportDraft } from '../state/census-map'
import { CensusDraw } from './census-draw'
import { CensusLayer } from './census-layer'

/** Zoom a single point is brought to. */
const FOCUS_MAX_ZOOM = 18

export interface CensusMapSync {
  /** Properties of the census features drawn in the viewport (test API). */
  rendered(): Array<Record<string, unknown>>
  stop(): void
}

export function syncCensusMap(map: MapLibreMap, channel: CensusMapStore): CensusMapSync {
  const layer = new CensusLayer(map, {
    clickable: () => {
      const s = channel.get()
      return s.active ? clickableCollections(s) : []
    },
    onClick: (collection, id) => channel.set((s) => reportClick(s, collection, id)),
  })
  const draw = new CensusDraw(map, {
    onGeometry: (geometry) => channel.set((s) => (s.active ? reportDraft(s, geometry) : s)),
    onState: (drawing) => channel.set((s) => ({ ...s, drawing })),
  })

  const reportViewport = () => {
    const b = map.getBounds()
    channel.set((s) => ({ ...s, viewport: { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom: map.getZoom() } }))
  }

  /** Brings a box into the part of the map the sheet leaves free; nothing moves when it is there already. */
  const focus = ([w, so, e, n]: Bbox, coverRightPx: number) => {
    const width = map.getContainer().clientWidth
    const height = map.getContainer().clientHeight
    const right = Math.min(coverRightPx + 40, width * 0.7)
    const corners = [map.project([w, so]), map.project([e, n])]
    const inView = corners.every((p) => p.x >= 40 && p.x <= width - right && p.y >= 40 && p.y <= height - 40)
    const small = corners[1]!.x - corners[0]!.x < 4 && corners[0]!.y - corners[1]!.y < 4
    // A point in view close enough, or a line or area in view: leave the map as the person set it.
    if (inView && map.getZoom() >= (small ? 16 : 13)) return
    map.fitBounds(
      [
        [w, so],
        [e, n],
      ],
      { padding: { top: 60, bottom: 60, left: 60, right }, maxZoom: Math.max(FOCUS_MAX_ZOOM, map.getZoom()), duration: 600 },
    )
  }

  let prev: CensusMapState | null = null
  let editRefused = -1
  const applyOnce = () => {
    const s = channel.get()
    const before = prev
    prev = s
    layer.update(s)
    const modeChanged = !before || before.mode !== s.mode || before.active !== s.active
    if (!s.active) {
      if (draw.current !== 'idle') draw.stop()
    } else if (s.mode.kind === 'draw') {
      if (modeChanged || draw.current === 'idle') draw.startDrawing(s.mode.geometryType)
    } else if (s.mode.kind === 'edit') {
      const reload = modeChanged || before?.draft.revision !== s.draft.revision || draw.current === 'idle'
      if (reload && s.draft.geometry && editRefused !== s.draft.revision) {
        if (!draw.startEditing(s.draft.geometry)) editRefused = s.draft.revision
      } else if (!s.draft.geometry && draw.current !== 'idle') draw.stop()
    } else if (draw.current !== 'idle') draw.stop()
    if (s.focus && s.focus.seq !== before?.focus?.seq) focus(s.focus.bbox, s.coverRightPx)
  }
  // terra-draw reports into the channel while it is being driven from it: one pass at a time, then again.
  let applying = false
  let again = false
  const apply = () => {
    if (applying) {
      again = true
      return
    }
    applying = true
    try {
      do {
        again = false
        applyOnce()
      } while (again)
    } finally {
      applying = false
    }
  }

  channel.set((s) => ({ ...s, mapBound: true }))
  map.on('moveend', reportViewport)
  const unsubscribe = channel.subscribe(apply)
  reportViewport()
  apply()

  return {
    rendered: () => layer.rendered(),
    stop() {
      unsubscribe()
      map.off('moveend', reportViewport)
      draw.destroy()
      layer.destroy()
      channel.set((s) => ({ ...s, mapBound: false, drawing: 'idle' }))
    },
  }
}
