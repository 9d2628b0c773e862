import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { DAY_TYPES, type DayType, type ScenarioBase } from '../../../contracts/schemas/scenario'
import { HourSelect } from './hour-select'

export interface BaseFormProps {
  base: ScenarioBase
  onChange(base: ScenarioBase): void
  disabled?: boolean
}

/** A real day's hour of the loop history, or a day type's typical hour over a period. */
export function BaseForm({ base, onChange, disabled }: BaseFormProps) {
  const { t } = useTranslation()
  const name = useId()
  const switchTo = (kind: ScenarioBase['kind']) => {
    if (kind === base.kind) return
    onChange(kind === 'observed' ? { kind: 'observed', date: '2024-03-15', hour: base.hour } : { kind: 'typical', dayType: 'weekday', hour: base.hour })
  }
  return (
    <fieldset className="scenario-base" disabled={disabled} data-testid="scenario-base">
      <legend>{t('scenarios.base.legend')}</legend>
      <div>
        {(['observed', 'typical'] as const).map((k) => (
          <label key={k} className="radio-label">
            <input type="radio" name={name} value={k} checked={base.kind === k} onChange={() => switchTo(k)} data-testid={`scenario-base-${k}`} />
            {t(`scenarios.base.kind.${k}`)}
          </label>
        ))}
      </div>
      <div className="scenario-fields">
        {base.kind === 'observed' ? (
          <label>
            {t('scenarios.base.date')}
            <input type="date" value={base.date} required onChange={(e) => e.target.value && onChange({ ...base, date: e.target.value })} data-testid="scenario-base-date" />
          </label>
        ) : (
          <>
            <label>
              {t('scenarios.base.dayType')}
              <select value={base.dayType} onChange={(e) => onChange({ ...base, dayType: e.target.value as DayType })} data-testid="scenario-base-daytype">
                {DAY_TYPES.map((d) => (
                  <option key={d} value={d}>
                    {t(`scenarios.dayType.${d}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('scenarios.base.fromDate')}
              <input type="date" value={base.fromDate ?? ''} onChange={(e) => onChange(withDate(base, 'fromDate', e.target.value))} />
            </label>
            <label>
              {t('scenarios.base.toDate')}
              <input type="date" value={base.toDate ?? ''} onChange={(e) => onChange(withDate(base, 'toDate', e.target.value))} />
            </label>
          </>
        )}
        <HourSelect label={t('scenarios.base.hour')} value={base.hour} onChange={(hour) => onChange({ ...base, hour })} testId="scenario-base-hour" />
      </div>
      <p className="muted small">{t(`scenarios.base.hint.${base.kind}`)}</p>
    </fieldset>
  )
}

function withDate(base: Extract<ScenarioBase, { kind: 'typical' }>, key: 'fromDate' | 'toDate', value: string): ScenarioBase {
  const next = { ...base }
  if (value) next[key] = value
  else delete next[key]
  return next
}
