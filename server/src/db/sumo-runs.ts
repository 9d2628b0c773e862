/**
 * SUMO verification runs (migration 0011, docs/signals.md "Verification in SUMO"): queueing,
 * listing, cancelling, and the job side — claiming a run under a lease, progress that renews the
 * lease and reports a cancel, and the end of a run (done with its results and per-edge and
 * per-detector rows, failed, cancelled, or handed back to the queue when the server stops).
 *
 * Every job-side write names the lease holder and requires the run to be running under it: a
 * process that lost its lease (it stalled, another process took the run over) changes nothing.
 * Lease times are the database's clock (`now()`), so processes with skewed clocks agree; the
 * times shown (requested, started, finished) are the callers' clocks, like every other table's.
 */
import type { SumoRun, SumoRunRequest, SumoRunResults } from '../../../contracts/signal-api'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { SignalError, getPlanVersion, type ChangedBy } from './signals'

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const COLS = `id::int AS id, controller_id AS "controllerId", plan_id AS "planId", version, status, round(progress::numeric, 4)::float8 AS progress, request,
  requested_by AS "requestedBy", ${ms('requested_at')} AS "requestedAtMs", ${ms('started_at')} AS "startedAtMs", ${ms('finished_at')} AS "finishedAtMs",
  cancel_requested AS "cancelRequested", cancelled_by AS "cancelledBy", error, results`

/** Runs a controller lists (newest first): results included, so the list is kept short. */
export const LIST_LIMIT = 20
/** Claims of one run before it fails: the processes that ran it all stopped before the end. */
export const MAX_ATTEMPTS = 3

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
    const r = await tx.query<{ status: SumoRun['status']; cancel_requested: boolean }>('SELECT status, cancel_requested FROM sumo_run WHERE id = $1 FOR UPDATE', [id])
    const row = r.rows[0]
    if (!row) throw new SignalError('NOT_FOUND', `no SUMO run ${id}`)
    if (row.status !== 'queued' && row.status !== 'running') throw new SignalError('PLAN_STATE', `SUMO run ${id} has already ended (${row.status}): there is nothing to cancel`)
    if (row.status === 'running' && row.cancel_requested) return (await getSumoRun(tx, id))!
    if (row.status === 'queued') {
      await tx.query(`UPDATE sumo_run SET status = 'cancelled', cancel_requested = true, cancelled_by = $2, finished_at = to_timestamp($3::float8 / 1000) WHERE id = $1`, [id, by.actor, nowMs])
    } else {
      await tx.query('UPDATE sumo_run SET cancel_requested = true, cancelled_by = $2 WHERE id = $1', [id, by.actor])
    }
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null, action: 'sumo_run.cancel', target: `sumo_run:${id}`, beforeHash: null, afterHash: null, detail: { was: row.status } }, nowMs)
    return (await getSumoRun(tx, id))!
  })
}

// ---------------------------------------------------------------------------------------------
// The job side
// ---------------------------------------------------------------------------------------------

/**
 * Claims the oldest queued run, or a running one whose lease lapsed, for `holder` (lease `ttlS`
 * seconds); null when there is none. Lapsed runs that were asked to cancel end cancelled, and
 * lapsed runs claimed MAX_ATTEMPTS times end failed, before anything is claimed.
 */
export async function claimSumoRun(db: Db, holder: string, ttlS: number, nowMs: number): Promise<ClaimedRun | null> {
  return db.transaction(async (tx) => {
    const lapsed = `status = 'running' AND lease_expires_at < now()`
    const ended = `lease_holder = NULL, lease_expires_at = NULL, finished_at = to_timestamp($1::float8 / 1000)`
    await tx.query(`UPDATE sumo_run SET status = 'cancelled', ${ended} WHERE ${lapsed} AND cancel_requested`, [nowMs])
    await tx.query(
      `UPDATE sumo_run SET status = 'failed', ${ended},
         error = 'the server processes that ran it stopped before the end ' || attempts || ' times (the run is not retried again; queue a new one)'
       WHERE ${lapsed} AND attempts >= $2`,
      [nowMs, MAX_ATTEMPTS],
    )
    const r = await tx.query<ClaimedRun>(
      `UPDATE sumo_run SET status = 'running', lease_holder = $1, lease_expires_at = now() + make_interval(secs => $2), attempts = attempts + 1,
         progress = 0, started_at = to_timestamp($3::float8 / 1000), error = NULL
       WHERE id = (SELECT id FROM sumo_run WHERE status = 'queued' OR (${lapsed}) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id::int AS id, controller_id AS "controllerId", plan_id AS "planId", version, request, attempts`,
      [holder, ttlS, nowMs],
    )
    return r.rows[0] ?? null
  })
}

/**
 * Progress of a run (0..1, never going back), renewing the lease. Returns whether it is still this
 * holder's and whether a cancel was asked: `owned: false` means stop at once and write nothing.
 */
export async function heartbeatSumoRun(q: Queryable, id: number, holder: string, progress: number, ttlS: number): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const r = await q.query<{ cancel_requested: boolean }>(
    `UPDATE sumo_run SET progress = greatest(progress, least(1, greatest(0, $3::float8))), lease_expires_at = now() + make_interval(secs => $4)
     WHERE id = $1 AND lease_holder = $2 AND status = 'running' RETURNING cancel_requested`,
    [id, holder, progress, ttlS],
  )
  const row = r.rows[0]
  return { owned: row !== undefined, cancelRequested: row?.cancel_requested ?? false }
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
    const r = await tx.query(
      `UPDATE sumo_run SET status = 'done', progress = 1, results = $3::jsonb, finished_at = to_timestamp($4::float8 / 1000), lease_holder = NULL, lease_expires_at = NULL
       WHERE id = $1 AND lease_holder = $2 AND status = 'running'`,
      [id, holder, JSON.stringify(out.results), nowMs],
    )
    if (r.rowCount === 0) return false
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

/** Ends a run this holder runs as failed (with a message a person can act on) or cancelled; false when the lease was lost. */
export async function endSumoRun(q: Queryable, id: number, holder: string, status: 'failed' | 'cancelled', error: string | null, nowMs: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE sumo_run SET status = $3, error = $4, finished_at = to_timestamp($5::float8 / 1000), lease_holder = NULL, lease_expires_at = NULL
     WHERE id = $1 AND lease_holder = $2 AND status = 'running'`,
    [id, holder, status, error, nowMs],
  )
  return r.rowCount > 0
}

/**
 * Hands a run back to the queue (the server is stopping): another process, or this one after its
 * restart, runs it again from the start; the claim is not counted against MAX_ATTEMPTS. A run that
 * was asked to cancel ends cancelled instead.
 */
export async function releaseSumoRun(q: Queryable, id: number, holder: string, nowMs: number): Promise<void> {
  await q.query(
    `UPDATE sumo_run SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
       finished_at = CASE WHEN cancel_requested THEN to_timestamp($3::float8 / 1000) END,
       started_at = CASE WHEN cancel_requested THEN started_at END,
       progress = CASE WHEN cancel_requested THEN progress ELSE 0 END,
       attempts = greatest(0, attempts - 1), lease_holder = NULL, lease_expires_at = NULL
     WHERE id = $1 AND lease_holder = $2 AND status = 'running'`,
    [id, holder, nowMs],
  )
}
