/**
 * A dataset's files, one row each: format, size, SHA-256 (shortened, the full one in the title and a
 * copy button) and the download link — or, for the OGC API Features collection, the link to its items.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Distribution } from '../../../../contracts/opendata-api'
import type { PortalLanguage } from './catalogue-search'
import { formatBytes, shortHash } from './opendata-format'

export function DatasetDownloads({ distributions, lang }: { distributions: readonly Distribution[]; lang: PortalLanguage }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState<string | null>(null)
  const canCopy = typeof navigator !== 'undefined' && navigator.clipboard !== undefined
  const copy = (format: string, sha: string) =>
    void navigator.clipboard.writeText(sha).then(
      () => setCopied(t('dataset.copied', { format })),
      () => setCopied(null),
    )
  return (
    <>
      <div className="table-responsive">
        <table className="table opendata-downloads" data-testid="dataset-downloads">
          <caption>{t('dataset.downloadsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dataset.format')}</th>
              <th scope="col">{t('dataset.size')}</th>
              <th scope="col">{t('dataset.sha256')}</th>
              <th scope="col">{t('dataset.link')}</th>
            </tr>
          </thead>
          <tbody>
            {distributions.map((x) => {
              const format = t(`formats.${x.format}`)
              return (
                <tr key={x.format} data-format={x.format}>
                  <th scope="row">
                    {format} <span className="small text-muted d-block">{x.mediaType}</span>
                  </th>
                  <td>{x.byteSize !== null ? formatBytes(x.byteSize, lang) : '—'}</td>
                  <td>
                    {x.sha256 ? (
                      <>
                        <code title={x.sha256} data-sha256={x.sha256}>
                          {shortHash(x.sha256)}
                        </code>
                        {canCopy && (
                          <button type="button" className="btn btn-link btn-sm py-0 opendata-copy" aria-label={t('dataset.copyLabel', { format })} onClick={() => copy(format, x.sha256!)}>
                            {t('dataset.copy')}
                          </button>
                        )}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {x.format === 'api' ? (
                      <a href={x.url} type={x.mediaType} data-testid="download-api">
                        {t('dataset.apiLink')}
                      </a>
                    ) : (
                      <a href={x.url} download type={x.mediaType} data-testid={`download-${x.format}`}>
                        {t('dataset.download', { format })}
                      </a>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <p className="visually-hidden" role="status">
        {copied ?? ''}
      </p>
    </>
  )
}
