/**
 * A dataset's DCAT-AP_IT metadata as a table a person reads (identifier, publisher and rights holder,
 * themes, frequency, licence with its controlled-vocabulary IRI, coverage in time and space, dates,
 * keywords, sources), and its columns (name, type, unit, description in the visitor's language).
 */
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LICENCES, type OpenDataCatalogue, type OpenDataset } from '../../../../contracts/opendata-api'
import type { PortalLanguage } from './catalogue-search'
import { bboxDegrees, formatDay, formatMoment } from './opendata-format'
import { ThemeChips } from './theme-chips'

export function DatasetMetadata({ dataset: d, catalogue: c, lang }: { dataset: OpenDataset; catalogue: OpenDataCatalogue; lang: PortalLanguage }) {
  const { t } = useTranslation()
  const licence = LICENCES[d.licence]
  const none = <span className="text-muted">{t('dataset.none')}</span>
  const rows: Array<[string, ReactNode]> = [
    ['identifier', <code key="id">{d.identifier}</code>],
    ['publisher', c.publisher.name],
    ['holder', c.publisher.name],
    ['themes', <ThemeChips key="themes" themes={d.themes} label={t('dataset.themes')} />],
    ['frequency', t(`frequency.${d.frequency}`)],
    [
      'licence',
      <div key="licence" data-testid="dataset-licence">
        <a href={licence.url} rel="license">
          {licence.name}
        </a>
        <br />
        <span className="small">
          {t('dataset.licenceIri')}: <a href={licence.iri} className="opendata-iri" data-testid="dataset-licence-iri">{licence.iri}</a>
        </span>
      </div>,
    ],
    ['temporal', d.temporal ? t('dataset.temporalRange', { from: formatMoment(d.temporal.startMs, lang), to: formatMoment(d.temporal.endMs, lang) }) : none],
    ['spatial', d.bbox ? t('dataset.bbox', bboxDegrees(d.bbox, lang)) : none],
    ['issued', d.issuedMs !== null ? formatDay(d.issuedMs, lang) : none],
    ['modified', d.modifiedMs !== null ? formatDay(d.modifiedMs, lang) : none],
    ['rows', d.rowCount !== null ? new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'it-IT').format(d.rowCount) : none],
    ['keywords', d.keywords.length > 0 ? d.keywords.join(', ') : none],
    [
      'sources',
      d.sources.length > 0 ? (
        <ul key="sources" className="mb-0 ps-3">
          {d.sources.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      ) : (
        none
      ),
    ],
    ['contact', <a key="contact" href={`mailto:${c.contact.email}`}>{c.contact.name}</a>],
  ]
  return (
    <table className="table opendata-metadata" data-testid="dataset-metadata">
      <caption className="visually-hidden">{t('dataset.metadataCaption')}</caption>
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{t(`dataset.${key}`)}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function DatasetColumns({ dataset: d, lang }: { dataset: OpenDataset; lang: PortalLanguage }) {
  const { t } = useTranslation()
  return (
    <div className="table-responsive">
      <table className="table table-sm" data-testid="dataset-columns">
        <caption>{t('dataset.columnsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dataset.colName')}</th>
            <th scope="col">{t('dataset.colType')}</th>
            <th scope="col">{t('dataset.colUnit')}</th>
            <th scope="col">{t('dataset.colDescription')}</th>
          </tr>
        </thead>
        <tbody>
          {d.geometry !== null && (
            <tr>
              <th scope="row">
                <code>wkt</code>
              </th>
              <td>WKT</td>
              <td>°</td>
              <td>{t('dataset.wkt', { kind: t(`dataset.geometry.${d.geometry}`) })}</td>
            </tr>
          )}
          {d.columns.map((col) => (
            <tr key={col.name}>
              <th scope="row">
                <code>{col.name}</code>
              </th>
              <td>{t(`dataset.types.${col.type}`)}</td>
              <td>{col.unit ?? ''}</td>
              <td>{col.description[lang]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
