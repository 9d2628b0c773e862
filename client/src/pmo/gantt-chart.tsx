/**
 * A project's Gantt chart in SVG (docs/pmo.md "Project view"), laid out by gantt-layout.ts: activities
 * as grey bars with their progress filled, dependency arrows, milestones (◆ outline; filled once
 * reached; the high colour when late, with "late" in its label), month ticks and today's line. Each
 * bar and diamond takes the keyboard focus and names itself; the same facts are a table below.
 */
import { useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { Project } from '../../../contracts/schemas/pmo'
import { ganttLayout, type GanttOptions } from './gantt-layout'

const DIAMOND = 7

export function GanttChart({ project, today, options }: { project: Pick<Project, 'startDate' | 'endDate' | 'activities' | 'milestones'>; today: string; options?: Partial<GanttOptions> }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.resolvedLanguage ?? i18n.language
  const layout = useMemo(() => ganttLayout(project, today, options), [project, today, options])
  const arrowId = `${useId().replace(/:/g, '')}-arrow`
  const month = useMemo(() => new Intl.DateTimeFormat(lang, { month: 'short', year: '2-digit', timeZone: 'UTC' }), [lang])
  if (project.activities.length === 0 && project.milestones.length === 0) return <p className="muted">{t('pmo.gantt.empty')}</p>
  const milestoneText = (d: (typeof layout.diamonds)[number]) =>
    `${t(`pmo.kind.${d.kind}`)} ${d.title}, ${t('pmo.gantt.due', { date: d.dueDate })}${d.doneDate ? `, ${t('pmo.gantt.done', { date: d.doneDate })}` : d.late ? `, ${t('pmo.gantt.late')}` : ''}`
  return (
    <figure className="gantt">
      <div className="gantt-scroll">
        <svg className="gantt-svg" width={layout.widthPx} height={layout.heightPx} viewBox={`0 0 ${layout.widthPx} ${layout.heightPx}`} role="group" aria-label={t('pmo.gantt.label')}>
          <defs>
            <marker id={arrowId} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L8,4 L0,8 z" className="gantt-arrow-head" />
            </marker>
          </defs>
          <g className="gantt-ticks" aria-hidden="true">
            {layout.ticks.map((tick) => (
              <g key={tick.day}>
                <line x1={tick.x} x2={tick.x} y1={14} y2={layout.heightPx} className="gantt-tick" />
                <text x={tick.x + 3} y={12} className="gantt-tick-label">
                  {month.format(Date.parse(`${tick.day}T00:00:00Z`))}
                </text>
              </g>
            ))}
          </g>
          {layout.bars.map((b) => (
            <g key={b.key} className="gantt-bar" data-key={b.key} tabIndex={0} role="img" aria-label={t('pmo.gantt.bar', { title: b.title, start: b.startDate, end: b.endDate, pct: b.progressPct })}>
              <title>{t('pmo.gantt.bar', { title: b.title, start: b.startDate, end: b.endDate, pct: b.progressPct })}</title>
              <text x={4} y={b.y + b.height - 3} className="gantt-label">
                {clip(b.title, 26)}
              </text>
              <rect x={b.x} y={b.y} width={b.width} height={b.height} className="gantt-bar-track" />
              <rect x={b.x} y={b.y} width={b.progressWidth} height={b.height} className="gantt-bar-progress" />
            </g>
          ))}
          <g aria-hidden="true">
            {layout.arrows.map((a) => (
              <path key={`${a.from}-${a.to}`} d={a.d} className="gantt-arrow" markerEnd={`url(#${arrowId})`} />
            ))}
          </g>
          {layout.diamonds.map((d) => (
            <g key={d.key} className={`gantt-diamond${d.done ? ' is-done' : ''}${d.late ? ' is-late' : ''}`} data-key={d.key} tabIndex={0} role="img" aria-label={milestoneText(d)}>
              <title>{milestoneText(d)}</title>
              <text x={4} y={d.y + 4} className="gantt-label">
                {d.late ? '▲ ' : ''}
                {clip(d.title, 26)}
              </text>
              <path d={`M${d.x},${d.y - DIAMOND} L${d.x + DIAMOND},${d.y} L${d.x},${d.y + DIAMOND} L${d.x - DIAMOND},${d.y} z`} />
            </g>
          ))}
          {layout.todayX !== null && (
            <g className="gantt-today" aria-hidden="true">
              <line x1={layout.todayX} x2={layout.todayX} y1={14} y2={layout.heightPx} />
              <text x={layout.todayX + 3} y={layout.heightPx - 4}>
                {t('pmo.gantt.today')}
              </text>
            </g>
          )}
        </svg>
      </div>
      <details className="gantt-table">
        <summary>{t('pmo.gantt.asTable')}</summary>
        <table className="pmo-table">
          <thead>
            <tr>
              <th scope="col">{t('pmo.gantt.item')}</th>
              <th scope="col">{t('pmo.gantt.from')}</th>
              <th scope="col">{t('pmo.gantt.to')}</th>
              <th scope="col">{t('pmo.gantt.state')}</th>
            </tr>
          </thead>
          <tbody>
            {project.activities.map((a) => (
              <tr key={a.key}>
                <th scope="row">{a.title}</th>
                <td>{a.startDate}</td>
                <td>{a.endDate}</td>
                <td>
                  {a.progressPct} %{a.after.length > 0 ? ` · ${t('pmo.gantt.after', { keys: a.after.join(', ') })}` : ''}
                </td>
              </tr>
            ))}
            {layout.diamonds.map((d) => (
              <tr key={d.key}>
                <th scope="row">
                  {t(`pmo.kind.${d.kind}`)}: {d.title}
                </th>
                <td colSpan={2}>{d.dueDate}</td>
                <td>{d.doneDate ? t('pmo.gantt.done', { date: d.doneDate }) : d.late ? `▲ ${t('pmo.gantt.late')}` : t('pmo.gantt.open')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)
