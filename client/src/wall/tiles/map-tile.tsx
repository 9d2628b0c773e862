import { Marker } from 'maplibre-gl'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WallTile } from '../../../../contracts/wall'
import { LiveMap } from '../../map2d/live-map'
import type { MapController } from '../../map2d/map-controller'
import type { AppState } from '../../state/app-state'
import { HEARTBEAT_TIMEOUT_MS } from '../../state/connection-status'
import { selectDevice } from '../../state/live-reducers'
import { useStore } from '../../state/store'
import { liveAsOf } from '../data-age'
import { FocusCard } from '../focus-card'
import { scaledSize } from '../map-text-scale'
import { TileFrame } from '../tile-frame'
import { viewOptions } from '../tile-options'
import { useActiveFocus } from '../use-wall-focus'
import { useWall } from '../wall-context'
import { FOCUS_DEFAULT_ZOOM, focusDeviceId, focusPosition, type FocusLookup } from '../wall-focus'

const selectConnection = (s: AppState) => s.connection
const noDescription = () => []
const noViewport = () => undefined

export function focusLookup(s: AppState): FocusLookup {
  return {
    devicePosition: (id) => s.devices.get(id)?.position ?? null,
    alarm: (id) => s.controlRoom.alarms.get(id) ?? null,
    incident: (id) => s.controlRoom.incidents.get(id) ?? null,
  }
}

/**
 * The live map on the wall: not interactive, large markers, the city (or the layout's view) in sight.
 * A push to the wall flies it to the pushed place, rings the device and says who pushed what.
 */
export function MapTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const { store, about, api, registry, focusHost } = useWall()
  const connection = useStore(store, selectConnection)
  const [controller, setController] = useState<MapController | null>(null)
  const [drawn, setDrawn] = useState(false)
  const view = useMemo(() => viewOptions(tile.options, tile.id), [tile])
  const active = useActiveFocus()
  const attribution = useMemo(() => about.attributions.map((a) => a.text).join(' · ') || 'Gemello', [about])

  useEffect(() => {
    if (!controller) return
    registry.setView(tile.id, () => ({ center: controller.map.getCenter().toArray(), zoom: controller.map.getZoom() }))
    return () => registry.setView(tile.id, null)
  }, [controller, registry, tile.id])

  // Labels and style icons at the wall's type scale (the style is drawn for a desk screen).
  useEffect(() => {
    if (!controller) return
    const map = controller.map
    const factor = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) / 16
    const originals = new Map<string, { text: unknown; icon: unknown }>()
    const scale = () => {
      for (const layer of map.getStyle()?.layers ?? []) {
        if (layer.type !== 'symbol') continue
        const layout = (layer.layout ?? {}) as Record<string, unknown>
        if (!originals.has(layer.id)) originals.set(layer.id, { text: layout['text-size'], icon: layout['icon-size'] })
        const o = originals.get(layer.id)!
        try {
          if (layout['text-field'] !== undefined) map.setLayoutProperty(layer.id, 'text-size', scaledSize(o.text, factor, 16) as never)
          if (layout['icon-image'] !== undefined) map.setLayoutProperty(layer.id, 'icon-size', scaledSize(o.icon, factor, 1) as never)
        } catch (err) {
          console.warn(`wall map: ${layer.id} not scaled`, err)
        }
      }
    }
    let disposed = false
    void controller.loaded.then(() => !disposed && scale())
    map.on('style.load', scale)
    return () => {
      disposed = true
      map.off('style.load', scale)
    }
  }, [controller])

  // The layout's view once the map exists — a scene's camera, the tile's own centre, zoom, pitch and
  // bearing overriding it — and the tile is ready once the map has drawn that view.
  const [viewApplied, setViewApplied] = useState(false)
  useEffect(() => {
    if (!controller) return
    let cancelled = false
    const apply = async (center: [number, number], zoom: number, pitch = 0, bearing = 0) => {
      if (cancelled) return
      controller.map.jumpTo({ center, zoom, pitch, bearing })
      await controller.idle()
    }
    const done = () => !cancelled && setViewApplied(true)
    if (view.scene) {
      api
        .getScene(view.scene)
        .then((scene) => apply(view.center ?? scene.camera.target, view.zoom ?? scene.camera.zoom, view.pitch ?? scene.camera.pitchDeg, view.bearing ?? scene.camera.bearingDeg))
        .catch((err: unknown) => console.warn(`wall tile ${tile.id}: scene ${view.scene} not loaded`, err))
        .finally(done)
    } else if (view.center || view.zoom !== undefined) {
      void apply(view.center ?? controller.map.getCenter().toArray(), view.zoom ?? controller.map.getZoom(), view.pitch, view.bearing).finally(done)
    } else done()
    return () => {
      cancelled = true
    }
  }, [controller, view, api, tile.id])

  // Push to wall: fly there, ring the device, pin the place.
  useEffect(() => {
    if (!controller || !active) return
    const s = store.get()
    const position = focusPosition(active.focus, focusLookup(s))
    const deviceId = focusDeviceId(active.focus, focusLookup(s))
    let marker: Marker | null = null
    if (position) {
      controller.map.flyTo({ center: position, zoom: active.focus.zoom ?? FOCUS_DEFAULT_ZOOM, duration: 2500, essential: true })
      const pin = document.createElement('div')
      pin.className = 'wall-focus-pin'
      marker = new Marker({ element: pin }).setLngLat(position).addTo(controller.map)
    }
    if (deviceId) store.set((st) => selectDevice(st, deviceId))
    return () => {
      marker?.remove()
      if (deviceId) store.set((st) => selectDevice(st, st.selection === deviceId ? null : st.selection))
    }
  }, [controller, active, store])

  const onController = useCallback((c: MapController | null) => setController(c), [])
  const asOf = connection.everLive ? liveAsOf(connection.lastFrameAtMs, connection.lastHeartbeatAtMs, connection.lastFrameAtMs) : null

  return (
    <TileFrame tile={tile} defaultTitle={t('wall.tiles.map')} asOfMs={asOf} staleAfterMs={HEARTBEAT_TIMEOUT_MS} ready={drawn && viewApplied && asOf !== null}>
      <div className="wall-map">
        <LiveMap store={store} about={about} wall attribution={attribution} describeDevice={noDescription} onViewport={noViewport} onController={onController} onReadyChange={setDrawn} />
      </div>
      {active && focusHost === tile.id && <FocusCard active={active} state={store.get()} />}
    </TileFrame>
  )
}
