import { useTranslation } from 'react-i18next'
import { EXPORT_FORMATS } from '../../../contracts/census-api'
import type { CollectionId } from '../../../contracts/schemas/census'
import { useCensusServices } from './census-services'

/** The five download formats of a collection; FlatGeobuf and GeoPackage are the ones for large downloads. */
export function ExportMenu({ collection }: { collection: CollectionId }) {
  const { t } = useTranslation()
  const { client } = useCensusServices()
  return (
    <details className="census-export" data-testid="census-export">
      <summary className="text-button">{t('census.export.open')}</summary>
      <ul className="cr-menu-list census-export-list">
        {EXPORT_FORMATS.map((f) => (
          <li key={f}>
            <a className="cr-menu-item" href={client.exportUrl(collection, f)} download data-testid={`census-export-${f}`}>
              {t(`census.export.format.${f}`)}
              <span className="muted small"> {t(`census.export.hint.${f}`)}</span>
            </a>
          </li>
        ))}
      </ul>
    </details>
  )
}
