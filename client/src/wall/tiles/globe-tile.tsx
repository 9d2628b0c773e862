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
import { useLoaded } from '../use-loaded'
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
  const { store, about, api, registry, focusHost } = useWall()
  const connection = useStore(store, selectConnection)
  const [controller, setController] = useState<GlobeController | null>(null)
  const [drawn, setDrawn] = useState(false)
  const view = useMemo(() => viewOptions(tile.options, tile.id), [tile])
  const active = useActiveFocus()
  // The 3D view opens at the layout's scene camera (loaded first); the tile's own centre, zoom, pitch
  // and bearing, when given, override the scene's.
  const loadScene = useCallback((signal: AbortSignal) => (view.scene ? api.getScene(view.scene, signal) : Promise.resolve(null)), [api, view.scene])
  const scene = useLoaded(loadScene, () => true)
  const pose = useMemo(() => {
    const camera = scene.state === 'ok' ? scene.data?.camera : undefined
    return {
      center: view.center ?? camera?.target ?? about.city.center,
      zoom: view.zoom ?? camera?.zoom ?? 15,
      bearing: view.bearing ?? camera?.bearingDeg ?? 0,
      pitch: view.pitch ?? camera?.pitchDeg ?? 55,
    }
  }, [scene, view, about])
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
    if (!controller || !active) return
    const position = focusPosition(active.focus, focusLookup(store.get()))
    if (position) controller.setPose({ center: position, zoom: Math.min(active.focus.zoom ?? FOCUS_DEFAULT_ZOOM, 17), bearing: 0, pitch: pose.pitch })
  }, [controller, active, store, pose.pitch])

  const asOf = connection.everLive ? liveAsOf(connection.lastFrameAtMs, connection.lastHeartbeatAtMs, connection.lastFrameAtMs) : null
  return (
    <TileFrame tile={tile} defaultTitle={t('wall.tiles.globe')} asOfMs={asOf} staleAfterMs={HEARTBEAT_TIMEOUT_MS} ready={drawn && asOf !== null}>
      <div className="wall-globe">
        <Suspense fallback={<p className="wall-empty">{t('wall.loading')}</p>}>
          {scene.state !== 'loading' && (
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
          )}
        </Suspense>
      </div>
      {active && focusHost === tile.id && <FocusCard active={active} state={store.get()} />}
    </TileFrame>
  )
}
