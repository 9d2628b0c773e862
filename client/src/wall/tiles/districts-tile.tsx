import { useCallback, useMemo, type ReactElement } from 'react'
import { useTranslation } from 'react-i18next'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import type { AppState } from '../../state/app-state'
import { operatorList } from '../../state/alarm-reducers'
import { HEARTBEAT_TIMEOUT_MS } from '../../state/connection-status'
import { useStore } from '../../state/store'
import { liveAsOf } from '../data-age'
import type { AlarmPriority } from '../../../../contracts/alarms'
import { worstPriority } from '../alarm-priority'
import { districtAlarms, type DistrictAlarms } from '../district-cards'
import { PriorityBadge } from '../priority-badge'
import { TileFrame } from '../tile-frame'
import { usePolled } from '../use-polled'
import { useWall } from '../wall-context'
import { CONNECTIVITY_POLL_MS } from './connectivity-tile'
import { WALL_STANDARDS, useEnvironment } from './air-quality-tile'
import { useMobility } from './mobility-tile'

const selectControlRoom = (s: AppState) => s.controlRoom
const selectConnection = (s: AppState) => s.connection

interface Extras {
  speedKmh: number | null
  congested: number
  stations: number
  above: number
  accessPoints: number
  accessUp: number
}

/**
 * One card per district: open alarms, unacknowledged ones and the highest priority (from the live
 * alarms, so a new one counts at once), with traffic, air quality and connectivity from the
 * dashboards. The data age is the oldest of its sources.
 */
export function DistrictsTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const { store, districts, api, connections } = useWall()
  const controlRoom = useStore(store, selectControlRoom)
  const connection = useStore(store, selectConnection)
  const rows = useMemo(() => districtAlarms(operatorList(controlRoom.alarms), districts), [controlRoom.alarms, districts])
  // A card per district; alarms elsewhere (city-wide, or outside every district) are summed in the title line.
  const cards = rows.filter((r) => r.district !== null && districts.includes(r.district))
  const outside = rows.filter((r) => r.district === null || !districts.includes(r.district))
  const outsideOpen = outside.reduce((n, r) => n + r.open, 0)
  const outsideHighest = outside.reduce<AlarmPriority | null>((p, r) => worstPriority(p, r.highest), null)
  const mobility = useMobility(1)
  const environment = useEnvironment(1)
  const fetchConnectivity = useCallback((signal: AbortSignal) => api.connectivity(signal), [api])
  const connectivity = usePolled(fetchConnectivity, CONNECTIVITY_POLL_MS, connections)

  const extras = useMemo(() => {
    const out = new Map<string | null, Extras>()
    const get = (d: string | null) => {
      let e = out.get(d)
      if (!e) out.set(d, (e = { speedKmh: null, congested: 0, stations: 0, above: 0, accessPoints: 0, accessUp: 0 }))
      return e
    }
    for (const d of mobility.data?.districts ?? []) {
      const e = get(d.district?.name ?? null)
      e.speedKmh = d.traffic.now.speedKmh
      e.congested = d.traffic.now.congested
    }
    for (const s of environment.data?.stations ?? []) {
      const e = get(s.district)
      e.stations += 1
      if (s.pollutants.some((p) => p.standards.some((f) => f.above && WALL_STANDARDS.includes(f.standardId)))) e.above += 1
    }
    for (const c of connectivity.data?.districts ?? []) {
      const e = get(c.district)
      e.accessPoints = c.devices
      e.accessUp = c.up
    }
    return out
  }, [mobility.data, environment.data, connectivity.data])

  const live = liveAsOf(controlRoom.alarmsLoadedAtMs, connection.lastHeartbeatAtMs, connection.lastFrameAtMs)
  const sources = [live, mobility.asOfMs, environment.asOfMs, connectivity.asOfMs]
  const asOf = live === null ? null : Math.min(...sources.filter((s): s is number => s !== null))
  const error = mobility.error ?? environment.error ?? connectivity.error
  return (
    <TileFrame
      tile={tile}
      defaultTitle={t('wall.tiles.districts')}
      asOfMs={asOf}
      staleAfterMs={Math.max(HEARTBEAT_TIMEOUT_MS, 135_000)}
      error={error}
      ready={live !== null && districts.length > 0}
      summary={
        outsideOpen > 0 ? (
          <span className="wall-district-outside" data-outside={outsideOpen}>
            {outsideHighest && <PriorityBadge priority={outsideHighest} word={false} />} {t('wall.districts.outside', { count: outsideOpen })}
          </span>
        ) : null
      }
    >
      <ul className="wall-district-cards">
        {cards.map((c) => (
          <DistrictCard key={c.district ?? 'none'} card={c} extras={extras.get(c.district) ?? null} />
        ))}
      </ul>
    </TileFrame>
  )
}

function DistrictCard({ card, extras }: { card: DistrictAlarms; extras: Extras | null }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  // One line of context: speed (and congested loops), air quality, the network.
  const parts: ReactElement[] = []
  if (extras && extras.speedKmh !== null) parts.push(<span key="speed">{t('wall.districts.speed', { speed: fmt.number(extras.speedKmh) })}</span>)
  if (extras && extras.congested > 0)
    parts.push(
      <span key="congested" className="wall-count wall-tone-high">
        <span aria-hidden="true">▲ </span>
        {t('wall.mobility.congestedCount', { count: extras.congested })}
      </span>,
    )
  if (extras && extras.stations > 0)
    parts.push(
      extras.above > 0 ? (
        <span key="air" className="wall-count wall-tone-high">
          <span aria-hidden="true">▲ </span>
          {t('wall.districts.airAbove', { count: extras.above })}
        </span>
      ) : (
        <span key="air">{t('wall.districts.airWithin')}</span>
      ),
    )
  if (extras && extras.accessPoints > 0) parts.push(<span key="net">{t('wall.districts.network', { up: fmt.number(extras.accessUp), devices: fmt.number(extras.accessPoints) })}</span>)
  return (
    <li className={`wall-district${card.highest ? ' has-alarms' : ''}`} data-district={card.district ?? ''} data-open={card.open} data-unacked={card.unacknowledged}>
      <div className="wall-district-name">{card.district ?? t('wall.outsideDistricts')}</div>
      <div className="wall-district-alarms">
        <span className="wall-district-open">{fmt.number(card.open)}</span>
        <span className="wall-district-label">{t('wall.districts.open', { count: card.open })}</span>
        {card.highest && <PriorityBadge priority={card.highest} filled={card.unacknowledged > 0} />}
      </div>
      {card.unacknowledged > 0 && <div className="wall-district-unacked">{t('wall.alarms.unacked', { count: card.unacknowledged })}</div>}
      {parts.length > 0 && (
        <div className="wall-district-extra">
          {parts.map((el, i) => (
            <span key={el.key}>
              {i > 0 && ' · '}
              {el}
            </span>
          ))}
        </div>
      )}
    </li>
  )
}
