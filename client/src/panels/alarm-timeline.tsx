import { useTranslation } from 'react-i18next'
import type { AlarmEventRecord } from '../../../contracts/alarm-api'
import { useFormatters } from './use-formatters'

const KNOWN = new Set(['activate', 'clear', 'ack', 'shelve', 'unshelve', 'shelve-expired', 'suppress', 'unsuppress', 'out-of-service', 'in-service', 'chattering'])

/** Every state change of an alarm, newest first: when, what, who, and the reason given. */
export function AlarmTimeline({ events }: { events: readonly AlarmEventRecord[] }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  if (events.length === 0) return <p className="muted">{t('alarms.timelineEmpty')}</p>
  return (
    <ol className="alarm-timeline">
      {[...events].reverse().map((e) => {
        const text = (['reason', 'note', 'message'] as const).map((k) => e.detail[k]).find((v): v is string => typeof v === 'string')
        const until = typeof e.detail.untilMs === 'number' ? e.detail.untilMs : null
        return (
          <li key={e.id} data-event={e.type}>
            <time dateTime={new Date(e.atMs).toISOString()}>{fmt.dateTime(e.atMs)}</time>
            <span className="timeline-what">{KNOWN.has(e.type) ? t(`alarms.events.${e.type}`) : e.type}</span>
            <span className="timeline-who">{e.actor}</span>
            {until !== null && <span className="timeline-detail">{t('alarms.until', { at: fmt.dateTime(until) })}</span>}
            {text && <span className="timeline-detail">“{text}”</span>}
          </li>
        )
      })}
    </ol>
  )
}
