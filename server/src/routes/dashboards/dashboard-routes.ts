/**
 * The thematic live dashboards (issue 6 item 7): mobility by district and corridor, air quality by
 * station against the legal values. Thin routes: the figures are assembled in mobility-dashboard.ts
 * and environment-dashboard.ts from the queries of server/src/db/dashboards.ts.
 */
import type { Express } from 'express'
import { DASHBOARD_ROUTES } from '../../../../contracts/dashboard-api'
import type { Db } from '../../db/adapter'
import { mount } from '../../http/route'
import { PastDaysCache, readEnvironmentDashboard } from './environment-dashboard'
import { readMobilityDashboard } from './mobility-dashboard'

export interface DashboardRouteDeps {
  db: Db
  now?: () => number
}

export function mountDashboardRoutes(app: Express, deps: DashboardRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now
  mount(app, DASHBOARD_ROUTES.mobilityDashboard, ({ query }) => readMobilityDashboard(db, query.hours, now()))
  const pastDays = new PastDaysCache()
  mount(app, DASHBOARD_ROUTES.environmentDashboard, ({ query }) => readEnvironmentDashboard(db, query.days, now(), { pastDays }))
}
