/**
 * The open-data portal's catalogue (/cittadini/dati): what the city publishes, searchable by words and
 * filterable by theme and format, each dataset a card leading to its page; then the box for
 * developers (DCAT-AP_IT RDF, CKAN API, metadata quality). Only published datasets with files appear.
 */
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Breadcrumbs, PageLink } from '../citizen-layout'
import { CatalogueFilters } from './catalogue-filters'
import { facets, filterDatasets, filterFromQuery, filterToQuery, listedDatasets, type CatalogueFilter } from './catalogue-search'
import { DatasetCard } from './dataset-card'
import { DevelopersBox } from './developers-box'
import type { OpenDataClient } from './opendata-client'
import { portalLanguage } from './opendata-format'
import './opendata.css'
import { useCatalogue } from './use-catalogue'

export function OpenDataPage({ client }: { client: OpenDataClient }) {
  const { t, i18n } = useTranslation()
  const lang = portalLanguage(i18n.resolvedLanguage)
  const { catalogue, error } = useCatalogue(client)
  const [filter, setFilter] = useState<CatalogueFilter>(() => filterFromQuery(window.location.search))
  // The filter stays in the address: Back from a dataset returns to the same results.
  useEffect(() => {
    const query = filterToQuery(filter, window.location.search)
    if (query !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${query}`)
  }, [filter])
  const listed = useMemo(() => (catalogue ? listedDatasets(catalogue) : []), [catalogue])
  const found = useMemo(() => filterDatasets(listed, filter, lang), [listed, filter, lang])
  const offered = useMemo(() => facets(listed), [listed])
  return (
    <>
      <Breadcrumbs trail={[]} current={t('opendata.title')} />
      <h1>{t('opendata.title')}</h1>
      {catalogue && <p className="lead">{catalogue.description[lang]}</p>}
      <p>
        <PageLink to={{ page: 'dashboards' }}>{t('opendata.dashboards')}</PageLink>
      </p>
      {error && (
        <div className="alert alert-danger" role="alert">
          {t('opendata.failed', { message: error })}
        </div>
      )}
      {!catalogue && !error && <p role="status">{t('opendata.loading')}</p>}
      {catalogue && (
        <>
          <div className="row mt-4">
            <div className="col-12 col-lg-4 mb-4">
              <CatalogueFilters filter={filter} themes={offered.themes} formats={offered.formats} onChange={setFilter} />
            </div>
            <section className="col-12 col-lg-8" aria-labelledby="opendata-results">
              <h2 id="opendata-results" className="h4">
                {t('opendata.results')}
              </h2>
              <p aria-live="polite" aria-atomic="true" data-testid="opendata-count">
                {t('opendata.count', { count: found.length, total: listed.length })}
              </p>
              {found.length === 0 ? (
                <p>{t('opendata.none')}</p>
              ) : (
                <ul className="list-unstyled row opendata-results" data-testid="opendata-results">
                  {found.map((d) => (
                    <li key={d.id} className="col-12 col-xl-6 mb-4 d-flex">
                      <DatasetCard dataset={d} lang={lang} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
          <DevelopersBox catalogue={catalogue} lang={lang} />
        </>
      )}
    </>
  )
}
