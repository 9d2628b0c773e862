import './csp-zod'
import i18next from 'i18next'
import { StrictMode, Suspense, lazy } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import type { SessionInfo } from '../../../contracts/api'
import { createRestClient, type RestClient } from '../api/rest-client'
import { paletteCssVariables } from '../map2d/palette'
import { createAppStore } from '../state/app-state'
import { App } from './app'
import { LANGUAGE_STORAGE_KEY, initI18n } from './i18n/init-i18n'
import { pickLanguage } from './i18n/pick-language'
import { withoutLive, wireLive } from './live-wiring'
import { ServicesProvider } from './services'
import { SignInPage } from './sign-in-page'
import { parseUrlFlags } from './url-flags'
import './styles.css'

// The video wall (/wall?layout=<id>) is its own page, loaded only there.
const WallPage = lazy(() => import('../wall/wall-page').then((m) => ({ default: m.WallPage })))
const WALL_PATH = '/wall'

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY)
  } catch {
    return null
  }
}

/** The page's address without the one-time setup token and the provider's error (not for the history). */
function cleanAddress(): void {
  const params = new URLSearchParams(window.location.search)
  params.delete('signInError')
  const qs = params.toString()
  window.history.replaceState(null, '', `${window.location.pathname}${qs ? `?${qs}` : ''}`)
}

/**
 * Boot: language, palette, wall mode, REST client; then the session decides — the operations center
 * for a user who may see the live map, or (without the live devices, never on a wall) for one who may
 * read the PMO portfolio; the sign-in page otherwise (ADR 0005). The live connection starts only once
 * signed in and only with live:read, and a session that ends brings the sign-in page back.
 */
function boot(): void {
  const flags = parseUrlFlags(window.location.search)
  initI18n(pickLanguage(flags.lang, storedLanguage(), navigator.languages))
  const root = document.documentElement
  for (const [name, value] of Object.entries(paletteCssVariables())) root.style.setProperty(name, value)
  root.classList.toggle('wall', flags.wall)

  const api = createRestClient()
  const container = document.getElementById('root')
  if (!container) throw new Error('index.html has no #root element')
  const react = createRoot(container)
  const setupToken = /#setup=([A-Za-z0-9_-]+)/.exec(window.location.hash)?.[1] ?? null
  const providerError = new URLSearchParams(window.location.search).get('signInError')

  const start = (session: SessionInfo) => {
    const wallPage = window.location.pathname === WALL_PATH
    const liveMap = session.permissions.includes('live:read')
    // A PMO officer (pmo:read without live:read) gets the map with the portfolio's sites and the sheets they may read.
    const portfolioOnly = !liveMap && session.permissions.includes('pmo:read') && !wallPage && !flags.wall
    if (!session.signedIn || !(liveMap || portfolioOnly)) {
      void showSignIn(react, api, session.signedIn ? i18next.t('signIn.noLiveRole') : providerError, setupToken, start)
      return
    }
    cleanAddress()
    const store = createAppStore()
    const live = liveMap
      ? wireLive(store, {
          api,
          onSessionEnded: (message) => {
            live.stop()
            void showSignIn(react, api, message, null, start)
          },
        })
      : withoutLive()
    window.addEventListener('pagehide', () => live.stop())
    const signOut = async () => {
      live.stop()
      await api.signOut().catch(() => undefined)
      void showSignIn(react, api, i18next.t('signIn.signedOut'), null, start)
    }
    react.render(
      <StrictMode>
        <ServicesProvider services={{ api, store, wall: flags.wall || wallPage, session, signOut }}>
          {wallPage ? (
            <Suspense fallback={null}>
              <WallPage layoutId={new URLSearchParams(window.location.search).get('layout') ?? 'control-room'} live={live.connection} />
            </Suspense>
          ) : (
            <App live={live.connection} />
          )}
        </ServicesProvider>
      </StrictMode>,
    )
  }

  api.session().then(start, (err: unknown) => {
    react.render(
      <p role="alert" className="boot-error">
        {i18next.t('signIn.unreachable', { message: err instanceof Error ? err.message : String(err) })}
      </p>,
    )
  })
}

async function showSignIn(react: Root, api: RestClient, notice: string | null, setupToken: string | null, onSignedIn: (s: SessionInfo) => void): Promise<void> {
  const [session, about] = await Promise.all([api.session(), api.about().catch(() => null)])
  react.render(
    <StrictMode>
      <SignInPage api={api} session={session} about={about} setupToken={setupToken} notice={notice} onSignedIn={onSignedIn} />
    </StrictMode>,
  )
}

boot()
