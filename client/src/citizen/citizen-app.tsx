import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MySession } from '../../../contracts/my-api'
import type { MyClient } from '../api/my-client'
import { CasePage } from './case-page'
import { CitizenLayout } from './citizen-layout'
import { citizenPath, parseCitizenPath, type CitizenRoute } from './citizen-route'
import { CitizenServicesProvider, type CitizenServices } from './citizen-services'
import { DashboardListPage } from './dashboards/dashboard-list-page'
import { DashboardPage } from './dashboards/dashboard-page'
import { createDashboardsClient, type DashboardsClient } from './dashboards/dashboards-client'
import { isEmbed } from './dashboards/url-state'
import { HomePage } from './home-page'
import { MyCasesPage } from './my-cases-page'
import { DatasetPage } from './opendata/dataset-page'
import { createOpenDataClient, type OpenDataClient } from './opendata/opendata-client'
import { OpenDataPage } from './opendata/opendata-page'
import { ReportPage } from './report-page'

const TITLE_KEY: Record<CitizenRoute['page'], string> = { home: 'home.title', report: 'report.title', mine: 'mine.title', case: 'case.title', opendata: 'opendata.title', dataset: 'opendata.title', dashboards: 'dashboards.title', dashboard: 'dashboards.title', 'not-found': 'case.notFound' }

/** The citizen pages: the session first, then the page the address names; links change the page without a reload. */
export function CitizenApp({ api, openData: givenOpenData, dashboards: givenDashboards }: { api: MyClient; openData?: OpenDataClient; dashboards?: DashboardsClient }) {
  const { t } = useTranslation()
  const openData = useMemo(() => givenOpenData ?? createOpenDataClient(), [givenOpenData])
  const dashboards = useMemo(() => givenDashboards ?? createDashboardsClient(), [givenDashboards])
  const [route, setRoute] = useState<CitizenRoute>(() => parseCitizenPath(window.location.pathname))
  const [session, setSession] = useState<MySession | null>(null)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    const c = new AbortController()
    api.session(c.signal).then(setSession, () => !c.signal.aborted && setSession({ signedIn: false, citizen: null, signInAvailable: false, retentionDays: 365 }))
    return () => c.abort()
  }, [api, attempt])
  useEffect(() => {
    const onPop = () => setRoute(parseCitizenPath(window.location.pathname))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  // Each page has its own title, and focus goes to the page's content when it changes (screen readers hear the new page).
  useEffect(() => {
    // A dataset's or dashboard's page names itself once it knows its title (opendata/dataset-page.tsx, dashboards/dashboard-page.tsx).
    if (route.page === 'dataset' || route.page === 'dashboard') return
    document.title = `${t(TITLE_KEY[route.page], route.page === 'case' ? { id: route.id } : {})} — ${t('site')} — ${t('owner')}`
  }, [route, t])
  const go = useCallback((next: CitizenRoute) => {
    window.history.pushState(null, '', citizenPath(next))
    setRoute(next)
    window.scrollTo(0, 0)
    requestAnimationFrame(() => document.getElementById('main')?.focus())
  }, [])
  const services = useMemo<CitizenServices | null>(() => (session ? { api, session, go, refreshSession: () => setAttempt((n) => n + 1) } : null), [api, session, go])
  if (!services) return null
  // A dashboard embedded in another site's page (?embed=1): the dashboard alone, without the site's header, menu and footer.
  if (route.page === 'dashboard' && isEmbed(window.location.search))
    return (
      <CitizenServicesProvider value={services}>
        <main id="main" className="container-fluid dashboard-embed" tabIndex={-1}>
          <DashboardPage key={route.id} id={route.id} client={dashboards} embed />
        </main>
      </CitizenServicesProvider>
    )
  return (
    <CitizenServicesProvider value={services}>
      <CitizenLayout route={route}>
        {route.page === 'home' && <HomePage />}
        {route.page === 'report' && <ReportPage />}
        {route.page === 'mine' && <MyCasesPage />}
        {route.page === 'case' && <CasePage key={route.id} id={route.id} />}
        {route.page === 'opendata' && <OpenDataPage client={openData} />}
        {route.page === 'dataset' && <DatasetPage key={route.id} id={route.id} client={openData} />}
        {route.page === 'dashboards' && <DashboardListPage client={dashboards} />}
        {route.page === 'dashboard' && <DashboardPage key={route.id} id={route.id} client={dashboards} />}
        {route.page === 'not-found' && <h1>{t('case.notFound')}</h1>}
      </CitizenLayout>
    </CitizenServicesProvider>
  )
}
