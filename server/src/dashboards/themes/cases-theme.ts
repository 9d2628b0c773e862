/**
 * The citizen-cases theme (issue 11 part 2, docs/dashboards.md): the cases received over the period
 * (default 90 days, at most 366) — how many, still open, closed within the SLA, median time to close;
 * by district and statistical area; by week, by service, open ones by district and service.
 *
 * The same cases the open dataset segnalazioni-cittadini publishes: the published ones (a batch request
 * not yet accepted, or a case an office hid, is left out; a duplicate counts as the closed case it is).
 * Aggregates only: never a description, address, note, reporter or assignee
 * (server/src/db/theme-works-cases.ts reads none of them). Panels in ./cases-panels.ts.
 */
import { AREA_LEVELS, type AreaLevel, type AreaRow, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { listServices } from '../../db/cases'
import { areasOf } from '../../db/dashboard-areas'
import { caseTotals, casesByArea, casesByService, openCasesByDistrictService, weeklyCaseVolumes, type CasePeriod } from '../../db/theme-works-cases'
import { casesDataset } from '../../opendata/datasets/case-datasets'
import { areaLayerSources, openDatasetSource } from '../dashboard-sources'
import { themeDashboard, type ThemeContext, type ThemeDefinition } from '../theme-definition'
import { CASE_MEASURES, caseAreaRows, caseChoropleth, caseKpis, openByDistrictChart, serviceChart, servicesShown, weeklyChart } from './cases-panels'

const DAY_MS = 86_400_000

async function build(ctx: ThemeContext): Promise<ThemeDashboard> {
  const { db, nowMs, days } = ctx
  const period: CasePeriod = { fromMs: nowMs - days * DAY_MS, toMs: nowMs, nowMs }

  const levels: Partial<Record<AreaLevel, AreaRow[]>> = {}
  for (const level of AREA_LEVELS) levels[level] = caseAreaRows(await areasOf(db, level), await casesByArea(db, level, period))

  const byService = await casesByService(db, period)
  const catalogue = (await listServices(db, { includeInactive: true })).map((s) => ({ code: s.code, name: s.name, active: s.active }))
  const services = servicesShown(catalogue, new Set(byService.keys()))

  const d = casesDataset
  return themeDashboard(casesTheme, nowMs, {
    window: { fromMs: period.fromMs, toMs: period.toMs, days },
    measures: Object.values(CASE_MEASURES),
    panels: [
      ...caseKpis(await caseTotals(db, period), days),
      caseChoropleth(levels),
      weeklyChart(await weeklyCaseVolumes(db, period)),
      serviceChart(services, byService),
      openByDistrictChart(await areasOf(db, 'quartiere'), services, await openCasesByDistrictService(db, period)),
    ],
    sources: [
      openDatasetSource(d),
      ...(await areaLayerSources(db)),
    ],
  })
}

export const casesTheme: ThemeDefinition = {
  id: 'cases',
  title: { it: 'Segnalazioni dei cittadini', en: 'Citizen cases' },
  description: {
    it: 'Le segnalazioni dei cittadini (buche, illuminazione, rifiuti, …): quante ne arrivano e se ne chiudono ogni settimana, per servizio e per quartiere e area statistica, e se sono chiuse entro i tempi previsti da ciascun servizio.',
    en: 'Citizens’ reports (potholes, lighting, waste, …): how many come in and are closed each week, by service and by district and statistical area, and whether they are closed within each service’s expected time.',
  },
  days: { default: 90, max: 366 },
  build,
}
