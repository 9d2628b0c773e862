/**
 * SUMO verifications of scenario versions (migration 0015, docs/scenarios.md "Verification in
 * SUMO"): queueing with a snapshot of the version's document, listing, cancelling, the per-edge and
 * per-loop rows; and the job side — claiming a run (run-lease.ts on scenario_sumo_run, which also renews
 * and ends it) and its end with its results and rows written in one transaction.
 */
import type { ScenarioSumoRun, ScenarioSumoRunRequest } from '../../../contracts/scenario-api'
import type { Scenario } from '../../../contracts/schemas/scenario'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { claimLeasedRun, markLeasedRunDone, requestCancel } from './run-lease'
import type { ChangedBy } from './signals'

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const COLS = `id::int AS id, scenario_id AS "scenarioId", version, status, round(progress::numeric, 4)::float8 AS progress, request,
  requested_by AS "requestedBy", ${ms('requested_at')} AS "requestedAtMs", ${ms('started_at')} AS "startedAtMs", ${ms('finished_at')} AS "finishedAtMs",
  cancel_requested AS "cancelRequested", error, results`

/** Runs a scenario lists (newest first): results included, so the list is kept short. */
export const LIST_LIMIT = 20

/** What the job needs of a claimed run. */
export interface ClaimedScenarioRun {
  id: number
  scenarioId: string
  version: number
  /** The document as it was queued (parsed again by the runner: it may predate a schema change). */
  document: unknown
  request: ScenarioSumoRunRequest
  attempts: number
}

/** Per SUMO edge, as stored. */
export interface ScenarioEdgeRow {
  edgeId: string
  roadEdgeId: string | null
  reverse: boolean
  simulatedVehH: number
  travelTimeS: number | null
  speedKmh: number | null
  estimatedVehH: number | null
}

/** Per loop, as stored. */
export interface ScenarioDetectorRow {
  deviceId: string
  counted: number | null
  simulated: number
  estimated: number | null
  geh: number | null
  gehEstimate: number | null
}

export async function getScenarioSumoRun(q: Queryable, id: number): Promise<ScenarioSumoRun | null> {
  const r = await q.query<ScenarioSumoRun>(`SELECT ${COLS} FROM scenario_sumo_run WHERE id = $1`, [id])
  return r.rows[0] ?? null
}

/** The newest runs of a scenario. */
export async function listScenarioSumoRuns(q: Queryable, scenarioId: string, limit = LIST_LIMIT): Promise<ScenarioSumoRun[]> {
  const r = await q.query<ScenarioSumoRun>(`SELECT ${COLS} FROM scenario_sumo_run WHERE scenario_id = $1 ORDER BY id DESC LIMIT $2`, [scenarioId, limit])
  return r.rows
}

/** Queues a run of a version (its document kept as the run's snapshot), with the request resolved. Audited. */
export async function createScenarioSumoRun(db: Db, run: { scenarioId: string; version: number; document: Scenario; request: ScenarioSumoRunRequest }, by: ChangedBy, nowMs: number): Promise<ScenarioSumoRun> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO scenario_sumo_run (scenario_id, version, document, status, request, requested_by, requested_at)
       VALUES ($1, $2, $3::jsonb, 'queued', $4::jsonb, $5, to_timestamp($6::float8 / 1000)) RETURNING id::int AS id`,
      [run.scenarioId, run.version, JSON.stringify(run.document), JSON.stringify(run.request), by.actor, nowMs],
    )
    const id = r.rows[0]!.id
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null, action: 'scenario_sumo_run.create', target: `scenario_sumo_run:${id}`, beforeHash: null, afterHash: null, detail: { scenarioId: run.scenarioId, version: run.version, ...run.request } }, nowMs)
    return (await getScenarioSumoRun(tx, id))!
  })
}

/**
 * Cancels a run: a queued one at once; a running one is flagged, and the process running it stops
 * SUMO and ends it as cancelled. 'missing' when there is no such run; 'ended' (with the run) when it
 * has already ended.
 */
export async function cancelScenarioSumoRun(db: Db, id: number, by: ChangedBy, nowMs: number): Promise<{ outcome: 'missing' } | { outcome: 'ended' | 'cancelled' | 'flagged'; run: ScenarioSumoRun }> {
  return db.transaction(async (tx) => {
    const c = await requestCancel(tx, 'scenario_sumo_run', id, by.actor, nowMs)
    if (c.outcome === 'missing') return { outcome: 'missing' }
    if (c.outcome === 'cancelled' || c.outcome === 'flagged')
      await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null, action: 'scenario_sumo_run.cancel', target: `scenario_sumo_run:${id}`, beforeHash: null, afterHash: null, detail: { was: c.was } }, nowMs)
    const run = (await getScenarioSumoRun(tx, id))!
    return { outcome: c.outcome === 'flagged-before' ? 'flagged' : c.outcome, run }
  })
}

/** Per SUMO edge of a run with its line (lon, lat) for the side-by-side map (null when there is no such run), busiest first. */
export async function listScenarioSumoEdges(q: Queryable, runId: number, limit: number): Promise<Array<ScenarioEdgeRow & { coordinates: Array<[number, number]> | null }> | null> {
  const r = await q.query<ScenarioEdgeRow & { geometry: string | null }>(
    `SELECT edge_id AS "edgeId", road_edge_id AS "roadEdgeId", road_edge_reverse AS reverse, simulated_veh_h::float8 AS "simulatedVehH",
            travel_time_s::float8 AS "travelTimeS", speed_kmh::float8 AS "speedKmh", estimated_veh_h::float8 AS "estimatedVehH",
            ST_AsGeoJSON(geom, 6) AS geometry
     FROM scenario_sumo_edge WHERE run_id = $1 ORDER BY simulated_veh_h DESC, edge_id LIMIT $2`,
    [runId, limit],
  )
  if (r.rows.length > 0) {
    return r.rows.map(({ geometry, ...row }) => ({ ...row, coordinates: geometry ? (JSON.parse(geometry) as { coordinates: Array<[number, number]> }).coordinates : null }))
  }
  return (await getScenarioSumoRun(q, runId)) ? [] : null
}

// ---------------------------------------------------------------------------------------------
// The job side
// ---------------------------------------------------------------------------------------------

export async function claimScenarioSumoRun(db: Db, holder: string, ttlS: number, nowMs: number): Promise<ClaimedScenarioRun | null> {
  return claimLeasedRun<ClaimedScenarioRun>(db, 'scenario_sumo_run', `id::int AS id, scenario_id AS "scenarioId", version, document, request, attempts`, holder, ttlS, nowMs)
}

/**
 * Done: the results, the per-edge rows (with the SUMO edge's line from sumo_edge) and the per-loop
 * rows in one transaction; false when the lease was lost (nothing written).
 */
export async function finishScenarioSumoRun(db: Db, id: number, holder: string, out: { networkId: string; results: unknown; edges: ScenarioEdgeRow[]; detectors: ScenarioDetectorRow[] }, nowMs: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await markLeasedRunDone(tx, 'scenario_sumo_run', id, holder, out.results, nowMs))) return false
    await tx.query('DELETE FROM scenario_sumo_edge WHERE run_id = $1', [id])
    await tx.query('DELETE FROM scenario_sumo_detector WHERE run_id = $1', [id])
    if (out.edges.length > 0)
      await tx.query(
        `INSERT INTO scenario_sumo_edge (run_id, network_id, edge_id, road_edge_id, road_edge_reverse, simulated_veh_h, travel_time_s, speed_kmh, estimated_veh_h, geom)
         SELECT $1, $2, r."edgeId", r."roadEdgeId", r.reverse, r."simulatedVehH", r."travelTimeS", r."speedKmh", r."estimatedVehH", e.geom
         FROM json_to_recordset($3::json) AS r("edgeId" text, "roadEdgeId" text, reverse boolean, "simulatedVehH" real, "travelTimeS" real, "speedKmh" real, "estimatedVehH" real)
         LEFT JOIN sumo_edge e ON e.network_id = $2 AND e.id = r."edgeId"`,
        [id, out.networkId, JSON.stringify(out.edges)],
      )
    if (out.detectors.length > 0)
      await tx.query(
        `INSERT INTO scenario_sumo_detector (run_id, device_id, counted, simulated, estimated, geh, geh_estimate)
         SELECT $1, r."deviceId", r.counted, r.simulated, r.estimated, r.geh, r."gehEstimate"
         FROM json_to_recordset($2::json) AS r("deviceId" text, counted real, simulated real, estimated real, geh real, "gehEstimate" real)`,
        [id, JSON.stringify(out.detectors)],
      )
    return true
  })
}
