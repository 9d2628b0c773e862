/**
 * Small pieces of the PMO sheet: a project's health as a shape and a word (ISA-101: grey while on
 * track or done; the medium colour with ◆ at risk; the high colour with ▲ off track — never colour
 * alone), and a money bar (committed and spent against planned) with its figures in words.
 */
import { useTranslation } from 'react-i18next'
import type { Health } from '../../../contracts/pmo-api'
import { formatEuro, sharePct } from './pmo-money'

const GLYPH: Partial<Record<Health, string>> = { at_risk: '◆', off_track: '▲' }

export function HealthBadge({ health }: { health: Health }) {
  const { t } = useTranslation()
  const glyph = GLYPH[health]
  return (
    <span className={`pmo-health pmo-health-${health}`} data-health={health}>
      {glyph && <span aria-hidden="true">{glyph} </span>}
      {t(`pmo.health.${health}`)}
    </span>
  )
}

/** Planned as the whole; committed and spent as nested bars, each labelled with its amount and share. */
export function MoneyBars({ plannedCents, committedCents, spentCents, compact = false }: { plannedCents: number; committedCents: number; spentCents: number; compact?: boolean }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.resolvedLanguage ?? i18n.language
  const committed = sharePct(committedCents, plannedCents)
  const spent = sharePct(spentCents, plannedCents)
  const label = t('pmo.money.summary', { planned: formatEuro(plannedCents, lang), committed: formatEuro(committedCents, lang), committedPct: committed, spent: formatEuro(spentCents, lang), spentPct: spent })
  return (
    <div className={`pmo-money${compact ? ' is-compact' : ''}`}>
      <div className="pmo-money-bar" role="img" aria-label={label}>
        <span className="pmo-money-committed" style={{ width: `${Math.min(100, committed)}%` }} />
        <span className="pmo-money-spent" style={{ width: `${Math.min(100, spent)}%` }} />
      </div>
      {compact ? (
        <span className="pmo-money-figures muted">{t('pmo.money.short', { committedPct: committed, spentPct: spent })}</span>
      ) : (
        <dl className="pmo-money-figures">
          <div>
            <dt>{t('pmo.money.planned')}</dt>
            <dd>{formatEuro(plannedCents, lang)}</dd>
          </div>
          <div>
            <dt>{t('pmo.money.committed')}</dt>
            <dd>
              {formatEuro(committedCents, lang)} <span className="muted">({committed} %)</span>
            </dd>
          </div>
          <div>
            <dt>{t('pmo.money.spent')}</dt>
            <dd>
              {formatEuro(spentCents, lang)} <span className="muted">({spent} %)</span>
            </dd>
          </div>
        </dl>
      )}
    </div>
  )
}
