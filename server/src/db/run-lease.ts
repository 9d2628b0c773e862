/**
 * The queue of background runs that one server process at a time runs under a lease: the SUMO
 * verification of signal plans (`sumo_run`, migration 0011) and of scenarios (`scenario_sumo_run`,
 * 0015) share these columns and these statements — status queued → running → done, failed or
 * cancelled, progress, cancel_requested, attempts, lease_holder and lease_expires_at.
 *
 * Every job-side write names the lease holder and requires the run to be running under it: a
 * process that lost its lease (it stalled, another process took the run over) changes nothing.
 * Lease times are the database's clock (`now()`), so processes with skewed clocks agree; the
 * times shown (requested, started, finished) are the callers' clocks, like every other table's.
 */
import type { Db, Queryable } from './adapter'

/** The tables with the lease columns (a fixed list: the name is written into the SQL). */
export type LeasedRunTable = 'sumo_run' | 'scenario_sumo_run'
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

/** Claims of one run before it fails: the processes that ran it all stopped before the end. */
export const MAX_ATTEMPTS = 3

/**
 * Claims the oldest queued run, or a running one whose lease lapsed, for `holder` (lease `ttlS`
 * seconds), returning `returning` of it; null when there is none. Lapsed runs that were asked to
 * cancel end cancelled, and lapsed runs claimed MAX_ATTEMPTS times end failed, before anything is claimed.
 */
export async function claimLeasedRun<R>(db: Db, table: LeasedRunTable, returning: string, holder: string, ttlS: number, nowMs: number): Promise<R | null> {
  return db.transaction(async (tx) => {
    const lapsed = `status = 'running' AND lease_expires_at < now()`
    const ended = `lease_holder = NULL, lease_expires_at = NULL, finished_at = to_timestamp($1::float8 / 1000)`
    await tx.query(`UPDATE ${table} SET status = 'cancelled', ${ended} WHERE ${lapsed} AND cancel_requested`, [nowMs])
    await tx.query(
      `UPDATE ${table} SET status = 'failed', ${ended},
         error = 'the server processes that ran it stopped before the end ' || attempts || ' times (the run is not retried again; queue a new one)'
       WHERE ${lapsed} AND attempts >= $2`,
      [nowMs, MAX_ATTEMPTS],
    )
    const r = await tx.query<R & object>(
      `UPDATE ${table} SET status = 'running', lease_holder = $1, lease_expires_at = now() + make_interval(secs => $2), attempts = attempts + 1,
         progress = 0, started_at = to_timestamp($3::float8 / 1000), error = NULL
       WHERE id = (SELECT id FROM ${table} WHERE status = 'queued' OR (${lapsed}) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${returning}`,
      [holder, ttlS, nowMs],
    )
    return r.rows[0] ?? null
  })
}

/**
 * Progress of a run (0..1, never going back), renewing the lease. Returns whether it is still this
 * holder's and whether a cancel was asked: `owned: false` means stop at once and write nothing.
 */
export async function heartbeatLeasedRun(q: Queryable, table: LeasedRunTable, id: number, holder: string, progress: number, ttlS: number): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const r = await q.query<{ cancel_requested: boolean }>(
    `UPDATE ${table} SET progress = greatest(progress, least(1, greatest(0, $3::float8))), lease_expires_at = now() + make_interval(secs => $4)
     WHERE id = $1 AND lease_holder = $2 AND status = 'running' RETURNING cancel_requested`,
    [id, holder, progress, ttlS],
  )
  const row = r.rows[0]
  return { owned: row !== undefined, cancelRequested: row?.cancel_requested ?? false }
}

/** Done with its results document (inside the caller's transaction, which writes its rows too); false when the lease was lost. */
export async function markLeasedRunDone(tx: Queryable, table: LeasedRunTable, id: number, holder: string, results: unknown, nowMs: number): Promise<boolean> {
  const r = await tx.query(
    `UPDATE ${table} SET status = 'done', progress = 1, results = $3::jsonb, finished_at = to_timestamp($4::float8 / 1000), lease_holder = NULL, lease_expires_at = NULL
     WHERE id = $1 AND lease_holder = $2 AND status = 'running'`,
    [id, holder, JSON.stringify(results), nowMs],
  )
  return r.rowCount > 0
}

/** Ends a run this holder runs as failed (with a message a person can act on) or cancelled; false when the lease was lost. */
export async function endLeasedRun(q: Queryable, table: LeasedRunTable, id: number, holder: string, status: 'failed' | 'cancelled', error: string | null, nowMs: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE ${table} SET status = $3, error = $4, finished_at = to_timestamp($5::float8 / 1000), lease_holder = NULL, lease_expires_at = NULL
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
export async function releaseLeasedRun(q: Queryable, table: LeasedRunTable, id: number, holder: string, nowMs: number): Promise<void> {
  await q.query(
    `UPDATE ${table} SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
       finished_at = CASE WHEN cancel_requested THEN to_timestamp($3::float8 / 1000) END,
       started_at = CASE WHEN cancel_requested THEN started_at END,
       progress = CASE WHEN cancel_requested THEN progress ELSE 0 END,
       attempts = greatest(0, attempts - 1), lease_holder = NULL, lease_expires_at = NULL
     WHERE id = $1 AND lease_holder = $2 AND status = 'running'`,
    [id, holder, nowMs],
  )
}

/**
 * Records a cancel (inside the caller's transaction, which audits it): a queued run ends cancelled at
 * once; a running one is flagged, and the process running it stops SUMO and ends it as cancelled.
 * 'missing' when there is no such run, 'ended' when it has already ended (nothing changed),
 * 'flagged-before' when a cancel of the running run was already asked (nothing changed).
 */
export async function requestCancel(tx: Queryable, table: LeasedRunTable, id: number, actor: string, nowMs: number): Promise<{ outcome: 'missing' | 'ended' | 'flagged-before' | 'cancelled' | 'flagged'; was: RunStatus | null }> {
  const r = await tx.query<{ status: RunStatus; cancel_requested: boolean }>(`SELECT status, cancel_requested FROM ${table} WHERE id = $1 FOR UPDATE`, [id])
  const row = r.rows[0]
  if (!row) return { outcome: 'missing', was: null }
  if (row.status !== 'queued' && row.status !== 'running') return { outcome: 'ended', was: row.status }
  if (row.status === 'running' && row.cancel_requested) return { outcome: 'flagged-before', was: row.status }
  if (row.status === 'queued') {
    await tx.query(`UPDATE ${table} SET status = 'cancelled', cancel_requested = true, cancelled_by = $2, finished_at = to_timestamp($3::float8 / 1000) WHERE id = $1`, [id, actor, nowMs])
    return { outcome: 'cancelled', was: row.status }
  }
  await tx.query(`UPDATE ${table} SET cancel_requested = true, cancelled_by = $2 WHERE id = $1`, [id, actor])
  return { outcome: 'flagged', was: row.status }
}
