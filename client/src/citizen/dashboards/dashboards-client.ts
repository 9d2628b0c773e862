/**
 * The public dashboards' calls (contracts/theme-dashboard-api.ts THEME_DASHBOARD_ROUTES), in the manner
 * of client/src/api: every answer parsed with the contract's schema, every failure an ApiError. The
 * areas of a level change only when the city's layers are imported again: each level is asked once
 * per page load and shared by every choropleth.
 */
import {
  DashboardAreaCollectionSchema,
  DashboardListSchema,
  THEME_DASHBOARD_ROUTES as R,
  ThemeDashboardSchema,
  type AreaLevel,
  type DashboardAreaCollection,
  type ThemeDashboard,
} from '../../../../contracts/theme-dashboard-api'
import type { z } from 'zod'
import { sendJson, type FetchLike } from '../../api/send-json'

export type DashboardList = z.infer<typeof DashboardListSchema>

export interface DashboardsClient {
  list(signal?: AbortSignal): Promise<DashboardList>
  /** One dashboard; `days` only for those whose period can change (ThemeDashboard.days). */
  dashboard(id: string, days: number | null, signal?: AbortSignal): Promise<ThemeDashboard>
  areas(level: AreaLevel): Promise<DashboardAreaCollection>
}

export const dashboardPath = (id: string, days: number | null) => `${R.getDashboard.path.replace(':id', encodeURIComponent(id))}${days === null ? '' : `?days=${days}`}`

export function createDashboardsClient(o: { baseUrl?: string; fetch?: typeof fetch } = {}): DashboardsClient {
  const baseUrl = o.baseUrl ?? ''
  const doFetch: FetchLike = o.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const areas = new Map<AreaLevel, Promise<DashboardAreaCollection>>()
  return {
    list: (signal) => sendJson(doFetch, baseUrl, 'GET', R.listDashboards.path, DashboardListSchema, undefined, signal),
    dashboard: (id, days, signal) => sendJson(doFetch, baseUrl, 'GET', dashboardPath(id, days), ThemeDashboardSchema, undefined, signal),
    areas(level) {
      const kept = areas.get(level)
      if (kept) return kept
      const answer = sendJson(doFetch, baseUrl, 'GET', R.dashboardAreas.path.replace(':level', level), DashboardAreaCollectionSchema)
      areas.set(level, answer)
      // A failure is not kept: the next choropleth asks again.
      answer.catch(() => areas.get(level) === answer && areas.delete(level))
      return answer
    },
  }
}
