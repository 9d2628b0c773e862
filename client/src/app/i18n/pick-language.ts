export const LANGUAGES = ['it', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

function asLanguage(tag: string | null | undefined): Language | null {
  const base = tag?.toLowerCase().split('-')[0]
  return base === 'it' || base === 'en' ? base : null
}

/**
 * The UI language: `?lang=` first, then the operator's last choice, then the browser's preferences
 * (Italian when the browser prefers it over English), English otherwise.
 */
export function pickLanguage(urlParam: string | null, stored: string | null, browserLanguages: readonly string[]): Language {
  const explicit = asLanguage(urlParam) ?? asLanguage(stored)
  if (explicit) return explicit
  for (const tag of browserLanguages) {
    const lang = asLanguage(tag)
    if (lang) return lang
  }
  return 'en'
}
