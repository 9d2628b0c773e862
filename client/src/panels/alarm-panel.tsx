import { useCallback, useId, useMemo, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Alarm, AlarmAction } from '../../../contracts/alarm-api'
import type { WallPush, WallPushAck } from '../../../contracts/wall'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { groupForFlood, operatorList } from '../state/alarm-reducers'
import { serverNowMs } from '../state/derived'
import { useStore } from '../state/store'
import { useNow } from '../state/use-now'
import { AlarmDetail } from './alarm-detail'
import { AlarmFloodGroups } from './alarm-flood-groups'
import { AlarmRow } from './alarm-row'
import { DockedPanel } from './docked-panel'
import { useAlarmActions } from './use-alarm-actions'
import { useFormatters } from './use-formatters'
import { useHiddenAlarms, type HiddenView } from './use-hidden-alarms'
import { usePermission } from './use-permission'
import './control-room.css'
import { ruleTexts } from '../state/alarm-text'

type Tab = 'list' | HiddenView
const TABS: readonly Tab[] = ['list', 'shelved', 'suppressed', 'out-of-service']

const selectControlRoom = (s: AppState) => s.controlRoom
const selectOffset = (s: AppState) => s.clockOffsetMs

export interface AlarmPanelProps {
  onClose(): void
  /** Selects the alarm's device and brings it into view. */
  onLocate(alarm: Alarm): void
  pushToWall(push: WallPush): Promise<WallPushAck>
  onCreateIncident(alarms: Alarm[]): void
}

/**
 * The operator's alarm list (ISA-18.2), docked beside the map: priority first, the state in words, the
 * detail with the expected response, and the views of what is kept off the list. During a flood the
 * list groups by rule and district so that one cause reads as one line.
 */
export function AlarmPanel({ onClose, onLocate, pushToWall, onCreateIncident }: AlarmPanelProps) {
  const { t, i18n } = useTranslation()
  const { store } = useServices()
  const fmt = useFormatters()
  const ids = useId()
  const control = useStore(store, selectControlRoom)
  const offset = useStore(store, selectOffset)
  const now = useNow(1000)
  const serverNow = serverNowMs({ clockOffsetMs: offset }, now)
  const act = usePermission('alarm:act')
  const actions = useAlarmActions()
  const [tab, setTab] = useState<Tab>('list')
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set())
  const [notice, setNotice] = useState<string | null>(null)
  const hidden = useHiddenAlarms(tab === 'list' ? null : tab)

  const list = useMemo(() => operatorList(control.alarms), [control.alarms])
  const groups = useMemo(() => (control.flood.active ? groupForFlood(list) : null), [control.flood.active, list])
  const shown = tab === 'list' ? list : (hidden.alarms ?? [])
  const selected = selectedId === null ? null : (control.alarms.get(selectedId) ?? shown.find((a) => a.id === selectedId) ?? null)
  const checkedAlarms = list.filter((a) => checked.has(a.id))
  const reasonId = `${ids}-reason`
  const nowRef = useCallback(() => Date.now() + store.get().clockOffsetMs, [store])

  const onCheck = (id: number, on: boolean) =>
    setChecked((prev) => {
      const next = new Set(prev)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  const onAction = (action: AlarmAction) => (selected ? actions.act(selected.id, action) : Promise.resolve(false))
  const onPush = (a: Alarm) => {
    setNotice(null)
    const push: WallPush = {
      target: { type: 'alarm', id: String(a.id) },
      ...(a.position ? { center: a.position, zoom: 17 } : {}),
      label: `${ruleTexts(a, i18n.language).name} — ${a.deviceName ?? a.subject}`.slice(0, 120),
    }
    void pushToWall(push).then((ack) => setNotice(ack.ok ? t('alarms.pushed') : t('alarms.pushFailed', { message: ack.error.message })))
  }
  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab)
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : undefined
    if (!next) return
    e.preventDefault()
    setTab(next)
    document.getElementById(`${ids}-tab-${next}`)?.focus()
  }

  return (
    <DockedPanel title={t('alarms.title')} closeLabel={t('alarms.close')} onClose={onClose} className="alarm-panel">
      {!act.allowed && (
        <p id={reasonId} className="permission-note">
          {t('alarms.readOnly')} {act.reason}
        </p>
      )}
      {control.flood.active && (
        <div className="flood-banner" role="alert">
          <span aria-hidden="true">▲ </span>
          {t('alarms.flood', { count: control.flood.lastTenMinutes })}
          {control.flood.sinceMs !== null && <span className="muted"> · {t('alarms.floodSince', { at: fmt.time(control.flood.sinceMs) })}</span>}
        </div>
      )}
      {control.alarmsError && <p className="error-text">{t('alarms.loadFailed', { message: control.alarmsError })}</p>}

      <div className="tabs" role="tablist" aria-label={t('alarms.viewsLabel')} onKeyDown={onTabKey}>
        {TABS.map((v) => (
          <button
            key={v}
            id={`${ids}-tab-${v}`}
            type="button"
            role="tab"
            aria-selected={tab === v}
            aria-controls={`${ids}-panel`}
            tabIndex={tab === v ? 0 : -1}
            onClick={() => setTab(v)}
          >
            {t(`alarms.views.${v}`)}
            {v === 'list' && ` (${fmt.number(list.length)})`}
          </button>
        ))}
      </div>

      <div id={`${ids}-panel`} role="tabpanel" aria-labelledby={`${ids}-tab-${tab}`} className="alarm-list-region">
        {tab === 'list' && (
          <div className="list-toolbar">
            <button type="button" className="text-button" disabled={!act.allowed || checkedAlarms.length === 0} title={act.reason} onClick={() => {
                onCreateIncident(checkedAlarms)
                setChecked(new Set())
              }}>
              {t('alarms.newIncident', { count: checkedAlarms.length })}
            </button>
          </div>
        )}
        {tab !== 'list' && hidden.error && <p className="error-text">{t('alarms.loadFailed', { message: hidden.error })}</p>}
        {tab !== 'list' && hidden.alarms === null && !hidden.error && <p className="muted">{t('alarms.loading')}</p>}
        {shown.length === 0 && (tab === 'list' ? control.alarmsLoadedAtMs !== null : hidden.alarms !== null) && <p className="muted">{t(`alarms.empty.${tab}`)}</p>}
        {tab === 'list' && groups ? (
          <AlarmFloodGroups
            groups={groups}
            serverNowMs={serverNow}
            selectedId={selectedId}
            onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
            onAckGroup={(idsToAck) => void actions.ackMany(idsToAck)}
            ackDisabledReason={act.reason}
            busy={actions.busy}
            describedBy={reasonId}
            {...(act.allowed ? { checked, onCheck } : {})}
          />
        ) : (
          <ul className="alarm-list" aria-label={t(`alarms.views.${tab}`)}>
            {shown.map((a) => (
              <AlarmRow
                key={a.id}
                alarm={a}
                serverNowMs={serverNow}
                selected={selectedId === a.id}
                onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
                {...(tab === 'list'
                  ? {
                      ...(act.allowed ? { checked: checked.has(a.id), onCheck } : {}),
                      onAck: (id: number) => void actions.act(id, { action: 'ack' }),
                      ackDisabledReason: act.reason,
                      busy: actions.busy,
                      describedBy: reasonId,
                    }
                  : {})}
              />
            ))}
          </ul>
        )}
      </div>

      {actions.error && (
        <p className="error-text" role="alert">
          {t('alarms.actionFailed', { message: actions.error })}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      {selected && (
        <AlarmDetail
          alarm={selected}
          serverNowMs={nowRef}
          act={act}
          busy={actions.busy}
          onAction={onAction}
          onPushToWall={onPush}
          onLocate={onLocate}
          describedBy={reasonId}
        />
      )}
    </DockedPanel>
  )
}
