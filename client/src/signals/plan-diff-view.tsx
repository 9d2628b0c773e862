import { useTranslation } from 'react-i18next'
import type { PlanDiff } from './plan-diff'

/** The differences between two plan versions, interval by interval (plan-diff.ts). */
export function PlanDiffView({ diff, fromLabel, toLabel }: { diff: PlanDiff; fromLabel: string; toLabel: string }) {
  const { t } = useTranslation()
  const num = (i: number | null) => (i === null ? '—' : String(i + 1))
  return (
    <div className="signal-diff" data-testid="signal-diff">
      <p>
        <strong>{fromLabel}</strong> → <strong>{toLabel}</strong>:{' '}
        {diff.differs ? t('signals.diff.summary', { changed: diff.changed, added: diff.added, removed: diff.removed }) : t('signals.diff.none')}
      </p>
      {diff.fields.length > 0 && (
        <ul className="signal-diff-fields">
          {diff.fields.map((f) => (
            <li key={f.field}>
              {t(`signals.diff.field.${f.field}`)}: <del>{f.from}</del> → <ins>{f.to}</ins>
            </li>
          ))}
        </ul>
      )}
      {diff.differs && (
        <table className="data-table signal-diff-table">
          <thead>
            <tr>
              <th scope="col">{t('signals.diff.before')}</th>
              <th scope="col">{t('signals.diff.after')}</th>
              <th scope="col">{t('signals.diff.change')}</th>
              <th scope="col">{t('signals.diff.duration')}</th>
              <th scope="col">{t('signals.diff.states')}</th>
            </tr>
          </thead>
          <tbody>
            {diff.intervals.map((c, i) => (
              <tr key={i} className={`diff-${c.kind}`} data-testid="signal-diff-row" data-kind={c.kind}>
                <td>{num(c.aIndex)}</td>
                <td>{num(c.bIndex)}</td>
                <td>
                  {t(`signals.diff.kind.${c.kind}`)}
                  {c.boundsChanged && <span className="muted"> · {t('signals.diff.bounds')}</span>}
                  {c.nameChanged && <span className="muted"> · {t('signals.diff.name')}</span>}
                </td>
                <td>
                  {c.kind === 'added' ? `+${c.durationToS} s` : c.kind === 'removed' ? `−${c.durationFromS} s` : c.durationChanged ? `${c.durationFromS} → ${c.durationToS} s` : `${c.durationToS} s`}
                </td>
                <td>
                  {c.states.map((s) => (
                    <span key={s.groupId} className="signal-diff-state">
                      {s.groupId} {s.from ?? '—'}→{s.to ?? '—'}{' '}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
