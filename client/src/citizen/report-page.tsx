import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { MyService } from '../../../contracts/my-api'
import { ApiError } from '../api/api-error'
import { useCitizen } from './citizen-services'
import { SignInNeeded } from './home-page'
import { ReportMap } from './report-map'

/** Piazza Maggiore: where the map opens. */
const CITY_CENTRE: [number, number] = [11.34297, 44.49381]

/**
 * "Segnalare un disservizio" as a Designers Italia service flow: what (the service, its questions),
 * where (the map's centre, an optional address), the description; the answer is the new report's page.
 * Each field has its label and help; errors name the field and are announced.
 */
export function ReportPage() {
  const { t, i18n } = useTranslation()
  const { api, session, go } = useCitizen()
  const lang = (i18n.resolvedLanguage ?? 'it').startsWith('en') ? 'en' : 'it'
  const [services, setServices] = useState<MyService[]>([])
  const [code, setCode] = useState('')
  const [position, setPosition] = useState<[number, number]>(CITY_CENTRE)
  const [address, setAddress] = useState('')
  const [description, setDescription] = useState('')
  const [answers, setAnswers] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ message: string; fields: string[] } | null>(null)
  useEffect(() => {
    const c = new AbortController()
    api.services(c.signal).then(setServices, () => undefined)
    return () => c.abort()
  }, [api])
  if (!session.signedIn) return <SignInNeeded returnTo="/cittadini/segnala" />
  const service = services.find((s) => s.code === code) ?? null
  const euro = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'it-IT', { style: 'currency', currency: 'EUR' })
  const invalid = (f: string) => error?.fields.some((x) => x === f || x.endsWith(`.${f}`)) ?? false

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!service) return setError({ message: t('report.service'), fields: ['serviceCode'] })
    setBusy(true)
    setError(null)
    const attributes: Record<string, string | number> = {}
    for (const a of service.attributes) {
      const v = answers[a.code]
      if (v === undefined || v === '') continue
      attributes[a.code] = a.datatype === 'number' || a.datatype === 'singlevaluelist' ? Number(v) : v
    }
    api
      .report({ serviceCode: service.code, position, description, attributes, ...(address.trim() ? { address: address.trim() } : {}) })
      .then((made) => go({ page: 'case', id: made.id }))
      .catch((err: unknown) => {
        const fields = err instanceof ApiError ? (err.details ?? []).map((d) => d.path) : []
        setError({ message: err instanceof Error ? err.message : String(err), fields })
      })
      .finally(() => setBusy(false))
  }

  return (
    <>
      <h1>{t('report.title')}</h1>
      {error && (
        <div className="alert alert-danger" role="alert" data-testid="report-error">
          {t('report.failed', { message: error.message })}
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <fieldset className="mb-4">
          <legend className="h4">{t('report.step1')}</legend>
          <div className="select-wrapper">
            <label htmlFor="report-service">{t('report.service')}</label>
            <select id="report-service" name="service" value={code} required aria-invalid={invalid('serviceCode')} onChange={(e) => setCode(e.target.value)}>
              <option value="">{t('report.choose')}</option>
              {services.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.group[lang]} — {s.name[lang]}
                </option>
              ))}
            </select>
          </div>
          {service && (
            <div className="mt-3" id="service-about">
              <p>{service.description[lang]}</p>
              <p>{t('report.expected', { hours: service.slaHours })}</p>
              {service.feeCents !== null && <p className="fw-semibold">{t('report.fee', { amount: euro.format(service.feeCents / 100) })}</p>}
            </div>
          )}
          {service && service.attributes.filter((a) => a.variable).length > 0 && (
            <div className="mt-3">
              <h2 className="h5">{t('report.questions')}</h2>
              {service.attributes
                .filter((a) => a.variable)
                .map((a) => {
                  const id = `attr-${a.code}`
                  const label = (
                    <label htmlFor={id}>
                      {a.description[lang]} {!a.required && <span className="text-muted">{t('report.optional')}</span>}
                    </label>
                  )
                  return a.datatype === 'singlevaluelist' ? (
                    <div key={a.code} className="select-wrapper mb-3">
                      {label}
                      <select id={id} name={a.code} value={answers[a.code] ?? ''} required={a.required} aria-invalid={invalid(a.code)} onChange={(e) => setAnswers({ ...answers, [a.code]: e.target.value })}>
                        <option value="">{t('report.choose')}</option>
                        {a.values.map((v) => (
                          <option key={v.key} value={String(v.key)}>
                            {v.name[lang]}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : (
                    <div key={a.code} className="form-group mb-3">
                      {label}
                      <input id={id} name={a.code} className="form-control" type={a.datatype === 'number' ? 'text' : 'text'} inputMode={a.datatype === 'number' ? 'decimal' : 'text'} value={answers[a.code] ?? ''} required={a.required} aria-invalid={invalid(a.code)} onChange={(e) => setAnswers({ ...answers, [a.code]: e.target.value })} />
                      {a.datatypeDescription && <small className="form-text">{a.datatypeDescription[lang]}</small>}
                    </div>
                  )
                })}
            </div>
          )}
        </fieldset>
        <fieldset className="mb-4">
          <legend className="h4">{t('report.step2')}</legend>
          <ReportMap center={CITY_CENTRE} onChange={setPosition} />
          <div className="form-group mt-3">
            <label htmlFor="report-address">{t('report.address')}</label>
            <input id="report-address" name="address" className="form-control" maxLength={300} autoComplete="street-address" value={address} onChange={(e) => setAddress(e.target.value)} />
          </div>
        </fieldset>
        <fieldset className="mb-4">
          <legend className="h4">{t('report.step3')}</legend>
          <div className="form-group">
            <label htmlFor="report-description">{t('report.description')}</label>
            <textarea id="report-description" name="description" className="form-control" rows={4} maxLength={4000} required aria-invalid={invalid('description')} aria-describedby="description-help" value={description} onChange={(e) => setDescription(e.target.value)} />
            <small id="description-help" className="form-text">
              {t('report.descriptionHelp')}
            </small>
          </div>
        </fieldset>
        <p className="small">{t('report.privacy', { days: session.retentionDays })}</p>
        <button type="submit" className="btn btn-primary btn-lg" disabled={busy}>
          {busy ? t('report.sending') : t('report.submit')}
        </button>
      </form>
    </>
  )
}
