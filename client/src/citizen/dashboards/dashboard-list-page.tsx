/**
 * The dashboards (/cittadini/cruscotti): the city's themes — mobility, environment, public works,
 * reports — then the datasets the Comune has loaded (economic activities, welfare, education,
 * culture), each a card leading to its dashboard.
 */
import { useTranslation } from 'react-i18next'
import { Breadcrumbs, PageLink } from '../citizen-layout'
import type { DashboardList, DashboardsClient } from './dashboards-client'
import './dashboards.css'
import { dashboardLang, localeOf, type DashboardLang } from './format-value'
import { useDashboardList } from './use-dashboard'

type Summary = DashboardList['dashboards'][number]

function DashboardCard({ d, lang }: { d: Summary; lang: DashboardLang }) {
  const { t } = useTranslation()
  return (
    <div className="card card-bg dashboard-card">
      <div className="card-body">
        <h3 className="card-title h5">
          <PageLink to={{ page: 'dashboard', id: d.id }}>{d.title[lang]}</PageLink>
        </h3>
        <p className="card-text">{d.description[lang]}</p>
        {d.loadedAtMs !== null && <p className="dashboard-loaded">{t('dashboards.loadedOn', { date: new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(d.loadedAtMs) })}</p>}
      </div>
    </div>
  )
}

function CardList({ items, lang, testId }: { items: readonly Summary[]; lang: DashboardLang; testId: string }) {
  return (
    <ul className="list-unstyled row dashboard-cards" data-testid={testId}>
      {items.map((d) => (
        <li key={d.id} className="col-12 col-md-6 col-lg-4 mb-4 d-flex" data-dashboard-id={d.id}>
          <DashboardCard d={d} lang={lang} />
        </li>
      ))}
    </ul>
  )
}

export function DashboardListPage({ client }: { client: DashboardsClient }) {
  const { t, i18n } = useTranslation()
  const lang = dashboardLang(i18n.resolvedLanguage)
  const { data, error } = useDashboardList(client)
  const themes = data?.dashboards.filter((d) => d.kind === 'theme') ?? []
  const datasets = data?.dashboards.filter((d) => d.kind === 'dataset') ?? []
  return (
    <>
      <Breadcrumbs trail={[]} current={t('dashboards.title')} />
      <h1>{t('dashboards.title')}</h1>
      <p className="lead">{t('dashboards.intro')}</p>
      {error && (
        <div className="alert alert-danger" role="alert">
          {t('dashboards.listFailed', { message: error.message })}
        </div>
      )}
      {!data && !error && <p role="status">{t('dashboards.listLoading')}</p>}
      {data && (
        <>
          <section aria-labelledby="dashboards-themes" className="mt-4">
            <h2 id="dashboards-themes" className="h4">
              {t('dashboards.themes')}
            </h2>
            <CardList items={themes} lang={lang} testId="dashboard-themes" />
          </section>
          <section aria-labelledby="dashboards-datasets" className="mt-2">
            <h2 id="dashboards-datasets" className="h4">
              {t('dashboards.datasets')}
            </h2>
            {datasets.length === 0 ? <p>{t('dashboards.noDatasets')}</p> : <CardList items={datasets} lang={lang} testId="dashboard-datasets" />}
          </section>
          <p className="mt-2">
            <PageLink to={{ page: 'opendata' }}>{t('dashboards.toOpenData')}</PageLink>
          </p>
        </>
      )}
    </>
  )
}
