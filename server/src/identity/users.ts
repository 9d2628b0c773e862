/**
 * Staff accounts (ADR 0005, migration 0006): local accounts with a scrypt password, and provider
 * accounts created at their first OpenID Connect sign-in. Every change is audited in the same
 * transaction and ends the user's sessions when it changes what they may do.
 */
import { ROLES, STAFF_ROLES, type Role } from '../../../contracts/access'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db, Queryable } from '../db/adapter'
import { hashPassword, passwordProblem } from './passwords'

export const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/

export interface StaffUser {
  username: string
  displayName: string
  source: 'local' | 'oidc'
  roles: Role[]
  disabled: boolean
  createdAtMs: number
}

/** Who asks for a change (for the audit row). */
export interface Actor {
  actor: string
  actorRole: string
  requestId?: string | null
}

export class UserError extends Error {
  constructor(
    public readonly code: 'VALIDATION_FAILED' | 'CONFLICT' | 'USER_NOT_FOUND',
    message: string,
  ) {
    super(message)
    this.name = 'UserError'
  }
}

interface Row {
  username: string
  display_name: string
  source: 'local' | 'oidc'
  roles: string[]
  disabled_at: Date | string | null
  created_at: Date | string
  password_hash: string | null
}

const COLUMNS = 'username, display_name, source, roles, disabled_at, created_at, password_hash'

function toUser(r: Row): StaffUser {
  return {
    username: r.username,
    displayName: r.display_name,
    source: r.source,
    roles: r.roles.filter((x): x is Role => (ROLES as readonly string[]).includes(x)),
    disabled: r.disabled_at !== null,
    createdAtMs: new Date(r.created_at).getTime(),
  }
}

/** The audited state of an account (never the password hash). */
const auditState = (u: StaffUser | null) => (u ? stateHash({ username: u.username, roles: [...u.roles].sort(), disabled: u.disabled, source: u.source }) : null)

export function normalizeUsername(name: string): string {
  return name.trim().toLowerCase()
}

export function checkRoles(roles: readonly string[]): Role[] {
  const bad = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r))
  if (bad.length > 0) throw new UserError('VALIDATION_FAILED', `not a staff role: ${bad.join(', ')} (staff roles: ${STAFF_ROLES.join(', ')})`)
  if (roles.length === 0) throw new UserError('VALIDATION_FAILED', 'an account needs at least one role')
  return [...new Set(roles)] as Role[]
}

export async function getUser(q: Queryable, username: string): Promise<(StaffUser & { passwordHash: string | null }) | null> {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM staff_user WHERE username = $1`, [normalizeUsername(username)])
  const row = r.rows[0]
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null
}

export async function listUsers(q: Queryable): Promise<Array<StaffUser & { activeSessions: number }>> {
  const r = await q.query<Row & { sessions: number | string }>(
    `SELECT ${COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')},
            (SELECT count(*) FROM staff_session s WHERE s.username = u.username AND s.expires_at > now()) AS sessions
       FROM staff_user u ORDER BY u.username`,
  )
  return r.rows.map((row) => ({ ...toUser(row), activeSessions: Number(row.sessions) }))
}

export async function countUsers(q: Queryable): Promise<number> {
  const r = await q.query<{ n: number | string }>('SELECT count(*) AS n FROM staff_user')
  return Number(r.rows[0]?.n ?? 0)
}

export interface NewLocalUser {
  username: string
  displayName?: string
  roles: readonly string[]
  password: string
}

/** Creates a local account (audited as user.create). */
export async function createLocalUser(db: Db, u: NewLocalUser, by: Actor): Promise<StaffUser> {
  const username = normalizeUsername(u.username)
  if (!USERNAME.test(username)) throw new UserError('VALIDATION_FAILED', 'a username is 1–64 lower-case letters, digits, ".", "_", "@" or "-", starting with a letter or digit')
  const roles = checkRoles(u.roles)
  const problem = passwordProblem(u.password)
  if (problem) throw new UserError('VALIDATION_FAILED', problem)
  const hash = await hashPassword(u.password)
  return db.transaction(async (tx) => {
    const exists = await tx.query('SELECT 1 FROM staff_user WHERE username = $1', [username])
    if (exists.rowCount > 0) throw new UserError('CONFLICT', `the account "${username}" exists already`)
    const r = await tx.query<Row>(
      `INSERT INTO staff_user (username, display_name, source, roles, password_hash) VALUES ($1, $2, 'local', $3, $4) RETURNING ${COLUMNS}`,
      [username, u.displayName?.trim() || username, roles, hash],
    )
    const user = toUser(r.rows[0]!)
    await appendAudit(tx, { ...by, action: 'user.create', target: `user:${username}`, beforeHash: null, afterHash: auditState(user), detail: { roles, source: 'local' } })
    return user
  })
}

export interface UserChange {
  roles?: readonly string[]
  disabled?: boolean
  password?: string
}

/**
 * Changes roles, disabled or password (audited as user.update, with what changed but never the
 * password). Any change ends the user's sessions: the new roles apply at the next sign-in, and a
 * disabled account or a reset password leaves no session open (live sockets close within 60 s).
 */
export async function updateUser(db: Db, username: string, change: UserChange, by: Actor): Promise<StaffUser> {
  const name = normalizeUsername(username)
  const roles = change.roles !== undefined ? checkRoles(change.roles) : undefined
  if (change.password !== undefined) {
    const problem = passwordProblem(change.password)
    if (problem) throw new UserError('VALIDATION_FAILED', problem)
  }
  const hash = change.password !== undefined ? await hashPassword(change.password) : undefined
  return db.transaction(async (tx) => {
    const before = await tx.query<Row>(`SELECT ${COLUMNS} FROM staff_user WHERE username = $1 FOR UPDATE`, [name])
    const row = before.rows[0]
    if (!row) throw new UserError('USER_NOT_FOUND', `no account "${name}"`)
    if (hash !== undefined && row.source !== 'local') throw new UserError('VALIDATION_FAILED', `"${name}" signs in through the identity provider; its password is kept there`)
    const r = await tx.query<Row>(
      `UPDATE staff_user SET roles = coalesce($2, roles),
              disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END,
              password_hash = coalesce($4, password_hash), updated_at = now()
        WHERE username = $1 RETURNING ${COLUMNS}`,
      [name, roles ?? null, change.disabled ?? null, hash ?? null],
    )
    const after = toUser(r.rows[0]!)
    const ended = await tx.query('DELETE FROM staff_session WHERE username = $1', [name])
    await appendAudit(tx, {
      ...by,
      action: 'user.update',
      target: `user:${name}`,
      beforeHash: auditState(toUser(row)),
      afterHash: auditState(after),
      detail: {
        ...(roles ? { roles: { from: toUser(row).roles, to: roles } } : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
        ...(hash !== undefined ? { passwordReset: true } : {}),
        sessionsEnded: ended.rowCount,
      },
    })
    return after
  })
}

/**
 * A provider account at sign-in: created the first time, its roles refreshed from the provider
 * every time (audited when they change). A disabled account stays disabled whatever the provider says.
 */
export async function upsertOidcUser(tx: Queryable, p: { subject: string; username: string; displayName: string; roles: Role[] }, requestId: string | null): Promise<StaffUser> {
  const r = await tx.query<Row>(`SELECT ${COLUMNS} FROM staff_user WHERE subject = $1 FOR UPDATE`, [p.subject])
  const row = r.rows[0]
  if (!row) {
    let username = normalizeUsername(p.username).replace(/[^a-z0-9._@-]/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 64) || 'user'
    const taken = await tx.query('SELECT 1 FROM staff_user WHERE username = $1', [username])
    if (taken.rowCount > 0) username = `${username.slice(0, 55)}-${p.subject.replace(/[^a-z0-9]/gi, '').slice(0, 8).toLowerCase()}`
    const ins = await tx.query<Row>(
      `INSERT INTO staff_user (username, display_name, source, subject, roles) VALUES ($1, $2, 'oidc', $3, $4) RETURNING ${COLUMNS}`,
      [username, p.displayName || username, p.subject, p.roles],
    )
    const user = toUser(ins.rows[0]!)
    await appendAudit(tx, { actor: 'system:oidc', actorRole: 'system', action: 'user.create', target: `user:${username}`, requestId, beforeHash: null, afterHash: auditState(user), detail: { roles: p.roles, source: 'oidc' } })
    return user
  }
  const before = toUser(row)
  const same = [...before.roles].sort().join(',') === [...p.roles].sort().join(',')
  if (same && row.display_name === p.displayName) return before
  const upd = await tx.query<Row>(`UPDATE staff_user SET roles = $2, display_name = $3, updated_at = now() WHERE username = $1 RETURNING ${COLUMNS}`, [row.username, p.roles, p.displayName || row.display_name])
  const after = toUser(upd.rows[0]!)
  if (!same) {
    await appendAudit(tx, { actor: 'system:oidc', actorRole: 'system', action: 'user.update', target: `user:${row.username}`, requestId, beforeHash: auditState(before), afterHash: auditState(after), detail: { roles: { from: before.roles, to: p.roles }, by: 'identity provider' } })
  }
  return after
}
