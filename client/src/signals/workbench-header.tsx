import { useTranslation } from 'react-i18next'
import type { ControllerDetail } from '../../../contracts/signal-api'
import { useFormatters } from '../panels/use-formatters'
import { planIdsOf, sameRef, versionsOfPlan, type VersionRef } from './plan-versions'
import { StatusBadge } from './status-badge'

export interface WorkbenchHeaderProps {
  detail: ControllerDetail
  opened: VersionRef | null
  dirty: boolean
  onOpen(ref: VersionRef): void
}

/**
 * Who the controller is (name, intersection code, profile), what it runs now, and the plans with their
 * versions as status badges; a click opens a version in the editor.
 */
export function WorkbenchHeader({ detail, opened, dirty, onOpen }: WorkbenchHeaderProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const running = detail.running
  const planIds = planIdsOf(detail)
  const planId = opened?.planId ?? planIds[0] ?? null
  return (
    <div className="signal-header" data-testid="signal-header">
      <div className="signal-header-id">
        <h3 className="signal-title">
          {detail.name} {detail.intersectionCode && <span className="signal-code">{t('signals.header.code', { code: detail.intersectionCode })}</span>}
        </h3>
        <span className="muted">
          {t('signals.header.profile', { profile: detail.controller.profile.toUpperCase() })} · {t('signals.header.groups', { count: detail.controller.signalGroups.length })} ·{' '}
          {t('signals.header.controllerVersion', { v: detail.version, by: detail.updatedBy })}
        </span>
        <span data-testid="signal-running">
          {running ? t('signals.header.runs', { plan: running.planId, v: running.version, since: fmt.dateTime(running.sinceMs) }) : t('signals.header.runsNothing')}
        </span>
      </div>
      <div className="signal-plan-picker">
        <label>
          {t('signals.header.plan')}{' '}
          <select
            value={planId ?? ''}
            onChange={(e) => {
              const newest = versionsOfPlan(detail, e.target.value)[0]
              if (newest) onOpen({ planId: newest.planId, version: newest.version })
            }}
            data-testid="signal-plan-select"
          >
            {planIds.map((id) => (
              <option key={id} value={id}>
                {id}
                {running?.planId === id ? ` · ${t('signals.header.running')}` : ''}
              </option>
            ))}
          </select>
        </label>
        <ul className="signal-version-badges" aria-label={t('signals.header.versions')}>
          {planId &&
            versionsOfPlan(detail, planId).map((v) => {
              const ref = { planId: v.planId, version: v.version }
              const isOpen = sameRef(ref, opened)
              return (
                <li key={v.version}>
                  <button type="button" className={`signal-version-badge${isOpen ? ' is-open' : ''}`} aria-current={isOpen ? 'true' : undefined} onClick={() => onOpen(ref)} title={`${v.note} — ${v.createdBy}, ${fmt.dateTime(v.createdAtMs)}`} data-testid={`signal-version-badge-${v.version}`}>
                    v{v.version} <StatusBadge status={v.status} />
                    {sameRef(ref, running) && <span className="muted"> · {t('signals.header.running')}</span>}
                    {isOpen && dirty && <span className="signal-dirty-mark"> ✎ {t('signals.header.unsaved')}</span>}
                  </button>
                </li>
              )
            })}
        </ul>
      </div>
    </div>
  )
}
