import { useTranslation } from 'react-i18next'
import type { Lang, ModelType } from './form-model'

/** The UI language as the census model's labels have it (Italian or English). */
export function useLang(): Lang {
  const { i18n } = useTranslation()
  return (i18n.resolvedLanguage ?? i18n.language).startsWith('it') ? 'it' : 'en'
}

export const typeTitle = (t: ModelType, lang: Lang) => t.title[lang]
