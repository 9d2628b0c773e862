/**
 * The portal's "for developers" box: the catalogue as DCAT-AP_IT RDF (Turtle, RDF/XML, JSON-LD), the
 * CKAN-compatible API harvesters read, and the metadata's quality — the last SHACL validation's
 * violations (zero when they conform), or that it was not validated and why.
 */
import { useTranslation } from 'react-i18next'
import type { OpenDataCatalogue } from '../../../../contracts/opendata-api'
import type { PortalLanguage } from './catalogue-search'
import { formatMoment } from './opendata-format'

export function DevelopersBox({ catalogue: c, lang }: { catalogue: OpenDataCatalogue; lang: PortalLanguage }) {
  const { t } = useTranslation()
  const v = c.validation
  return (
    <section className="card card-bg opendata-developers mt-5" aria-labelledby="opendata-developers" data-testid="opendata-developers">
      <div className="card-body">
        <h2 id="opendata-developers" className="h4 card-title">
          {t('opendata.developers')}
        </h2>
        <p>{t('opendata.developersIntro')}</p>
        <h3 className="h6">{t('opendata.rdf')}</h3>
        <ul className="list-inline">
          <li className="list-inline-item">
            <a href={c.links.turtle} type="text/turtle">
              Turtle
            </a>
          </li>
          <li className="list-inline-item">
            <a href={c.links.rdfXml} type="application/rdf+xml">
              RDF/XML
            </a>
          </li>
          <li className="list-inline-item">
            <a href={c.links.jsonLd} type="application/ld+json">
              JSON-LD
            </a>
          </li>
        </ul>
        <p>
          <a href={c.links.ckan}>{t('opendata.ckan')}</a>
        </p>
        <h3 className="h6">{t('opendata.quality')}</h3>
        <p data-testid="opendata-quality" className="mb-0">
          {v === null
            ? t('opendata.noValidation')
            : !v.validated
              ? `${t('opendata.notValidated', { date: formatMoment(v.atMs, lang) })}${v.note ? ` ${v.note}` : ''}`
              : v.violations.length === 0
                ? t('opendata.conforms', { date: formatMoment(v.atMs, lang) })
                : t('opendata.violations', { count: v.violations.length, date: formatMoment(v.atMs, lang) })}
          {v?.validated && v.warnings.length > 0 && ` ${t('opendata.warnings', { count: v.warnings.length })}`}
        </p>
        <p className="mt-3 mb-0">
          <a href={`mailto:${c.contact.email}`}>{t('opendata.contact', { name: c.contact.name })}</a>
        </p>
      </div>
    </section>
  )
}
