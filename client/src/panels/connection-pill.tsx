import { useTranslation } from 'react-i18next'
import type { ConnectionStatus } from '../state/app-state'

const GLYPH: Record<ConnectionStatus, string> = { connecting: '○', live: '●', reconnecting: '◐', offline: '✕' }

/** Connection state in words with a glyph; amber while reconnecting, red once the data is frozen. */
export function ConnectionPill({ status }: { status: ConnectionStatus }) {
  const { t } = useTranslation()
  return (
    <div className={`connection-pill connection-${status}`} role="status" aria-live="polite" aria-label={`${t('status.connection')}: ${t(`status.${status}`)}`}>
      <span aria-hidden="true" className="connection-glyph">
        {GLYPH[status]}
      </span>
      <span>{t(`status.${status}`)}</span>
    </div>
  )
}
