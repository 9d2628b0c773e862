/**
 * One dataset in the portal's results: a Bootstrap Italia card with the title (the link to its page),
 * the description shortened, the themes as chips, the formats, the last change and the licence.
 */
import { useTranslation } from 'react-i18next'
import type { OpenDataset } from '../../../../contracts/opendata-api'
import { PageLink } from '../citizen-layout'
import { shorten, type PortalLanguage } from './catalogue-search'
import { formatDay, licenceShortName } from './opendata-format'
import { ThemeChips } from './theme-chips'

export function DatasetCard({ dataset: d, lang }: { dataset: OpenDataset; lang: PortalLanguage }) {
  const { t } = useTranslation()
  const formats = [...new Set(d.distributions.map((x) => x.format))]
  return (
    <article className="card card-bg no-after opendata-card" data-dataset-id={d.id}>
      <div className="card-body">
        <h3 className="card-title h5">
          <PageLink to={{ page: 'dataset', id: d.id }}>{d.title[lang]}</PageLink>
        </h3>
        <p className="card-text">{shorten(d.description[lang])}</p>
        <ThemeChips themes={d.themes} label={t('opendata.themesLabel')} />
        <dl className="opendata-card-facts">
          <dt>{t('opendata.formatsLabel')}</dt>
          <dd>
            {formats.map((f) => (
              <span key={f} className="badge opendata-format me-1" data-format={f}>
                {t(`formats.${f}`)}
              </span>
            ))}
          </dd>
          <dt>{t('opendata.licence')}</dt>
          <dd>{licenceShortName(d.licence)}</dd>
        </dl>
        {d.modifiedMs !== null && (
          <p className="opendata-modified mb-0">
            <time dateTime={new Date(d.modifiedMs).toISOString()}>{t('opendata.modified', { date: formatDay(d.modifiedMs, lang) })}</time>
          </p>
        )}
      </div>
    </article>
  )
}
