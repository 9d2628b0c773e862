import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WallLayout, WallTile } from '../../../contracts/wall'
import { ApiError } from '../api/api-error'
import type { LiveConnection } from '../api/live-connection'
import { useServices } from '../app/services'
import { FrozenBanner } from '../panels/frozen-banner'
import { DEFAULT_LAYERS, type AppState } from '../state/app-state'
import { useStore } from '../state/store'
import { FocusCard } from './focus-card'
import { gridTemplate } from './grid-placement'
import { TileRegistry } from './tile-registry'
import { AirQualityTile } from './tiles/air-quality-tile'
import { AlarmsTile } from './tiles/alarms-tile'
import { ConnectivityTile } from './tiles/connectivity-tile'
import { DistrictsTile } from './tiles/districts-tile'
import { GlobeTile } from './tiles/globe-tile'
import { IncidentsTile } from './tiles/incidents-tile'
import { KpisTile } from './tiles/kpis-tile'
import { MapTile } from './tiles/map-tile'
import { MobilityTile } from './tiles/mobility-tile'
import { ShiftLogTile } from './tiles/shift-log-tile'
import { useLoaded } from './use-loaded'
import { WallFocusProvider, useActiveFocus } from './use-wall-focus'
import { WallProvider, type WallServices } from './wall-context'
import { installWallTestHook } from './wall-test-hook'
import './wall.css'
import './tiles/lists.css'
import './tiles/tables.css'

const selectStatus = (s: AppState) => s.connection.status
const selectSocket = (s: AppState) => s.connection.socketConnected

const notFound = (err: unknown) => err instanceof ApiError && (err.code === 'NOT_FOUND' || err.status === 404)

function TileView({ tile }: { tile: WallTile }) {
  switch (tile.type) {
    case 'map':
      return <MapTile tile={tile} />
    case 'globe':
      return <GlobeTile tile={tile} />
    case 'alarms':
      return <AlarmsTile tile={tile} />
    case 'kpis':
      return <KpisTile tile={tile} />
    case 'districts':
      return <DistrictsTile tile={tile} />
    case 'incidents':
      return <IncidentsTile tile={tile} />
    case 'connectivity':
      return <ConnectivityTile tile={tile} />
    case 'air-quality':
      return <AirQualityTile tile={tile} />
    case 'mobility':
      return <MobilityTile tile={tile} />
    case 'shift-log':
      return <ShiftLogTile tile={tile} />
  }
}

/** Counts the live connections made (false → true of the socket): polled tiles ask again after each. */
function useConnectionCount(): number {
  const { store } = useServices()
  const connected = useStore(store, selectSocket)
  const [count, setCount] = useState(0)
  useEffect(() => {
    if (connected) setCount((n) => n + 1)
  }, [connected])
  return count
}

/**
 * The video wall, /wall?layout=<id> (ADR 0006, "The wall"): no chrome, a full-screen grid of tiles
 * from a layout document, type for 5 m, ISA-101 colours, the data age on every tile, and the
 * connection state over the whole wall when the data is frozen. Several wall screens stay in step
 * because they all follow the same socket events.
 */
export function WallPage({ layoutId, live }: { layoutId: string; live: LiveConnection }) {
  const { t } = useTranslation()
  const { api, store } = useServices()
  const [registry] = useState(() => new TileRegistry())
  const loadAbout = useCallback((signal: AbortSignal) => api.about(signal), [api])
  const loadLayout = useCallback((signal: AbortSignal) => api.getWallLayout(layoutId, signal), [api, layoutId])
  const loadDistricts = useCallback(
    (signal: AbortSignal) => api.basemap('quartieri', signal).then((fc) => fc.features.map((f) => String((f.properties as Record<string, unknown> | null)?.name ?? '')).filter((n) => n !== '').sort((a, b) => a.localeCompare(b, 'it'))),
    [api],
  )
  const about = useLoaded(loadAbout)
  const layout = useLoaded(loadLayout, notFound)
  const districts = useLoaded(loadDistricts)
  const connections = useConnectionCount()
  const status = useStore(store, selectStatus)
  const layoutRef = useRef<WallLayout | null>(null)
  layoutRef.current = layout.state === 'ok' ? layout.data : null

  useEffect(() => {
    document.documentElement.classList.add('wall-page')
    document.title = t('wall.documentTitle', { layout: layoutId })
    // The whole city, every kind the map shows: the wall does not pan, and its KPIs need every device.
    live.setSubscription({ layers: DEFAULT_LAYERS })
    installWallTestHook({ store, live, registry, layout: () => layoutRef.current })
    return () => document.documentElement.classList.remove('wall-page')
  }, [live, store, registry, layoutId, t])

  useEffect(() => {
    if (about.state === 'ok') store.set((s) => ({ ...s, about: about.data }))
  }, [about, store])

  const focusHost = layout.state === 'ok' ? ((layout.data.tiles.find((x) => x.type === 'map') ?? layout.data.tiles.find((x) => x.type === 'globe'))?.id ?? null) : null
  const services: WallServices | null = useMemo(
    () => (about.state === 'ok' ? { api, store, live, about: about.data, districts: districts.state === 'ok' ? districts.data : [], registry, connections, focusHost } : null),
    [api, store, live, about, districts, registry, connections, focusHost],
  )

  if (layout.state === 'failed') {
    return (
      <div className="wall wall-message" data-connection={status}>
        <p role="alert">{t('wall.layoutMissing', { id: layoutId, message: layout.error })}</p>
      </div>
    )
  }
  if (layout.state !== 'ok' || !services) {
    const error = layout.state === 'loading' ? layout.error : about.state === 'loading' ? about.error : null
    return (
      <div className="wall wall-message" data-connection={status}>
        <p role="status">{error ? t('wall.retryingLayout', { message: error }) : t('wall.loading')}</p>
      </div>
    )
  }
  const l = layout.data
  return (
    <WallProvider services={services}>
      <WallFocusProvider store={store}>
        <main className={`wall${status === 'offline' ? ' is-frozen' : ''}`} style={gridTemplate(l)} data-layout={l.id} data-connection={status} aria-label={l.name}>
          {l.tiles.map((tile) => (
            <TileView key={tile.id} tile={tile} />
          ))}
          <WallBanners />
          {focusHost === null && <FloatingFocus />}
        </main>
      </WallFocusProvider>
    </WallProvider>
  )
}

/** The connection over the whole wall: amber while reconnecting, red once the data is frozen (the main app's banner). */
function WallBanners() {
  const { t } = useTranslation()
  const { store } = useServices()
  const status = useStore(store, selectStatus)
  return (
    <div className="wall-banners">
      {status === 'reconnecting' && (
        <div className="banner banner-reconnecting" role="status" data-banner="reconnecting">
          <span aria-hidden="true">◐ </span>
          {t('wall.reconnecting')}
        </div>
      )}
      <FrozenBanner />
    </div>
  )
}

function FloatingFocus() {
  const { store } = useServices()
  const active = useActiveFocus()
  return active ? <FocusCard active={active} state={store.get()} floating /> : null
}
