import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Camera, LiveView } from '../../../contracts/camera-api'
import { useServices } from '../app/services'
import { errorMessage } from './action-error'
import { useFormatters } from './use-formatters'
import { usePermission } from './use-permission'

/**
 * "Open live view" (camera:view): a deliberate, audited request; the stream URL it returns is shown
 * as a link until it expires and kept nowhere else (not in the store, not in storage).
 */
export function CameraLiveView({ camera }: { camera: Camera }) {
  const { t } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const view = usePermission('camera:view')
  const [reason, setReason] = useState('')
  const [live, setLive] = useState<LiveView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  // The link disappears at its expiry; a new look is a new, audited opening.
  useEffect(() => {
    if (!live) return
    const timer = setTimeout(() => setLive(null), Math.max(0, live.expiresAtMs - Date.now()))
    return () => clearTimeout(timer)
  }, [live])

  const unavailable = camera.status !== 'active' ? t('cameras.liveNeedsActive') : !camera.record?.hasStream ? t('cameras.liveNoStream') : undefined
  const open = () => {
    setBusy(true)
    setError(null)
    api
      .openLiveView(camera.deviceId, reason.trim() || undefined)
      .then(setLive)
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setBusy(false))
  }

  return (
    <div className="camera-live">
      <h4>{t('cameras.liveView')}</h4>
      {live ? (
        <p role="status">
          <a href={live.streamUrl} target="_blank" rel="noopener noreferrer" className="stream-link">
            {t('cameras.openStream')}
          </a>{' '}
          <span className="muted">{t('cameras.expires', { at: fmt.time(live.expiresAtMs) })}</span>{' '}
          <button type="button" className="text-button" onClick={() => setLive(null)}>
            {t('cameras.closeLive')}
          </button>
        </p>
      ) : (
        <div className="cr-form inline-form">
          <label>
            {t('cameras.liveReason')}
            <input name="live-view-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="button" className="primary-button" disabled={!view.allowed || unavailable !== undefined || busy} title={view.reason ?? unavailable} onClick={open}>
            {t('cameras.openLive')}
          </button>
          {(view.reason ?? unavailable) && <span className="muted">{view.reason ?? unavailable}</span>}
        </div>
      )}
      {error && (
        <p className="error-text" role="alert">
          {t('cameras.liveFailed', { message: error })}
        </p>
      )}
      <p className="muted small">{t('cameras.liveAudited')}</p>
    </div>
  )
}
