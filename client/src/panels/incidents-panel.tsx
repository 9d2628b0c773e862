import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Alarm } from '../../../contracts/alarm-api'
import type { Incident } from '../../../contracts/incident-api'
import type { LonLat } from '../../../contracts/schemas/device'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { useStore } from '../state/store'
import { IncidentCreateForm } from './incident-create-form'
import { IncidentDetailView } from './incident-detail'
import { draftFromAlarms } from './incident-draft'
import { PriorityBadge } from './priority-badge'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'
import { usePermission } from './use-permission'
import './control-room.css'

const selectIncidents = (s: AppState) => s.controlRoom.incidents
const RANK = { high: 0, medium: 1, low: 2 } as const

export interface IncidentsPanelProps {
  onClose(): void
  /** Alarms to open a new incident from (the alarm list's selection), or null. */
  draftFrom: readonly Alarm[] | null
  /** Where a new incident without alarms is placed at first (the city centre). */
  defaultPosition: LonLat
  onDraftDone(): void
}

/** The open incidents (pushed live), a new one from the selected alarms, and one incident in full. */
export function IncidentsPanel({ onClose, draftFrom, defaultPosition, onDraftDone }: IncidentsPanelProps) {
  const { t } = useTranslation()
  const { store } = useServices()
  const fmt = useFormatters()
  const act = usePermission('alarm:act')
  const incidents = useStore(store, selectIncidents)
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const [creatingBlank, setCreatingBlank] = useState(false)
  const list = useMemo(
    () => [...incidents.values()].sort((a: Incident, b: Incident) => RANK[a.priority] - RANK[b.priority] || b.updatedAtMs - a.updatedAtMs),
    [incidents],
  )
  const drafting = draftFrom !== null || creatingBlank
  const initial = useMemo(() => draftFromAlarms(draftFrom ?? [], defaultPosition), [draftFrom, defaultPosition])
  const endDraft = () => {
    setCreatingBlank(false)
    onDraftDone()
  }

  return (
    <SideSheet title={t('incidents.title')} closeLabel={t('incidents.close')} onClose={onClose} side="right" wide className="incidents-panel">
      {!drafting && (
        <p>
          <button type="button" className="text-button" disabled={!act.allowed} title={act.reason} onClick={() => setCreatingBlank(true)}>
            {t('incidents.new')}
          </button>
        </p>
      )}
      {drafting && (
        <IncidentCreateForm
          key={initial.alarmIds.join(',')}
          initial={initial}
          onCancel={endDraft}
          onCreated={(d) => {
            endDraft()
            setSelectedId(d.incident.id)
          }}
        />
      )}
      <h3>{t('incidents.open', { count: list.length })}</h3>
      {list.length === 0 ? (
        <p className="muted">{t('incidents.empty')}</p>
      ) : (
        <ul className="incident-list">
          {list.map((i) => (
            <li key={i.id} className={selectedId === i.id ? 'is-selected' : ''}>
              <button type="button" className="incident-row" aria-pressed={selectedId === i.id} onClick={() => setSelectedId(selectedId === i.id ? null : i.id)}>
                <PriorityBadge priority={i.priority} />
                <span className="incident-row-title">{i.title}</span>
                <span className="muted">
                  {t(`incidents.types.${i.type}`)} · {i.assignee ?? t('incidents.nobody')} · {fmt.dateTime(i.updatedAtMs)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {selectedId !== null && <IncidentDetailView key={selectedId} id={selectedId} />}
    </SideSheet>
  )
}
