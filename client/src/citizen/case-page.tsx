import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MyCase } from '../../../contracts/my-api'
import { ApiError } from '../api/api-error'
import { PageLink } from './citizen-layout'
import { useCitizen } from './citizen-services'
import { SignInNeeded } from './home-page'
import { StatusBadge } from './status-badge'

/** The page follows the case: asked again this often while open (the office may change it any time). */
const REFRESH_MS = 15_000
/** pagoPA's own page where any notice is paid with its notice number and the creditor's fiscal code. */
const PAGOPA_CHECKOUT = 'https://checkout.pagopa.it/'

/** One of the citizen's reports: status, the office's note, the public history, the fee to pay, the legal notices. */
export function CasePage({ id }: { id: number }) {
  const { t, i18n } = useTranslation()
  const { api, session } = useCitizen()
  const [c, setCase] = useState<MyCase | null>(null)
  const [error, setError] = useState<string | null>(null)
  const lang = (i18n.resolvedLanguage ?? 'it').startsWith('en') ? 'en' : 'it'
  useEffect(() => {
    if (!session.signedIn) return
    const ctl = new AbortController()
    const load = () =>
      api.case(id, ctl.signal).then(
        (x) => {
          setCase(x)
          setError(null)
        },
        (e: unknown) => !ctl.signal.aborted && setError(e instanceof ApiError && e.code === 'CASE_NOT_FOUND' ? t('case.notFound') : e instanceof Error ? e.message : String(e)),
      )
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => {
      ctl.abort()
      clearInterval(timer)
    }
  }, [api, id, session.signedIn, t])
  if (!session.signedIn) return <SignInNeeded returnTo={`/cittadini/segnalazioni/${id}`} />
  const date = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'long', timeStyle: 'short' })
  const day = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'long', timeZone: 'Europe/Rome' })
  const euro = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'it-IT', { style: 'currency', currency: 'EUR' })
  return (
    <>
      <nav aria-label="breadcrumb" className="breadcrumb-container">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <PageLink to={{ page: 'mine' }}>{t('case.back')}</PageLink>
          </li>
        </ol>
      </nav>
      <h1>{t('case.title', { id })}</h1>
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {c && (
        <div data-testid="my-case" data-status={c.status}>
          <dl className="row citizen-facts">
            <dt className="col-sm-4">{t('case.status')}</dt>
            <dd className="col-sm-8" aria-live="polite">
              <StatusBadge status={c.status} />
            </dd>
            <dt className="col-sm-4">{t('case.service')}</dt>
            <dd className="col-sm-8">{c.serviceName[lang]}</dd>
            <dt className="col-sm-4">{t('case.reported')}</dt>
            <dd className="col-sm-8">{date.format(c.requestedAtMs)}</dd>
            {c.expectedAtMs !== null && c.closedAtMs === null && (
              <>
                <dt className="col-sm-4">{t('case.expected')}</dt>
                <dd className="col-sm-8">{date.format(c.expectedAtMs)}</dd>
              </>
            )}
            {c.closedAtMs !== null && (
              <>
                <dt className="col-sm-4">{t('case.closed')}</dt>
                <dd className="col-sm-8">{date.format(c.closedAtMs)}</dd>
              </>
            )}
            <dt className="col-sm-4">{t('case.where')}</dt>
            <dd className="col-sm-8">{c.address ?? `${c.position[1].toFixed(5)}, ${c.position[0].toFixed(5)}`}</dd>
          </dl>
          {c.statusNotes && (
            <div className="callout note">
              <div className="callout-title">{t('case.note')}</div>
              <p data-testid="my-case-note">{c.statusNotes}</p>
            </div>
          )}
          <h2 className="h4">{t('case.description')}</h2>
          <p className="citizen-description">{c.description}</p>
          {c.fee && (
            <section className="card card-bg my-4" aria-labelledby="fee-title" data-testid="my-case-fee">
              <div className="card-body">
                <h2 id="fee-title" className="h4 card-title">
                  {t('case.fee')}: {t(`case.feeStatus.${c.fee.status}`)}
                </h2>
                <dl className="row">
                  <dt className="col-sm-5">{t('case.amount')}</dt>
                  <dd className="col-sm-7">{euro.format(c.fee.amountCents / 100)}</dd>
                  <dt className="col-sm-5">{t('case.noticeNumber')}</dt>
                  <dd className="col-sm-7 font-monospace">{c.fee.noticeNumber}</dd>
                  <dt className="col-sm-5">{t('case.creditor')}</dt>
                  <dd className="col-sm-7 font-monospace">{c.fee.creditorFiscalCode}</dd>
                  <dt className="col-sm-5">{t('case.dueDate')}</dt>
                  <dd className="col-sm-7">{day.format(new Date(`${c.fee.dueDate}T12:00:00Z`))}</dd>
                </dl>
                {c.fee.status === 'published' && (
                  <>
                    <p>{t('case.payHelp')}</p>
                    <a className="btn btn-primary" href={PAGOPA_CHECKOUT} rel="noreferrer" target="_blank">
                      {t('case.pay')}
                    </a>
                  </>
                )}
                {c.fee.paidAtMs !== null && <p>{t('case.paidAt', { at: date.format(c.fee.paidAtMs) })}</p>}
              </div>
            </section>
          )}
          {c.notices.length > 0 && (
            <section aria-labelledby="notices-title">
              <h2 id="notices-title" className="h4">
                {t('case.notices')}
              </h2>
              <ul>
                {c.notices.map((n, i) => (
                  <li key={i}>
                    {n.subject} — {t(`noticeStatus.${n.status}`)} ({date.format(n.statusAtMs)}){n.iun && <> · {t('case.iun', { iun: n.iun })}</>}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <h2 className="h4">{t('case.history')}</h2>
          <ol className="citizen-history">
            {c.events.map((e, i) => (
              <li key={i}>
                <time dateTime={new Date(e.atMs).toISOString()}>{date.format(e.atMs)}</time> — {i === 0 ? t('case.created') : t(`status.${e.status}`)}
                {e.note && <>: “{e.note}”</>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  )
}
