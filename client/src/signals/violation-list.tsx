import { useTranslation } from 'react-i18next'
import type { ValidationReport, Violation } from '../../../contracts/signal-safety/violation'
import { concernsPlan, violationId } from './violation-highlights'

export interface ViolationListProps {
  report: ValidationReport | null
  planId: string
  /** The finding whose place is highlighted, by violationId. */
  focusId: string | null
  onFocus(v: Violation | null): void
}

/**
 * The validator's findings on the plan being edited, rejections first: rule, groups, interval, time
 * and the validator's own message. Clicking one outlines its place in the chart and the matrices.
 */
export function ViolationList({ report, planId, focusId, onFocus }: ViolationListProps) {
  const { t } = useTranslation()
  if (!report) return null
  const list = report.violations.filter((v) => concernsPlan(v, planId))
  const rejects = list.filter((v) => v.severity === 'reject').length
  return (
    <section className="signal-violations" aria-labelledby="signal-violations-title" data-testid="signal-violations" data-rejects={rejects} data-warnings={list.length - rejects}>
      <h3 id="signal-violations-title">
        {t('signals.violations.title')} <span className="muted">· {t('signals.violations.profile', { profile: report.profile.toUpperCase(), version: report.validatorVersion })}</span>
      </h3>
      <p className={rejects > 0 ? 'signal-verdict has-reject' : 'signal-verdict'} role="status" data-testid="signal-verdict">
        {rejects > 0 ? `▲ ${t('signals.violations.rejected', { count: rejects })}` : t('signals.violations.accepted')}
        {list.length - rejects > 0 && ` · ${t('signals.violations.warnings', { count: list.length - rejects })}`}
      </p>
      {list.length > 0 && (
        <ul className="signal-violation-list">
          {list.map((v) => {
            const id = violationId(v)
            const focused = id === focusId
            return (
              <li key={id} className={`has-${v.severity}${focused ? ' is-focus' : ''}`} data-testid="signal-violation" data-rule={v.rule} data-severity={v.severity}>
                <button type="button" className="signal-violation-button" aria-pressed={focused} onClick={() => onFocus(focused ? null : v)}>
                  <span className={`signal-mark mark-${v.severity}`} aria-hidden="true">
                    {v.severity === 'reject' ? '▲' : '◆'}
                  </span>
                  <span className="signal-violation-head">
                    <strong>{v.rule}</strong> {t(`signals.rules.${v.rule}`)} <span className="muted">· {t(`signals.violations.severity.${v.severity}`)}</span>
                  </span>
                  <span className="signal-violation-where muted">
                    {v.groups.length > 0 && <span>{t('signals.violations.groups', { groups: v.groups.join(', ') })} </span>}
                    {v.interval !== null && <span>{t('signals.violations.interval', { k: v.interval + 1, name: v.intervalName ? ` "${v.intervalName}"` : '' })} </span>}
                    {v.atS !== null && <span>{t('signals.violations.at', { s: v.atS })} </span>}
                    <span>· {t(`signals.violations.context.${v.context}`)}</span>
                    {v.fromPlanId && <span> {t('signals.violations.from', { plan: v.fromPlanId })}</span>}
                  </span>
                  <span className="signal-violation-message">{v.message}</span>
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
