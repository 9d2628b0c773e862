/**
 * A dataset's landing page (/cittadini/dati/<id>, its dcat:landingPage): title and description, the
 * files to download, a preview (map or first rows), the DCAT-AP_IT metadata and the columns. The page
 * names itself in the document title once the dataset is known.
 */
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Breadcrumbs } from '../citizen-layout'
import { DatasetDownloads } from './dataset-downloads'
import { DatasetColumns, DatasetMetadata } from './dataset-metadata'
import { DatasetPreview } from './dataset-preview'
import type { OpenDataClient } from './opendata-client'
import { portalLanguage } from './opendata-format'
import './opendata.css'
import { useCatalogue } from './use-catalogue'

export function DatasetPage({ id, client }: { id: string; client: OpenDataClient }) {
  const { t, i18n } = useTranslation()
  const lang = portalLanguage(i18n.resolvedLanguage)
  const { catalogue, error } = useCatalogue(client)
  const d = catalogue?.datasets.find((x) => x.id === id) ?? null
  const published = d !== null && d.status === 'published' && d.distributions.length > 0
  const heading = d ? d.title[lang] : catalogue ? t('dataset.notFound') : id
  useEffect(() => {
    document.title = `${heading} — ${t('opendata.title')} — ${t('owner')}`
  }, [heading, t])
  return (
    <>
      <Breadcrumbs trail={[{ to: { page: 'opendata' }, label: t('opendata.title') }]} current={d ? d.title[lang] : id} />
      <h1 data-testid="dataset-title">{heading}</h1>
      {error && (
        <div className="alert alert-danger" role="alert">
          {t('opendata.failed', { message: error })}
        </div>
      )}
      {!catalogue && !error && <p role="status">{t('dataset.loading')}</p>}
      {catalogue && d && (
        <div data-testid="dataset" data-dataset-id={d.id}>
          <p className="lead">{d.description[lang]}</p>
          {!published && (
            <div className="alert alert-info" role="status">
              {t('dataset.notPublished')}
            </div>
          )}
          {published && (
            <>
              <section aria-labelledby="dataset-downloads" className="mt-4">
                <h2 id="dataset-downloads" className="h4">
                  {t('dataset.downloads')}
                </h2>
                <DatasetDownloads distributions={d.distributions} lang={lang} />
              </section>
              <section aria-labelledby="dataset-preview" className="mt-4" data-testid="dataset-preview">
                <h2 id="dataset-preview" className="h4">
                  {t('dataset.preview')}
                </h2>
                <DatasetPreview dataset={d} client={client} lang={lang} />
              </section>
            </>
          )}
          <section aria-labelledby="dataset-metadata" className="mt-4">
            <h2 id="dataset-metadata" className="h4">
              {t('dataset.metadata')}
            </h2>
            <DatasetMetadata dataset={d} catalogue={catalogue} lang={lang} />
          </section>
          <section aria-labelledby="dataset-columns" className="mt-4">
            <h2 id="dataset-columns" className="h4">
              {t('dataset.columns')}
            </h2>
            <DatasetColumns dataset={d} lang={lang} />
          </section>
        </div>
      )}
    </>
  )
}
