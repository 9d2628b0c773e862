import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Alarm } from '../../../contracts/alarm-api'
import type { AlarmGroup } from '../state/alarm-reducers'
import { unackedIds } from './alarm-counts'
import { AlarmRow } from './alarm-row'
import { PriorityBadge } from './priority-badge'
import { ruleTexts } from '../state/alarm-text'

export interface AlarmFloodGroupsProps {
  groups: readonly AlarmGroup[]
  serverNowMs: number
  selectedId: number | null
  onSelect(id: number): void
  onAckGroup(ids: number[]): void
  ackDisabledReason?: string
  busy: boolean
  describedBy?: string
  /** Selection for "new incident from the selected alarms" (left out when the user may not act). */
  checked?: ReadonlySet<number>
  onCheck?(id: number, on: boolean): void
}

/**
 * During a flood the list reads one line per cause (rule × district, highest priority first); each
 * line can be opened, and acknowledged at once (each alarm is still acknowledged and audited alone).
 */
export function AlarmFloodGroups({ groups, serverNowMs, selectedId, onSelect, onAckGroup, ackDisabledReason, busy, describedBy, checked, onCheck }: AlarmFloodGroupsProps) {
  const { t, i18n } = useTranslation()
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev)
      if (next.has(key)) next.delete(key)
      else next.add(key)
      return next
    })

  return (
    <ul className="alarm-groups" aria-label={t('alarms.groupsLabel')}>
      {groups.map((g) => {
        const ids = unackedIds(g.alarms)
        const expanded = open.has(g.key)
        const listId = `alarm-group-${g.key.replace(/[^a-z0-9]/gi, '-')}`
        return (
          <li key={g.key} className={`alarm-group priority-${g.priority}`}>
            <div className="alarm-group-head">
              <button type="button" className="alarm-group-toggle" aria-expanded={expanded} aria-controls={listId} onClick={() => toggle(g.key)}>
                <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                <PriorityBadge priority={g.priority} />
                <span className="alarm-rule">{g.alarms[0] ? ruleTexts(g.alarms[0], i18n.language).name : g.ruleName}</span>
                <span className="alarm-where">{g.district ?? t('alarms.noDistrict')}</span>
                <span className="alarm-group-count">{t('alarms.groupCount', { count: g.alarms.length, unacked: ids.length })}</span>
              </button>
              <button
                type="button"
                className="text-button"
                disabled={ids.length === 0 || ackDisabledReason !== undefined || busy}
                title={ackDisabledReason ?? t('alarms.ackGroupTitle')}
                aria-describedby={ackDisabledReason ? describedBy : undefined}
                onClick={() => onAckGroup(ids)}
              >
                {t('alarms.ackGroup', { count: ids.length })}
              </button>
            </div>
            {expanded && (
              <ul id={listId} className="alarm-list">
                {g.alarms.map((a: Alarm) => (
                  <AlarmRow
                    key={a.id}
                    alarm={a}
                    serverNowMs={serverNowMs}
                    selected={selectedId === a.id}
                    onSelect={onSelect}
                    {...(onCheck ? { checked: checked?.has(a.id) ?? false, onCheck } : {})}
                  />
                ))}
              </ul>
            )}
          </li>
        )
      })}
    </ul>
  )
}
