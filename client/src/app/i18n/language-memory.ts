/** Where this browser remembers the chosen language, shared by the operations center and the citizen pages (no translations imported here). */
import type { i18n } from 'i18next'

export const LANGUAGE_STORAGE_KEY = 'gemello.language'

/** The page's lang attribute follows the language, and the choice is remembered by this browser (the citizen pages too). */
export function followLanguage(i: i18n, language: string): void {
  document.documentElement.lang = language
  i.on('languageChanged', (lng) => {
    document.documentElement.lang = lng
    try {
      localStorage.setItem(LANGUAGE_STORAGE_KEY, lng)
    } catch {
      // Storage may be unavailable (kiosk profiles); the choice then lasts for the session.
    }
  })
}
