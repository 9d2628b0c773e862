/**
 * The signal controller's junction on the map (contracts/signal-api.ts getSignalGeometry): the
 * workbench draws each signal group's approach lanes, coloured by the interval selected in the bar
 * chart, over the junction polygons. Read-only; the features come from server/src/db/signal-geometry.ts.
 */
import type { Express } from 'express'
import { SIGNAL_ROUTES } from '../../../../contracts/signal-api'
import type { Db } from '../../db/adapter'
import { signalGeometry } from '../../db/signal-geometry'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'

export interface SignalGeometryRouteDeps {
  db: Db
}

export function mountSignalGeometryRoutes(app: Express, deps: SignalGeometryRouteDeps): void {
  const { db } = deps

  mount(app, SIGNAL_ROUTES.getSignalGeometry, async ({ params }) => {
    const geometry = await signalGeometry(db, params.id)
    if (!geometry) throw new ApiError('NOT_FOUND', `No signal controller ${params.id}. List the controllers with GET /api/signal-controllers.`)
    return JSON.stringify(geometry)
  })
}
