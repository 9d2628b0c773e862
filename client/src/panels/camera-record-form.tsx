import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { RETENTION_MAX_DAYS, RETENTION_UNJUSTIFIED_MAX_DAYS, type Camera } from '../../../contracts/camera-api'
import { useServices } from '../app/services'
import { errorMessage, isConflict } from './action-error'
import { checkCameraDraft, draftFromCamera, draftMissing, needsJustification, type CameraDraft, type RecordField } from './camera-draft'

export interface CameraRecordFormProps {
  camera: Camera
  onSaved(camera: Camera): void
  /** Reloads the list after a conflict. */
  onReload(): void
}

/**
 * The compliance record (camera:configure): purpose, legal basis, signage, retention (a justification
 * above 7 days), DPIA reference, data controller and the stream URL; what is still missing for
 * activation is listed as the operator types, and activation is offered once nothing is.
 */
export function CameraRecordForm({ camera, onSaved, onReload }: CameraRecordFormProps) {
  const { t } = useTranslation()
  const { api } = useServices()
  const ids = useId()
  const [draft, setDraft] = useState<CameraDraft>(() => draftFromCamera(camera))
  const [errors, setErrors] = useState<Partial<Record<RecordField, string>>>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [conflict, setConflict] = useState(false)
  const [busy, setBusy] = useState(false)
  const missing = draftMissing(draft)
  const set = <K extends keyof CameraDraft>(k: K, v: CameraDraft[K]) => setDraft((d) => ({ ...d, [k]: v }))

  const call = (f: () => Promise<Camera>) => {
    setBusy(true)
    setFailure(null)
    f()
      .then(onSaved)
      .catch((err: unknown) => (isConflict(err) ? setConflict(true) : setFailure(errorMessage(err))))
      .finally(() => setBusy(false))
  }
  const save = (e: FormEvent) => {
    e.preventDefault()
    const check = checkCameraDraft(draft, camera.record?.version ?? null)
    if (!check.ok) return setErrors(check.errors)
    setErrors({})
    call(() => api.putCameraRecord(camera.deviceId, check.body))
  }
  const text = (field: 'purpose' | 'legalBasis' | 'signageNote' | 'retentionJustification' | 'dpiaRef' | 'controller' | 'streamUrl', multiline = false) => (
    <label>
      {t(`cameras.fields.${field}`)}
      {multiline ? (
        <textarea name={`camera-${field}`} rows={2} value={draft[field]} onChange={(e) => set(field, e.target.value)} aria-invalid={errors[field] ? true : undefined} />
      ) : (
        <input name={`camera-${field}`} value={draft[field]} onChange={(e) => set(field, e.target.value)} aria-invalid={errors[field] ? true : undefined} aria-describedby={errors[field] ? `${ids}-${field}` : undefined} />
      )}
      {errors[field] && (
        <span id={`${ids}-${field}`} className="field-error">
          {t(`cameras.errors.${field}`, { defaultValue: errors[field] })}
        </span>
      )}
    </label>
  )

  return (
    <form className="cr-form camera-record" onSubmit={save} noValidate aria-label={t('cameras.recordTitle', { name: camera.name })}>
      <h4>{t('cameras.record')}</h4>
      {text('purpose', true)}
      {text('legalBasis', true)}
      <label className="check-label">
        <input type="checkbox" name="camera-signage" checked={draft.signage} onChange={(e) => set('signage', e.target.checked)} />
        {t('cameras.fields.signage')}
      </label>
      {text('signageNote')}
      <label>
        {t('cameras.fields.retentionDays')}
        <input
          name="camera-retentionDays"
          type="number"
          min={1}
          max={RETENTION_MAX_DAYS}
          step={1}
          value={draft.retentionDays}
          onChange={(e) => set('retentionDays', e.target.value)}
          aria-invalid={errors.retentionDays ? true : undefined}
        />
        {errors.retentionDays && <span className="field-error">{t('cameras.errors.retentionDays', { max: RETENTION_MAX_DAYS })}</span>}
      </label>
      {needsJustification(draft) && text('retentionJustification', true)}
      {text('dpiaRef')}
      {text('controller')}
      {!draft.removeStream && text('streamUrl')}
      <p className="muted small">{camera.record?.hasStream ? t('cameras.streamStored') : t('cameras.streamHint')}</p>
      {camera.record?.hasStream && (
        <label className="checkbox">
          <input type="checkbox" checked={draft.removeStream} onChange={(e) => set('removeStream', e.target.checked)} /> {t('cameras.removeStream')}
        </label>
      )}
      <p className={missing.length === 0 ? 'compliance-ok' : 'compliance-missing'} aria-live="polite">
        {missing.length === 0
          ? t('cameras.draftComplete')
          : t('cameras.missing', { fields: missing.map((f) => t(`cameras.fields.${f}`)).join(', '), days: RETENTION_UNJUSTIFIED_MAX_DAYS })}
      </p>
      {conflict && (
        <p className="conflict-note" role="alert">
          <span aria-hidden="true">▲ </span>
          {t('cameras.conflict')}{' '}
          <button type="button" className="text-button" onClick={onReload}>
            {t('cameras.reload')}
          </button>
        </p>
      )}
      {failure && (
        <p className="error-text" role="alert">
          {failure}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          {t('cameras.save')}
        </button>
        {camera.status === 'active' ? (
          <button type="button" className="text-button" disabled={busy} onClick={() => call(() => api.activateCamera(camera.deviceId, false))}>
            {t('cameras.deactivate')}
          </button>
        ) : (
          <button
            type="button"
            className="text-button"
            disabled={busy || !camera.compliant}
            title={camera.compliant ? undefined : t('cameras.activateNeedsSave')}
            onClick={() => call(() => api.activateCamera(camera.deviceId, true))}
          >
            {t('cameras.activate')}
          </button>
        )}
      </div>
    </form>
  )
}
