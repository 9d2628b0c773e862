/**
 * The platform outbox in the database (migration 0017, docs/cases.md "The outbox"): enqueue in the
 * caller's transaction, claim under a lease (the database's clock, as the SUMO runs do), and record an
 * outcome only while the lease is still this holder's — a worker that stalled and lost its row writes
 * nothing. The circuit breaker's state is a row per platform, so every process agrees on it.
 */
import type { Db, Queryable } from '../../db/adapter'
import { appendAudit } from '../../audit/audit-log'

export const PLATFORMS = ['appio', 'gpd', 'send', 'pdnd'] as const
export type Platform = (typeof PLATFORMS)[number]
export type OutboxStatus = 'queued' | 'running' | 'done' | 'failed' | 'ambiguous' | 'dead'

export interface OutboxEntry {
  platform: Platform
  operation: string
  /** One row per effect: the platform's own idempotency key where it has one. */
  idempotencyKey: string
  caseId: number | null
  payload: unknown
}

export interface OutboxItem extends OutboxEntry {
  id: number
  /** Counting this claim. */
  attempts: number
}

/** Queues a call in the caller's transaction; the same key again queues nothing (returns null). */
export async function enqueueOutbox(tx: Queryable, e: OutboxEntry, nowMs: number): Promise<number | null> {
  const at = new Date(nowMs).toISOString()
  const r = await tx.query<{ id: string }>(
    `INSERT INTO platform_outbox (platform, operation, idempotency_key, case_id, payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [e.platform, e.operation, e.idempotencyKey, e.caseId, JSON.stringify(e.payload), at],
  )
  return r.rows[0] ? Number(r.rows[0].id) : null
}

interface ItemRow {
  id: string
  platform: Platform
  operation: string
  idempotency_key: string
  case_id: string | null
  payload: unknown
  attempts: number
}
const ITEM_COLUMNS = `id, platform, operation, idempotency_key, case_id, payload, attempts`
const item = (r: ItemRow): OutboxItem => ({
  id: Number(r.id),
  platform: r.platform,
  operation: r.operation,
  idempotencyKey: r.idempotency_key,
  caseId: r.case_id === null ? null : Number(r.case_id),
  payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
  attempts: Number(r.attempts),
})

/**
 * Claims the oldest due row — queued and due at `nowMs`, or running with a lapsed lease (its worker
 * stopped between the call and the record: the call is made again, with the same key) — of a platform
 * not in `skip` (the open breakers), for `holder` with a lease of `ttlS` seconds.
 */
export async function claimOutboxItem(db: Db, holder: string, ttlS: number, nowMs: number, skip: readonly Platform[] = []): Promise<OutboxItem | null> {
  const r = await db.query<ItemRow>(
    `UPDATE platform_outbox SET status = 'running', lease_holder = $1, lease_expires_at = now() + make_interval(secs => $2), attempts = attempts + 1
      WHERE id = (SELECT id FROM platform_outbox
                   WHERE ((status = 'queued' AND next_attempt_at <= $3) OR (status = 'running' AND lease_expires_at < now())) AND NOT (platform = ANY($4::text[]))
                   ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING ${ITEM_COLUMNS}`,
    [holder, ttlS, new Date(nowMs).toISOString(), skip],
  )
  return r.rows[0] ? item(r.rows[0]) : null
}

export type Recorded =
  | { status: 'done'; http: number | null; result: unknown }
  | { status: 'queued'; http: number | null; error: string; nextAttemptAtMs: number }
  | { status: 'failed' | 'ambiguous' | 'dead'; http: number | null; error: string }

/**
 * Records the outcome of a claimed row in the caller's transaction, with its audit row; false (and
 * nothing written) when the lease is no longer this holder's.
 */
export async function recordOutcome(tx: Queryable, it: OutboxItem, holder: string, o: Recorded, nowMs: number): Promise<boolean> {
  const at = new Date(nowMs).toISOString()
  const final = o.status !== 'queued'
  const r = await tx.query(
    `UPDATE platform_outbox SET status = $3, lease_holder = NULL, lease_expires_at = NULL, last_http_status = $4, last_error = $5, result = $6,
        next_attempt_at = coalesce($7, next_attempt_at), done_at = CASE WHEN $8 THEN $9::timestamptz ELSE NULL END
      WHERE id = $1 AND lease_holder = $2 AND status = 'running'`,
    [
      it.id,
      holder,
      o.status,
      o.http,
      'error' in o ? o.error.slice(0, 500) : null,
      o.status === 'done' ? JSON.stringify(o.result ?? null) : null,
      o.status === 'queued' ? new Date(o.nextAttemptAtMs).toISOString() : null,
      final,
      at,
    ],
  )
  if (r.rowCount === 0) return false
  await appendAudit(
    tx,
    {
      actor: 'system:outbox',
      actorRole: 'system',
      action: `platform.${it.platform}.${it.operation}`,
      target: it.caseId !== null ? `case:${it.caseId}` : `outbox:${it.id}`,
      requestId: null,
      detail: { outboxId: it.id, attempt: it.attempts, http: o.http, outcome: o.status === 'queued' ? 'retry' : o.status },
    },
    nowMs,
  )
  return true
}

export interface BreakerPolicy {
  /** Consecutive retryable failures that open the breaker. */
  threshold: number
  /** How long it stays open before a probe. */
  openMs: number
}

/** Platforms whose breaker is open at `nowMs`. */
export async function openBreakers(q: Queryable, nowMs: number): Promise<Platform[]> {
  const r = await q.query<{ platform: Platform }>(`SELECT platform FROM platform_breaker WHERE open_until > $1 ORDER BY platform`, [new Date(nowMs).toISOString()])
  return r.rows.map((x) => x.platform)
}

/** After a call: a success closes the breaker, a retryable failure counts (and opens it at the threshold); a refusal (4xx) leaves it. */
export async function noteBreaker(tx: Queryable, platform: Platform, outcome: 'success' | 'failure', p: BreakerPolicy, nowMs: number): Promise<void> {
  const at = new Date(nowMs).toISOString()
  if (outcome === 'success') {
    await tx.query(`INSERT INTO platform_breaker (platform, consecutive_failures, open_until, updated_at) VALUES ($1, 0, NULL, $2) ON CONFLICT (platform) DO UPDATE SET consecutive_failures = 0, open_until = NULL, updated_at = $2`, [platform, at])
    return
  }
  await tx.query(
    `INSERT INTO platform_breaker (platform, consecutive_failures, open_until, updated_at) VALUES ($1, 1, CASE WHEN 1 >= $3 THEN $2::timestamptz + make_interval(secs => $4) END, $2)
     ON CONFLICT (platform) DO UPDATE SET consecutive_failures = platform_breaker.consecutive_failures + 1, updated_at = $2,
       open_until = CASE WHEN platform_breaker.consecutive_failures + 1 >= $3 THEN $2::timestamptz + make_interval(secs => $4) ELSE platform_breaker.open_until END`,
    [platform, at, p.threshold, p.openMs / 1000],
  )
}

export interface OutboxRow {
  id: number
  platform: Platform
  operation: string
  idempotencyKey: string
  caseId: number | null
  status: OutboxStatus
  attempts: number
  nextAttemptAtMs: number
  lastHttpStatus: number | null
  lastError: string | null
  result: unknown
}

/** The rows of a case (or every row), oldest first: what the office's case view and the tests read. */
export async function listOutbox(q: Queryable, o: { caseId?: number } = {}): Promise<OutboxRow[]> {
  const r = await q.query<ItemRow & { status: OutboxStatus; next_attempt_at: Date | string; last_http_status: number | null; last_error: string | null; result: unknown }>(
    `SELECT ${ITEM_COLUMNS}, status, next_attempt_at, last_http_status, last_error, result FROM platform_outbox ${o.caseId !== undefined ? 'WHERE case_id = $1' : ''} ORDER BY id`,
    o.caseId !== undefined ? [o.caseId] : [],
  )
  return r.rows.map((x) => {
    const { payload: _payload, ...rest } = item(x)
    return {
      ...rest,
      status: x.status,
      nextAttemptAtMs: new Date(x.next_attempt_at).getTime(),
      lastHttpStatus: x.last_http_status === null ? null : Number(x.last_http_status),
      lastError: x.last_error,
      result: typeof x.result === 'string' ? JSON.parse(x.result) : x.result,
    }
  })
}
