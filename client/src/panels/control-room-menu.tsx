import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Permission } from '../../../contracts/access'
import { allowed, useServices } from '../app/services'
import './control-room.css'

export type ControlRoomSheet = 'incidents' | 'kpi' | 'shift-log' | 'cameras' | 'connectivity' | 'alarm-rules' | 'signal-workbench' | 'census' | 'scenarios' | 'cases' | 'pmo'
const ITEMS: readonly ControlRoomSheet[] = ['incidents', 'kpi', 'shift-log', 'cameras', 'connectivity', 'alarm-rules', 'signal-workbench', 'census', 'scenarios', 'cases', 'pmo']

/** Items shown only to users who hold a permission (the control room's own sheets read the live twin: live:read). */
const NEEDS: Record<ControlRoomSheet, Permission> = {
  incidents: 'live:read', kpi: 'live:read', 'shift-log': 'live:read', cameras: 'live:read', connectivity: 'live:read', 'alarm-rules': 'live:read',
  'signal-workbench': 'signal-plan:read', census: 'census:read', scenarios: 'scenario:read', cases: 'case:read-all', pmo: 'pmo:read',
}
const LABEL: Partial<Record<ControlRoomSheet, string>> = { 'signal-workbench': 'signals.menu.open', census: 'census.menu.open', scenarios: 'scenarios.menu.open', cases: 'cases.menu.open', pmo: 'pmo.menu.open' }

/**
 * The status bar's "Control room" menu: incidents, alarm KPIs, shift log, cameras, connectivity, alarm rules
 * (to users who see the live map: not to a PMO officer without it),
 * the signal workbench (shown only to users who may read signal plans), the infrastructure census
 * (to users who may read it; GIS staff edit it there), the scenario explorer (to planners and
 * whoever may read scenarios) the citizen cases (to the offices that may read them) and the PMO portfolio (to who may read it).
 * A disclosure (button + list of buttons): Escape or a choice closes it and gives focus back.
 */
export function ControlRoomMenu({ current, onOpen, openIncidents }: { current: string; onOpen(sheet: ControlRoomSheet): void; openIncidents: number }) {
  const { t } = useTranslation()
  const { session } = useServices()
  const items = ITEMS.filter((item) => allowed(session, NEEDS[item]))
  const id = useId()
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation()
        setOpen(false)
        button.current?.focus()
      }
    }
    document.addEventListener('pointerdown', onDown)
    root.current?.addEventListener('keydown', onKey)
    const el = root.current
    return () => {
      document.removeEventListener('pointerdown', onDown)
      el?.removeEventListener('keydown', onKey)
    }
  }, [open])

  return (
    <div className="cr-menu" ref={root}>
      <button ref={button} type="button" className="text-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {t('alarms.menu.label')} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={id} className="cr-menu-list">
          {items.map((item, i) => (
            <li key={item}>
              <button
                type="button"
                className="cr-menu-item"
                aria-current={current === item ? 'true' : undefined}
                autoFocus={i === 0}
                onClick={() => {
                  setOpen(false)
                  onOpen(item)
                }}
              >
                {t(LABEL[item] ?? `alarms.menu.${item}`)}
                {item === 'incidents' && openIncidents > 0 && <span className="muted"> ({openIncidents})</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
