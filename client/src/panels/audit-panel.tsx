import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { AuditResponse, AuditSearch } from '../api/rest-client'
import { useServices } from '../app/services'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'

type Entry = AuditResponse['entries'][number]

/** The audit log (audit:read): who did what to which record, newest first, searchable. */
export function AuditPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const [filter, setFilter] = useState<AuditSearch>({})
  const [entries, setEntries] = useState<Entry[]>([])
  const [next, setNext] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)

  const search = useCallback(
    (f: AuditSearch, beforeSeq?: number) => {
      api
        .searchAudit({ ...f, limit: 100, ...(beforeSeq ? { beforeSeq } : {}) })
        .then((r) => {
          setEntries((prev) => (beforeSeq ? [...prev, ...r.entries] : r.entries))
          setNext(r.nextBeforeSeq)
          setError(null)
        })
        .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
    },
    [api],
  )
  useEffect(() => search({}), [search])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    search(filter)
  }
  const field = (name: 'actor' | 'action' | 'target', hint: string) => (
    <label>
      {t(`audit.${name}`)}
      <input name={`audit-${name}`} placeholder={hint} value={filter[name] ?? ''} onChange={(e) => setFilter({ ...filter, [name]: e.target.value })} />
    </label>
  )

  return (
    <SideSheet title={t('audit.title')} closeLabel={t('audit.close')} onClose={onClose} side="right" wide className="audit-panel">
      <form className="audit-filter" onSubmit={submit}>
        {field('actor', 'mrossi')}
        {field('action', 'session.sign-in')}
        {field('target', 'user:*')}
        <button type="submit" className="primary-button">
          {t('audit.search')}
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <table className="data-table audit-table">
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.request')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-action={e.action}>
              <td>
                <time dateTime={new Date(e.atMs).toISOString()}>{fmt.dateTime(e.atMs)}</time>
              </td>
              <td>
                {e.actor} <small className="muted">{e.actorRole}</small>
              </td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>
                <code>{e.target}</code>
                {Object.keys(e.detail).length > 0 && <pre className="audit-detail">{JSON.stringify(e.detail)}</pre>}
              </td>
              <td>
                <code title={e.hash}>{e.requestId ?? '—'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && !error && <p className="muted">{t('audit.empty')}</p>}
      {next !== null && (
        <button type="button" className="text-button" onClick={() => search(filter, next)}>
          {t('audit.more')}
        </button>
      )}
    </SideSheet>
  )
}
