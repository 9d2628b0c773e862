import { useTranslation } from 'react-i18next'
import type { ScenarioBase } from '../../../contracts/schemas/scenario'
import { hourText } from './hour-text'

/** A scenario's base in words: "observed 15/03/2024 08:00" or "typical weekday 08:00 (from … to …)". */
export function BaseText({ base }: { base: ScenarioBase }) {
  const { t } = useTranslation()
  if (base.kind === 'observed') return <>{t('scenarios.base.observedText', { date: base.date, hour: hourText(base.hour) })}</>
  const period = base.fromDate || base.toDate ? ` ${t('scenarios.base.period', { from: base.fromDate ?? '…', to: base.toDate ?? '…' })}` : ''
  return <>{`${t('scenarios.base.typicalText', { dayType: t(`scenarios.dayType.${base.dayType}`), hour: hourText(base.hour) })}${period}`}</>
}
