/**
 * The public-works theme (issue 11 part 2, docs/dashboards.md): the PMO's portfolio and its work sites
 * as they stand today — projects, money planned, committed and spent, sites and road closures active
 * today; a choropleth of the projects' sites by district and statistical area; money by line of action,
 * projects by status, sites by month over the next twelve months.
 *
 * Public data only, as the open dataset progetti-pmo publishes it (figures in ./works-figures.ts).
 * A site is placed in every area its geometry intersects (server/src/db/theme-works-cases.ts): a road
 * works line across a district boundary is in both districts, a point in the one containing it — so a
 * project counts once in each area its site reaches, and its planned money is split evenly among them.
 */
import { PMO_LINES, type ProjectStatus } from '../../../../contracts/schemas/pmo'
import { AREA_LEVELS, type AreaLevel, type AreaRow, type Localised, type Measure, type Panel, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { areaRows, areasOf } from '../../db/dashboard-areas'
import { listProjects } from '../../db/pmo'
import { projectSiteAreas } from '../../db/theme-works-cases'
import { romeDay } from '../../domain/pmo/pmo-health'
import { pmoProjectsDataset } from '../../opendata/datasets/pmo-datasets'
import { areaLayerSources, openDatasetSource } from '../dashboard-sources'
import { themeDashboard, type ThemeContext, type ThemeDefinition } from '../theme-definition'
import { budgetByLine, projectsByStatus, sitesByMonth, worksByArea, worksTotals } from './works-figures'

const euro = (cents: number) => Math.round(cents) / 100
const m = (id: string, it: string, en: string, format: Measure['format']): Measure => ({ id, label: { it, en }, unit: null, format, higherIsWorse: false })

export const WORKS_MEASURES = {
  projects: m('projects', 'Progetti', 'Projects', 'integer'),
  plannedBudget: m('plannedBudget', 'Risorse programmate', 'Planned budget', 'euro'),
  committed: m('committed', 'Impegnato', 'Committed', 'euro'),
  spent: m('spent', 'Speso', 'Spent', 'euro'),
  activeSites: m('activeSites', 'Cantieri attivi oggi', 'Work sites active today', 'integer'),
  roadClosures: m('roadClosures', 'Chiusure stradali attive oggi', 'Road closures active today', 'integer'),
  sites: m('sites', 'Cantieri', 'Work sites', 'integer'),
} as const

const STATUS_LABELS: Record<ProjectStatus, Localised> = {
  planned: { it: 'Programmato', en: 'Planned' },
  in_progress: { it: 'In corso', en: 'In progress' },
  suspended: { it: 'Sospeso', en: 'Suspended' },
  completed: { it: 'Concluso', en: 'Completed' },
  cancelled: { it: 'Annullato', en: 'Cancelled' },
}

const MONTH_IT = new Intl.DateTimeFormat('it-IT', { month: 'short', year: 'numeric', timeZone: 'UTC' })
const MONTH_EN = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' })
const monthLabel = (key: string): Localised => {
  const at = Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, 1)
  return { it: MONTH_IT.format(at), en: MONTH_EN.format(at) }
}

const kpi = (id: string, measure: Measure, value: number, note: Localised | null = null): Panel => ({ kind: 'kpi', id, title: measure.label, measureId: measure.id, value, note })

async function build(ctx: ThemeContext): Promise<ThemeDashboard> {
  const { db, nowMs } = ctx
  const today = romeDay(nowMs)
  const projects = (await listProjects(db)).map((s) => s.project)
  const M = WORKS_MEASURES

  const totals = worksTotals(projects, today)
  const share = (part: number) => (totals.plannedCents > 0 ? `${Math.round((100 * part) / totals.plannedCents)} %` : '—')
  const kpis: Panel[] = [
    kpi('projects', M.projects, totals.projects, { it: 'Nel portafoglio del PMO, di ogni stato', en: 'In the PMO’s portfolio, of any status' }),
    kpi('planned-budget', M.plannedBudget, euro(totals.plannedCents), { it: 'Somma dei finanziamenti programmati', en: 'Sum of the planned funding' }),
    kpi('committed', M.committed, euro(totals.committedCents), { it: `${share(totals.committedCents)} del programmato`, en: `${share(totals.committedCents)} of planned` }),
    kpi('spent', M.spent, euro(totals.spentCents), { it: `${share(totals.spentCents)} del programmato`, en: `${share(totals.spentCents)} of planned` }),
    kpi('active-sites', M.activeSites, totals.activeSites, { it: `Al ${today}`, en: `On ${today}` }),
    kpi('road-closures', M.roadClosures, totals.roadClosures, { it: `Cantieri che chiudono la strada, al ${today}`, en: `Sites closing the road, on ${today}` }),
  ]

  const levels: Partial<Record<AreaLevel, AreaRow[]>> = {}
  for (const level of AREA_LEVELS) {
    const areas = await areasOf(db, level)
    const byArea = worksByArea(projects, await projectSiteAreas(db, level), today)
    const values = new Map([...byArea].map(([a, v]) => [a, { projects: v.projects, activeSites: v.activeSites, plannedBudget: v.plannedEur }]))
    // Every area has a figure: the portfolio is complete, so an area without a site has 0 projects, not "no data".
    const zero = { projects: 0, activeSites: 0, plannedBudget: 0 }
    levels[level] = areaRows(areas, new Map(areas.map((a) => [a.id, values.get(a.id) ?? zero])), [M.projects.id, M.activeSites.id, M.plannedBudget.id])
  }
  const choropleth: Panel = {
    kind: 'choropleth',
    id: 'works-by-area',
    title: { it: 'Progetti con un cantiere nell’area', en: 'Projects with a site in the area' },
    measureIds: [M.projects.id, M.activeSites.id, M.plannedBudget.id],
    levels,
    note: {
      it: 'Un cantiere è nell’area che la sua geometria tocca: un progetto il cui cantiere attraversa più aree conta in ognuna, e le sue risorse programmate sono divise in parti uguali tra quelle aree. I progetti senza cantiere non sono sulla mappa.',
      en: 'A site is in every area its geometry touches: a project whose site crosses several areas counts in each, and its planned budget is split evenly among those areas. Projects without a site are not on the map.',
    },
  }

  const lines = budgetByLine(projects)
  const byLine: Panel = {
    kind: 'chart',
    id: 'budget-by-line',
    title: { it: 'Risorse per linea d’azione', en: 'Budget by line of action' },
    chart: 'stacked',
    xKind: 'category',
    xLabel: { it: 'Linea d’azione', en: 'Line of action' },
    categories: lines.map((l) => ({ key: l.line, label: PMO_LINES[l.line] })),
    measureId: M.plannedBudget.id,
    series: [
      { id: 'spent', label: { it: 'Speso', en: 'Spent' }, points: lines.map((l) => ({ x: l.line, y: euro(l.spentCents) })) },
      { id: 'committed-not-spent', label: { it: 'Impegnato, non speso', en: 'Committed, not spent' }, points: lines.map((l) => ({ x: l.line, y: euro(l.committedOpenCents) })) },
      { id: 'planned-not-committed', label: { it: 'Programmato, non impegnato', en: 'Planned, not committed' }, points: lines.map((l) => ({ x: l.line, y: euro(l.uncommittedCents) })) },
    ],
    references: [],
    note: { it: 'La colonna intera è il programmato (o l’impegnato, se maggiore).', en: 'The whole bar is the planned budget (or the committed one, when larger).' },
  }

  const statuses = projectsByStatus(projects)
  const byStatus: Panel = {
    kind: 'chart',
    id: 'projects-by-status',
    title: { it: 'Progetti per stato', en: 'Projects by status' },
    chart: 'bar',
    xKind: 'category',
    xLabel: { it: 'Stato', en: 'Status' },
    categories: statuses.map((s) => ({ key: s.status, label: STATUS_LABELS[s.status] })),
    measureId: M.projects.id,
    series: [{ id: 'projects', label: M.projects.label, points: statuses.map((s) => ({ x: s.status, y: s.projects })) }],
    references: [],
    note: null,
  }

  const months = sitesByMonth(projects, today, 12)
  const byMonth: Panel = {
    kind: 'chart',
    id: 'sites-by-month',
    title: { it: 'Cantieri nei prossimi 12 mesi', en: 'Work sites over the next 12 months' },
    chart: 'bar',
    xKind: 'category',
    xLabel: { it: 'Mese', en: 'Month' },
    categories: months.map((x) => ({ key: x.month, label: monthLabel(x.month) })),
    measureId: M.sites.id,
    series: [
      { id: 'active', label: { it: 'Attivi nel mese', en: 'Active in the month' }, points: months.map((x) => ({ x: x.month, y: x.active })) },
      { id: 'starting', label: { it: 'Che aprono', en: 'Opening' }, points: months.map((x) => ({ x: x.month, y: x.starting })) },
      { id: 'ending', label: { it: 'Che chiudono', en: 'Closing' }, points: months.map((x) => ({ x: x.month, y: x.ending })) },
    ],
    references: [],
    note: {
      it: 'Cantieri dei progetti programmati o in corso, nelle date del cantiere (o del progetto, se il cantiere non ne ha).',
      en: 'Sites of planned and in-progress projects, on the site’s dates (or the project’s, when the site has none).',
    },
  }

  const d = pmoProjectsDataset
  return themeDashboard(worksTheme, nowMs, {
    window: null,
    measures: Object.values(M),
    panels: [...kpis, choropleth, byLine, byStatus, byMonth],
    sources: [
      openDatasetSource(d),
      ...(await areaLayerSources(db)),
    ],
  })
}

export const worksTheme: ThemeDefinition = {
  id: 'works',
  title: { it: 'Lavori pubblici e cantieri del PMO', en: 'Public works and PMO sites' },
  description: {
    it: 'Il portafoglio dei progetti di trasformazione digitale e i loro cantieri, oggi: risorse programmate, impegnate e spese per linea d’azione, progetti per stato, cantieri e chiusure stradali attivi, dove sono per quartiere e area statistica.',
    en: 'The digital transformation portfolio and its work sites, today: planned, committed and spent money by line of action, projects by status, active sites and road closures, where they are by district and statistical area.',
  },
  days: null,
  build,
}
