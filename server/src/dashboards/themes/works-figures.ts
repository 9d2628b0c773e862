/**
 * The public-works dashboard's figures from the PMO's projects (contracts/schemas/pmo.ts) — pure, no
 * database. Only what the open dataset progetti-pmo publishes is read: line, status, dates, planned,
 * committed and spent money, the site's dates and whether it closes the road. Never an owner, a risk,
 * a KPI or a description.
 *
 * A site is active on a day when its project is planned or in progress (a suspended, completed or
 * cancelled project's site is not) and the day is within the site's dates — its own fromDate/toDate,
 * else the project's start and end dates. Days are Europe/Rome calendar days (YYYY-MM-DD).
 */
import { PMO_LINES, PROJECT_STATUSES, type PmoLine, type Project, type ProjectStatus } from '../../../../contracts/schemas/pmo'

const SITE_ACTIVE_STATUSES: ReadonlySet<ProjectStatus> = new Set(['planned', 'in_progress'])

export const plannedCents = (p: Project): number => p.funding.reduce((s, f) => s + f.plannedCents, 0)

/** The days the project's site is open, or null without a site. */
export function siteDays(p: Project): { from: string; to: string } | null {
  if (!p.site) return null
  return { from: p.site.fromDate ?? p.startDate, to: p.site.toDate ?? p.endDate }
}

/** Whether the project's site works on any day of [from, to] (one day: from = to). */
export function siteActiveBetween(p: Project, from: string, to: string): boolean {
  const d = siteDays(p)
  return d !== null && SITE_ACTIVE_STATUSES.has(p.status) && d.from <= to && d.to >= from
}

export interface WorksTotals {
  projects: number
  plannedCents: number
  committedCents: number
  spentCents: number
  activeSites: number
  roadClosures: number
}

export function worksTotals(projects: readonly Project[], today: string): WorksTotals {
  const active = projects.filter((p) => siteActiveBetween(p, today, today))
  return {
    projects: projects.length,
    plannedCents: projects.reduce((s, p) => s + plannedCents(p), 0),
    committedCents: projects.reduce((s, p) => s + p.committedCents, 0),
    spentCents: projects.reduce((s, p) => s + p.spentCents, 0),
    activeSites: active.length,
    roadClosures: active.filter((p) => p.site?.closesRoad).length,
  }
}

export interface LineBudget {
  line: PmoLine
  spentCents: number
  /** Committed and not yet spent. */
  committedOpenCents: number
  /** Planned and not yet committed (0 when more is committed than planned: a project without funding entered). */
  uncommittedCents: number
}

/** Every line of action, in the program's order, with its money split into spent / committed-not-spent / planned-not-committed. */
export function budgetByLine(projects: readonly Project[]): LineBudget[] {
  return (Object.keys(PMO_LINES) as PmoLine[]).map((line) => {
    const of = projects.filter((p) => p.line === line)
    return {
      line,
      spentCents: of.reduce((s, p) => s + p.spentCents, 0),
      committedOpenCents: of.reduce((s, p) => s + (p.committedCents - p.spentCents), 0),
      uncommittedCents: of.reduce((s, p) => s + Math.max(0, plannedCents(p) - p.committedCents), 0),
    }
  })
}

/** Projects by status, every status listed. */
export function projectsByStatus(projects: readonly Project[]): Array<{ status: ProjectStatus; projects: number }> {
  return PROJECT_STATUSES.map((status) => ({ status, projects: projects.filter((p) => p.status === status).length }))
}

export interface MonthSites {
  /** YYYY-MM. */
  month: string
  /** Sites working on at least one day of the month. */
  active: number
  starting: number
  ending: number
}

const monthKey = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

/** The work sites of the `months` months from today's, each: active in it, starting in it, ending in it (of planned and in-progress projects). */
export function sitesByMonth(projects: readonly Project[], today: string, months = 12): MonthSites[] {
  const y0 = Number(today.slice(0, 4))
  const m0 = Number(today.slice(5, 7))
  const live = projects.filter((p) => siteDays(p) !== null && SITE_ACTIVE_STATUSES.has(p.status))
  return Array.from({ length: months }, (_, i) => {
    const y = y0 + Math.floor((m0 - 1 + i) / 12)
    const m = ((m0 - 1 + i) % 12) + 1
    const key = monthKey(y, m)
    const first = `${key}-01`
    const last = `${key}-${String(lastDay(y, m)).padStart(2, '0')}`
    return {
      month: key,
      active: live.filter((p) => siteActiveBetween(p, first, last)).length,
      starting: live.filter((p) => siteDays(p)!.from.startsWith(key)).length,
      ending: live.filter((p) => siteDays(p)!.to.startsWith(key)).length,
    }
  })
}

export interface AreaWorks {
  projects: number
  activeSites: number
  /** Euro: each project's planned money split evenly among the areas of the level its site lies in. */
  plannedEur: number
}

/**
 * Area id → the projects whose site lies in it (a project across several areas counts once in each),
 * their sites active today, and their planned money split evenly among their areas — in whole cents,
 * the remainder cents to the first areas by id, so the areas' shares add up to the projects' total.
 */
export function worksByArea(projects: readonly Project[], siteAreas: ReadonlyMap<string, readonly string[]>, today: string): Map<string, AreaWorks> {
  const out = new Map<string, { projects: number; activeSites: number; cents: number }>()
  for (const p of projects) {
    const areas = [...(siteAreas.get(p.id) ?? [])].sort()
    if (areas.length === 0) continue
    const total = plannedCents(p)
    const base = Math.floor(total / areas.length)
    const extra = total - base * areas.length
    const active = siteActiveBetween(p, today, today)
    areas.forEach((a, i) => {
      const v = out.get(a) ?? { projects: 0, activeSites: 0, cents: 0 }
      v.projects += 1
      if (active) v.activeSites += 1
      v.cents += base + (i < extra ? 1 : 0)
      out.set(a, v)
    })
  }
  return new Map([...out].map(([a, v]) => [a, { projects: v.projects, activeSites: v.activeSites, plannedEur: v.cents / 100 }]))
}
