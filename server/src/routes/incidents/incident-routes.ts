/**
 * Incidents and the shift log over REST (contracts/incident-api.ts, ADR 0006): validate (mount) →
 * server/src/db/incidents.ts (one transaction with the audit row) → the incident, pushed to every
 * screen through `onChange` after the commit.
 */
import type { Express } from 'express'
import { INCIDENT_ROUTES, type Incident, type IncidentDetail, type IncidentFeatureCollection } from '../../../../contracts/incident-api'
import type { Db } from '../../db/adapter'
import {
  addIncidentAction,
  appendShiftLog,
  closeIncident,
  createIncident,
  getIncidentDetail,
  IncidentError,
  listIncidents,
  listShiftLog,
  updateIncident,
} from '../../db/incidents'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { actorOf } from '../../http/actor'

export interface IncidentRouteDeps {
  db: Db
  /** Epoch ms of changes (default Date.now). */
  now?: () => number
  /** Called after each committed change with the incident as it now is (to push it to the screens); must not throw. */
  onChange?: (incident: Incident) => void
}

/** Open incidents that the map and the wall draw at most (more is not a control room, it is a bug). */
const MAX_MAP_INCIDENTS = 5000

/** Presenter: open incidents → GeoJSON points with what a map label needs. */
export function presentIncidentsGeoJson(incidents: readonly Incident[]): IncidentFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: incidents.map((i) => ({
      type: 'Feature',
      id: i.id,
      geometry: { type: 'Point', coordinates: i.position },
      properties: { id: i.id, type: i.type, title: i.title, priority: i.priority, status: i.status },
    })),
  }
}

function asApiError(err: unknown): never {
  if (err instanceof IncidentError) throw new ApiError(err.code, err.message, err.field ? [{ path: err.field, message: err.message }] : undefined)
  throw err
}

export function mountIncidentRoutes(app: Express, deps: IncidentRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now
  const changed = (detail: IncidentDetail): IncidentDetail => {
    deps.onChange?.(detail.incident)
    return detail
  }

  mount(app, INCIDENT_ROUTES.listIncidents, async ({ query }) => ({ incidents: await listIncidents(db, query) }))

  mount(app, INCIDENT_ROUTES.incidentsGeoJson, async ({ res }) => {
    res.setHeader('Cache-Control', 'no-store')
    return JSON.stringify(presentIncidentsGeoJson(await listIncidents(db, { status: 'open', limit: MAX_MAP_INCIDENTS })))
  })

  mount(app, INCIDENT_ROUTES.getIncident, async ({ params }) => {
    const detail = await getIncidentDetail(db, params.id)
    if (!detail) throw new ApiError('INCIDENT_NOT_FOUND', `No incident #${params.id}. List the incidents with GET /api/incidents?status=all.`)
    return detail
  })

  mount(app, INCIDENT_ROUTES.createIncident, async ({ body, res }) => changed(await createIncident(db, body, actorOf(res), now()).catch(asApiError)))

  mount(app, INCIDENT_ROUTES.updateIncident, async ({ params, body, res }) => changed(await updateIncident(db, params.id, body, actorOf(res), now()).catch(asApiError)))

  mount(app, INCIDENT_ROUTES.incidentAction, async ({ params, body, res }) => changed(await addIncidentAction(db, params.id, body, actorOf(res), now()).catch(asApiError)))

  mount(app, INCIDENT_ROUTES.closeIncident, async ({ params, body, res }) => changed(await closeIncident(db, params.id, body.note, actorOf(res), now()).catch(asApiError)))

  mount(app, INCIDENT_ROUTES.listShiftLog, async ({ query }) => listShiftLog(db, query))

  mount(app, INCIDENT_ROUTES.appendShiftLog, async ({ body, res }) => appendShiftLog(db, body, actorOf(res), now()))
}
