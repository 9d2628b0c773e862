import type { Express } from 'express'
import { ROUTES } from '../../../../contracts/api'
import type { Db } from '../../db/adapter'
import { listConflicts, listQuarantine } from '../../db/quarantine'
import { mount } from '../../http/route'

export function mountIngestRoutes(app: Express, db: Db): void {
  mount(app, ROUTES.listQuarantine, ({ query }) => listQuarantine(db, query))
  mount(app, ROUTES.listConflicts, ({ query }) => listConflicts(db, query.limit))
}
