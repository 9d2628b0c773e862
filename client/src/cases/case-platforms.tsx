import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseDetail } from '../../../contracts/case-api'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { useCaseServices } from './case-services'

/** Deliveries a person must look at: refused, maybe made (ambiguous), or given up. */
const NEEDS_A_PERSON = new Set(['failed', 'ambiguous', 'dead'])

/**
 * What the national platforms hold for a case (docs/cases.md "Legal notices and payments followed"):
 * the pagoPA fee, the SEND legal notices, and every platform call the case asked for with how it went —
 * a refused, possibly-made or given-up call is marked (▲ and the word) for a person to act on.
 */
export function CasePlatformsView({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { fee, notices, deliveries } = detail
  if (!fee && notices.length === 0 && deliveries.length === 0) return null
  return (
    <section className="case-platforms" aria-label={t('cases.platforms.title')}>
      <h4>{t('cases.platforms.title')}</h4>
      {fee && (
        <p data-testid="case-fee">
          {t('cases.platforms.fee', { amount: fmt.number(fee.amountCents / 100, 2), nav: fee.nav, due: fee.dueDate, status: t(`cases.platforms.feeStatus.${fee.status}`) })}
          {fee.paidAtMs !== null && ` · ${fmt.dateTime(fee.paidAtMs)}`}
        </p>
      )}
      {notices.length > 0 && (
        <ul className="case-notices">
          {notices.map((n) => (
            <li key={n.id}>
              {t('cases.platforms.notice', { subject: n.subject, protocol: n.paProtocolNumber, status: t(`cases.platforms.noticeStatus.${n.status}`), at: fmt.dateTime(n.statusAtMs) })}
              {n.iun && ` · IUN ${n.iun}`}
            </li>
          ))}
        </ul>
      )}
      {deliveries.length > 0 && (
        <table className="case-stats-table case-deliveries">
          <caption className="sr-only">{t('cases.platforms.deliveries')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cases.platforms.call')}</th>
              <th scope="col">{t('cases.platforms.state')}</th>
              <th scope="col">{t('cases.platforms.attempts')}</th>
              <th scope="col">{t('cases.platforms.last')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d, i) => (
              <tr key={i} data-status={d.status}>
                <td>{t(`cases.platforms.operations.${d.platform}`, { defaultValue: `${d.platform}/${d.operation}` })}</td>
                <td className={NEEDS_A_PERSON.has(d.status) ? 'case-overdue' : ''}>
                  {NEEDS_A_PERSON.has(d.status) && '▲ '}
                  {t(`cases.platforms.deliveryStatus.${d.status}`)}
                  {d.status === 'queued' && d.attempts > 0 && ` · ${fmt.dateTime(d.nextAttemptAtMs)}`}
                </td>
                <td>{d.attempts}</td>
                <td>{[d.lastHttpStatus !== null ? `HTTP ${d.lastHttpStatus}` : null, d.lastError].filter(Boolean).join(' · ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** The office sends the reporter a legal notice through SEND: the subject, the text, and the postal address for paper delivery. */
export function SendNoticeForm({ detail, busy, blocked, change }: { detail: CaseDetail; busy: boolean; blocked: boolean; change(call: () => Promise<CaseDetail>, after?: () => void): void }) {
  const { t } = useTranslation()
  const { client } = useCaseServices()
  const act = usePermission('case:act')
  const [subject, setSubject] = useState('')
  const [text, setText] = useState('')
  const [address, setAddress] = useState('')
  const [zip, setZip] = useState('')
  const [municipality, setMunicipality] = useState('Bologna')
  const [province, setProvince] = useState('BO')
  const ready = subject.trim() !== '' && text.trim() !== '' && address.trim().length >= 2 && zip.trim() !== '' && municipality.trim().length >= 2 && province.trim() !== ''
  const submit = (e: FormEvent) => {
    e.preventDefault()
    change(() => client.sendNotice(detail.case.id, { version: detail.case.version, subject: subject.trim(), text: text.trim(), recipientAddress: { address: address.trim(), zip: zip.trim(), municipality: municipality.trim(), province: province.trim() } }), () => {
      setSubject('')
      setText('')
    })
  }
  return (
    <form className="cr-form inline-form case-notice-form" onSubmit={submit} aria-label={t('cases.platforms.send')}>
      <h4>{t('cases.platforms.send')}</h4>
      <label>
        {t('cases.platforms.subject')}
        <input name="notice-subject" maxLength={134} value={subject} onChange={(e) => setSubject(e.target.value)} />
      </label>
      <label>
        {t('cases.platforms.text')}
        <textarea name="notice-text" rows={4} maxLength={20_000} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        {t('cases.platforms.address')}
        <input name="notice-address" maxLength={1024} autoComplete="off" value={address} onChange={(e) => setAddress(e.target.value)} />
      </label>
      <label>
        {t('cases.platforms.zip')}
        <input name="notice-zip" maxLength={15} autoComplete="off" value={zip} onChange={(e) => setZip(e.target.value)} />
      </label>
      <label>
        {t('cases.platforms.municipality')}
        <input name="notice-municipality" maxLength={256} value={municipality} onChange={(e) => setMunicipality(e.target.value)} />
      </label>
      <label>
        {t('cases.platforms.province')}
        <input name="notice-province" maxLength={256} value={province} onChange={(e) => setProvince(e.target.value)} />
      </label>
      <button type="submit" className="primary-button" disabled={!act.allowed || busy || blocked || !ready} title={act.reason}>
        {t('cases.platforms.sendSubmit')}
      </button>
    </form>
  )
}
