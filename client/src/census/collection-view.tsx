import { useDeferredValue, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { usePermission } from '../panels/use-permission'
import { useFormatters } from '../panels/use-formatters'
import { ExportMenu } from './export-menu'
import { featureLabel, matchesSearch } from './feature-label'
import type { ModelType } from './form-model'
import { GeometryGlyph } from './geometry-glyph'
import { ImportDialog } from './import-dialog'
import { useLang } from './use-lang'
import type { ViewportFeatures } from './use-viewport-features'

/** Rows the list shows before "show more": a long list costs the page, not the map. */
const LIST_PAGE = 200

export interface CollectionViewProps {
  type: ModelType
  features: ViewportFeatures
  onOpen(id: number): void
  onNew(): void
  onImported(): void
}

/** One collection: new, import, export; the features in the map's view, searchable; a click opens one. */
export function CollectionView({ type, features, onOpen, onNew, onImported }: CollectionViewProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const lang = useLang()
  const write = usePermission('census:write')
  const [query, setQuery] = useState('')
  const [shown, setShown] = useState(LIST_PAGE)
  const [importing, setImporting] = useState(false)
  const deferred = useDeferredValue(query)
  const matching = useMemo(() => features.features.filter((f) => matchesSearch(f, deferred)), [features.features, deferred])
  const status = type.attributes.find((a) => a.name === 'status')
  const statusLabel = (code: unknown) => status?.codes?.find((c) => c.code === code)?.label[lang] ?? ''
  const summary = features.summary

  return (
    <div className="census-collection" data-testid="census-collection" data-collection={type.id}>
      <p className="muted small">
        <GeometryGlyph type={type.geometryType} /> {t(`census.geometry.${type.geometryType}`)} · {type.description[lang]}
      </p>
      <div className="census-toolbar">
        <button type="button" className="primary-button" onClick={onNew} disabled={!write.allowed || features.noMap} title={write.reason ?? (features.noMap ? t('census.list.needMap') : undefined)} data-testid="census-new">
          + {t('census.list.new', { type: type.title[lang] })}
        </button>
        <button type="button" className="text-button" onClick={() => setImporting((o) => !o)} disabled={!write.allowed} title={write.reason} aria-expanded={importing} data-testid="census-import-open">
          {t('census.import.open')}
        </button>
        <ExportMenu collection={type.id} />
      </div>
      {!write.allowed && <p className="permission-note">{t('census.readOnly')}</p>}
      {importing && (
        <ImportDialog
          type={type}
          onClose={() => setImporting(false)}
          onImported={() => {
            setImporting(false)
            onImported()
          }}
        />
      )}
      <label className="census-search">
        {t('census.list.search')}
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('census.list.searchPlaceholder')} data-testid="census-search" />
      </label>
      {features.noMap && <p className="muted">{t('census.list.needMap')}</p>}
      {features.error && <p className="error-text">{t('census.loadFailed', { message: features.error })}</p>}
      {summary && (
        <p className="muted small" role="status" data-testid="census-list-summary" data-total={summary.total} data-shown={summary.shown}>
          {features.loading ? `${t('census.loading')} ` : ''}
          {query ? t('census.list.matching', { count: matching.length, shown: fmt.number(summary.shown) }) : t('census.list.inView', { count: summary.shown, total: fmt.number(summary.total) })}
        </p>
      )}
      {summary?.truncated && (
        <p className="census-note" data-testid="census-zoom-in">
          ▲ {t('census.list.zoomIn', { shown: fmt.number(summary.shown), total: fmt.number(summary.total) })}
        </p>
      )}
      <ul className="census-feature-list" data-testid="census-feature-list" aria-label={t('census.list.label', { type: type.title[lang] })}>
        {matching.slice(0, shown).map((f) => (
          <li key={f.id}>
            <button type="button" className="census-feature-row" onClick={() => onOpen(f.id)} data-testid={`census-feature-${f.id}`}>
              <span className="census-feature-name">{featureLabel(f)}</span>
              <span className="muted small">
                #{f.id} · {statusLabel(f.properties.status)} · v{String(f.properties._version ?? '')}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {matching.length > shown && (
        <button type="button" className="text-button" onClick={() => setShown((n) => n + LIST_PAGE)}>
          {t('census.list.more', { count: Math.min(LIST_PAGE, matching.length - shown) })}
        </button>
      )}
      {summary && matching.length === 0 && <p className="muted">{query ? t('census.list.noMatch') : t('census.list.empty')}</p>}
    </div>
  )
}
