/**
 * The thematic dashboards (issue 11 part 2, docs/dashboards.md): the public list, one dashboard (a
 * built-in theme or a loaded dataset), the areas for choropleths, and loading/removing a dataset.
 * Thin routes: the themes assemble their panels in server/src/dashboards/themes/, loaded datasets in
 * server/src/dashboards/datasets/.
 */
import type { Express } from 'express'
import { THEME_DASHBOARD_ROUTES as R, ThemeIdSchema, type DashboardAreaCollection, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import type { Db } from '../../db/adapter'
import { areasGeoJson } from '../../db/dashboard-areas'
import { actorOf } from '../../http/actor'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { THEMES, themeDays } from '../../dashboards/theme-registry'
import { buildDatasetDashboard, deleteDataset, listLoadedDatasets, loadDataset } from '../../dashboards/datasets/dataset-store'

export interface ThemeDashboardRouteDeps {
  db: Db
  now?: () => number
  /** How long a built theme is served again before it is rebuilt (the server: 60 s; default 0 = always rebuilt, as tests need). */
  cacheMs?: number
}

/**
 * The public asks for the same few dashboards again and again (an embedded one on the city's homepage
 * above all): each theme and period is built at most once per cacheMs, concurrent requests share the build.
 */
export class ThemeCache {
  private readonly entries = new Map<string, { atMs: number; value: Promise<ThemeDashboard> }>()
  constructor(private readonly ttlMs: number) {}
  get(key: string, nowMs: number, build: () => Promise<ThemeDashboard>): Promise<ThemeDashboard> {
    const hit = this.entries.get(key)
    if (hit && nowMs - hit.atMs < this.ttlMs) return hit.value
    const value = build()
    this.entries.set(key, { atMs: nowMs, value })
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key))
    return value
  }
}

export function mountThemeDashboardRoutes(app: Express, deps: ThemeDashboardRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now
  const cache = new ThemeCache(deps.cacheMs ?? 0)

  mount(app, R.listDashboards, async () => {
    const themes = Object.values(THEMES).map((t) => ({ id: t.id, kind: 'theme' as const, title: t.title, description: t.description, loadedAtMs: null }))
    return { dashboards: [...themes, ...(await listLoadedDatasets(db))] }
  })

  mount(app, R.getDashboard, async ({ params, query }) => {
    const theme = ThemeIdSchema.safeParse(params.id)
    if (theme.success) {
      const t = THEMES[theme.data]
      const days = themeDays(t, query.days)
      const nowMs = now()
      return cache.get(`${t.id}/${days}`, nowMs, () => t.build({ db, nowMs, days }))
    }
    const d = await buildDatasetDashboard(db, params.id, now())
    if (!d) throw new ApiError('DASHBOARD_NOT_FOUND', `There is no dashboard "${params.id}": the themes are ${Object.keys(THEMES).join(', ')}; loaded datasets are listed at ${R.listDashboards.path}.`)
    return d
  })

  mount(app, R.dashboardAreas, async ({ params, res }) => {
    res.setHeader('Cache-Control', 'public, max-age=300')
    return (await areasGeoJson(db, params.level)) satisfies string as unknown as DashboardAreaCollection
  })

  mount(app, R.loadDashboardDataset, async ({ params, body, res }) => {
    if (body.id !== params.id) throw new ApiError('VALIDATION_FAILED', `body.id "${body.id}" differs from the path's "${params.id}": load a dataset at its own id.`)
    if (ThemeIdSchema.safeParse(body.id).success) throw new ApiError('VALIDATION_FAILED', `"${body.id}" is a built-in theme's id: choose another id for the dataset.`)
    return loadDataset(db, body, now(), actorOf(res))
  })

  mount(app, R.deleteDashboardDataset, async ({ params, res }) => {
    if (!(await deleteDataset(db, params.id, actorOf(res), now()))) throw new ApiError('DASHBOARD_NOT_FOUND', `No loaded dataset has the id "${params.id}".`)
    return { deleted: true as const }
  })
}
