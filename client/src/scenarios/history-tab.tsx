import { useTranslation } from 'react-i18next'
import type { ScenarioDetail } from '../api/scenario-client'
import { useFormatters } from '../panels/use-formatters'
import type { ScenarioRef } from './scenario-link'
import type { ScenarioTab } from './scenario-view'

export interface HistoryTabProps {
  detail: ScenarioDetail
  shownVersion: number
  onOpenVersion(version: number): void
  onOpen(ref: ScenarioRef, tab?: ScenarioTab): void
}

/** Every version, newest first — author, time, note, edits — and the scenarios branched from this one. */
export function HistoryTab({ detail, shownVersion, onOpenVersion, onOpen }: HistoryTabProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const versions = [...detail.versions].sort((a, b) => b.version - a.version)
  return (
    <div className="scenario-history" data-testid="scenario-history">
      <table className="attributes scenario-versions">
        <caption className="sr-only">{t('scenarios.history.caption', { id: detail.id })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('scenarios.history.version')}</th>
            <th scope="col">{t('scenarios.history.author')}</th>
            <th scope="col">{t('scenarios.history.note')}</th>
            <th scope="col">
              <span className="sr-only">{t('scenarios.history.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} className={v.version === shownVersion ? 'is-open' : undefined} data-testid={`scenario-version-${v.version}`}>
              <th scope="row">
                v{v.version}
                {v.version === detail.latestVersion && <span className="muted small"> · {t('scenarios.history.latest')}</span>}
              </th>
              <td>
                {v.author}
                <br />
                <span className="muted small">{fmt.dateTime(v.createdAtMs)}</span>
              </td>
              <td>
                {v.note || <span className="muted">—</span>}
                <br />
                <span className="muted small">
                  {v.title} · {t('scenarios.list.edits', { count: v.edits })}
                </span>
              </td>
              <td>
                {v.version === shownVersion ? (
                  <span className="muted small">{t('scenarios.history.shown')}</span>
                ) : (
                  <button type="button" className="text-button" onClick={() => onOpenVersion(v.version)} data-testid={`scenario-version-open-${v.version}`}>
                    {t('scenarios.history.open')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{t('scenarios.history.branches')}</h4>
      {detail.branches.length === 0 ? (
        <p className="muted small">{t('scenarios.history.noBranches')}</p>
      ) : (
        <ul className="scenario-branches">
          {detail.branches.map((b) => (
            <li key={b.id}>
              <button type="button" className="link-button" onClick={() => onOpen({ id: b.id, version: null })}>
                {b.title}
              </button>{' '}
              <span className="muted small">
                <code>{b.id}</code> · {t('scenarios.history.fromVersion', { v: b.parentVersion })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
