/** The citizen pages' boot (loaded by main.tsx once zod is told not to try eval). */
import i18next from 'i18next'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { initReactI18next } from 'react-i18next'
import 'bootstrap-italia/dist/css/bootstrap-italia.min.css'
// Titillium Web, Designers Italia's typeface, from the package (no font CDN).
import '@fontsource/titillium-web/400.css'
import '@fontsource/titillium-web/600.css'
import '@fontsource/titillium-web/700.css'
import { createMyClient } from '../api/my-client'
import { followLanguage, LANGUAGE_STORAGE_KEY } from '../app/i18n/language-memory'
import { pickLanguage } from '../app/i18n/pick-language'
import { CitizenApp } from './citizen-app'
import './citizen.css'
import en from './i18n/citizen.en.json'
import it from './i18n/citizen.it.json'

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY)
  } catch {
    return null
  }
}

const lang = pickLanguage(new URLSearchParams(window.location.search).get('lang'), storedLanguage(), navigator.languages)
void i18next.use(initReactI18next).init({ resources: { it: { translation: it }, en: { translation: en } }, lng: lang, fallbackLng: 'it', supportedLngs: ['it', 'en'], interpolation: { escapeValue: false }, initAsync: false })
followLanguage(i18next, lang)

const container = document.getElementById('root')
if (!container) throw new Error('cittadini.html has no #root element')
createRoot(container).render(
  <StrictMode>
    <CitizenApp api={createMyClient()} />
  </StrictMode>,
)
