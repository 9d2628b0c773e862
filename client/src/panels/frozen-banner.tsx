import { useTranslation } from 'react-i18next'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { silenceMs } from '../state/connection-status'
import { useStore } from '../state/store'
import { useNow } from '../state/use-now'
import { useFormatters } from './use-formatters'

const selectConnection = (s: AppState) => s.connection

/** The red "DISCONNECTED — data frozen" banner across the map, protocol refusals, and the one root-cause alarm. */
export function FrozenBanner() {
  const { t } = useTranslation()
  const { store } = useServices()
  const fmt = useFormatters()
  const connection = useStore(store, selectConnection)
  const now = useNow(1000)
  if (connection.error) {
    return (
      <div className="banner banner-critical" role="alert">
        <span aria-hidden="true">✕ </span>
        {t('status.protocolError', { message: connection.error })}
      </div>
    )
  }
  if (connection.status !== 'offline') {
    // One root cause for "no data can arrive", instead of every device's staleness as its own problem.
    const cause = connection.heartbeat?.rootCause
    if (!cause) return null
    const offset = store.get().clockOffsetMs
    return (
      <div className={`banner ${cause.code === 'LIVE_FEED_DOWN' ? 'banner-medium' : 'banner-critical'}`} role="alert" data-root-cause={cause.code}>
        <span aria-hidden="true">{cause.code === 'LIVE_FEED_DOWN' ? '▲ ' : '✕ '}</span>
        {t(`rootCause.${cause.code}`, { since: fmt.time(cause.sinceMs), age: fmt.ago(Math.max(0, now + offset - cause.sinceMs)) })}
      </div>
    )
  }
  const silence = silenceMs(connection, now)
  return (
    <div className="banner banner-critical" role="alert">
      <span aria-hidden="true">✕ </span>
      {silence === null ? t('status.neverConnected') : t('status.frozenBanner', { age: fmt.ago(silence) })}
    </div>
  )
}
