import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Alarm, AlarmAction, AlarmEventRecord } from '../../../contracts/alarm-api'
import { useServices } from '../app/services'
import { errorMessage } from './action-error'
import { AlarmReasonForm } from './alarm-reason-form'
import { AlarmTimeline } from './alarm-timeline'
import { PriorityBadge } from './priority-badge'
import { useFormatters } from './use-formatters'
import type { PermissionState } from './use-permission'
import { ruleTexts } from '../state/alarm-text'

export interface AlarmDetailProps {
  alarm: Alarm
  serverNowMs(): number
  act: PermissionState
  busy: boolean
  onAction(action: AlarmAction): Promise<boolean>
  onPushToWall(alarm: Alarm): void
  onLocate(alarm: Alarm): void
  describedBy?: string
}

/**
 * One alarm in full: the expected response first (ISA-18.2: what the operator must do), then cause
 * and consequence, where and since when, the actions, and every state change with who made it.
 */
export function AlarmDetail({ alarm: a, serverNowMs, act, busy, onAction, onPushToWall, onLocate, describedBy }: AlarmDetailProps) {
  const { t, i18n } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const [form, setForm] = useState<'shelve' | 'out-of-service' | null>(null)
  const [events, setEvents] = useState<AlarmEventRecord[] | null>(null)
  const [eventsError, setEventsError] = useState<string | null>(null)

  // The timeline follows the alarm: fetched again whenever it changes.
  useEffect(() => {
    const controller = new AbortController()
    api
      .getAlarm(a.id, controller.signal)
      .then((d) => {
        setEvents(d.events)
        setEventsError(null)
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setEventsError(errorMessage(err))
      })
    return () => controller.abort()
  }, [api, a.id, a.lastChangeAtMs])
  useEffect(() => setForm(null), [a.id])

  const run = (action: AlarmAction) => void onAction(action).then((ok) => ok && setForm(null))
  const disabled = !act.allowed || busy
  const actionButton = (label: string, onClick: () => void, extra?: { pressed?: boolean }) => (
    <button
      type="button"
      className="text-button"
      onClick={onClick}
      disabled={disabled}
      aria-pressed={extra?.pressed}
      title={act.reason}
      aria-describedby={act.allowed ? undefined : describedBy}
      data-forbidden={act.allowed ? undefined : true}
    >
      {label}
    </button>
  )

  const texts = ruleTexts(a, i18n.language)
  return (
    <section className={`alarm-detail priority-${a.priority}`} aria-labelledby={`alarm-detail-${a.id}`} data-alarm-id={a.id}>
      <h3 id={`alarm-detail-${a.id}`} className="alarm-detail-title">
        {texts.name}
      </h3>
      <p className="alarm-detail-head">
        <PriorityBadge priority={a.priority} />
        <span className="alarm-state">{t(`alarms.display.${a.display}`)}</span>
        {a.chattering && <span className="badge badge-chattering">{t('alarms.chattering')}</span>}
        {a.shelved && <span className="badge badge-hidden">{t('alarms.views.shelved')}</span>}
        {a.suppressedBy && <span className="badge badge-hidden">{t('alarms.views.suppressed')}</span>}
        {a.outOfService && <span className="badge badge-hidden">{t('alarms.views.out-of-service')}</span>}
      </p>
      <p className="alarm-detail-message">{a.message}</p>
      <div className="expected-response">
        <h4>{t('alarms.response')}</h4>
        <p>{texts.response}</p>
      </div>
      <dl className="alarm-facts">
        <dt>{t('alarms.cause')}</dt>
        <dd>{texts.cause}</dd>
        <dt>{t('alarms.consequence')}</dt>
        <dd>{texts.consequence}</dd>
        <dt>{t('alarms.device')}</dt>
        <dd>
          {a.deviceName ?? a.subject}
          {a.deviceId && (
            <>
              {' '}
              <code>{a.deviceId}</code>
            </>
          )}
        </dd>
        <dt>{t('alarms.district')}</dt>
        <dd>{a.district ?? t('alarms.noDistrict')}</dd>
        <dt>{t('alarms.raisedAt')}</dt>
        <dd>
          {fmt.dateTime(a.raisedAtMs)} · {fmt.ago(serverNowMs() - a.raisedAtMs)}
        </dd>
        <dt>{t('alarms.activations')}</dt>
        <dd>{fmt.number(a.activations)}</dd>
        {a.ackedBy && a.ackedAtMs !== null && (
          <>
            <dt>{t('alarms.ackedBy')}</dt>
            <dd>{t('alarms.ackedByAt', { by: a.ackedBy, at: fmt.dateTime(a.ackedAtMs) })}</dd>
          </>
        )}
        {a.shelved && (
          <>
            <dt>{t('alarms.views.shelved')}</dt>
            <dd>
              {a.shelved.untilMs === null
                ? t('alarms.shelvedUntilNormal', { by: a.shelved.by, reason: a.shelved.reason })
                : t('alarms.shelvedUntil', { until: fmt.dateTime(a.shelved.untilMs), by: a.shelved.by, reason: a.shelved.reason })}
            </dd>
          </>
        )}
        {a.suppressedBy && (
          <>
            <dt>{t('alarms.views.suppressed')}</dt>
            <dd>{t('alarms.suppressedBy', { by: a.suppressedBy })}</dd>
          </>
        )}
      </dl>

      <div className="alarm-actions" role="group" aria-label={t('alarms.actions')}>
        {!a.acked && actionButton(t('alarms.ack'), () => run({ action: 'ack' }))}
        {a.shelved
          ? actionButton(t('alarms.unshelve'), () => run({ action: 'unshelve' }))
          : !a.outOfService && actionButton(t('alarms.shelve'), () => setForm(form === 'shelve' ? null : 'shelve'), { pressed: form === 'shelve' })}
        {a.outOfService
          ? actionButton(t('alarms.inService'), () => run({ action: 'in-service' }))
          : actionButton(t('alarms.outOfService'), () => setForm(form === 'out-of-service' ? null : 'out-of-service'), { pressed: form === 'out-of-service' })}
        {actionButton(t('alarms.pushToWall'), () => onPushToWall(a))}
        <button type="button" className="text-button" onClick={() => onLocate(a)} disabled={a.deviceId === null} title={a.deviceId === null ? t('alarms.noDevice') : undefined}>
          {t('alarms.locate')}
        </button>
      </div>
      {form && <AlarmReasonForm alarm={a} mode={form} serverNowMs={serverNowMs} busy={busy} onSubmit={run} onCancel={() => setForm(null)} />}

      <h4>{t('alarms.timeline')}</h4>
      {eventsError && <p className="error-text">{t('alarms.timelineFailed', { message: eventsError })}</p>}
      {events === null && !eventsError ? <p className="muted">{t('alarms.loading')}</p> : events && <AlarmTimeline events={events} />}
    </section>
  )
}
