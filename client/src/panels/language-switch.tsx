import { useTranslation } from 'react-i18next'
import { LANGUAGES } from '../app/i18n/pick-language'

/** IT / EN buttons (the status bar and the sign-in page). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  return (
    <div className="language-switch" role="group" aria-label={t('status.language')}>
      {LANGUAGES.map((lang) => (
        <button key={lang} type="button" aria-pressed={i18n.resolvedLanguage === lang} onClick={() => void i18n.changeLanguage(lang)} lang={lang}>
          {lang.toUpperCase()}
        </button>
      ))}
    </div>
  )
}
