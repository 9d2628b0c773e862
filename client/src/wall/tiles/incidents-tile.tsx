import { useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Incident } from '../../../../contracts/incident-api'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import type { AppState } from '../../state/app-state'
import { HEARTBEAT_TIMEOUT_MS } from '../../state/connection-status'
import { useStore } from '../../state/store'
import { useNow } from '../../state/use-now'
import { PRIORITY_STYLE } from '../alarm-priority'
import { liveAsOf } from '../data-age'
import { PriorityBadge } from '../priority-badge'
import { TileFrame } from '../tile-frame'
import { useFitCount } from '../use-fit-count'
import { useFocusTarget } from '../use-wall-focus'
import { useWall } from '../wall-context'

const selectControlRoom = (s: AppState) => s.controlRoom
const selectConnection = (s: AppState) => s.connection

/** Open incidents, highest priority first, then newest: type, title, who has it, since when, linked alarms. */
export function IncidentsTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const { store } = useWall()
  const controlRoom = useStore(store, selectControlRoom)
  const connection = useStore(store, selectConnection)
  const list = useMemo(
    () => [...controlRoom.incidents.values()].sort((a, b) => PRIORITY_STYLE[a.priority].rank - PRIORITY_STYLE[b.priority].rank || b.createdAtMs - a.createdAtMs),
    [controlRoom.incidents],
  )
  const listRef = useRef<HTMLOListElement>(null)
  const fit = useFitCount(listRef, list)
  const hidden = fit === null ? 0 : Math.max(0, list.length - fit)
  const focus = useFocusTarget()
  const asOf = liveAsOf(controlRoom.alarmsLoadedAtMs, connection.lastHeartbeatAtMs, connection.lastFrameAtMs)
  return (
    <TileFrame tile={tile} defaultTitle={t('wall.tiles.incidents')} asOfMs={asOf} staleAfterMs={HEARTBEAT_TIMEOUT_MS} summary={t('wall.incidents.count', { count: list.length })}>
      {list.length === 0 ? (
        <p className="wall-empty">{t('wall.incidents.none')}</p>
      ) : (
        <ol className="wall-incident-list" ref={listRef}>
          {list.map((i) => (
            <IncidentRow key={i.id} incident={i} focused={focus?.type === 'incident' && focus.id === String(i.id)} />
          ))}
        </ol>
      )}
      {hidden > 0 && <p className="wall-more">{t('wall.incidents.more', { count: hidden })}</p>}
    </TileFrame>
  )
}

function IncidentRow({ incident: i, focused }: { incident: Incident; focused: boolean }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { store } = useWall()
  const now = useNow(10_000) + store.get().clockOffsetMs
  return (
    <li className={`wall-incident${focused ? ' is-focused' : ''}`} data-incident-id={i.id} data-priority={i.priority}>
      <PriorityBadge priority={i.priority} />
      <span className="wall-incident-type">{t(`wall.incidents.type.${i.type}`)}</span>
      <span className="wall-incident-title">{i.title}</span>
      <span className="wall-incident-meta">
        {i.assignee ? t('wall.incidents.assignee', { name: i.assignee }) : t('wall.incidents.unassigned')}
        {' · '}
        {t('wall.incidents.since', { age: fmt.duration(Math.max(0, now - i.createdAtMs)) })}
        {i.alarmIds.length > 0 && <> · {t('wall.incidents.alarms', { count: i.alarmIds.length })}</>}
      </span>
    </li>
  )
}
