import { useTranslation } from 'react-i18next'
import type { Alarm } from '../../../contracts/alarm-api'
import { PriorityBadge } from './priority-badge'
import { useFormatters } from './use-formatters'
import { ruleTexts } from '../state/alarm-text'

export interface AlarmRowProps {
  alarm: Alarm
  serverNowMs: number
  selected: boolean
  onSelect(id: number): void
  /** Checkbox for "new incident from the selected alarms"; left out in the hidden views. */
  checked?: boolean
  onCheck?(id: number, on: boolean): void
  /** Acknowledge button; left out where acknowledging is not the action (hidden views). */
  onAck?(id: number): void
  ackDisabledReason?: string
  busy?: boolean
  /** Id of the element saying why the operator may not act. */
  describedBy?: string
}

/** One alarm of the list: priority (shape, colour, word), ISA-18.2 state in words, what, where, how old. */
export function AlarmRow({ alarm: a, serverNowMs, selected, onSelect, checked, onCheck, onAck, ackDisabledReason, busy, describedBy }: AlarmRowProps) {
  const { t, i18n } = useTranslation()
  const fmt = useFormatters()
  const where = [a.deviceName ?? a.subject, a.district].filter(Boolean).join(' · ')
  return (
    <li className={`alarm-row priority-${a.priority} display-${a.display}${selected ? ' is-selected' : ''}`} data-alarm-id={a.id} data-device-id={a.deviceId ?? undefined}>
      {onCheck && (
        <input
          type="checkbox"
          className="alarm-check"
          checked={checked ?? false}
          onChange={(e) => onCheck(a.id, e.target.checked)}
          aria-label={t('alarms.selectForIncident', { name: ruleTexts(a, i18n.language).name, device: a.deviceName ?? a.subject })}
        />
      )}
      <button type="button" className="alarm-row-main" aria-pressed={selected} onClick={() => onSelect(a.id)}>
        <span className="alarm-row-head">
          <PriorityBadge priority={a.priority} />
          <span className="alarm-state">{t(`alarms.display.${a.display}`)}</span>
          <time className="alarm-age" dateTime={new Date(a.raisedAtMs).toISOString()} title={fmt.dateTime(a.raisedAtMs)}>
            {fmt.duration(serverNowMs - a.raisedAtMs)}
          </time>
          {a.chattering && <span className="badge badge-chattering">{t('alarms.chattering')}</span>}
        </span>
        <span className="alarm-rule">{ruleTexts(a, i18n.language).name}</span>
        <span className="alarm-where">{where}</span>
        <span className="alarm-message">{a.message}</span>
        {a.shelved && (
          <span className="alarm-hidden-why">
            {a.shelved.untilMs === null
              ? t('alarms.shelvedUntilNormal', { by: a.shelved.by, reason: a.shelved.reason })
              : t('alarms.shelvedUntil', { until: fmt.time(a.shelved.untilMs), by: a.shelved.by, reason: a.shelved.reason })}
          </span>
        )}
        {a.suppressedBy && <span className="alarm-hidden-why">{t('alarms.suppressedBy', { by: a.suppressedBy })}</span>}
      </button>
      {onAck && !a.acked && (
        <button
          type="button"
          className="text-button alarm-ack"
          onClick={() => onAck(a.id)}
          disabled={ackDisabledReason !== undefined || busy}
          title={ackDisabledReason ?? t('alarms.ackTitle')}
          aria-label={t('alarms.ackOne', { name: ruleTexts(a, i18n.language).name, device: a.deviceName ?? a.subject })}
          aria-describedby={ackDisabledReason ? describedBy : undefined}
          data-forbidden={ackDisabledReason ? true : undefined}
        >
          {t('alarms.ack')}
        </button>
      )}
    </li>
  )
}
