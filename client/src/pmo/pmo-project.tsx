/**
 * One project of the portfolio (docs/pmo.md "Project view"): its header (CUP, line, status, health
 * with the reasons, owners, dates, money), the Gantt chart, milestones, KPIs against their targets
 * (live ones "measured by Gemello"), risks by score and the versions. PMO staff update it here; each
 * change is a new version saved on the one shown, and a save refused because someone saved first asks
 * for a reload, never overwrites.
 */
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ProjectDetail } from '../../../contracts/pmo-api'
import type { Project } from '../../../contracts/schemas/pmo'
import type { PmoClient } from '../api/pmo-client'
import { errorMessage, isConflict } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { GanttChart } from './gantt-chart'
import { isLateMilestone } from './gantt-layout'
import { HealthBadge, MoneyBars } from './pmo-badges'
import { KpiActualForm, MilestoneDoneForm, RiskStatusSelect, StatusMoneyForm } from './pmo-edits'
import { reasonText } from './pmo-reasons'
import { lineTitle } from './pmo-overview'

export interface PmoProjectViewProps {
  id: string
  client: PmoClient
  today: string
  mayWrite: boolean
  /** After a save: the portfolio and the sites are fetched again. */
  onSaved(): void
}

export function PmoProjectView({ id, client, today, mayWrite, onSaved }: PmoProjectViewProps) {
  const { t, i18n } = useTranslation()
  const fmt = useFormatters()
  const lang = i18n.resolvedLanguage ?? i18n.language
  const [detail, setDetail] = useState<ProjectDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [conflict, setConflict] = useState(false)
  const [busy, setBusy] = useState(false)
  const load = useCallback(
    (signal?: AbortSignal) =>
      client
        .get(id, signal)
        .then((d) => {
          setDetail(d)
          setError(null)
          setConflict(false)
        })
        .catch((err: unknown) => !signal?.aborted && setError(errorMessage(err))),
    [client, id],
  )
  useEffect(() => {
    const controller = new AbortController()
    void load(controller.signal)
    return () => controller.abort()
  }, [load])

  if (!detail) return error ? <p className="error-text" role="alert">{t('pmo.loadFailed', { message: error })}</p> : <p className="muted">{t('pmo.loading')}</p>
  const { project: p, summary: s } = detail
  const save = (next: Project, note: string) => {
    setBusy(true)
    setError(null)
    client
      .save(p.id, next, s.version, note)
      .then((d) => {
        setDetail(d)
        onSaved()
      })
      .catch((err: unknown) => (isConflict(err) ? setConflict(true) : setError(errorMessage(err))))
      .finally(() => setBusy(false))
  }
  const edit = { project: p, busy: busy || conflict, save }
  const risks = [...p.risks].sort((a, b) => b.probability * b.impact - a.probability * a.impact)

  return (
    <section className="pmo-project" aria-labelledby={`pmo-${p.id}`} data-project-id={p.id} data-version={s.version}>
      <h3 id={`pmo-${p.id}`} className="incident-title">
        {p.title}
      </h3>
      <p className="pmo-row-head">
        <HealthBadge health={s.health} />
        <span className="badge badge-hidden" data-status={p.status}>
          {t(`pmo.status.${p.status}`)}
        </span>
      </p>
      {s.reasons.length > 0 && (
        <ul className="pmo-reasons" aria-label={t('pmo.reasons')}>
          {s.reasons.map((r) => (
            <li key={r.code}>{reasonText(t, r)}</li>
          ))}
        </ul>
      )}
      {conflict && (
        <p className="conflict-note" role="alert">
          <span aria-hidden="true">▲ </span>
          {t('pmo.conflict')}{' '}
          <button type="button" className="text-button" onClick={() => void load()}>
            {t('pmo.reload')}
          </button>
        </p>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <dl className="pmo-facts">
        <dt>{t('pmo.line')}</dt>
        <dd>{lineTitle(p.line, lang)}</dd>
        {p.cup && (
          <>
            <dt>CUP</dt>
            <dd className="mono">{p.cup}</dd>
          </>
        )}
        <dt>{t('pmo.owners')}</dt>
        <dd>{p.owners.length > 0 ? p.owners.join(', ') : '—'}</dd>
        <dt>{t('pmo.dates')}</dt>
        <dd>
          {p.startDate} – {p.endDate}
        </dd>
      </dl>
      {p.description && <p className="case-description">{p.description}</p>}
      <MoneyBars plannedCents={s.plannedCents} committedCents={s.committedCents} spentCents={s.spentCents} />
      {mayWrite && <StatusMoneyForm key={`sm-${s.version}`} {...edit} />}

      <h4>{t('pmo.gantt.title')}</h4>
      <GanttChart project={p} today={today} />

      <h4>{t('pmo.milestones')}</h4>
      {p.milestones.length === 0 ? (
        <p className="muted">{t('pmo.none')}</p>
      ) : (
        <ul className="pmo-milestones">
          {[...p.milestones].sort((a, b) => a.dueDate.localeCompare(b.dueDate)).map((m) => {
            const late = isLateMilestone(m, today)
            return (
              <li key={m.key} data-key={m.key} className={late ? 'is-late' : m.doneDate ? 'is-done' : ''}>
                <span>
                  <span aria-hidden="true">{m.doneDate ? '◆' : '◇'} </span>
                  {t(`pmo.kind.${m.kind}`)}: {m.title} · {t('pmo.gantt.due', { date: m.dueDate })}
                  {m.doneDate ? ` · ${t('pmo.gantt.done', { date: m.doneDate })}` : ''}
                  {late && <span className="pmo-late"> ▲ {t('pmo.gantt.late')}</span>}
                </span>
                {mayWrite && !m.doneDate && <MilestoneDoneForm key={`m-${s.version}`} {...edit} milestoneKey={m.key} today={today} />}
              </li>
            )
          })}
        </ul>
      )}

      <h4>{t('pmo.kpis.title')}</h4>
      {detail.kpis.length === 0 ? (
        <p className="muted">{t('pmo.none')}</p>
      ) : (
        <table className="pmo-table pmo-kpis">
          <thead>
            <tr>
              <th scope="col">{t('pmo.kpis.kpi')}</th>
              <th scope="col">{t('pmo.kpis.baseline')}</th>
              <th scope="col">{t('pmo.kpis.target')}</th>
              <th scope="col">{t('pmo.kpis.actual')}</th>
              <th scope="col">{t('pmo.kpis.status')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.kpis.map((k) => (
              <tr key={k.key} data-key={k.key}>
                <th scope="row">{k.title}</th>
                <td className="num">{k.baseline === null ? '—' : `${fmt.number(k.baseline)} ${k.unit}`}</td>
                <td className="num">{t('pmo.kpis.targetBy', { value: `${fmt.number(k.target)} ${k.unit}`, date: k.targetDate, dir: t(`pmo.kpis.${k.direction}`) })}</td>
                <td className="num">
                  {k.actual === null ? '—' : `${fmt.number(k.actual, Number.isInteger(k.actual) ? 0 : 1)} ${k.unit}`}
                  {k.live ? <span className="muted small"> · {t('pmo.kpis.live')}</span> : k.measuredAtMs !== null && <span className="muted small"> · {new Date(k.measuredAtMs).toISOString().slice(0, 10)}</span>}
                  {mayWrite && !k.live && <KpiActualForm key={`k-${s.version}`} {...edit} kpiKey={k.key} today={today} />}
                </td>
                <td className={`pmo-kpi-${k.status}`}>
                  {k.status === 'behind' && <span aria-hidden="true">◆ </span>}
                  {t(`pmo.kpis.${k.status}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h4>{t('pmo.risks.title')}</h4>
      {risks.length === 0 ? (
        <p className="muted">{t('pmo.none')}</p>
      ) : (
        <ul className="pmo-risks">
          {risks.map((r) => (
            <li key={r.key} data-key={r.key}>
              <span className={r.status === 'open' && r.probability * r.impact >= 15 ? 'pmo-risk-severe' : ''}>
                {t('pmo.risks.score', { score: r.probability * r.impact, p: r.probability, i: r.impact })} · {r.title}
                {r.owner && <span className="muted"> · {r.owner}</span>}
              </span>
              {r.mitigation && <span className="muted small">{r.mitigation}</span>}
              {mayWrite ? <RiskStatusSelect {...edit} riskKey={r.key} /> : <span className="small">{t(`pmo.risks.${r.status}`)}</span>}
            </li>
          ))}
        </ul>
      )}

      <h4>{t('pmo.versions')}</h4>
      <ul className="pmo-versions">
        {[...detail.versions].sort((a, b) => b.version - a.version).map((v) => (
          <li key={v.version}>
            {t('pmo.versionLine', { version: v.version, at: fmt.dateTime(v.atMs), by: v.by })}
            {v.note && <span className="muted"> · {v.note}</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
