import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { QuarantineEntry } from '../../../contracts/schemas/quarantine'
import { useServices } from '../app/services'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'

const PAGE = 50

/** The messages the ingest refused, newest first: time, topic, reason, detail and a payload preview. */
export function QuarantinePanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const [entries, setEntries] = useState<QuarantineEntry[]>([])
  const [total, setTotal] = useState<number | null>(null)
  const [next, setNext] = useState<number | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(
    (beforeId?: number, signal?: AbortSignal) => {
      setLoading(true)
      api
        .listQuarantine({ limit: PAGE, beforeId }, signal)
        .then((page) => {
          setEntries((prev) => (beforeId === undefined ? page.entries : [...prev, ...page.entries]))
          setTotal(page.total)
          setNext(page.nextBeforeId)
          setError(null)
        })
        .catch((err: unknown) => {
          if (!signal?.aborted) setError(err instanceof Error ? err.message : String(err))
        })
        .finally(() => {
          if (!signal?.aborted) setLoading(false)
        })
    },
    [api],
  )

  useEffect(() => {
    const controller = new AbortController()
    load(undefined, controller.signal)
    return () => controller.abort()
  }, [load])

  return (
    <SideSheet title={t('quarantine.title')} closeLabel={t('quarantine.close')} onClose={onClose} side="right" wide className="quarantine-panel">
      {total !== null && <p className="muted">{t('quarantine.total', { count: total })}</p>}
      {error && <p className="error-text">{t('quarantine.loadFailed', { message: error })}</p>}
      {!loading && !error && entries.length === 0 && <p className="muted">{t('quarantine.empty')}</p>}
      {entries.length > 0 && (
        <ol className="quarantine-list">
          {entries.map((e) => (
            <li key={e.id}>
              <div className="quarantine-head">
                <time dateTime={new Date(e.receivedAtMs).toISOString()}>{fmt.dateTime(e.receivedAtMs)}</time>
                <span className="badge badge-reason">{e.reason}</span>
              </div>
              <dl className="quarantine-fields">
                <div>
                  <dt>{t('quarantine.topic')}</dt>
                  <dd>
                    <code>{e.topic}</code>
                  </dd>
                </div>
                <div>
                  <dt>{t('quarantine.reason')}</dt>
                  <dd>{t(`quarantine.reasons.${e.reason}`)}</dd>
                </div>
                <div>
                  <dt>{t('quarantine.detail')}</dt>
                  <dd>{e.detail}</dd>
                </div>
              </dl>
              <details>
                <summary>
                  {t('quarantine.payload')} · {t('quarantine.bytes', { count: e.payloadBytes })}
                </summary>
                <pre className="payload-preview">{e.payloadPreview}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
      {loading && <p className="muted">{t('quarantine.loading')}</p>}
      {!loading && next !== null && (
        <button type="button" className="text-button" onClick={() => load(next)}>
          {t('quarantine.more')}
        </button>
      )}
    </SideSheet>
  )
}
