/**
 * Who is calling (ADR 0005): the principal of an HTTP request or a socket handshake, from the
 * session cookie — or, for HTTP requests with an Authorization header, from a personal access token
 * (token-auth.ts: QGIS, GDAL, scripts). No cookie, an unknown one or an ended session: the public; a
 * token that does not open anything is refused, never taken for the public. The decision whether the
 * principal may do something is `decide()`, shared by the HTTP guard and Socket.IO.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { can, holders, PERMISSIONS, STEP_UP, STEP_UP_MAX_AGE_MS, type Permission, type Role } from '../../../contracts/access'
import type { ErrorCode } from '../../../contracts/errors'
import type { SessionStore, StaffSession } from './sessions'
import type { TokenAuth } from './token-auth'

export const SECURE_COOKIE = '__Host-gemello_session'
export const PLAIN_COOKIE = 'gemello_session'

export interface Principal {
  signedIn: boolean
  username: string | null
  /** The roles that decide: the session's roles plus `public` (everyone holds what the public holds). */
  roles: readonly Role[]
  session: StaffSession | null
  /** The personal access token the request came with (then `session` is null), else absent or null. */
  token?: { id: number; name: string } | null
}

export const PUBLIC: Principal = Object.freeze({ signedIn: false, username: null, roles: ['public'] as Role[], session: null })

export function principalOfSession(s: StaffSession | null): Principal {
  return s ? { signedIn: true, username: s.username, roles: [...s.roles, 'public'], session: s } : PUBLIC
}

/** The value of one cookie in a Cookie header (first occurrence), or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

/** The client's address: Express's req.ip (the proxy's X-Forwarded-For when trusted), else the socket's. */
const addressOf = (req: IncomingMessage) => (req as { ip?: string }).ip ?? req.socket.remoteAddress ?? ''

const roleName = (r: Role) => r.replace('_', ' ')
const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}`)

export type Decision = { ok: true } | { ok: false; code: Extract<ErrorCode, 'UNAUTHENTICATED' | 'FORBIDDEN' | 'STEP_UP_REQUIRED'>; message: string }

/** May `who` use `permission` now? With the reason a person can act on when not. */
export function decide(who: Principal, permission: Permission, nowMs: number): Decision {
  const what = PERMISSIONS[permission]
  if (!can(who.roles, permission)) {
    const roles = holders(permission).map(roleName)
    if (!who.signedIn) return { ok: false, code: 'UNAUTHENTICATED', message: `Sign in to do this (${what}); it needs the role ${list(roles)}.` }
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: `Your roles (${who.roles.filter((r) => r !== 'public').map(roleName).join(', ')}) do not allow this: ${what}. It needs the role ${list(roles)}; ask an administrator.`,
    }
  }
  if (STEP_UP.includes(permission) && who.token) {
    return { ok: false, code: 'FORBIDDEN', message: `A personal access token cannot do this (${what}): it needs a sign-in less than ${STEP_UP_MAX_AGE_MS / 60_000} minutes old in Gemello itself.` }
  }
  if (STEP_UP.includes(permission) && (!who.session || nowMs - who.session.authAtMs > STEP_UP_MAX_AGE_MS)) {
    return { ok: false, code: 'STEP_UP_REQUIRED', message: `Confirm it is you: sign in again to do this (${what}); it needs a sign-in less than ${STEP_UP_MAX_AGE_MS / 60_000} minutes old.` }
  }
  return { ok: true }
}

/** Reads and writes the session cookie; resolves principals (once per request). */
export class CookieSessions {
  readonly cookieName: string
  constructor(
    readonly store: SessionStore,
    private readonly o: { secure: boolean; absoluteMs: number },
    /** Personal access tokens in the Authorization header; without, the header is ignored (tests of sessions alone). */
    private readonly tokens: TokenAuth | null = null,
  ) {
    this.cookieName = o.secure ? SECURE_COOKIE : PLAIN_COOKIE
  }

  idOf(req: IncomingMessage): string | null {
    return readCookie(req.headers.cookie, this.cookieName)
  }

  /** Whether the request presents a credential (a session cookie or an Authorization header), valid or not. */
  presentsCredential(req: IncomingMessage): boolean {
    return this.idOf(req) !== null || (this.tokens !== null && req.headers.authorization !== undefined)
  }

  /**
   * The principal of an HTTP request. An Authorization header decides alone (a cookie beside it is not
   * looked at): its token's principal, or a rejection with an ApiError (401 UNAUTHENTICATED saying why,
   * 429 RATE_LIMITED) — a client that sent a token must learn it did not work. Otherwise the cookie's.
   */
  async principalOf(req: IncomingMessage): Promise<Principal> {
    const cached = (req as { gemelloPrincipal?: Principal }).gemelloPrincipal
    if (cached) return cached
    const authorization = req.headers.authorization
    const who = this.tokens && authorization !== undefined ? await this.tokens.principalOf(authorization, addressOf(req)) : await this.cookiePrincipalOf(req)
    ;(req as { gemelloPrincipal?: Principal }).gemelloPrincipal = who
    return who
  }

  /**
   * The principal of the session cookie alone: the live socket's handshake. Tokens do not open the
   * socket — its sessions are re-checked every 30 s and closed when they end; a token has no session.
   */
  async cookiePrincipalOf(req: IncomingMessage): Promise<Principal> {
    const id = this.idOf(req)
    return principalOfSession(id ? await this.store.resolve(id) : null)
  }

  setCookie(res: ServerResponse, id: string): void {
    res.appendHeader('Set-Cookie', `${this.cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax${this.o.secure ? '; Secure' : ''}; Max-Age=${Math.floor(this.o.absoluteMs / 1000)}`)
  }

  clearCookie(res: ServerResponse): void {
    res.appendHeader('Set-Cookie', `${this.cookieName}=; Path=/; HttpOnly; SameSite=Lax${this.o.secure ? '; Secure' : ''}; Max-Age=0`)
  }
}
