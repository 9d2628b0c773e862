import { useCallback, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SCENARIO_STATUSES } from '../../../contracts/schemas/scenario'
import type { ScenarioStatusValue, ScenarioSummary } from '../api/scenario-client'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { useScenarioServices } from './scenario-services'
import { BaseText } from './base-text'
import { StatusBadge } from './status-badge'

/** The scenarios, newest change first, filtered by status; a new one for planners who may write. */
export function ScenarioList({ onOpen, onNew }: { onOpen(id: string): void; onNew(): void }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const write = usePermission('scenario:write')
  const { client } = useScenarioServices()
  const filterId = useId()
  const [status, setStatus] = useState<ScenarioStatusValue | ''>('')
  const fetchList = useCallback((signal?: AbortSignal) => client.list(status ? { status } : {}, signal), [client, status])
  const list = useFetched<ScenarioSummary[]>(fetchList)

  return (
    <div className="scenario-list" data-testid="scenario-list">
      <p className="muted small">{t('scenarios.list.intro')}</p>
      <div className="scenario-toolbar">
        <label htmlFor={filterId} className="small muted">
          {t('scenarios.list.status')}
        </label>
        <select id={filterId} value={status} onChange={(e) => setStatus(e.target.value as ScenarioStatusValue | '')} data-testid="scenario-status-filter">
          <option value="">{t('scenarios.list.all')}</option>
          {SCENARIO_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`scenarios.status.${s}`)}
            </option>
          ))}
        </select>
        <button type="button" className="text-button" onClick={list.reload}>
          {t('scenarios.list.reload')}
        </button>
        <span className="scenario-toolbar-end">
          <button type="button" className="primary-button" onClick={onNew} disabled={!write.allowed} title={write.reason} data-testid="scenario-new">
            {t('scenarios.list.new')}
          </button>
        </span>
      </div>
      {list.error && <p className="error-text">{t('scenarios.loadFailed', { message: list.error })}</p>}
      {!list.data && !list.error && <p className="muted">{t('scenarios.loading')}</p>}
      {list.data?.length === 0 && <p className="muted">{status ? t('scenarios.list.noneWithStatus', { status: t(`scenarios.status.${status}`) }) : t('scenarios.list.none')}</p>}
      <ul className="scenario-rows">
        {list.data?.map((s) => (
          <li key={s.id}>
            <button type="button" className="scenario-row" onClick={() => onOpen(s.id)} data-testid={`scenario-row-${s.id}`}>
              <span className="scenario-row-title">
                {s.title} <StatusBadge status={s.status} />
              </span>
              <span className="muted small">
                <code>{s.id}</code> · {t('scenarios.list.version', { v: s.latestVersion })} · {t('scenarios.list.edits', { count: s.edits })} · <BaseText base={s.base} />
              </span>
              <span className="muted small">{t('scenarios.list.updated', { by: s.updatedBy, at: fmt.dateTime(s.updatedAtMs) })}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
