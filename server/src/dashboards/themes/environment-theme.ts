/**
 * The environment theme of the public dashboards (docs/dashboards.md): air quality at the monitoring
 * stations against the legal values of D.Lgs. 155/2010 — the stations reporting, this year's
 * exceedances against the numbers allowed, daily PM10 and hourly NO₂ over the last days, the
 * year-to-date means against the annual limits.
 *
 * The figures are the operators' environment dashboard's (readEnvironmentDashboard: Europe/Rome days
 * and year, invalid hours left out, the 10-minute cache of the year's past days), so the legal rules
 * are applied in one place; this theme keeps the stations the open-data catalogue publishes (never a
 * generated demo station) and lays them out as panels. Stations are points, not areas: there is no
 * choropleth, and a panel says so.
 */
import type { ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import type { Db } from '../../db/adapter'
import { publishedDevices } from '../../opendata/datasets/dataset-definition'
import { PastDaysCache, readEnvironmentDashboard } from '../../routes/dashboards/environment-dashboard'
import { themeDashboard, type ThemeContext, type ThemeDefinition } from '../theme-definition'
import { ENVIRONMENT_MEASURES, environmentPanels } from './environment-panels'
import { importedSources, TWIN_SOURCE } from '../dashboard-sources'

/** One cache of the year's past days per database (the theme is a module constant; a process may hold several databases in tests). */
const pastDaysOf = new WeakMap<Db, PastDaysCache>()

export const environmentTheme: ThemeDefinition = {
  id: 'environment',
  title: { it: 'Ambiente', en: 'Environment' },
  description: {
    it: 'Qualità dell’aria alle stazioni di monitoraggio rispetto ai valori di legge (D.Lgs. 155/2010): superamenti dell’anno rispetto a quelli consentiti, PM10 giornaliero e NO₂ orario negli ultimi giorni, medie dell’anno rispetto ai limiti annuali.',
    en: 'Air quality at the monitoring stations against the legal values (D.Lgs. 155/2010): this year’s exceedances against those allowed, daily PM10 and hourly NO₂ over the last days, year-to-date means against the annual limits.',
  },
  days: { default: 7, max: 31 },
  async build(ctx: ThemeContext): Promise<ThemeDashboard> {
    const { db, nowMs } = ctx
    const days = Math.max(1, ctx.days)
    let pastDays = pastDaysOf.get(db)
    if (!pastDays) pastDaysOf.set(db, (pastDays = new PastDaysCache()))
    const published = await publishedDevices(db, ['air-quality'])
    const env = await readEnvironmentDashboard(db, days, nowMs, { pastDays })
    const ids = new Set(published.map((s) => s.id))
    const stations = env.stations.filter((s) => ids.has(s.deviceId)).sort((a, b) => a.name.localeCompare(b.name, 'it') || (a.deviceId < b.deviceId ? -1 : 1))
    return themeDashboard(environmentTheme, nowMs, {
      window: { fromMs: Math.min(env.window.hourlyFromMs, env.window.dailyFromMs), toMs: nowMs, days },
      measures: ENVIRONMENT_MEASURES,
      panels: environmentPanels({ ...env, stations }),
      sources: [...(await importedSources(db, published.map((s) => s.dataset))), TWIN_SOURCE],
    })
  },
}
