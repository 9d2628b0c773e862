/**
 * SUMO verification runs (migration 0011, docs/signals.md "Verification in SUMO"): queueing,
 * listing, cancelling, and the job side — claiming a run under a lease, progress that renews the
 * lease and reports a cancel, and a run done with its results and per-edge and per-detector rows.
 * The lease statements (failing, cancelling, handing a run back to the queue too) are run-lease.ts's,
 * shared with the scenarios' SUMO runs.
 */
import type { SumoRun, SumoRunRequest, SumoRunResults } from '../../../contracts/signal-api'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { claimLeasedRun, heartbeatLeasedRun, markLeasedRunDone, requestCancel } from './run-lease'
import { SignalError, getPlanVersion, type ChangedBy } from './signals'

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const COLS = `id::int AS id, controller_id AS "controllerId", plan_id AS "planId", version, status, round(progress::numeric, 4)::float8 AS progress, request,
  requested_by AS "requestedBy", ${ms('requested_at')} AS "requestedAtMs", ${ms('started_at')} AS "startedAtMs", ${ms('finished_at')} AS "finishedAtMs",
  cancel_requested AS "cancelRequested", cancelled_by AS "cancelledBy", error, results`

/** Runs a controller lists (newest first): results included, so the list is kept short. */
export const LIST_LIMIT = 20

/** What the job needs of a claimed run. */
export interface ClaimedRun {
  id: number
  controllerId: string
  planId: string
  version: number
  request: SumoRunRequest
  attempts: number
}

export interface EdgeResultRow {
  edgeId: string
  approach: boolean
  vehicles: number
  travelTimeS: number | null
  delayS: number | null
  stops: number | null
  queueMax: number | null
}

export interface DetectorResultRow {
  detectorId: string
  deviceId: string | null
  counted: number | null
  simulated: number
  geh: number | null
}

export async function getSumoRun(q: Queryable, id: number): Promise<SumoRun | null> {
  const r = await q.query<SumoRun>(`SELECT ${COLS} FROM sumo_run WHERE id = $1`, [id])
  return r.rows[0] ?? null
}

/** The newest runs of a controller; null when there is no such controller. */
export async function listSumoRuns(q: Queryable, controllerId: string, limit = LIST_LIMIT): Promise<SumoRun[] | null> {
  const r = await q.query<SumoRun>(`SELECT ${COLS} FROM sumo_run WHERE controller_id = $1 ORDER BY id DESC LIMIT $2`, [controllerId, limit])
  if (r.rows.length > 0) return r.rows
  const c = await q.query('SELECT 1 FROM signal_controller WHERE id = $1', [controllerId])
  return c.rows.length === 0 ? null : []
}

/**
 * Queues a run of a stored plan version (any status: verifying a draft is the point). The request
 * is stored as given: the caller resolves its date first (sumo-run-routes.ts). Audited.
 */
export async function createSumoRun(db: Db, controllerId: string, request: SumoRunRequest, by: ChangedBy, nowMs: number): Promise<SumoRun> {
  return db.transaction(async (tx) => {
    const c = await tx.query<{ network_id: string | null }>('SELECT network_id FROM signal_controller WHERE id = $1', [controllerId])
    if (!c.rows[0]) throw new SignalError('NOT_FOUND', `no signal controller ${controllerId}`)
    if (c.rows[0].network_id === null) throw new SignalError('VALIDATION_FAILED', `controller ${controllerId} has no SUMO network: it was not imported from one, so there is nothing to run the plan on`)
    const v = await getPlanVersion(tx, controllerId, request.planId, request.version)
    if (!v) throw new SignalError('NOT_FOUND', `no version ${request.version} of plan ${request.planId} on controller ${controllerId}`)
    const r = await tx.query<{ id: number }>(
      `INSERT INTO sumo_run (controller_id, plan_id, version, status, request, requested_by, requested_at)
       VALUES ($1, $2, $3, 'queued', $4::jsonb, $5, to_timestamp($6::float8 / 1000)) RETURNING id::int AS id`,
      [controllerId, request.planId, request.version, JSON.stringify(request), by.actor, nowMs],
    )
    const id = r.rows[0]!.id
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null, action: 'sumo_run.create', target: `sumo_run:${id}`, beforeHash: null, afterHash: v.planHash, detail: { controllerId, planId: request.planId, version: request.version, demand: request.demand, date: request.date, hour: request.hour, durationS: request.durationS } }, nowMs)
    return (await getSumoRun(tx, id))!
  })
}

/**
 * Cancels a run: a queued one at once; a running one is flagged, and the process running it stops
 * SUMO and ends it as cancelled. PLAN_STATE when it has already ended; NOT_FOUND when there is none.
 */
export async function cancelSumoRun(db: Db, id: number, by: ChangedBy, nowMs: number): Promise<SumoRun> {
  return db.transaction(async (tx) => {
    const c = await requestCancel(tx, 'sumo_run', id, by.actor, nowMs)
    if (c.outcome === 'missing') throw new SignalError('NOT_FOUND', `no SUMO run ${id}`)
    if (c.outcome === 'ended') throw new SignalError('PLAN_STATE', `SUMO run ${id} has already ended (${c.was}): there is nothing to cancel`)
    if (c.outcome !== 'flagged-before') await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null, action: 'sumo_run.cancel', target: `sumo_run:${id}`, beforeHash: null, afterHash: null, detail: { was: c.was } }, nowMs)
    return (await getSumoRun(tx, id))!
  })
}

// ---------------------------------------------------------------------------------------------
// The job side
// ---------------------------------------------------------------------------------------------

/** Claims the oldest queued run, or one whose lease lapsed (run-lease.ts); null when there is none. */
export async function claimSumoRun(db: Db, holder: string, ttlS: number, nowMs: number): Promise<ClaimedRun | null> {
  return claimLeasedRun<ClaimedRun>(db, 'sumo_run', `id::int AS id, controller_id AS "controllerId", plan_id AS "planId", version, request, attempts`, holder, ttlS, nowMs)
}

/** Progress, renewing the lease (run-lease.ts): `owned: false` means stop at once and write nothing. */
export async function heartbeatSumoRun(q: Queryable, id: number, holder: string, progress: number, ttlS: number): Promise<{ owned: boolean; cancelRequested: boolean }> {
  return heartbeatLeasedRun(q, 'sumo_run', id, holder, progress, ttlS)
}

/** Done: results, and the per-edge and per-detector rows, in one transaction; false when the lease was lost (nothing written). */
export async function finishSumoRun(
  db: Db,
  id: number,
  holder: string,
  out: { networkId: string; results: SumoRunResults; edges: EdgeResultRow[]; detectors: DetectorResultRow[] },
  nowMs: number,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await markLeasedRunDone(tx, 'sumo_run', id, holder, out.results, nowMs))) return false
    await tx.query('DELETE FROM sumo_run_edge WHERE run_id = $1', [id])
    await tx.query('DELETE FROM sumo_run_detector WHERE run_id = $1', [id])
    if (out.edges.length > 0)
      await tx.query(
        `INSERT INTO sumo_run_edge (run_id, network_id, edge_id, approach, vehicles, travel_time_s, delay_s, stops, queue_max)
         SELECT $1, $2, r."edgeId", r.approach, r.vehicles, r."travelTimeS", r."delayS", r.stops, r."queueMax"
         FROM json_to_recordset($3::json) AS r("edgeId" text, approach boolean, vehicles int, "travelTimeS" real, "delayS" real, stops int, "queueMax" int)`,
        [id, out.networkId, JSON.stringify(out.edges)],
      )
    if (out.detectors.length > 0)
      await tx.query(
        `INSERT INTO sumo_run_detector (run_id, network_id, detector_id, device_id, counted, simulated, geh)
         SELECT $1, $2, r."detectorId", r."deviceId", r.counted, r.simulated, r.geh
         FROM json_to_recordset($3::json) AS r("detectorId" text, "deviceId" text, counted real, simulated real, geh real)`,
        [id, out.networkId, JSON.stringify(out.detectors)],
      )
    return true
  })
}

/** The network's e1 detectors with their lane's edge and their loop device (null when not linked to one). */
export async function networkDetectors(q: Queryable, networkId: string): Promise<Array<{ id: string; lane_id: string; edge_id: string; device_id: string | null }>> {
  const r = await q.query<{ id: string; lane_id: string; edge_id: string; device_id: string | null }>(
    `SELECT d.id, d.lane_id, d.device_id, coalesce(l.edge_id, regexp_replace(d.lane_id, '_[0-9]+$', '')) AS edge_id
     FROM sumo_detector d LEFT JOIN sumo_lane l ON l.network_id = d.network_id AND l.id = d.lane_id
     WHERE d.network_id = $1 ORDER BY d.id`,
    [networkId],
  )
  return r.rows
}
