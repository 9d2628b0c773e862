/**
 * One dashboard (/cittadini/cruscotti/<id>): whatever panels the server sends, in its order — key
 * figures side by side, then choropleths and charts, each exportable — and the sources and licences
 * under them. The view (period, each map's level, measure and selected area, and the language) is
 * kept in the address (url-state.ts), so reloading or opening a shared link shows the same. With ?embed=1 (embedded in
 * another site's page) only the dashboard is drawn, with its sources and a link to open it here; with
 * ?embed=1&panel=<id> only that panel, under the dashboard's name and period, with the sources in a
 * line (an unknown panel id: the whole dashboard). Each panel offers the <iframe> code of that view.
 */
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Panel, ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { Breadcrumbs } from '../citizen-layout'
import { Chart } from './chart'
import { Choropleth } from './choropleth'
import type { DashboardsClient } from './dashboards-client'
import { PeriodSelect, ShareEmbed, viewUrl } from './dashboard-toolbar'
import './dashboards.css'
import { dashboardLang, localeOf, measureOf, type DashboardLang } from './format-value'
import { KpiCard } from './kpi-card'
import { panelIframeCode } from './panel-embed'
import { panelState, parseUrlState, writeUrlState, type ChoroplethView, type DashboardUrlState } from './url-state'
import { useDashboard } from './use-dashboard'

/** The sources and licences as one line (the images' footer). */
export function sourcesLine(d: ThemeDashboard, label: string): string {
  return `${label}: ${d.sources.map((s) => `${s.title} — ${s.attribution} (${s.licence})`).join('; ')}`
}

function Sources({ dashboard }: { dashboard: ThemeDashboard }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="dashboard-sources" className="dashboard-sources">
      <h2 id="dashboard-sources" className="h5">
        {t('dashboards.sources')}
      </h2>
      <ul data-testid="dashboard-sources">
        {dashboard.sources.map((s) => (
          <li key={`${s.title}-${s.attribution}`}>
            {s.url ? <a href={s.url}>{s.title}</a> : s.title} — {s.attribution} — {t('dashboards.licence', { licence: s.licence })}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The sources and licences in one line, with their links (under an embedded panel). */
function SourcesLine({ dashboard }: { dashboard: ThemeDashboard }) {
  const { t } = useTranslation()
  return (
    <p className="dashboard-sources-line" data-testid="dashboard-sources-line">
      {t('dashboards.sourcesShort')}:{' '}
      {dashboard.sources.map((s, i) => (
        <span key={`${s.title}-${s.attribution}`}>
          {i > 0 && '; '}
          {s.url ? <a href={s.url}>{s.title}</a> : s.title} — {s.attribution} ({t('dashboards.licence', { licence: s.licence })})
        </span>
      ))}
    </p>
  )
}

/** "Open in Gemello": this view of the whole dashboard, here, in a new window. */
function OpenInGemello({ state, lang }: { state: DashboardUrlState; lang: DashboardLang }) {
  const { t } = useTranslation()
  return (
    <a href={viewUrl(state, lang, false)} target="_blank" rel="noopener" className="btn btn-outline-primary btn-sm" data-testid="dashboard-open">
      {t('dashboards.openInGemello')}
      <span className="visually-hidden"> {t('dashboards.newWindow')}</span>
    </a>
  )
}

/** Panels in the server's order; consecutive key figures share a row of cards. */
function groupPanels(panels: readonly Panel[]): Array<Panel | Panel[]> {
  const out: Array<Panel | Panel[]> = []
  for (const p of panels) {
    const last = out[out.length - 1]
    if (p.kind === 'kpi' && Array.isArray(last)) last.push(p)
    else out.push(p.kind === 'kpi' ? [p] : p)
  }
  return out
}

function period(d: ThemeDashboard, lang: DashboardLang): { from: string; to: string } | null {
  if (!d.window) return null
  const f = new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'long', timeZone: 'Europe/Rome' })
  return { from: f.format(d.window.fromMs), to: f.format(d.window.toMs) }
}

export function DashboardPage({ id, client, embed = false }: { id: string; client: DashboardsClient; embed?: boolean }) {
  const { t, i18n } = useTranslation()
  const lang = dashboardLang(i18n.resolvedLanguage)
  const [state, setState] = useState<DashboardUrlState>(() => parseUrlState(window.location.search))
  const { data: dashboard, error, loading } = useDashboard(client, id, state.days)
  // The view follows into the address, with the language (replaced, not pushed: Back leaves the dashboard).
  useEffect(() => {
    const current = new URLSearchParams(window.location.search)
    current.set('lang', lang)
    const query = writeUrlState(state, `?${current.toString()}`)
    if (query !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${query}`)
  }, [state, lang])
  const notFound = error?.code === 'DASHBOARD_NOT_FOUND'
  const heading = dashboard ? dashboard.title[lang] : notFound ? t('dashboards.notFound') : t('dashboards.title')
  useEffect(() => {
    document.title = `${heading} — ${t('dashboards.title')} — ${t('owner')}`
  }, [heading, t])
  const setView = (panelId: string, view: ChoroplethView) => setState((s) => ({ ...s, views: { ...s.views, [panelId]: view } }))
  const when = dashboard ? period(dashboard, lang) : null
  const footer = dashboard ? sourcesLine(dashboard, t('dashboards.sourcesShort')) : ''
  /** The one panel an embedded view shows, when the address names one the dashboard has. */
  const only = embed && dashboard && state.panel !== null ? dashboard.panels.find((p) => p.id === state.panel) : undefined
  /** A panel's <iframe> code, at its view now; none inside an embedded view. */
  const embedCodeOf = (p: Panel): string | null => (embed || !dashboard ? null : panelIframeCode(viewUrl(panelState(state, p.id), lang, true), `${p.title[lang]} — ${dashboard.title[lang]} — ${t('owner')}`, p.kind))

  const drawPanel = (p: Panel): ReactNode => {
    if (!dashboard) return null
    if (p.kind === 'choropleth') return <Choropleth key={p.id} dashboardId={dashboard.id} panel={p} measures={dashboard.measures} lang={lang} view={state.views[p.id]} onView={(v) => setView(p.id, v)} client={client} footer={footer} embedCode={embedCodeOf(p)} />
    if (p.kind === 'chart') return <Chart key={p.id} dashboardId={dashboard.id} panel={p} measure={measureOf(dashboard.measures, p.measureId)} lang={lang} footer={footer} embedCode={embedCodeOf(p)} />
    return <KpiCard key={p.id} panel={p} measure={dashboard.measures.find((m) => m.id === p.measureId)} lang={lang} embedCode={embedCodeOf(p)} />
  }

  if (dashboard && only)
    return (
      <>
        <h1 className="dashboard-embed-title" data-testid="dashboard-title">
          {heading}
        </h1>
        <div data-testid="dashboard" data-dashboard-id={dashboard.id} data-panel={only.id} data-state={loading ? 'loading' : 'ready'} aria-busy={loading} className="dashboard-embed-panel">
          {when && <p className="dashboard-window-line">{t('dashboards.window', when)}</p>}
          {drawPanel(only)}
          <SourcesLine dashboard={dashboard} />
          <OpenInGemello state={state} lang={lang} />
        </div>
      </>
    )

  return (
    <>
      {!embed && (
        <Breadcrumbs trail={[{ to: { page: 'dashboards' }, label: t('dashboards.title') }]} current={dashboard ? dashboard.title[lang] : id} />
      )}
      <h1 data-testid="dashboard-title">{heading}</h1>
      {error && !notFound && (
        <div className="alert alert-danger" role="alert">
          {t('dashboards.failed', { message: error.message })}
        </div>
      )}
      {!dashboard && !error && <p role="status">{t('dashboards.loading')}</p>}
      {dashboard && (
        <div data-testid="dashboard" data-dashboard-id={dashboard.id} data-state={loading ? 'loading' : 'ready'} aria-busy={loading}>
          <p className="lead">{dashboard.description[lang]}</p>
          <div className="dashboard-toolbar">
            {when && <p className="dashboard-window mb-0">{t('dashboards.window', when)}</p>}
            <PeriodSelect dashboard={dashboard} onDays={(days) => setState((s) => ({ ...s, days }))} />
            {!embed && <ShareEmbed dashboard={dashboard} state={state} lang={lang} />}
            {embed && <OpenInGemello state={state} lang={lang} />}
          </div>
          {groupPanels(dashboard.panels).map((g) =>
            Array.isArray(g) ? (
              <div key={g.map((p) => p.id).join('+')} className="row dashboard-kpis">
                {g.map((p) =>
                  p.kind === 'kpi' ? (
                    <div key={p.id} className="col-12 col-sm-6 col-lg-3 mb-3">
                      {drawPanel(p)}
                    </div>
                  ) : null,
                )}
              </div>
            ) : (
              drawPanel(g)
            ),
          )}
          {dashboard.panels.length === 0 && <p>{t('dashboards.noPanels')}</p>}
          <Sources dashboard={dashboard} />
        </div>
      )}
    </>
  )
}
