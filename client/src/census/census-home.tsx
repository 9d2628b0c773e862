import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { CollectionId } from '../../../contracts/schemas/census'
import type { CollectionSummary } from '../api/census-client'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { AccessTokens } from './access-tokens'
import { ConflictReport } from './conflict-report'
import { useCensusServices } from './census-services'
import { GeometryGlyph } from './geometry-glyph'
import { useLang } from './use-lang'

export interface CensusHomeProps {
  onOpenCollection(collection: CollectionId): void
  onOpenFeature(collection: CollectionId, id: number): void
}

/** The collections with their feature counts and geometry types; the QGIS overwrites; the access tokens for QGIS. */
export function CensusHome({ onOpenCollection, onOpenFeature }: CensusHomeProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const lang = useLang()
  const { client } = useCensusServices()
  const write = usePermission('census:write')
  const tokens = usePermission('api-token:own')
  const fetchCollections = useCallback((signal?: AbortSignal) => client.collections(lang, signal), [client, lang])
  const collections = useFetched<CollectionSummary[]>(fetchCollections)

  return (
    <div className="census-home">
      <p className="muted small">{write.allowed ? t('census.home.intro') : t('census.home.introReadOnly')}</p>
      {collections.error && <p className="error-text">{t('census.loadFailed', { message: collections.error })}</p>}
      {!collections.data && !collections.error && <p className="muted">{t('census.loading')}</p>}
      {collections.data && (
        <table className="data-table census-collections" data-testid="census-collections">
          <caption className="sr-only">{t('census.home.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('census.home.collection')}</th>
              <th scope="col">{t('census.home.geometry')}</th>
              <th scope="col" className="num">
                {t('census.home.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {collections.data.map((c) => (
              <tr key={c.id} data-testid={`census-collection-${c.id}`}>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onOpenCollection(c.id)} title={c.description}>
                    {c.title}
                  </button>
                  {c.editMode === 'strict' && (
                    <span className="badge census-badge" title={t('census.home.strictTitle')}>
                      {t('census.home.strict')}
                    </span>
                  )}
                </th>
                <td>
                  <GeometryGlyph type={c.geometryType} /> {t(`census.geometry.${c.geometryType}`)}
                </td>
                <td className="num">{fmt.number(c.numberOfFeatures)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConflictReport onOpenFeature={onOpenFeature} />
      {tokens.allowed && <AccessTokens />}
    </div>
  )
}
