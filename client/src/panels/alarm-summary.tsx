import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { operatorList } from '../state/alarm-reducers'
import { useStore } from '../state/store'
import { alarmCounts } from './alarm-counts'
import { PRIORITY_STYLE } from '../state/alarm-style'
import './control-room.css'

const selectControlRoom = (s: AppState) => s.controlRoom
const PRIORITIES = ['high', 'medium', 'low', 'diagnostic'] as const

/**
 * The status bar's alarm cell: listed alarms by priority (shape + number; the words in its name),
 * the unacknowledged count and the flood state; a button opening the alarm list.
 */
export function AlarmSummary({ onOpen, open }: { onOpen(): void; open: boolean }) {
  const { t } = useTranslation()
  const { store, wall } = useServices()
  const control = useStore(store, selectControlRoom)
  const counts = useMemo(() => alarmCounts(operatorList(control.alarms)), [control.alarms])
  const words = [
    ...PRIORITIES.filter((p) => counts.byPriority[p] > 0).map((p) => t(`alarms.summary.${p}`, { count: counts.byPriority[p] })),
    t('alarms.summary.unacked', { count: counts.unacknowledged }),
  ].join(', ')
  const label = counts.total === 0 ? t('alarms.summary.none') : words
  const body = (
    <>
      <span className="cell-label">
        {t('alarms.summary.label')}
        {control.flood.active && <span className="summary-flood"> · {t('alarms.summary.flood')}</span>}
      </span>
      <span className="cell-value alarm-summary-value" aria-hidden="true">
        {control.alarmsLoadedAtMs === null && control.alarmsError ? (
          '—'
        ) : counts.total === 0 ? (
          '0'
        ) : (
          <>
            {PRIORITIES.filter((p) => counts.byPriority[p] > 0).map((p) => (
              <span key={p} className={`summary-count priority-${p}`}>
                <span className="summary-glyph">{PRIORITY_STYLE[p].glyph}</span>
                {counts.byPriority[p]}
              </span>
            ))}
            {counts.unacknowledged > 0 && <span className="summary-unacked">{t('alarms.summary.unackedShort', { count: counts.unacknowledged })}</span>}
          </>
        )}
      </span>
    </>
  )
  const className = `status-cell alarm-summary${counts.highest ? ` has-alarms highest-${counts.highest}` : ''}${control.flood.active ? ' is-flood' : ''}`
  if (wall) {
    return (
      <div className={className} role="status" aria-label={`${t('alarms.summary.label')}: ${label}`}>
        {body}
      </div>
    )
  }
  return (
    <button
      type="button"
      className={`${className} status-button`}
      onClick={onOpen}
      aria-pressed={open}
      aria-label={`${t('alarms.summary.label')}: ${label}`}
      title={`${label}. ${t('alarms.summary.open')}`}
      data-total={counts.total}
      data-unacked={counts.unacknowledged}
    >
      {body}
    </button>
  )
}
