import { useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Alarm } from '../../../../contracts/alarm-api'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import type { AppState } from '../../state/app-state'
import { groupForFlood, operatorList, type AlarmGroup } from '../../state/alarm-reducers'
import { ruleTexts } from '../../state/alarm-text'
import { HEARTBEAT_TIMEOUT_MS } from '../../state/connection-status'
import { useStore } from '../../state/store'
import { useNow } from '../../state/use-now'
import { liveAsOf } from '../data-age'
import { PriorityBadge } from '../priority-badge'
import { TileFrame } from '../tile-frame'
import { useFitCount } from '../use-fit-count'
import { useWall } from '../wall-context'
import { useFocusTarget } from '../use-wall-focus'

const selectControlRoom = (s: AppState) => s.controlRoom
const selectConnection = (s: AppState) => s.connection
/** An alarm that arrived this recently is marked new (a white bar: selection white is no status colour). */
const NEW_FOR_MS = 15_000

const unacked = (a: Alarm) => a.display === 'unacknowledged' || a.display === 'rtn-unacknowledged'

/**
 * The operator's alarm list (ISA-18.2) as the wall shows it: priority first, unacknowledged first;
 * each line says priority (colour, shape, number, word), state, device, what is wrong, district and
 * when. During a flood the list groups by rule and district under a flood banner.
 */
export function AlarmsTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const { store } = useWall()
  const controlRoom = useStore(store, selectControlRoom)
  const connection = useStore(store, selectConnection)
  const list = useMemo(() => operatorList(controlRoom.alarms), [controlRoom.alarms])
  const flood = controlRoom.flood
  const groups = useMemo(() => (flood.active ? groupForFlood(list) : null), [flood.active, list])
  const listRef = useRef<HTMLOListElement>(null)
  const shown = groups ?? list
  const fit = useFitCount(listRef, shown)
  const hidden = fit === null ? 0 : Math.max(0, shown.length - fit)
  const focus = useFocusTarget()
  const asOf = liveAsOf(controlRoom.alarmsLoadedAtMs, connection.lastHeartbeatAtMs, connection.lastFrameAtMs)
  const unackCount = list.filter(unacked).length

  return (
    <TileFrame
      tile={tile}
      defaultTitle={t('wall.tiles.alarms')}
      asOfMs={asOf}
      staleAfterMs={HEARTBEAT_TIMEOUT_MS}
      error={controlRoom.alarmsError}
      summary={
        <span data-alarm-count={list.length}>
          {t('wall.alarms.count', { count: list.length })}
          {unackCount > 0 && <strong className="wall-summary-strong"> · {t('wall.alarms.unacked', { count: unackCount })}</strong>}
        </span>
      }
    >
      {flood.active && (
        <div className="wall-flood" role="alert" data-flood="active">
          <span aria-hidden="true">▲ </span>
          {t('wall.alarms.flood', { count: flood.lastTenMinutes })}
        </div>
      )}
      {list.length === 0 ? (
        <p className="wall-empty">{controlRoom.alarmsLoadedAtMs === null ? t('wall.alarms.loading') : t('wall.alarms.none')}</p>
      ) : (
        <ol className="wall-alarm-list" ref={listRef}>
          {groups
            ? groups.map((g) => <GroupRow key={g.key} group={g} />)
            : list.map((a) => <AlarmRow key={a.id} alarm={a} focused={focus?.type === 'alarm' ? focus.id === String(a.id) : focus?.type === 'device' && focus.id === a.deviceId} />)}
        </ol>
      )}
      {hidden > 0 && <p className="wall-more">{t(groups ? 'wall.alarms.moreGroups' : 'wall.alarms.more', { count: hidden })}</p>}
    </TileFrame>
  )
}

function stateWord(a: Alarm): string {
  return `wall.alarms.state.${a.display}`
}

function AlarmRow({ alarm: a, focused }: { alarm: Alarm; focused: boolean }) {
  const { t, i18n } = useTranslation()
  const fmt = useFormatters()
  const { store } = useWall()
  const now = useNow(5000) + store.get().clockOffsetMs
  const isNew = now - a.lastChangeAtMs < NEW_FOR_MS
  return (
    <li
      className={`wall-alarm${unacked(a) ? ' is-unacked' : ''}${isNew ? ' is-new' : ''}${focused ? ' is-focused' : ''}`}
      data-alarm-id={a.id}
      data-device-id={a.deviceId ?? ''}
      data-priority={a.priority}
      data-display={a.display}
    >
      <PriorityBadge priority={a.priority} filled={unacked(a)} />
      <span className={`wall-alarm-state state-${a.display}`}>{t(stateWord(a))}</span>
      <span className="wall-alarm-what">
        <span className="wall-alarm-subject">{a.deviceName ?? ruleTexts(a, i18n.language).name}</span>
        <span className="wall-alarm-message">
          {a.message}
          {a.district && <span className="wall-alarm-where-inline"> · {a.district}</span>}
        </span>
      </span>
      <span className="wall-alarm-where">{a.district ?? '—'}</span>
      <span className="wall-alarm-when">{fmt.time(a.raisedAtMs).slice(0, 5)}</span>
    </li>
  )
}

function GroupRow({ group }: { group: AlarmGroup }) {
  const { t, i18n } = useTranslation()
  const unackCount = group.alarms.filter(unacked).length
  return (
    <li className={`wall-alarm wall-alarm-group${unackCount > 0 ? ' is-unacked' : ''}`} data-group={group.key} data-priority={group.priority}>
      <PriorityBadge priority={group.priority} filled={unackCount > 0} />
      <span className="wall-alarm-state">{t('wall.alarms.groupCount', { count: group.alarms.length })}</span>
      <span className="wall-alarm-what">
        <span className="wall-alarm-subject">{group.alarms[0] ? ruleTexts(group.alarms[0], i18n.language).name : group.ruleName}</span>
        <span className="wall-alarm-message">
          {unackCount > 0 ? t('wall.alarms.unacked', { count: unackCount }) : t('wall.alarms.allAcked')}
          {group.district && <span className="wall-alarm-where-inline"> · {group.district}</span>}
        </span>
      </span>
      <span className="wall-alarm-where">{group.district ?? '—'}</span>
      <span className="wall-alarm-when" />
    </li>
  )
}
