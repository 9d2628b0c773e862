import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { createFormatters, type Formatters } from '../app/i18n/format'

/** Intl formatters in the current UI language. */
export function useFormatters(): Formatters {
  const { i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? i18n.language
  return useMemo(() => createFormatters(language), [language])
}
