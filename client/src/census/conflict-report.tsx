import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CollectionId } from '../../../contracts/schemas/census'
import type { Conflict } from '../api/census-client'
import { errorMessage } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { useCensusServices } from './census-services'
import { useLang } from './use-lang'

/**
 * Changes that were applied as "last writer wins" — QGIS edits that named no version, so they may have
 * overwritten someone's change unseen (GET /api/census/conflicts): who overwrote whom, newest first.
 * Fetched when opened.
 */
export function ConflictReport({ onOpenFeature }: { onOpenFeature(collection: CollectionId, id: number): void }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const lang = useLang()
  const { client, model } = useCensusServices()
  const [list, setList] = useState<Conflict[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    client.conflicts({ limit: 50 }).then(
      (c) => {
        setList(c)
        setError(null)
      },
      (err: unknown) => setError(errorMessage(err)),
    )
  }, [client])
  const title = (c: CollectionId) => model.types.find((x) => x.id === c)?.title[lang] ?? c

  return (
    <details className="census-section" onToggle={(e) => (e.currentTarget.open && list === null ? load() : undefined)} data-testid="census-conflict-report">
      <summary>{t('census.conflicts.title')}</summary>
      <p className="muted small">{t('census.conflicts.intro')}</p>
      {error && <p className="error-text">{t('census.loadFailed', { message: error })}</p>}
      {list && list.length === 0 && <p className="muted">{t('census.conflicts.none')}</p>}
      {list && list.length > 0 && (
        <ul className="census-conflict-list">
          {list.map((c) => (
            <li key={`${c.collection}/${c.id}/${c.version}`}>
              <button type="button" className="link-button" onClick={() => onOpenFeature(c.collection, c.id)}>
                {title(c.collection)} #{c.id} v{c.version}
              </button>{' '}
              <span className="badge census-badge census-lww">{t('census.history.lww')}</span>
              <div className="muted small">
                {c.deleted ? t('census.conflicts.deletedBy', { editor: c.editor, at: fmt.dateTime(c.atMs) }) : t('census.conflicts.changedBy', { editor: c.editor, at: fmt.dateTime(c.atMs) })}
                {c.overwrittenEditor && c.overwrittenAtMs !== null && ` ${t('census.conflicts.overwrote', { editor: c.overwrittenEditor, at: fmt.dateTime(c.overwrittenAtMs) })}`}
              </div>
            </li>
          ))}
        </ul>
      )}
      {list && (
        <button type="button" className="text-button" onClick={load}>
          {t('census.conflicts.reload')}
        </button>
      )}
    </details>
  )
}
