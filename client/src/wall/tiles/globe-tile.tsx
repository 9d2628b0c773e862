import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WallTile } from '../../../../contracts/wall'
import type { GlobeController } from '../../globe3d/globe-controller'
import type { AppState } from '../../state/app-state'
import { HEARTBEAT_TIMEOUT_MS } from '../../state/connection-status'
import { useStore } from '../../state/store'
import { liveAsOf } from '../data-age'
import { FocusCard } from '../focus-card'
import { TileFrame } from '../tile-frame'
import { viewOptions } from '../tile-options'
import { useActiveFocus } from '../use-wall-focus'
import { useWall } from '../wall-context'
import { FOCUS_DEFAULT_ZOOM, focusPosition } from '../wall-focus'
import { focusLookup } from './map-tile'

// Cesium comes with this tile only: a wall without a 3D view does not load it.
const GlobeView = lazy(() => import('../../app/globe-view').then((m) => ({ default: m.GlobeView })))

const selectConnection = (s: AppState) => s.connection
const noViewport = () => undefined

/** The 3D twin on the wall: buildings and live devices from the layout's view; a push moves the camera there. */
export function GlobeTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const { store, about, api, registry } = useWall()
  const connection = useStore(store, selectConnection)
  const [controller, setController] = useState<GlobeController | null>(null)
  const [drawn, setDrawn] = useState(false)
  const view = useMemo(() => viewOptions(tile.options, tile.id), [tile])
  const active = useActiveFocus()
  const pose = useMemo(() => ({ center: view.center ?? about.city.center, zoom: view.zoom ?? 15, bearing: view.bearing ?? 0, pitch: view.pitch ?? 55 }), [view, about])
  const listSignalControllers = useCallback(() => api.listDevices({ kind: 'signal-controller', limit: 10_000 }).then((r) => r.devices), [api])

  useEffect(() => {
    if (!controller) return
    registry.setView(tile.id, () => {
      const p = controller.pose()
      return { center: p.center, zoom: p.zoom }
    })
    return () => registry.setView(tile.id, null)
  }, [controller, registry, tile.id])

  useEffect(() => {
    if (!controller || !view.scene) return
    let cancelled = false
    api.getScene(view.scene).then(
      (scene) => !cancelled && controller.setPose({ center: scene.camera.target, zoom: scene.camera.zoom, bearing: scene.camera.bearingDeg, pitch: scene.camera.pitchDeg }),
      (err: unknown) => console.warn(`wall tile ${tile.id}: scene ${view.scene} not loaded`, err),
    )
    return () => {
      cancelled = true
    }
  }, [controller, view, api, tile.id])

  useEffect(() => {
    if (!controller || !active) return
    const position = focusPosition(active.focus, focusLookup(store.get()))
    if (position) controller.setPose({ center: position, zoom: Math.min(active.focus.zoom ?? FOCUS_DEFAULT_ZOOM, 17), bearing: 0, pitch: pose.pitch })
  }, [controller, active, store, pose.pitch])

  const asOf = connection.everLive ? liveAsOf(connection.lastFrameAtMs, connection.lastHeartbeatAtMs, connection.lastFrameAtMs) : null
  return (
    <TileFrame tile={tile} defaultTitle={t('wall.tiles.globe')} asOfMs={asOf} staleAfterMs={HEARTBEAT_TIMEOUT_MS} ready={drawn && asOf !== null}>
      <div className="wall-globe">
        <Suspense fallback={<p className="wall-empty">{t('wall.loading')}</p>}>
          <GlobeView
            store={store}
            about={about}
            wall
            pose={pose}
            loadBasemap={api.basemap}
            listSignalControllers={listSignalControllers}
            onViewport={noViewport}
            onController={setController}
            onReadyChange={setDrawn}
          />
        </Suspense>
      </div>
      {active && <FocusCard active={active} state={store.get()} />}
    </TileFrame>
  )
}
