import './csp-zod'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createRestClient } from '../api/rest-client'
import { paletteCssVariables } from '../map2d/palette'
import { createAppStore } from '../state/app-state'
import { App } from './app'
import { LANGUAGE_STORAGE_KEY, initI18n } from './i18n/init-i18n'
import { pickLanguage } from './i18n/pick-language'
import { wireLive } from './live-wiring'
import { ServicesProvider } from './services'
import { parseUrlFlags } from './url-flags'
import './styles.css'

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY)
  } catch {
    return null
  }
}

/** Boot: language, palette, wall mode, REST client, store, live connection, React. */
function boot(): void {
  const flags = parseUrlFlags(window.location.search)
  initI18n(pickLanguage(flags.lang, storedLanguage(), navigator.languages))
  const root = document.documentElement
  for (const [name, value] of Object.entries(paletteCssVariables())) root.style.setProperty(name, value)
  root.classList.toggle('wall', flags.wall)

  const api = createRestClient()
  const store = createAppStore()
  const live = wireLive(store)
  window.addEventListener('pagehide', () => live.stop())

  const container = document.getElementById('root')
  if (!container) throw new Error('index.html has no #root element')
  createRoot(container).render(
    <StrictMode>
      <ServicesProvider services={{ api, store, wall: flags.wall }}>
        <App live={live.connection} />
      </ServicesProvider>
    </StrictMode>,
  )
}

boot()
