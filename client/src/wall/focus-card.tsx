import { useTranslation } from 'react-i18next'
import type { WallFocus } from '../../../contracts/wall'
import { useFormatters } from '../panels/use-formatters'
import type { AppState } from '../state/app-state'
import { ruleTexts } from '../state/alarm-text'
import type { ActiveFocus } from './use-wall-focus'

/**
 * A name for what was pushed, in the wall's language: the device, alarm or incident as the store
 * knows it; else the label the operator's screen sent; else the kind and id.
 */
export function focusLabel(f: WallFocus, s: AppState, t: (key: string, o?: Record<string, unknown>) => string, language: string): string {
  const n = Number(f.target.id)
  switch (f.target.type) {
    case 'device': {
      const d = s.devices.get(f.target.id)
      return d ? `${t(`kindOne.${d.kind}`)} · ${d.name}` : (f.label ?? t('wall.focus.device', { id: f.target.id }))
    }
    case 'alarm': {
      const a = s.controlRoom.alarms.get(n)
      return a ? `${ruleTexts(a, language).name} · ${a.deviceName ?? a.subject}` : (f.label ?? t('wall.focus.alarm', { id: f.target.id }))
    }
    case 'incident': {
      const i = s.controlRoom.incidents.get(n)
      return i ? i.title : (f.label ?? t('wall.focus.incident', { id: f.target.id }))
    }
  }
}

/** Who pushed what to the wall, and when: shown for 30 s over the map (a bar runs down the time). */
export function FocusCard({ active, state, floating = false }: { active: ActiveFocus; state: AppState; floating?: boolean }) {
  const { t, i18n } = useTranslation()
  const fmt = useFormatters()
  const f = active.focus
  return (
    <div className={`wall-focus-card${floating ? ' is-floating' : ''}`} role="status" aria-live="polite" data-focus-target={`${f.target.type}:${f.target.id}`} data-focus-by={f.by}>
      <div className="wall-focus-title">
        <span aria-hidden="true">◎ </span>
        {t('wall.focus.pushed', { by: f.by, time: fmt.time(f.atMs) })}
      </div>
      <div className="wall-focus-label">{focusLabel(f, state, t, i18n.language)}</div>
      <div className="wall-focus-timer" key={active.receivedAtMs} aria-hidden="true" />
    </div>
  )
}
