import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ControllerSummary } from '../../../contracts/signal-api'

/** Counts of a controller's versions by status, e.g. "2 draft · 1 approved". */
function statusCounts(c: ControllerSummary, t: (k: string) => string): string {
  const counts = new Map<string, number>()
  for (const p of c.plans) if (p.status !== 'retired') counts.set(p.status, (counts.get(p.status) ?? 0) + 1)
  return [...counts].map(([s, n]) => `${n} ${t(`signals.status.${s}`)}`).join(' · ')
}

/** The signal controllers with what each runs; filter by code or name, open one in the workbench. */
export function ControllerList({ controllers, error, onOpen }: { controllers: readonly ControllerSummary[] | null; error: string | null; onOpen(id: string): void }) {
  const { t } = useTranslation()
  const [filter, setFilter] = useState('')
  const f = filter.trim().toLowerCase()
  const shown = (controllers ?? []).filter((c) => f === '' || c.name.toLowerCase().includes(f) || c.id.toLowerCase().includes(f) || (c.intersectionCode ?? '').toLowerCase().includes(f))
  return (
    <div className="signal-controller-list" data-testid="signal-controller-list">
      <label className="cr-form">
        {t('signals.list.filter')}
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('signals.list.filterPlaceholder')} />
      </label>
      {error && <p className="error-text">{t('signals.loadFailed', { message: error })}</p>}
      {!controllers && !error && <p className="muted">{t('signals.loading')}</p>}
      {controllers && shown.length === 0 && <p className="muted">{t('signals.list.empty')}</p>}
      {shown.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('signals.list.code')}</th>
              <th scope="col">{t('signals.list.name')}</th>
              <th scope="col">{t('signals.list.groups')}</th>
              <th scope="col">{t('signals.list.running')}</th>
              <th scope="col">{t('signals.list.versions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id} data-testid={`signal-controller-${c.id}`}>
                <td>{c.intersectionCode ?? c.id}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpen(c.id)}>
                    {c.name}
                  </button>
                </td>
                <td>{c.groups}</td>
                <td>{c.running ? `${c.running.planId} v${c.running.version}` : <span className="muted">{t('signals.list.none')}</span>}</td>
                <td className="muted">{statusCounts(c, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
