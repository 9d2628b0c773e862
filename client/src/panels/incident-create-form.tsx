import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { IncidentPrioritySchema, IncidentTypeSchema, type IncidentDetail } from '../../../contracts/incident-api'
import { useServices } from '../app/services'
import { applyIncident } from '../state/alarm-reducers'
import { errorMessage } from './action-error'
import { checkIncidentDraft, type IncidentDraft, type IncidentField } from './incident-draft'

export interface IncidentCreateFormProps {
  initial: IncidentDraft
  onCreated(detail: IncidentDetail): void
  onCancel(): void
}

/**
 * A new incident, usually from the alarms the operator selected: type, title, priority and the
 * position (the first alarm's device by default). The affected area is drawn later, not here.
 */
export function IncidentCreateForm({ initial, onCreated, onCancel }: IncidentCreateFormProps) {
  const { t } = useTranslation()
  const { api, store } = useServices()
  const ids = useId()
  const [draft, setDraft] = useState<IncidentDraft>(initial)
  const [errors, setErrors] = useState<Partial<Record<IncidentField, string>>>({})
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const set = <K extends keyof IncidentDraft>(k: K, v: IncidentDraft[K]) => setDraft((d) => ({ ...d, [k]: v }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const check = checkIncidentDraft(draft)
    if (!check.ok) {
      setErrors(check.errors)
      return
    }
    setErrors({})
    setBusy(true)
    setFailure(null)
    api
      .createIncident(check.body)
      .then((detail) => {
        store.set((s) => ({ ...s, controlRoom: applyIncident(s.controlRoom, detail.incident) }))
        onCreated(detail)
      })
      .catch((err: unknown) => setFailure(errorMessage(err)))
      .finally(() => setBusy(false))
  }
  const fieldError = (f: IncidentField) =>
    errors[f] ? (
      <span id={`${ids}-${f}-error`} className="field-error">
        {t(`incidents.errors.${f}`)}
      </span>
    ) : null
  const invalid = (f: IncidentField) => ({ 'aria-invalid': errors[f] ? true : undefined, 'aria-describedby': errors[f] ? `${ids}-${f}-error` : undefined })

  return (
    <form className="cr-form incident-create" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t('incidents.createTitle')}</h3>
      {draft.alarmIds.length > 0 && <p className="muted">{t('incidents.fromAlarms', { count: draft.alarmIds.length })}</p>}
      <label>
        {t('incidents.type')}
        <select name="incident-type" value={draft.type} onChange={(e) => set('type', IncidentTypeSchema.parse(e.target.value))}>
          {IncidentTypeSchema.options.map((o) => (
            <option key={o} value={o}>
              {t(`incidents.types.${o}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('incidents.titleField')}
        <input name="incident-title" value={draft.title} maxLength={200} onChange={(e) => set('title', e.target.value)} {...invalid('title')} />
        {fieldError('title')}
      </label>
      <label>
        {t('incidents.priority')}
        <select name="incident-priority" value={draft.priority} onChange={(e) => set('priority', IncidentPrioritySchema.parse(e.target.value))}>
          {IncidentPrioritySchema.options.map((o) => (
            <option key={o} value={o}>
              {t(`alarms.priority.${o}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="position-fields">
        <legend>{t('incidents.position')}</legend>
        <label>
          {t('incidents.lon')}
          <input name="incident-lon" inputMode="decimal" value={draft.lon} onChange={(e) => set('lon', e.target.value)} {...invalid('position')} />
        </label>
        <label>
          {t('incidents.lat')}
          <input name="incident-lat" inputMode="decimal" value={draft.lat} onChange={(e) => set('lat', e.target.value)} {...invalid('position')} />
        </label>
        {fieldError('position')}
      </fieldset>
      <label>
        {t('incidents.description')}
        <textarea name="incident-description" rows={3} maxLength={4000} value={draft.description} onChange={(e) => set('description', e.target.value)} />
      </label>
      <label>
        {t('incidents.assignee')}
        <input name="incident-assignee" value={draft.assignee} placeholder="m.rossi" autoComplete="off" onChange={(e) => set('assignee', e.target.value)} {...invalid('assignee')} />
        {fieldError('assignee')}
      </label>
      {failure && (
        <p className="error-text" role="alert">
          {t('incidents.createFailed', { message: failure })}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          {t('incidents.createSubmit')}
        </button>
        <button type="button" className="text-button" onClick={onCancel}>
          {t('incidents.cancel')}
        </button>
      </div>
    </form>
  )
}
