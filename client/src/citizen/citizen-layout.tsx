import type { MouseEvent, ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { citizenPath, type CitizenRoute } from './citizen-route'
import { useCitizen } from './citizen-services'

/** A link to a citizen page that changes the page without reloading it (a real href for new tabs and crawlers). */
/** Bootstrap Italia's breadcrumb: Home, then the pages above this one, then this page (not a link). */
export function Breadcrumbs({ trail, current }: { trail: ReadonlyArray<{ to: CitizenRoute; label: string }>; current: ReactNode }) {
  const { t } = useTranslation()
  return (
    <nav aria-label="breadcrumb" className="breadcrumb-container">
      <ol className="breadcrumb">
        {[{ to: { page: 'home' } as CitizenRoute, label: t('nav.home') }, ...trail].map((c) => (
          <li key={c.label} className="breadcrumb-item">
            <PageLink to={c.to}>{c.label}</PageLink>
            <span className="separator">/</span>
          </li>
        ))}
        <li className="breadcrumb-item active" aria-current="page">
          {current}
        </li>
      </ol>
    </nav>
  )
}

export function PageLink({ to, className, children }: { to: CitizenRoute; className?: string; children: ReactNode }) {
  const { go } = useCitizen()
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    go(to)
  }
  return (
    <a href={citizenPath(to)} className={className} onClick={onClick}>
      {children}
    </a>
  )
}

/** "Entra con SPID o CIE", or who is signed in with the way out. */
export function SignInBox({ returnTo, onPage = false }: { returnTo: string; onPage?: boolean }) {
  const { t } = useTranslation()
  const { api, session, refreshSession } = useCitizen()
  if (session.signedIn && session.citizen)
    return (
      <div className="it-header-slim-right-zone">
        <span className={onPage ? '' : 'citizen-who'}>{t('signIn.signedInAs', { name: session.citizen.displayName, code: session.citizen.fiscalCodeHint })}</span>
        <button type="button" className={onPage ? 'btn btn-outline-primary' : 'btn btn-sm citizen-slim-btn'} onClick={() => void api.signOut().then(refreshSession)}>
          {t('signIn.signOut')}
        </button>
      </div>
    )
  return session.signInAvailable ? (
    <a className={onPage ? 'btn btn-primary' : 'btn btn-sm citizen-slim-btn'} href={api.signInUrl(returnTo)} data-testid="citizen-sign-in">
      {t('signIn.button')}
    </a>
  ) : (
    // On the slim header's dark blue in white, as who is signed in (the page's own box keeps the body text).
    <span className={onPage ? '' : 'citizen-who'}>{t('signIn.unavailable')}</span>
  )
}

/**
 * The Designers Italia page frame (Bootstrap Italia): skip link, slim header with the owning body, the
 * language switch and the sign-in, the centre header with the site's name, the main menu, the page,
 * and the footer with the mandatory links (legal notes, privacy, accessibility statement) and the data
 * attributions.
 */
export function CitizenLayout({ route, children }: { route: CitizenRoute; children: ReactNode }) {
  const { t, i18n } = useTranslation()
  const lang = (i18n.resolvedLanguage ?? i18n.language).startsWith('en') ? 'en' : 'it'
  const here = `${window.location.pathname}${window.location.search}`
  return (
    <>
      <a className="visually-hidden-focusable citizen-skip" href="#main">
        {t('skip')}
      </a>
      <header className="it-header-wrapper">
        <div className="it-header-slim-wrapper">
          <div className="container">
            <div className="it-header-slim-wrapper-content">
              <a className="d-lg-block navbar-brand" href="https://www.comune.bologna.it">
                {t('owner')}
              </a>
              <div className="it-header-slim-right-zone" role="navigation" aria-label={t('language')}>
                {(['it', 'en'] as const).map((l) => (
                  <button key={l} type="button" className="btn btn-sm citizen-slim-btn" aria-pressed={l === lang} lang={l} onClick={() => void i18n.changeLanguage(l)}>
                    {l === 'it' ? 'Italiano' : 'English'}
                  </button>
                ))}
                <SignInBox returnTo={here} />
              </div>
            </div>
          </div>
        </div>
        <div className="it-header-center-wrapper">
          <div className="container">
            <div className="it-header-center-content-wrapper">
              <div className="it-brand-wrapper">
                <PageLink to={{ page: 'home' }}>
                  <div className="it-brand-text">
                    <div className="it-brand-title">{t('site')}</div>
                    <div className="it-brand-tagline d-none d-md-block">{t('tagline')}</div>
                  </div>
                </PageLink>
              </div>
            </div>
          </div>
        </div>
        <div className="it-header-navbar-wrapper">
          <div className="container">
            <nav className="navbar navbar-expand-lg has-megamenu" aria-label={t('nav.label')}>
              <ul className="navbar-nav citizen-nav">
                {(
                  [
                    ['home', t('nav.home')],
                    ['report', t('nav.report')],
                    ['mine', t('nav.mine')],
                    ['opendata', t('nav.opendata')],
                    ['dashboards', t('nav.dashboards')],
                  ] as const
                ).map(([page, label]) => (
                  <li key={page} className="nav-item">
                    <PageLink to={{ page } as CitizenRoute} className={`nav-link${route.page === page || (page === 'opendata' && route.page === 'dataset') || (page === 'dashboards' && route.page === 'dashboard') ? ' active' : ''}`}>
                      <span>{label}</span>
                    </PageLink>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </div>
      </header>
      <main id="main" className="container my-4" tabIndex={-1}>
        {children}
      </main>
      <footer className="it-footer">
        <div className="it-footer-small-prints clearfix">
          <div className="container">
            <ul className="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
              <li className="list-inline-item">
                <a href="https://www.comune.bologna.it/note-legali">{t('footer.legal')}</a>
              </li>
              <li className="list-inline-item">
                <a href="https://www.comune.bologna.it/privacy">{t('footer.privacy')}</a>
              </li>
              <li className="list-inline-item">
                <a href="https://form.agid.gov.it/view/comune-di-bologna">{t('footer.accessibility')}</a>
              </li>
              <li className="list-inline-item citizen-attribution">{t('footer.data')}</li>
            </ul>
          </div>
        </div>
      </footer>
    </>
  )
}
