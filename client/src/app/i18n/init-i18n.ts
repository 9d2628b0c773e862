import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './en.json'
import it from './it.json'
import controlRoomEn from './control-room.en.json'
import controlRoomIt from './control-room.it.json'
import wallEn from './wall.en.json'
import wallIt from './wall.it.json'
import signalsEn from './signals.en.json'
import signalsIt from './signals.it.json'
import censusEn from './census.en.json'
import censusIt from './census.it.json'
import scenariosEn from './scenarios.en.json'
import scenariosIt from './scenarios.it.json'
import casesEn from './cases.en.json'
import casesIt from './cases.it.json'
import pmoEn from './pmo.en.json'
import pmoIt from './pmo.it.json'
import type { Language } from './pick-language'
import { followLanguage } from './language-memory'

export { LANGUAGE_STORAGE_KEY, followLanguage } from './language-memory'

/** Translations of one language: the base file and one file per area (control room, wall, signal workbench, census, scenarios, citizen cases, PMO), merged. */
export const RESOURCES = {
  it: { ...it, ...controlRoomIt, ...wallIt, ...signalsIt, ...censusIt, ...scenariosIt, ...casesIt, ...pmoIt },
  en: { ...en, ...controlRoomEn, ...wallEn, ...signalsEn, ...censusEn, ...scenariosEn, ...casesEn, ...pmoEn },
}

/** Initialises i18next synchronously with the bundled Italian and English resources. */
export function initI18n(language: Language): i18n {
  void i18next.use(initReactI18next).init({
    resources: { it: { translation: RESOURCES.it }, en: { translation: RESOURCES.en } },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['it', 'en'],
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  })
  followLanguage(i18next, language)
  return i18next
}
