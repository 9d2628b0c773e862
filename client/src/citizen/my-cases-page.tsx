import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MyCaseSummary } from '../../../contracts/my-api'
import { PageLink } from './citizen-layout'
import { useCitizen } from './citizen-services'
import { SignInNeeded } from './home-page'
import { StatusBadge } from './status-badge'

export function MyCasesPage() {
  const { t, i18n } = useTranslation()
  const { api, session } = useCitizen()
  const [cases, setCases] = useState<MyCaseSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const lang = (i18n.resolvedLanguage ?? 'it').startsWith('en') ? 'en' : 'it'
  useEffect(() => {
    if (!session.signedIn) return
    const c = new AbortController()
    api.cases(c.signal).then(setCases, (e: unknown) => !c.signal.aborted && setError(e instanceof Error ? e.message : String(e)))
    return () => c.abort()
  }, [api, session.signedIn])
  if (!session.signedIn) return <SignInNeeded returnTo="/cittadini/le-mie-segnalazioni" />
  const date = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'long' })
  return (
    <>
      <h1>{t('mine.title')}</h1>
      {error && (
        <div className="alert alert-danger" role="alert">
          {t('mine.failed', { message: error })}
        </div>
      )}
      {!cases && !error && <p>{t('mine.loading')}</p>}
      {cases?.length === 0 && <p>{t('mine.empty')}</p>}
      {cases && cases.length > 0 && (
        <ul className="list-unstyled citizen-case-list" data-testid="my-cases">
          {cases.map((c) => (
            <li key={c.id} className="card card-bg mb-3" data-case-id={c.id}>
              <div className="card-body">
                <h2 className="h5 card-title">
                  <PageLink to={{ page: 'case', id: c.id }}>
                    <span className="visually-hidden">{t('mine.open', { id: c.id })}: </span>
                    {c.serviceName[lang]} — n. {c.id}
                  </PageLink>
                </h2>
                <p className="card-text">
                  <StatusBadge status={c.status} /> {c.toPay && <span className="badge citizen-to-pay">{t('mine.toPay')}</span>}
                </p>
                <p className="card-text">{t('mine.reported', { at: date.format(c.requestedAtMs) })}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
