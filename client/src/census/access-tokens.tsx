import { useCallback, useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { API_TOKEN_MAX_DAYS } from '../../../contracts/token-api'
import type { ApiToken, CreatedApiToken } from '../api/token-client'
import { useServices } from '../app/services'
import { errorMessage } from '../panels/action-error'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { useCensusServices } from './census-services'

/**
 * Personal access tokens for QGIS and GDAL (docs/access.md): the list (prefix, status, expiry, last
 * use), a new one — its secret shown once, with a copy button and how to set up QGIS and GDAL — and
 * revoking one.
 */
export function AccessTokens() {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { session } = useServices()
  const { tokens } = useCensusServices()
  const ids = useId()
  const fetchTokens = useCallback((signal?: AbortSignal) => tokens.list(signal), [tokens])
  const list = useFetched<ApiToken[]>(fetchTokens)
  const [name, setName] = useState('QGIS')
  const [days, setDays] = useState('90')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const [created, setCreated] = useState<CreatedApiToken | null>(null)
  const [copied, setCopied] = useState(false)
  const username = session.user?.username ?? '<username>'
  const ogc = `${window.location.origin}/ogc`

  const create = (e: FormEvent) => {
    e.preventDefault()
    const n = Number(days)
    if (name.trim() === '' || !Number.isInteger(n) || n < 1 || n > API_TOKEN_MAX_DAYS) {
      setFailure(t('census.tokens.invalid', { max: API_TOKEN_MAX_DAYS }))
      return
    }
    setBusy(true)
    setFailure(null)
    tokens
      .create({ name: name.trim(), expiresInDays: n })
      .then((tk) => {
        setCreated(tk)
        setCopied(false)
        list.reload()
      })
      .catch((err: unknown) => setFailure(errorMessage(err)))
      .finally(() => setBusy(false))
  }
  const revoke = (tk: ApiToken) => {
    if (!window.confirm(t('census.tokens.confirmRevoke', { name: tk.name, prefix: tk.prefix }))) return
    tokens.revoke(tk.id).then(
      () => list.reload(),
      (err: unknown) => setFailure(errorMessage(err)),
    )
  }
  const copy = (secret: string) => {
    void navigator.clipboard?.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    )
  }

  return (
    <details className="census-section" data-testid="census-tokens">
      <summary>{t('census.tokens.title')}</summary>
      <p className="muted small">{t('census.tokens.intro')}</p>
      {list.error && <p className="error-text">{t('census.loadFailed', { message: list.error })}</p>}
      {list.data && list.data.length === 0 && <p className="muted">{t('census.tokens.none')}</p>}
      {list.data && list.data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('census.tokens.name')}</th>
              <th scope="col">{t('census.tokens.status')}</th>
              <th scope="col">{t('census.tokens.expires')}</th>
              <th scope="col">{t('census.tokens.lastUsed')}</th>
              <th scope="col">
                <span className="sr-only">{t('census.tokens.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((tk) => (
              <tr key={tk.id} data-testid={`census-token-${tk.id}`}>
                <td>
                  {tk.name} <code className="muted">{tk.prefix}…</code>
                </td>
                <td>{t(`census.tokens.state.${tk.status}`)}</td>
                <td>{fmt.dateTime(tk.expiresAtMs)}</td>
                <td>{tk.lastUsedAtMs === null ? t('census.tokens.never') : fmt.dateTime(tk.lastUsedAtMs)}</td>
                <td>
                  {tk.status === 'active' && (
                    <button type="button" className="text-button" onClick={() => revoke(tk)}>
                      {t('census.tokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="cr-form census-token-form" onSubmit={create} aria-labelledby={`${ids}-new`}>
        <h4 id={`${ids}-new`}>{t('census.tokens.new')}</h4>
        <label>
          {t('census.tokens.name')}
          <input value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder={t('census.tokens.namePlaceholder')} />
        </label>
        <label>
          {t('census.tokens.days')}
          <input type="number" min={1} max={API_TOKEN_MAX_DAYS} value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
        <div className="form-actions">
          <button type="submit" className="primary-button" disabled={busy}>
            {t('census.tokens.create')}
          </button>
        </div>
        {failure && (
          <p className="error-text" role="alert">
            {failure}
          </p>
        )}
      </form>
      {created && (
        <div className="census-secret" role="status" data-testid="census-token-secret">
          <p>
            <strong>{t('census.tokens.secretOnce')}</strong>
          </p>
          <div className="census-secret-row">
            <input readOnly value={created.secret} aria-label={t('census.tokens.secret')} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="text-button" onClick={() => copy(created.secret)}>
              {copied ? t('census.tokens.copied') : t('census.tokens.copy')}
            </button>
          </div>
          <h4>QGIS</h4>
          <p className="small">{t('census.tokens.qgis', { username, url: ogc })}</p>
          <h4>GDAL</h4>
          <pre className="census-code">
            {`GDAL_HTTP_USERPWD='${username}:${created.secret}' ogrinfo OAPIF:${ogc}\nGDAL_HTTP_HEADERS='Authorization: Bearer ${created.secret}' ogr2ogr -f GPKG poles.gpkg OAPIF:${ogc} poles`}
          </pre>
          <button type="button" className="text-button" onClick={() => setCreated(null)}>
            {t('census.tokens.hideSecret')}
          </button>
        </div>
      )}
    </details>
  )
}
