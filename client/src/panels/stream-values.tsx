import { useTranslation } from 'react-i18next'
import type { DeviceKind } from '../../../contracts/schemas/device'
import type { LiveState } from '../../../contracts/schemas/live-state'
import type { StreamCondition } from '../state/device-condition'
import { shownValues } from '../state/stream-values'
import { useFormatters } from './use-formatters'

export interface StreamValuesProps {
  kind: DeviceKind
  state: LiveState
  condition: StreamCondition | undefined
  serverNowMs: number
  showStreamName: boolean
}

/**
 * One stream's live values with units and quality. A stale stream is greyed and hatched, says STALE
 * and "last update N min ago": it is never shown like a fresh value.
 */
export function StreamValues({ kind, state, condition, serverNowMs, showStreamName }: StreamValuesProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const freshness = condition?.freshness ?? 'fresh'
  const quality = condition?.quality ?? state.quality
  const stale = freshness !== 'fresh'
  const severity = !stale && condition && condition.severity !== 'normal' ? condition.severity : null
  const values = shownValues(kind, state.values)
  return (
    <div className={`stream-values${stale ? ' is-stale' : ''}${severity ? ` severity-${severity}` : ''}`}>
      <div className="stream-head">
        {showStreamName && <span className="stream-name">{t(`stream.${state.stream}`, { defaultValue: state.stream })}</span>}
        {stale && <span className="badge badge-stale">{freshness === 'no_comm' ? t('device.noCommBadge') : t('device.staleBadge')}</span>}
        {severity && condition && (
          <span className="badge badge-severity">
            {t(`severity.${severity}`)} · {t(`condition.${condition.reason}`)}
          </span>
        )}
      </div>
      <dl className="value-list">
        {values.map((v) => (
          <div key={v.label} className="value-row">
            <dt>{t(v.label)}</dt>
            <dd>
              {v.kind === 'number' ? (
                <>
                  <span className="value-number">{fmt.number(v.value, v.digits)}</span>
                  {v.unit && <span className="value-unit"> {v.unit}</span>}
                </>
              ) : (
                <span className="value-enum">{t(v.enumKey)}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <p className="stream-meta">
        <span>
          {t('device.quality')}: {t(`quality.${quality}`)}
        </span>
        <span>
          {t('device.observedAt')} {fmt.time(state.observedAtMs)} · {t('device.lastUpdate', { age: fmt.ago(serverNowMs - state.observedAtMs) })}
        </span>
      </p>
    </div>
  )
}
