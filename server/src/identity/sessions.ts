/**
 * Staff sessions (ADR 0005): server-side rows keyed by the SHA-256 of a random 256-bit id that only
 * the browser's cookie holds. A new id at every sign-in (no fixation); idle and absolute timeouts;
 * sign-out deletes the row, so a copied cookie is worthless afterwards. `last_seen_at` is written at
 * most once a minute per session, so reading the API does not turn into a write per request.
 */
import { createHash, randomBytes } from 'node:crypto'
import { ROLES, type Role } from '../../../contracts/access'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from '../db/adapter'

export interface SessionPolicy {
  idleMs: number
  absoluteMs: number
}

export interface StaffSession {
  idHash: string
  username: string
  displayName: string
  source: 'local' | 'oidc'
  roles: Role[]
  createdAtMs: number
  lastSeenAtMs: number
  authAtMs: number
  /** When it ends if nothing happens (idle), and at the latest (absolute). */
  idleExpiresAtMs: number
  absoluteExpiresAtMs: number
}

const TOUCH_EVERY_MS = 60_000

export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex')

interface Row {
  id_hash: string
  username: string
  display_name: string
  source: 'local' | 'oidc'
  roles: string[]
  created_at: Date | string
  last_seen_at: Date | string
  auth_at: Date | string
  expires_at: Date | string
}

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  get idleMs(): number {
    return this.policy.idleMs
  }

  /**
   * Opens a session for a user who has just authenticated (in `tx`, with the sign-in's audit row).
   * `replaces`: the id hash of the session the browser had, ended now (a new id every sign-in).
   */
  async open(tx: Queryable, username: string, roles: readonly Role[], replaces: string | null): Promise<{ id: string; session: StaffSession }> {
    const id = randomBytes(32).toString('base64url')
    const idHash = hashSessionId(id)
    const now = this.now()
    if (replaces) await tx.query('DELETE FROM staff_session WHERE id_hash = $1', [replaces])
    await tx.query(
      `INSERT INTO staff_session (id_hash, username, roles, created_at, last_seen_at, auth_at, expires_at)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), to_timestamp($4 / 1000.0), to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0))`,
      [idHash, username, [...roles], now, now + this.policy.absoluteMs],
    )
    const session = await this.byHash(tx, idHash)
    return { id, session: session! }
  }

  /** The live session of a cookie's id, touched; null when unknown, idle too long or past its end. */
  async resolve(id: string): Promise<StaffSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null
    const idHash = hashSessionId(id)
    const s = await this.byHash(this.db, idHash)
    if (!s) return null
    const now = this.now()
    if (now >= s.idleExpiresAtMs || now >= s.absoluteExpiresAtMs) {
      await this.db.query('DELETE FROM staff_session WHERE id_hash = $1', [idHash])
      return null
    }
    if (now - s.lastSeenAtMs >= TOUCH_EVERY_MS) {
      await this.db.query('UPDATE staff_session SET last_seen_at = to_timestamp($2 / 1000.0) WHERE id_hash = $1', [idHash, now])
      return { ...s, lastSeenAtMs: now, idleExpiresAtMs: noIdleTimeout(s.roles) ? s.absoluteExpiresAtMs : Math.min(now + this.policy.idleMs, s.absoluteExpiresAtMs) }
    }
    return s
  }

  /** Of these sessions, the ones still valid (not touched: a socket being open is not activity). */
  async stillValid(idHashes: readonly string[]): Promise<Set<string>> {
    if (idHashes.length === 0) return new Set()
    const r = await this.db.query<{ id_hash: string }>(
      `SELECT s.id_hash FROM staff_session s JOIN staff_user u ON u.username = s.username
        WHERE s.id_hash = ANY($1) AND u.disabled_at IS NULL AND s.expires_at > to_timestamp($2 / 1000.0)
          AND (s.last_seen_at > to_timestamp($3 / 1000.0) OR s.roles <@ ARRAY['display']::text[])`,
      [[...idHashes], this.now(), this.now() - this.policy.idleMs],
    )
    return new Set(r.rows.map((x) => x.id_hash))
  }

  /** Sign-out: the row is gone, whatever copy of the cookie exists. */
  async end(idHash: string, requestId: string | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query<{ username: string; roles: string[] }>('DELETE FROM staff_session WHERE id_hash = $1 RETURNING username, roles', [idHash])
      const row = r.rows[0]
      if (!row) return false
      await appendAudit(tx, { actor: row.username, actorRole: row.roles.join(','), action: 'session.sign-out', target: `user:${row.username}`, requestId }, this.now())
      return true
    })
  }

  /** Deletes ended sessions and abandoned provider sign-ins (housekeeping, every few minutes). */
  async sweep(): Promise<number> {
    const now = this.now()
    const r = await this.db.query(
      "DELETE FROM staff_session WHERE expires_at <= to_timestamp($1 / 1000.0) OR (last_seen_at <= to_timestamp($2 / 1000.0) AND NOT roles <@ ARRAY['display']::text[])",
      [now, now - this.policy.idleMs],
    )
    await this.db.query("DELETE FROM oidc_login WHERE created_at < to_timestamp($1 / 1000.0) - interval '10 minutes'", [now])
    return r.rowCount
  }

  private async byHash(q: Queryable, idHash: string): Promise<StaffSession | null> {
    const r = await q.query<Row>(
      `SELECT s.id_hash, s.username, u.display_name, u.source, s.roles, s.created_at, s.last_seen_at, s.auth_at, s.expires_at
         FROM staff_session s JOIN staff_user u ON u.username = s.username
        WHERE s.id_hash = $1 AND u.disabled_at IS NULL`,
      [idHash],
    )
    const row = r.rows[0]
    if (!row) return null
    const ms = (v: Date | string) => new Date(v).getTime()
    const lastSeen = ms(row.last_seen_at)
    const absolute = ms(row.expires_at)
    return {
      idHash: row.id_hash,
      username: row.username,
      displayName: row.display_name,
      source: row.source,
      roles: row.roles.filter((x): x is Role => (ROLES as readonly string[]).includes(x)),
      createdAtMs: ms(row.created_at),
      lastSeenAtMs: lastSeen,
      authAtMs: ms(row.auth_at),
      idleExpiresAtMs: noIdleTimeout(row.roles) ? absolute : Math.min(lastSeen + this.policy.idleMs, absolute),
      absoluteExpiresAtMs: absolute,
    }
  }
}

/** A video wall's session (role display only) has no idle timeout, only the absolute one (ADR 0006). */
export function noIdleTimeout(roles: readonly string[]): boolean {
  return roles.length > 0 && roles.every((r) => r === 'display')
}
