/**
 * Citizens' sign-in (issue 10, docs/cases.md "Citizens"): SPID and CIE reach Gemello through a
 * certified OpenID Connect gateway (CITIZEN_OIDC_*), never directly — the gateway is the SAML/CIE
 * party, Gemello a plain relying party (authorization code + PKCE, nonce, state, the ID token verified,
 * the authentication level checked against CITIZEN_OIDC_ACR). What a citizen is here: their fiscal
 * code (the gateway's fiscal_number claim, "TINIT-" stripped), a name, the level, and a keyed pseudonym
 * of the fiscal code (HMAC-SHA256 with a key kept in the database) that links their cases even after
 * the personal row is deleted at the end of its retention period.
 *
 * Sessions are server-side rows keyed by the SHA-256 of the cookie's random id (its own cookie, apart
 * from the staff's: a citizen session never opens a staff route, nor the reverse); idle and absolute
 * timeouts as the staff's; sign-out deletes the row.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { JWTPayload } from 'jose'
import type { CitizenOidcConfig } from '../config/config'
import type { Db, Queryable } from '../db/adapter'
import { appendAudit } from '../audit/audit-log'
import { OidcError, OidcRelyingParty } from '../identity/oidc'
import { readCookie } from '../identity/principal'

/** An Italian fiscal code of a person (homocodes included), or a legal person's 11 digits. */
const FISCAL_CODE = /^(?:[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]|[0-9]{11})$/

/** The fiscal code a claim carries ("TINIT-RSSMRA80A01H501U" or the bare code), upper-cased; null when there is none or it is malformed. */
export function fiscalCodeOf(claims: JWTPayload, path: string): string | null {
  let v: unknown = claims
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined
  if (typeof v !== 'string') return null
  const code = v.trim().toUpperCase().replace(/^TINIT-/, '')
  return FISCAL_CODE.test(code) ? code : null
}

export interface Citizen {
  idHash: string
  /** HMAC-SHA256 of the fiscal code (hex): what cases carry. */
  ref: string
  fiscalCode: string
  displayName: string
  acr: string | null
  authAtMs: number
  expiresAtMs: number
}

const COOKIE_SECURE = '__Host-gemello-citizen'
const COOKIE_PLAIN = 'gemello-citizen'
const TOUCH_EVERY_MS = 60_000
const hashId = (id: string) => createHash('sha256').update(id).digest('hex')

/** The key of the citizens' pseudonyms: made once (32 random bytes), then the same for every process. */
async function pseudonymKey(q: Queryable): Promise<Buffer> {
  await q.query(`INSERT INTO server_secret (name, value, created_at) VALUES ('citizen-ref', $1, now()) ON CONFLICT (name) DO NOTHING`, [randomBytes(32)])
  const r = await q.query<{ value: Buffer | Uint8Array }>(`SELECT value FROM server_secret WHERE name = 'citizen-ref'`)
  return Buffer.from(r.rows[0]!.value)
}

export interface CitizenPolicy {
  idleMs: number
  absoluteMs: number
  cookieSecure: boolean
}

export class CitizenIdentity {
  readonly rp: OidcRelyingParty | null
  private key: Promise<Buffer> | null = null
  readonly cookieName: string

  constructor(
    private readonly db: Db,
    private readonly config: CitizenOidcConfig | null,
    private readonly policy: CitizenPolicy,
    o: { fetch?: typeof fetch; now?: () => number } = {},
  ) {
    this.now = o.now ?? Date.now
    this.rp = config ? new OidcRelyingParty(config, db, { audience: 'citizen', acrValues: config.acr }, o.fetch ?? fetch, this.now) : null
    this.cookieName = policy.cookieSecure ? COOKIE_SECURE : COOKIE_PLAIN
  }

  private readonly now: () => number

  /** The keyed pseudonym of a fiscal code (the same in every process of this installation). */
  async refOf(fiscalCode: string): Promise<string> {
    this.key ??= pseudonymKey(this.db).catch((e: unknown) => {
      this.key = null
      throw e
    })
    return createHmac('sha256', await this.key).update(fiscalCode).digest('hex')
  }

  /** The gateway URL to send the citizen to. */
  async start(returnTo: string): Promise<string> {
    if (!this.rp) throw new OidcError('not-configured', 'Signing in is not available here: no SPID/CIE gateway is configured.')
    return this.rp.start(returnTo, false)
  }

  /** The gateway's answer → a new session (a new id every sign-in, the browser's previous one ended), audited. */
  async finish(q: { code?: string; state?: string; error?: string }, req: IncomingMessage, requestId: string | null): Promise<{ id: string; citizen: Citizen; returnTo: string }> {
    if (!this.rp || !this.config) throw new OidcError('not-configured', 'Signing in is not available here: no SPID/CIE gateway is configured.')
    const { claims, returnTo } = await this.rp.verify(q)
    const fiscalCode = fiscalCodeOf(claims, this.config.fiscalCodeClaim)
    if (!fiscalCode) throw new OidcError('id-token:fiscal-code', 'The sign-in did not give your fiscal code; Gemello needs it to follow your reports. Try again, or use another identity (SPID or CIE).', 'FORBIDDEN')
    const name = [claims.given_name, claims.family_name].filter((x) => typeof x === 'string' && x.trim() !== '').join(' ') || (typeof claims.name === 'string' ? claims.name : '') || fiscalCode
    const ref = await this.refOf(fiscalCode)
    const id = randomBytes(32).toString('base64url')
    const idHash = hashId(id)
    const now = this.now()
    const previous = this.idOf(req)
    await this.db.transaction(async (tx) => {
      if (previous) await tx.query('DELETE FROM citizen_session WHERE id_hash = $1', [hashId(previous)])
      await tx.query(
        `INSERT INTO citizen_session (id_hash, citizen_ref, fiscal_code, display_name, acr, created_at, last_seen_at, auth_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), to_timestamp($6 / 1000.0), to_timestamp($6 / 1000.0), to_timestamp($7 / 1000.0))`,
        [idHash, ref, fiscalCode, name.slice(0, 200), typeof claims.acr === 'string' ? claims.acr.slice(0, 200) : null, now, now + this.policy.absoluteMs],
      )
      await appendAudit(tx, { actor: `citizen:${ref.slice(0, 16)}`, actorRole: 'citizen', action: 'citizen.sign-in', target: `citizen:${ref.slice(0, 16)}`, requestId, detail: { acr: claims.acr ?? null } }, now)
    })
    return { id, citizen: { idHash, ref, fiscalCode, displayName: name.slice(0, 200), acr: typeof claims.acr === 'string' ? claims.acr : null, authAtMs: now, expiresAtMs: now + this.policy.absoluteMs }, returnTo }
  }

  idOf(req: IncomingMessage): string | null {
    return readCookie(req.headers.cookie, this.cookieName)
  }

  /** The signed-in citizen of a request, or null (no cookie, unknown, idle too long, past its end). */
  async citizenOf(req: IncomingMessage): Promise<Citizen | null> {
    const id = this.idOf(req)
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null
    const idHash = hashId(id)
    const r = await this.db.query<{ citizen_ref: string; fiscal_code: string; display_name: string; acr: string | null; last_seen_at: Date | string; auth_at: Date | string; expires_at: Date | string }>(
      'SELECT citizen_ref, fiscal_code, display_name, acr, last_seen_at, auth_at, expires_at FROM citizen_session WHERE id_hash = $1',
      [idHash],
    )
    const row = r.rows[0]
    if (!row) return null
    const now = this.now()
    const lastSeen = new Date(row.last_seen_at).getTime()
    const expires = new Date(row.expires_at).getTime()
    if (now >= expires || now >= lastSeen + this.policy.idleMs) {
      await this.db.query('DELETE FROM citizen_session WHERE id_hash = $1', [idHash])
      return null
    }
    if (now - lastSeen >= TOUCH_EVERY_MS) await this.db.query('UPDATE citizen_session SET last_seen_at = to_timestamp($2 / 1000.0) WHERE id_hash = $1', [idHash, now])
    return { idHash, ref: row.citizen_ref, fiscalCode: row.fiscal_code, displayName: row.display_name, acr: row.acr, authAtMs: new Date(row.auth_at).getTime(), expiresAtMs: expires }
  }

  /** Sign-out: the row is gone, whatever copy of the cookie exists. */
  async signOut(req: IncomingMessage, requestId: string | null): Promise<void> {
    const id = this.idOf(req)
    if (!id) return
    await this.db.transaction(async (tx) => {
      const r = await tx.query<{ citizen_ref: string }>('DELETE FROM citizen_session WHERE id_hash = $1 RETURNING citizen_ref', [hashId(id)])
      const ref = r.rows[0]?.citizen_ref
      if (ref) await appendAudit(tx, { actor: `citizen:${ref.slice(0, 16)}`, actorRole: 'citizen', action: 'citizen.sign-out', target: `citizen:${ref.slice(0, 16)}`, requestId }, this.now())
    })
  }

  /** Deletes ended sessions (housekeeping). */
  async sweep(): Promise<number> {
    const r = await this.db.query('DELETE FROM citizen_session WHERE expires_at <= to_timestamp($1 / 1000.0) OR last_seen_at <= to_timestamp($2 / 1000.0)', [this.now(), this.now() - this.policy.idleMs])
    return r.rowCount
  }

  setCookie(res: ServerResponse, id: string): void {
    res.appendHeader('Set-Cookie', `${this.cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax${this.policy.cookieSecure ? '; Secure' : ''}; Max-Age=${Math.floor(this.policy.absoluteMs / 1000)}`)
  }

  clearCookie(res: ServerResponse): void {
    res.appendHeader('Set-Cookie', `${this.cookieName}=; Path=/; HttpOnly; SameSite=Lax${this.policy.cookieSecure ? '; Secure' : ''}; Max-Age=0`)
  }
}
