import { useTranslation } from 'react-i18next'
import { useFormatters } from '../panels/use-formatters'
import { DIRECTION_GLYPH, KPI_SPECS, signed, signedPercent, type KpiChange } from './kpi-format'

export interface KpiCardsProps {
  changes: readonly KpiChange[]
  /** What the "from" and "to" figures are (the base and the scenario, or scenario A and B). */
  fromLabel: string
  toLabel: string
  /** The figures are of an older hour while the slider's is computed. */
  stale: boolean
}

/**
 * One card per KPI: the scenario's figure, the base's, the difference and the change in %. Only a
 * change for the worse is marked (amber edge, ▲/▼ and the word "worse"); better or unchanged stays grey.
 */
export function KpiCards({ changes, fromLabel, toLabel, stale }: KpiCardsProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  return (
    <ul className={`kpi-cards${stale ? ' is-stale' : ''}`} data-testid="scenario-kpis" aria-busy={stale || undefined}>
      {changes.map((c) => {
        const digits = KPI_SPECS[c.key].digits
        const unit = t(`scenarios.kpi.unit.${c.key}`)
        return (
          <li key={c.key} className={`kpi-card tone-${c.tone}`} data-testid={`scenario-kpi-${c.key}`} data-tone={c.tone} data-delta={c.delta}>
            <span className="kpi-name">{t(`scenarios.kpi.${c.key}`)}</span>
            <span className="kpi-value">
              {fmt.number(c.scenario, digits)} <span className="kpi-unit">{unit}</span>
            </span>
            <span className="kpi-base muted small">
              {fromLabel}: {fmt.number(c.base, digits)}
            </span>
            <span className="kpi-delta" aria-label={t('scenarios.kpi.deltaLabel', { to: toLabel, delta: signed(fmt, c.delta, digits), unit, percent: signedPercent(fmt, c.percent), tone: t(`scenarios.kpi.tone.${c.tone}`) })}>
              <span>
                <span aria-hidden="true" className="kpi-glyph">
                  {DIRECTION_GLYPH[c.direction]}
                </span>{' '}
                <span data-testid="kpi-delta">Δ {signed(fmt, c.delta, digits)}</span>
              </span>{' '}
              · <span data-testid="kpi-percent">{signedPercent(fmt, c.percent)}</span>
              <span className="kpi-tone" data-testid="kpi-tone">
                {t(`scenarios.kpi.tone.${c.tone}`)}
              </span>
            </span>
          </li>
        )
      })}
    </ul>
  )
}
