import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CasePersonal } from '../../../contracts/case-api'
import { ApiError } from '../api/api-error'
import { errorMessage } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { useCaseServices } from './case-services'

/**
 * The reporter's contact data, shown only when asked for with a reason (≥ 10 characters) that the
 * server audits with who asked; held in this component's state only, gone when the case is closed.
 */
export function CasePersonalView({ caseId }: { caseId: number }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client } = useCaseServices()
  const reveal = usePermission('case:reveal')
  const [reason, setReason] = useState('')
  const [shown, setShown] = useState<CasePersonal | 'none' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    client
      .revealPersonal(caseId, reason.trim())
      .then(setShown)
      .catch((err: unknown) => (err instanceof ApiError && err.code === 'NOT_FOUND' ? setShown('none') : setError(errorMessage(err))))
      .finally(() => setBusy(false))
  }

  return (
    <section className="case-personal" aria-label={t('cases.personal.title')}>
      <h4>{t('cases.personal.title')}</h4>
      {shown === 'none' && <p className="muted">{t('cases.personal.none')}</p>}
      {shown && shown !== 'none' && (
        <dl className="alarm-facts">
          <dt>{t('cases.personal.name')}</dt>
          <dd>{[shown.firstName, shown.lastName].filter(Boolean).join(' ') || '—'}</dd>
          <dt>{t('cases.personal.email')}</dt>
          <dd>{shown.email ?? '—'}</dd>
          <dt>{t('cases.personal.phone')}</dt>
          <dd>{shown.phone ?? '—'}</dd>
          <dd className="muted">{shown.purgeAfterMs === null ? t('cases.personal.kept') : t('cases.personal.purgeAfter', { at: fmt.dateTime(shown.purgeAfterMs) })}</dd>
        </dl>
      )}
      {shown === null && (
        <form className="cr-form inline-form" onSubmit={submit}>
          <label>
            {t('cases.personal.reason')}
            <input name="case-reveal-reason" value={reason} maxLength={500} autoComplete="off" onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" className="primary-button" disabled={!reveal.allowed || busy || reason.trim().length < 10} title={reveal.reason}>
            {t('cases.personal.submit')}
          </button>
        </form>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
