import { useTranslation } from 'react-i18next'
import type { SceneSummary } from '../../../contracts/schemas/scene'

/** Opens a saved scene (docs/scenes.md). Titles in the UI language. */
export function ScenePicker({ scenes, current, onOpen }: { scenes: SceneSummary[]; current: string | null; onOpen(id: string): void }) {
  const { t, i18n } = useTranslation()
  if (scenes.length === 0) return null
  const lang = i18n.language.startsWith('it') ? 'it' : 'en'
  return (
    <label className="scene-picker">
      <span>{t('scene.label')}</span>
      <select value={current ?? ''} onChange={(e) => e.target.value && onOpen(e.target.value)} aria-label={t('scene.label')}>
        <option value="">{t('scene.choose')}</option>
        {scenes.map((s) => (
          <option key={s.id} value={s.id} title={s.description[lang]}>
            {s.title[lang]}
            {s.view === '3d' ? ' · 3D' : ''}
          </option>
        ))}
      </select>
    </label>
  )
}
