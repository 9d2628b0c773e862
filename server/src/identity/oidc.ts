/**
 * OpenID Connect relying party (ADR 0005): authorization code flow with PKCE (S256), `state` and
 * `nonce`, the ID token verified against the provider's JWKS (signature, iss, aud, azp, exp, iat,
 * nonce). Keycloak is the usual provider; anything that publishes a discovery document works.
 *
 * The sign-in in progress lives in `oidc_login` (hashed state → nonce, verifier, return path), so
 * the provider may send the browser back to any server process; the row is deleted when used, so a
 * state — and with it a nonce — works once.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'
import { STAFF_ROLES, type Role } from '../../../contracts/access'
import type { OidcConfig } from '../config/config'
import type { Db, Queryable } from '../db/adapter'

export const LOGIN_TTL_MS = 10 * 60_000

interface Discovery {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  end_session_endpoint?: string
  code_challenge_methods_supported?: string[]
}

/** Why a sign-in was refused: `reason` goes to the log and the audit, `message` to the person. */
export class OidcError extends Error {
  constructor(
    public readonly reason: string,
    message: string,
    public readonly code: 'SIGN_IN_FAILED' | 'FORBIDDEN' = 'SIGN_IN_FAILED',
  ) {
    super(message)
    this.name = 'OidcError'
  }
}

const b64url = (b: Buffer) => b.toString('base64url')
const sha256 = (s: string) => createHash('sha256').update(s).digest()
const hashState = (state: string) => sha256(`oidc-state:${state}`).toString('hex')

/** Plain http only for a provider on this machine (a test or development provider). */
function checkEndpoint(url: string, what: string): void {
  const u = new URL(url)
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new OidcError('insecure-endpoint', `The identity provider's ${what} is not https (${u.origin}); Gemello refuses to send sign-ins there.`)
}

export interface VerifiedIdentity {
  subject: string
  username: string
  displayName: string
  roles: Role[]
  providerRoles: string[]
}

/** The relying party's registration at a provider, whoever signs in through it. */
export interface RelyingParty {
  issuer: string
  clientId: string
  clientSecret: string | null
  redirectUrl: string
}

export interface RelyingPartyOptions {
  /** Whose sign-ins: a state started for one never completes the other's (oidc_login.audience). */
  audience: 'staff' | 'citizen'
  /** Requested authentication levels (acr_values; SPID/CIE gateways); the verified token's acr must be one of them. */
  acrValues?: readonly string[]
}

/** An ID token that verified (signature, iss, aud, azp, exp, iat, nonce), and where the person was going. */
export interface VerifiedSignIn {
  claims: JWTPayload
  returnTo: string
}

/**
 * The OpenID Connect exchange, shared by the staff's provider and the citizens' gateway: start (state,
 * nonce, PKCE), then verify the answer. What a verified token means — a staff member with roles, a
 * citizen with a fiscal code — is the caller's (OidcClient below; server/src/citizens/citizen-identity.ts).
 */
export class OidcRelyingParty {
  private discovery: Promise<Discovery> | null = null
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null

  constructor(
    private readonly c: RelyingParty,
    private readonly db: Db,
    private readonly o: RelyingPartyOptions,
    private readonly fetchFn: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  private async meta(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const url = `${this.c.issuer}/.well-known/openid-configuration`
      checkEndpoint(url, 'discovery document')
      const res = await this.fetchFn(url, { signal: AbortSignal.timeout(5000) })
      if (!res.ok) throw new OidcError('discovery-failed', `The identity provider did not answer its discovery document (HTTP ${res.status}); try again later.`)
      const d = (await res.json()) as Discovery
      // OIDC Discovery §4.3: the issuer in the document must be the one configured.
      if (d.issuer !== this.c.issuer) throw new OidcError('issuer-mismatch', 'The identity provider announces another issuer than OIDC_ISSUER; check the configuration.')
      for (const [k, what] of [['authorization_endpoint', 'authorization endpoint'], ['token_endpoint', 'token endpoint'], ['jwks_uri', 'key set']] as const) checkEndpoint(d[k], what)
      if (d.code_challenge_methods_supported && !d.code_challenge_methods_supported.includes('S256')) throw new OidcError('no-pkce', 'The identity provider does not support PKCE with S256; Gemello needs it.')
      this.jwks = createRemoteJWKSet(new URL(d.jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000 })
      return d
    })().catch((err) => {
      this.discovery = null
      throw err instanceof OidcError ? err : new OidcError('discovery-failed', 'The identity provider cannot be reached; try again later.')
    })
    return this.discovery
  }

  /** The provider URL to send the browser to; records state, nonce and verifier. */
  async start(returnTo: string, stepUp: boolean): Promise<string> {
    const d = await this.meta()
    const state = b64url(randomBytes(32))
    const nonce = b64url(randomBytes(32))
    const verifier = b64url(randomBytes(48))
    await this.db.query('INSERT INTO oidc_login (state_hash, nonce, code_verifier, return_to, created_at, audience) VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6)', [
      hashState(state),
      nonce,
      verifier,
      returnTo,
      this.now(),
      this.o.audience,
    ])
    const u = new URL(d.authorization_endpoint)
    const p = u.searchParams
    p.set('response_type', 'code')
    p.set('client_id', this.c.clientId)
    p.set('redirect_uri', this.c.redirectUrl)
    p.set('scope', 'openid profile')
    p.set('state', state)
    p.set('nonce', nonce)
    p.set('code_challenge', b64url(sha256(verifier)))
    p.set('code_challenge_method', 'S256')
    if (this.o.acrValues && this.o.acrValues.length > 0) p.set('acr_values', this.o.acrValues.join(' '))
    // Step-up: a fresh authentication, whatever session the provider has.
    if (stepUp) {
      p.set('prompt', 'login')
      p.set('max_age', '0')
    }
    return u.toString()
  }

  /**
   * The provider's answer: the state must be one we issued for this audience (once, within 10
   * minutes), the code is exchanged with the PKCE verifier, and the ID token must verify (and carry
   * an accepted acr when levels were asked for). Returns its claims and where the person was going.
   */
  async verify(q: { code?: string; state?: string; error?: string }): Promise<VerifiedSignIn> {
    if (!q.state) throw new OidcError('missing-state', 'The sign-in came back without its state; start again from Gemello.')
    const login = await this.takeLogin(this.db, q.state)
    if (!login) throw new OidcError('unknown-state', 'This sign-in is unknown, expired or was already used; start again from Gemello.')
    if (q.error) throw new OidcError(`provider-error:${q.error.slice(0, 40)}`, `The identity provider refused the sign-in (${q.error.slice(0, 40)}).`)
    if (!q.code) throw new OidcError('missing-code', 'The sign-in came back without an authorization code; start again.')
    const d = await this.meta()
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: q.code, redirect_uri: this.c.redirectUrl, code_verifier: login.verifier, client_id: this.c.clientId })
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
    if (this.c.clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.c.clientId)}:${encodeURIComponent(this.c.clientSecret)}`).toString('base64')}`
    let tokens: { id_token?: string }
    try {
      const res = await this.fetchFn(d.token_endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) })
      tokens = (await res.json()) as { id_token?: string }
      if (!res.ok) throw new OidcError('token-refused', 'The identity provider refused to complete the sign-in; start again.')
    } catch (err) {
      if (err instanceof OidcError) throw err
      throw new OidcError('token-unreachable', 'The identity provider cannot be reached; try again later.')
    }
    if (typeof tokens.id_token !== 'string') throw new OidcError('no-id-token', 'The identity provider answered without an ID token; check that the client has the openid scope.')
    let claims: JWTPayload
    try {
      ;({ payload: claims } = await jwtVerify(tokens.id_token, this.jwks!, {
        issuer: this.c.issuer,
        audience: this.c.clientId,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        clockTolerance: 30,
        maxTokenAge: '10 minutes',
        currentDate: new Date(this.now()),
      }))
    } catch (err) {
      const why = (err as { code?: string }).code ?? 'invalid'
      throw new OidcError(`id-token:${why}`, 'The identity provider’s answer could not be verified; the sign-in is refused.')
    }
    // OIDC Core §3.1.3.7: with several audiences, azp must be us.
    if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== this.c.clientId) throw new OidcError('id-token:azp', 'The identity provider’s answer was issued to another application; the sign-in is refused.')
    if (claims.nonce !== login.nonce) throw new OidcError('id-token:nonce', 'The identity provider’s answer belongs to another sign-in (nonce); the sign-in is refused.')
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new OidcError('id-token:sub', 'The identity provider’s answer names no user.')
    if (this.o.acrValues && this.o.acrValues.length > 0 && !this.o.acrValues.includes(String(claims.acr ?? '')))
      throw new OidcError('id-token:acr', 'You signed in at a lower security level than this service needs; sign in again with SPID level 2 or CIE.', 'FORBIDDEN')
    return { claims, returnTo: login.returnTo }
  }

  private async takeLogin(q: Queryable, state: string): Promise<{ nonce: string; verifier: string; returnTo: string } | null> {
    const r = await q.query<{ nonce: string; code_verifier: string; return_to: string; created_at: Date | string }>(
      'DELETE FROM oidc_login WHERE state_hash = $1 AND audience = $2 RETURNING nonce, code_verifier, return_to, created_at',
      [hashState(state), this.o.audience],
    )
    const row = r.rows[0]
    if (!row || this.now() - new Date(row.created_at).getTime() > LOGIN_TTL_MS) return null
    return { nonce: row.nonce, verifier: row.code_verifier, returnTo: row.return_to }
  }
}

/** The staff's provider: a verified token becomes a staff identity with the Gemello roles its claim maps to. */
export class OidcClient {
  private readonly rp: OidcRelyingParty

  constructor(
    private readonly c: OidcConfig,
    db: Db,
    fetchFn: typeof fetch = fetch,
    now: () => number = Date.now,
  ) {
    this.rp = new OidcRelyingParty(c, db, { audience: 'staff' }, fetchFn, now)
  }

  start(returnTo: string, stepUp: boolean): Promise<string> {
    return this.rp.start(returnTo, stepUp)
  }

  async finish(q: { code?: string; state?: string; error?: string }): Promise<{ identity: VerifiedIdentity; returnTo: string }> {
    const { claims, returnTo } = await this.rp.verify(q)
    const providerRoles = rolesAt(claims, this.c.rolesClaim)
    const roles = [...new Set(providerRoles.map((r) => this.c.roleMap.get(r) ?? r).filter((r): r is Role => (STAFF_ROLES as readonly string[]).includes(r)))]
    if (roles.length === 0) {
      throw new OidcError('no-role', 'You signed in, but your account has no Gemello role. Ask an administrator to grant one in the identity provider.', 'FORBIDDEN')
    }
    // verify() refused a token without a subject.
    const sub = claims.sub!
    const username = str(claims.preferred_username) ?? sub
    return {
      identity: { subject: `${this.c.issuer}#${sub}`, username, displayName: str(claims.name) ?? username, roles, providerRoles },
      returnTo,
    }
  }
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)

/** The roles at a dotted claim path (realm_access.roles, groups, resource_access.gemello.roles). */
export function rolesAt(claims: JWTPayload, path: string): string[] {
  let v: unknown = claims
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined
  if (typeof v === 'string') return [v]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}
