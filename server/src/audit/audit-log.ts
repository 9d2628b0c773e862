/**
 * The audit log (ADR 0005, migration 0005): append in the audited action's own transaction, verify
 * the hash chain, search. One order for the chain: appends take a transaction-scoped advisory lock,
 * read the head, and write seq + 1 — so audited transactions commit one after another (they are
 * human actions: a handful per minute), and a rolled-back action leaves no row and no gap.
 *
 * hash = sha256(prev_hash ‖ "\n" ‖ canonical JSON of the row's fields), hex. The first row's
 * prev_hash is 64 zeros. Canonical JSON: a fixed field order, `at` as an ISO string with
 * milliseconds, `detail` with its keys sorted at every depth.
 */
import { canonicalJson } from '../../../contracts/canonical-json'
import { createHash } from 'node:crypto'
import type { AuditFilter } from '../../../contracts/api'
import type { Queryable } from '../db/adapter'

export const AUDIT_LOCK = 74_290_021
export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEntry {
  /** User id, or `system:<component>` for what Gemello does by itself. */
  actor: string
  /** The role the actor acted under. */
  actorRole: string
  /** `<area>.<verb>`, e.g. `signal_plan.deploy`, `user.role_grant`, `census.update`. */
  action: string
  /** `<kind>:<id>[@version]`, e.g. `signal_plan:c201@v4`. */
  target: string
  /** sha256 of the target's state before the action (null when it did not exist). */
  beforeHash?: string | null
  afterHash?: string | null
  requestId?: string | null
  /** Non-personal extra facts (a reason, a flag such as last_writer_wins). */
  detail?: Record<string, unknown>
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'detail'>> {
  seq: number
  atMs: number
  detail: Record<string, unknown>
  prevHash: string
  hash: string
}

/** sha256 hex of a value's canonical JSON: for before/after hashes of audited records. */
export function stateHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}

export { canonicalJson }

/** The hash of a row, from its fields and the previous row's hash. */
export function rowHash(r: Omit<AuditRecord, 'hash'>): string {
  const fields = [r.seq, new Date(r.atMs).toISOString(), r.actor, r.actorRole, r.action, r.target, r.beforeHash, r.afterHash, r.requestId, r.detail]
  return createHash('sha256').update(`${r.prevHash}\n${canonicalJson(fields)}`).digest('hex')
}

/** Appends one row in the caller's transaction (the audited action's). */
export async function appendAudit(tx: Queryable, e: AuditEntry, nowMs: number = Date.now()): Promise<AuditRecord> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK])
  // seq as stored (bigint; a string or a bigint in JS): a `seq::text AS seq` alias would make ORDER BY sort text, '9' after '10'.
  const head = await tx.query<{ seq: string | bigint; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
  const prev = head.rows[0]
  const base = {
    seq: prev ? Number(prev.seq) + 1 : 1,
    atMs: nowMs,
    actor: e.actor,
    actorRole: e.actorRole,
    action: e.action,
    target: e.target,
    beforeHash: e.beforeHash ?? null,
    afterHash: e.afterHash ?? null,
    requestId: e.requestId ?? null,
    detail: e.detail ?? {},
    prevHash: prev?.hash ?? GENESIS_HASH,
  }
  const rec: AuditRecord = { ...base, hash: rowHash(base) }
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, actor_role, action, target, before_hash, after_hash, request_id, detail, prev_hash, hash)
     VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)`,
    [rec.seq, rec.atMs, rec.actor, rec.actorRole, rec.action, rec.target, rec.beforeHash, rec.afterHash, rec.requestId, JSON.stringify(rec.detail), rec.prevHash, rec.hash],
  )
  return rec
}

interface Row {
  seq: string | bigint
  at_ms: number
  actor: string
  actor_role: string
  action: string
  target: string
  before_hash: string | null
  after_hash: string | null
  request_id: string | null
  detail: Record<string, unknown> | string
  prev_hash: string
  hash: string
}

const SELECT = `SELECT seq, round(extract(epoch FROM at) * 1000)::float8 AS at_ms, actor, actor_role, action, target, before_hash, after_hash, request_id, detail, prev_hash, hash FROM audit_log`

function toRecord(r: Row): AuditRecord {
  return {
    seq: Number(r.seq),
    atMs: Number(r.at_ms),
    actor: r.actor,
    actorRole: r.actor_role,
    action: r.action,
    target: r.target,
    beforeHash: r.before_hash,
    afterHash: r.after_hash,
    requestId: r.request_id,
    detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

export type ChainReport = { ok: true; rows: number; head: string } | { ok: false; rows: number; brokenAtSeq: number; reason: string }

/**
 * Walks the chain in seq order and recomputes every hash. Reports the first row where it breaks:
 * a missing seq (a row removed), a prev_hash that is not the previous row's hash (a row removed or
 * inserted), or a hash that does not match the row's fields (a row changed).
 */
export async function verifyAuditChain(q: Queryable, pageSize = 5000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH
  let expected = 1
  let rows = 0
  for (;;) {
    const page = await q.query<Row>(`${SELECT} WHERE seq >= $1 ORDER BY seq LIMIT $2`, [expected, pageSize])
    if (page.rows.length === 0) return { ok: true, rows, head: prevHash }
    for (const raw of page.rows) {
      const r = toRecord(raw)
      if (r.seq !== expected) return { ok: false, rows, brokenAtSeq: expected, reason: `row ${expected} is missing (the next row is ${r.seq})` }
      if (r.prevHash !== prevHash) return { ok: false, rows, brokenAtSeq: r.seq, reason: `row ${r.seq} does not follow row ${r.seq - 1}: its prev_hash is not that row's hash` }
      if (rowHash(r) !== r.hash) return { ok: false, rows, brokenAtSeq: r.seq, reason: `row ${r.seq} was changed after it was written: its fields do not give its hash` }
      prevHash = r.hash
      expected++
      rows++
    }
  }
}

export type AuditQuery = AuditFilter

/** Newest first, filtered; bound parameters only. */
export async function searchAudit(q: Queryable, f: AuditQuery): Promise<AuditRecord[]> {
  const where: string[] = []
  const params: unknown[] = []
  const add = (sql: string, v: unknown) => {
    params.push(v)
    where.push(sql.replace('?', `$${params.length}`))
  }
  if (f.actor !== undefined) add('actor = ?', f.actor)
  if (f.action !== undefined) add('action = ?', f.action)
  if (f.target !== undefined) {
    if (f.target.endsWith('*')) add(`starts_with(target, ?)`, f.target.slice(0, -1))
    else add('target = ?', f.target)
  }
  if (f.fromMs !== undefined) add('at >= to_timestamp(? / 1000.0)', f.fromMs)
  if (f.toMs !== undefined) add('at < to_timestamp(? / 1000.0)', f.toMs)
  if (f.beforeSeq !== undefined) add('seq < ?', f.beforeSeq)
  params.push(Math.min(Math.max(f.limit ?? 100, 1), 1000))
  const r = await q.query<Row>(`${SELECT}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`, params)
  return r.rows.map(toRecord)
}
