/** A dataset's themes (EU data themes) as Bootstrap Italia chips, named in the visitor's language. */
import { useTranslation } from 'react-i18next'
import type { DataTheme } from '../../../../contracts/opendata-api'

export function ThemeChips({ themes, label }: { themes: readonly DataTheme[]; label: string }) {
  const { t } = useTranslation()
  return (
    <ul className="list-inline opendata-chips mb-0" aria-label={label}>
      {themes.map((theme) => (
        <li key={theme} className="list-inline-item">
          <span className="chip chip-simple chip-primary" data-theme={theme}>
            <span className="chip-label">{t(`themes.${theme}`)}</span>
          </span>
        </li>
      ))}
    </ul>
  )
}
