/**
 * Where a project stands (docs/pmo.md "Health"), from its document, today's date and the KPIs' values —
 * pure, no database. A project is
 *   off_track  when it is past its end date and not completed, or a milestone is more than 30 days late;
 *   at_risk    when a milestone is late, an open risk scores 15 or more (probability × impact), a KPI is
 *              behind its trajectory, or more than 90 % of the planned money is committed before the
 *              last quarter of its time;
 *   on_track   otherwise; completed, cancelled and suspended projects are just that.
 * Each reason is a code with its figures (contracts/pmo-api.ts HealthReason), worded by the panel and the
 * report in each language, and in English here for scripts reading the API.
 *
 * A KPI is met when its actual value reached the target (in its direction); behind when it is on the
 * wrong side of the straight line from the baseline at the project's start to the target at its date
 * (without a baseline: when the target date passed); on_track otherwise; no_data without a value.
 */
import type { Health, HealthReason, KpiStatus, KpiValue, Portfolio, ProjectSummary } from '../../../../contracts/pmo-api'
import { PMO_LINES, type PmoLine, type Project } from '../../../../contracts/schemas/pmo'

const DAY_MS = 86_400_000
export const SEVERE_RISK = 15
export const LATE_OFF_TRACK_DAYS = 30
/** Committed money over this share of the planned one before the last quarter of the time is a risk. */
export const EARLY_COMMITMENT_PCT = 90

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`)
const daysBetween = (a: string, b: string) => Math.round((dayMs(b) - dayMs(a)) / DAY_MS)

/** Europe/Rome calendar day of an instant, YYYY-MM-DD. */
export function romeDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms)
}

export function kpiStatus(k: Pick<KpiValue, 'baseline' | 'target' | 'targetDate' | 'direction' | 'actual'>, projectStart: string, today: string): KpiStatus {
  if (k.actual === null) return 'no_data'
  const better = (a: number, b: number) => (k.direction === 'increase' ? a >= b : a <= b)
  if (better(k.actual, k.target)) return 'met'
  if (k.baseline === null) return today > k.targetDate ? 'behind' : 'on_track'
  const span = Math.max(1, daysBetween(projectStart, k.targetDate))
  const elapsed = Math.min(1, Math.max(0, daysBetween(projectStart, today) / span))
  const expected = k.baseline + (k.target - k.baseline) * elapsed
  return better(k.actual, expected) ? 'on_track' : 'behind'
}

type Counted = Extract<HealthReason, { titles: string[] }>

/** A reason that counts titled things: "2 milestones late (Gara, Collaudo)". */
function counted<C extends Counted['code']>(code: C, items: ReadonlyArray<{ title: string }>, noun: string, what: string, params: Omit<Extract<Counted, { code: C }>, 'code' | 'count' | 'titles' | 'text'>): Counted {
  const titles = items.map((i) => i.title)
  const text = `${items.length} ${noun}${items.length > 1 ? 's' : ''} ${what} (${titles.join(', ')})`
  return { code, count: items.length, titles, ...params, text } as Counted
}

export function projectSummary(p: Project, kpis: readonly KpiValue[], meta: { version: number; updatedAtMs: number; updatedBy: string }, today: string): ProjectSummary {
  const plannedCents = p.funding.reduce((s, f) => s + f.plannedCents, 0)
  const open = p.milestones.filter((m) => m.doneDate === null).sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))
  const late = open.filter((m) => m.dueDate < today)
  const openRisks = p.risks.filter((r) => r.status === 'open')
  const topRiskScore = openRisks.reduce((s, r) => Math.max(s, r.probability * r.impact), 0)
  const behind = kpis.filter((k) => k.status === 'behind')
  const reasons: HealthReason[] = []
  let health: Health
  if (p.status === 'completed' || p.status === 'cancelled' || p.status === 'suspended') health = p.status
  else {
    const off: HealthReason[] = []
    const risk: HealthReason[] = []
    if (today > p.endDate) off.push({ code: 'past_end', endDate: p.endDate, text: `past its end date (${p.endDate})` })
    const veryLate = late.filter((m) => daysBetween(m.dueDate, today) > LATE_OFF_TRACK_DAYS)
    if (veryLate.length > 0) off.push(counted('milestones_very_late', veryLate, 'milestone', `more than ${LATE_OFF_TRACK_DAYS} days late`, { days: LATE_OFF_TRACK_DAYS }))
    const lateOnly = late.filter((m) => !veryLate.includes(m))
    if (lateOnly.length > 0) risk.push(counted('milestones_late', lateOnly, 'milestone', 'late', {}))
    const severe = openRisks.filter((r) => r.probability * r.impact >= SEVERE_RISK)
    if (severe.length > 0) risk.push(counted('severe_risks', severe, 'open risk', `scoring ${SEVERE_RISK} or more`, { score: SEVERE_RISK }))
    if (behind.length > 0) risk.push(counted('kpis_behind', behind, 'KPI', 'behind', {}))
    const span = Math.max(1, daysBetween(p.startDate, p.endDate))
    if (plannedCents > 0 && p.committedCents > (EARLY_COMMITMENT_PCT / 100) * plannedCents && daysBetween(p.startDate, today) < 0.75 * span) {
      risk.push({ code: 'committed_early', pct: EARLY_COMMITMENT_PCT, text: `over ${EARLY_COMMITMENT_PCT} % of the planned money committed before the last quarter of its time` })
    }
    health = off.length > 0 ? 'off_track' : risk.length > 0 ? 'at_risk' : 'on_track'
    reasons.push(...off, ...risk)
  }
  return {
    id: p.id,
    line: p.line,
    title: p.title,
    cup: p.cup,
    status: p.status,
    health,
    reasons,
    startDate: p.startDate,
    endDate: p.endDate,
    plannedCents,
    committedCents: p.committedCents,
    spentCents: p.spentCents,
    nextMilestone: open[0] ? { key: open[0].key, title: open[0].title, dueDate: open[0].dueDate } : null,
    lateMilestones: late.length,
    openRisks: openRisks.length,
    topRiskScore,
    kpisBehind: behind.length,
    hasSite: p.site !== null,
    version: meta.version,
    updatedAtMs: meta.updatedAtMs,
    updatedBy: meta.updatedBy,
  }
}

/** The portfolio's figures from its projects' summaries: totals, per line (every line, even empty), per funding source. */
export function portfolioOf(items: ReadonlyArray<{ project: Project; summary: ProjectSummary }>, asOfMs: number, today: string): Portfolio {
  const money = () => ({ plannedCents: 0, committedCents: 0, spentCents: 0 })
  const add = (m: { plannedCents: number; committedCents: number; spentCents: number }, s: ProjectSummary) => {
    m.plannedCents += s.plannedCents
    m.committedCents += s.committedCents
    m.spentCents += s.spentCents
  }
  const totals = { ...money(), projects: items.length }
  const lines = (Object.keys(PMO_LINES) as PmoLine[]).map((line) => ({ line, projects: 0, ...money(), byHealth: {} as Record<Health, number> }))
  const funding = new Map<string, number>()
  for (const { project, summary } of items) {
    add(totals, summary)
    const l = lines.find((x) => x.line === summary.line)!
    l.projects++
    add(l, summary)
    l.byHealth[summary.health] = (l.byHealth[summary.health] ?? 0) + 1
    for (const f of project.funding) funding.set(f.source, (funding.get(f.source) ?? 0) + f.plannedCents)
  }
  return {
    asOfMs,
    today,
    totals,
    lines,
    funding: [...funding].map(([source, plannedCents]) => ({ source, plannedCents })).sort((a, b) => b.plannedCents - a.plannedCents || a.source.localeCompare(b.source)),
    projects: items.map((i) => i.summary),
  }
}
