import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Alarm, AlarmAction } from '../../../contracts/alarm-api'
import { REASON_MAX, SHELVE_PRESETS, reasonProblem, shelveAction, shelveProblem, type ShelvePreset } from './alarm-action-forms'

export interface AlarmReasonFormProps {
  alarm: Alarm
  mode: 'shelve' | 'out-of-service'
  serverNowMs(): number
  busy: boolean
  onSubmit(action: AlarmAction): void
  onCancel(): void
}

/**
 * Shelving (reason, 15 min to 8 h, or once until the alarm returns to normal) and taking an alarm out
 * of service (reason): both keep an alarm off the list, so both say why, and the server audits it.
 */
export function AlarmReasonForm({ alarm, mode, serverNowMs, busy, onSubmit, onCancel }: AlarmReasonFormProps) {
  const { t } = useTranslation()
  const ids = useId()
  const [reason, setReason] = useState('')
  const [preset, setPreset] = useState<ShelvePreset>('1h')
  const [tried, setTried] = useState(false)
  const problem = mode === 'shelve' ? shelveProblem(reason, preset, alarm.active) : reasonProblem(reason)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTried(true)
    if (problem) return
    onSubmit(mode === 'shelve' ? shelveAction(reason, preset, serverNowMs()) : { action: 'out-of-service', reason: reason.trim() })
  }

  return (
    <form className="alarm-reason-form" role="dialog" aria-labelledby={`${ids}-title`} onSubmit={submit} noValidate>
      <h4 id={`${ids}-title`}>{t(mode === 'shelve' ? 'alarms.shelveTitle' : 'alarms.outOfServiceTitle')}</h4>
      <p className="muted">{t(mode === 'shelve' ? 'alarms.shelveIntro' : 'alarms.outOfServiceIntro')}</p>
      <label>
        {t('alarms.reason')}
        <textarea
          name={`${mode}-reason`}
          value={reason}
          maxLength={REASON_MAX}
          rows={2}
          required
          autoFocus
          aria-invalid={tried && problem !== null && problem !== 'not-active'}
          aria-describedby={`${ids}-problem`}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {mode === 'shelve' && (
        <fieldset className="shelve-presets">
          <legend>{t('alarms.shelveFor')}</legend>
          {SHELVE_PRESETS.map((p) => (
            <label key={p} className="radio-label">
              <input type="radio" name="shelve-preset" value={p} checked={preset === p} onChange={() => setPreset(p)} />
              {t(`alarms.presets.${p}`)}
            </label>
          ))}
        </fieldset>
      )}
      <p id={`${ids}-problem`} className={tried && problem ? 'error-text' : 'sr-only'} role={tried && problem ? 'alert' : undefined}>
        {tried && problem ? t(`alarms.problems.${problem}`) : ''}
      </p>
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          {t(mode === 'shelve' ? 'alarms.shelveSubmit' : 'alarms.outOfServiceSubmit')}
        </button>
        <button type="button" className="text-button" onClick={onCancel}>
          {t('alarms.cancel')}
        </button>
      </div>
    </form>
  )
}
