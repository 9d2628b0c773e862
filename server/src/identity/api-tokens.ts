/**
 * Personal access tokens (migration 0013, docs/access.md "Personal access tokens"): for QGIS, GDAL and
 * scripts, which cannot hold the session cookie. The secret (`gmt_` + 32 random bytes, base64url) is
 * returned once by `create` and stored nowhere — rows keep its SHA-256 — and never goes into the audit
 * log (the prefix does, to tell tokens apart). A token acts as its user with the user's *current*
 * roles, read at every request: a role change applies at once, a disabled account or a revoked or
 * expired token opens nothing. `last_used_at` is written at most once a minute per token. How a request
 * presents a token (Bearer, Basic): token-auth.ts.
 */
import { createHash, randomBytes } from 'node:crypto'
import { API_TOKEN_FORMAT, API_TOKEN_PREFIX_LENGTH, type ApiToken } from '../../../contracts/token-api'
import { ROLES, type Role } from '../../../contracts/access'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db } from '../db/adapter'
import type { Principal } from './principal'
import type { Actor } from './users'

const TOUCH_EVERY_MS = 60_000
const DAY_MS = 86_400_000

export const hashApiToken = (secret: string) => createHash('sha256').update(secret).digest('hex')

interface Row {
  id: string | number | bigint
  username: string
  name: string
  prefix: string
  created_at: Date | string
  expires_at: Date | string
  last_used_at: Date | string | null
  revoked_at: Date | string | null
}

const COLUMNS = 'id, username, name, prefix, created_at, expires_at, last_used_at, revoked_at'
const ms = (v: Date | string) => new Date(v).getTime()

function toToken(r: Row, nowMs: number): ApiToken {
  const expiresAtMs = ms(r.expires_at)
  const revokedAtMs = r.revoked_at === null ? null : ms(r.revoked_at)
  return {
    id: Number(r.id),
    username: r.username,
    name: r.name,
    prefix: r.prefix,
    status: revokedAtMs !== null ? 'revoked' : nowMs >= expiresAtMs ? 'expired' : 'active',
    createdAtMs: ms(r.created_at),
    expiresAtMs,
    lastUsedAtMs: r.last_used_at === null ? null : ms(r.last_used_at),
    revokedAtMs,
  }
}

/** What the audit log keeps of a token: never the secret or its hash. */
const auditState = (t: ApiToken) => stateHash({ id: t.id, username: t.username, name: t.name, prefix: t.prefix, expiresAtMs: t.expiresAtMs, revoked: t.revokedAtMs !== null })

export class ApiTokenStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new token of `username` (audited as api_token.create in the same transaction); the secret is in this answer only. */
  async create(username: string, input: { name: string; expiresInDays: number }, by: Actor): Promise<{ token: ApiToken; secret: string }> {
    const secret = `gmt_${randomBytes(32).toString('base64url')}`
    const now = this.now()
    return this.db.transaction(async (tx) => {
      const r = await tx.query<Row>(
        `INSERT INTO api_token (username, name, token_hash, prefix, created_at, expires_at)
         VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0)) RETURNING ${COLUMNS}`,
        [username, input.name, hashApiToken(secret), secret.slice(0, API_TOKEN_PREFIX_LENGTH), now, now + input.expiresInDays * DAY_MS],
      )
      const token = toToken(r.rows[0]!, now)
      await appendAudit(
        tx,
        { ...by, action: 'api_token.create', target: `api_token:${token.id}`, beforeHash: null, afterHash: auditState(token), detail: { owner: token.username, name: token.name, prefix: token.prefix, expiresAtMs: token.expiresAtMs } },
        now,
      )
      return { token, secret }
    })
  }

  /** The tokens of `username`, newest first, revoked and expired ones included (never a secret). */
  async list(username: string): Promise<ApiToken[]> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM api_token WHERE username = $1 ORDER BY id DESC`, [username])
    const now = this.now()
    return r.rows.map((row) => toToken(row, now))
  }

  async get(id: number): Promise<ApiToken | null> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM api_token WHERE id = $1`, [id])
    return r.rows[0] ? toToken(r.rows[0], this.now()) : null
  }

  /**
   * Revokes a token (audited as api_token.revoke, by whoever did it); it stops working at the next
   * request. Revoking a revoked token changes nothing and writes no row. Null when there is no such
   * token. Whether `by` may revoke it is the caller's decision.
   */
  async revoke(id: number, by: Actor): Promise<ApiToken | null> {
    const now = this.now()
    return this.db.transaction(async (tx) => {
      const r = await tx.query<Row>(`SELECT ${COLUMNS} FROM api_token WHERE id = $1 FOR UPDATE`, [id])
      const row = r.rows[0]
      if (!row) return null
      const before = toToken(row, now)
      if (before.revokedAtMs !== null) return before
      const u = await tx.query<Row>(`UPDATE api_token SET revoked_at = to_timestamp($2 / 1000.0) WHERE id = $1 RETURNING ${COLUMNS}`, [id, now])
      const after = toToken(u.rows[0]!, now)
      await appendAudit(
        tx,
        { ...by, action: 'api_token.revoke', target: `api_token:${id}`, beforeHash: auditState(before), afterHash: auditState(after), detail: { owner: after.username, name: after.name, prefix: after.prefix } },
        now,
      )
      return after
    })
  }

  /**
   * The principal of a secret: its user with the user's current roles (plus `public`), no session —
   * so no step-up permission passes (decide()). Null for a malformed, unknown, revoked or expired
   * token, or a disabled account. Touches last_used_at when it is a minute old or more.
   */
  async resolve(secret: string): Promise<Principal | null> {
    if (!API_TOKEN_FORMAT.test(secret)) return null
    const now = this.now()
    const r = await this.db.query<{ id: string | number | bigint; username: string; name: string; roles: string[]; last_used_at: Date | string | null }>(
      `SELECT t.id, t.username, t.name, u.roles, t.last_used_at
         FROM api_token t JOIN staff_user u ON u.username = t.username
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > to_timestamp($2 / 1000.0) AND u.disabled_at IS NULL`,
      [hashApiToken(secret), now],
    )
    const row = r.rows[0]
    if (!row) return null
    const id = Number(row.id)
    if (row.last_used_at === null || now - ms(row.last_used_at) >= TOUCH_EVERY_MS) {
      // The condition again in SQL: of several server processes touching it in the same minute, one writes.
      await this.db.query(
        `UPDATE api_token SET last_used_at = to_timestamp($2 / 1000.0)
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= to_timestamp($2 / 1000.0) - interval '1 minute')`,
        [id, now],
      )
    }
    const roles = row.roles.filter((x): x is Role => (ROLES as readonly string[]).includes(x) && x !== 'public')
    return { signedIn: true, username: row.username, roles: [...roles, 'public'], session: null, token: { id, name: row.name } }
  }
}

