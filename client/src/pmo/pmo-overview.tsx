/**
 * The PMO portfolio at a glance (docs/pmo.md "Portfolio"): the totals with their money bars, a row
 * per line of action (projects, money, health counts), the planned money by funding source, and the
 * list of projects — title, line, status, health with its reasons in words, next milestone, late
 * milestones, top risk — filtered by line and health.
 */
import { useTranslation } from 'react-i18next'
import type { Health, ProjectSummary } from '../../../contracts/pmo-api'
import type { Portfolio } from '../api/pmo-client'
import { HealthSchema } from '../../../contracts/pmo-api'
import { PMO_LINES, type PmoLine } from '../../../contracts/schemas/pmo'
import { HealthBadge, MoneyBars } from './pmo-badges'
import { formatEuro } from './pmo-money'
import { reasonText } from './pmo-reasons'

export interface PortfolioFilter {
  line: PmoLine | ''
  health: Health | ''
}

const LINES = Object.keys(PMO_LINES) as PmoLine[]
const HEALTHS = HealthSchema.options

export const lineTitle = (line: PmoLine, lang: string) => PMO_LINES[line][lang.startsWith('it') ? 'it' : 'en']

/** The projects the filter keeps. */
export const filterProjects = (projects: readonly ProjectSummary[], f: PortfolioFilter) => projects.filter((p) => (f.line === '' || p.line === f.line) && (f.health === '' || p.health === f.health))

export function PortfolioOverview({ portfolio, filter, onFilter, onOpen }: { portfolio: Portfolio; filter: PortfolioFilter; onFilter(f: PortfolioFilter): void; onOpen(id: string): void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.resolvedLanguage ?? i18n.language
  const rows = filterProjects(portfolio.projects, filter)
  const { totals } = portfolio
  return (
    <div className="pmo-overview" data-testid="pmo-overview">
      <section aria-labelledby="pmo-totals">
        <h3 id="pmo-totals" className="pmo-section-title">
          {t('pmo.totals', { count: totals.projects })}
        </h3>
        <MoneyBars plannedCents={totals.plannedCents} committedCents={totals.committedCents} spentCents={totals.spentCents} />
      </section>
      <section aria-labelledby="pmo-lines">
        <h3 id="pmo-lines" className="pmo-section-title">
          {t('pmo.lines')}
        </h3>
        <table className="pmo-table pmo-lines-table">
          <thead>
            <tr>
              <th scope="col">{t('pmo.line')}</th>
              <th scope="col">{t('pmo.projects')}</th>
              <th scope="col">{t('pmo.money.title')}</th>
              <th scope="col">{t('pmo.healthTitle')}</th>
            </tr>
          </thead>
          <tbody>
            {portfolio.lines.map((l) => (
              <tr key={l.line} data-line={l.line}>
                <th scope="row">
                  <button type="button" className="link-button" aria-pressed={filter.line === l.line} onClick={() => onFilter({ ...filter, line: filter.line === l.line ? '' : l.line })}>
                    {lineTitle(l.line, lang)}
                  </button>
                </th>
                <td className="num">{l.projects}</td>
                <td>
                  <MoneyBars plannedCents={l.plannedCents} committedCents={l.committedCents} spentCents={l.spentCents} compact />
                  <span className="muted small">{formatEuro(l.plannedCents, lang)}</span>
                </td>
                <td className="pmo-health-counts">
                  {HEALTHS.filter((h) => (l.byHealth[h] ?? 0) > 0).map((h) => (
                    <span key={h} className={`pmo-health pmo-health-${h}`}>
                      {t(`pmo.health.${h}`)} {l.byHealth[h]}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="pmo-funding">
        <h3 id="pmo-funding" className="pmo-section-title">
          {t('pmo.funding')}
        </h3>
        <table className="pmo-table">
          <tbody>
            {portfolio.funding.map((f) => (
              <tr key={f.source}>
                <th scope="row">{f.source}</th>
                <td className="num">{formatEuro(f.plannedCents, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="pmo-projects">
        <h3 id="pmo-projects" className="pmo-section-title" aria-live="polite">
          {t('pmo.projectCount', { count: rows.length })}
        </h3>
        <fieldset className="pmo-filters">
          <legend className="sr-only">{t('pmo.filters')}</legend>
          <label>
            {t('pmo.line')}
            <select name="pmo-line" value={filter.line} onChange={(e) => onFilter({ ...filter, line: e.target.value as PmoLine | '' })}>
              <option value="">{t('pmo.allLines')}</option>
              {LINES.map((l) => (
                <option key={l} value={l}>
                  {lineTitle(l, lang)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('pmo.healthTitle')}
            <select name="pmo-health" value={filter.health} onChange={(e) => onFilter({ ...filter, health: e.target.value as Health | '' })}>
              <option value="">{t('pmo.allHealth')}</option>
              {HEALTHS.map((h) => (
                <option key={h} value={h}>
                  {t(`pmo.health.${h}`)}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        {rows.length === 0 ? (
          <p className="muted">{t('pmo.noProjects')}</p>
        ) : (
          <ul className="pmo-project-list">
            {rows.map((p) => (
              <li key={p.id}>
                <ProjectRow summary={p} lang={lang} onOpen={() => onOpen(p.id)} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function ProjectRow({ summary: p, lang, onOpen }: { summary: ProjectSummary; lang: string; onOpen(): void }) {
  const { t } = useTranslation()
  return (
    <button type="button" className="pmo-project-row" data-project-id={p.id} onClick={onOpen}>
      <span className="pmo-row-head">
        <span className="pmo-row-title">{p.title}</span>
        <HealthBadge health={p.health} />
      </span>
      <span className="muted small">
        {lineTitle(p.line, lang)} · {t(`pmo.status.${p.status}`)}
      </span>
      {p.reasons.length > 0 && <span className="pmo-reasons small">{p.reasons.map((r) => reasonText(t, r)).join('; ')}</span>}
      <span className="pmo-row-facts small">
        {p.nextMilestone ? <span>{t('pmo.nextMilestone', { title: p.nextMilestone.title, date: p.nextMilestone.dueDate })}</span> : <span className="muted">{t('pmo.noNextMilestone')}</span>}
        {p.lateMilestones > 0 && <span className="pmo-late">▲ {t('pmo.lateMilestones', { count: p.lateMilestones })}</span>}
        {p.topRiskScore > 0 && <span>{t('pmo.topRisk', { score: p.topRiskScore })}</span>}
      </span>
    </button>
  )
}
