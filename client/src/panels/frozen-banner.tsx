import { useTranslation } from 'react-i18next'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { silenceMs } from '../state/connection-status'
import { useStore } from '../state/store'
import { useNow } from '../state/use-now'
import { useFormatters } from './use-formatters'

const selectConnection = (s: AppState) => s.connection

/** The red "DISCONNECTED — data frozen" banner across the map, and protocol refusals. */
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
  if (connection.status !== 'offline') return null
  const silence = silenceMs(connection, now)
  return (
    <div className="banner banner-critical" role="alert">
      <span aria-hidden="true">✕ </span>
      {silence === null ? t('status.neverConnected') : t('status.frozenBanner', { age: fmt.ago(silence) })}
    </div>
  )
}
