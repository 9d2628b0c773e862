import type { Dispatch } from 'react'
import { useTranslation } from 'react-i18next'
import type { DraftAction } from './scenario-draft'

/** What the planner assumes, in words, one line each (shown on the briefing); blank lines are not saved. */
export function AssumptionsEditor({ assumptions, dispatch, disabled }: { assumptions: readonly string[]; dispatch: Dispatch<DraftAction>; disabled: boolean }) {
  const { t } = useTranslation()
  return (
    <fieldset className="cr-form scenario-assumptions" disabled={disabled} data-testid="scenario-assumptions">
      <legend>{t('scenarios.assumptions.legend')}</legend>
      {assumptions.length === 0 && <p className="muted small">{t('scenarios.assumptions.none')}</p>}
      <ol>
        {assumptions.map((a, i) => (
          <li key={i} className="scenario-assumption">
            <input
              value={a}
              onChange={(e) => dispatch({ type: 'setAssumption', index: i, text: e.target.value })}
              maxLength={500}
              aria-label={t('scenarios.assumptions.item', { n: i + 1 })}
              data-testid={`scenario-assumption-${i}`}
            />
            <button type="button" className="icon-button" onClick={() => dispatch({ type: 'removeAssumption', index: i })} aria-label={t('scenarios.assumptions.remove', { n: i + 1 })} title={t('scenarios.assumptions.remove', { n: i + 1 })}>
              <span aria-hidden="true">×</span>
            </button>
          </li>
        ))}
      </ol>
      <div>
        <button type="button" className="text-button" onClick={() => dispatch({ type: 'addAssumption' })} disabled={assumptions.length >= 50} data-testid="scenario-assumption-add">
          {t('scenarios.assumptions.add')}
        </button>
      </div>
    </fieldset>
  )
}
