/**
 * PDND Interoperabilità vouchers (issue 10; specs/pdnd/pdnd-authorization-server.openapi.yml,
 * createToken): before Gemello calls an e-service through PDND (SEND, another administration's data),
 * it asks the authorization server for a voucher with a client assertion it signs itself — RS256 with
 * its key registered on PDND (kid), header only kid/alg/typ, claims only iss, sub (the client id),
 * aud, jti, iat, exp and the purposeId of the e-service's purpose (PDND refuses any other claim, and
 * nbf). A voucher is reused for its purpose until a minute before it expires.
 *
 * Failures are typed for the outbox: a refusal (400/401: wrong key, purpose not active) is not retried,
 * 429 and 5xx are (429's X-Rate-Limit-Interval is the wait), a network error is.
 */
import { randomUUID } from 'node:crypto'
import { importPKCS8, SignJWT } from 'jose'

export interface PdndSettings {
  /** https://auth.interop.pagopa.it/token.oauth2 (UAT: auth.uat.interop.pagopa.it). */
  tokenUrl: string
  /** The client's id on PDND (a UUID): iss and sub of the assertion. */
  clientId: string
  /** The id of the public key registered on PDND for this client. */
  kid: string
  /** The RSA private key, PKCS#8 PEM. */
  privateKeyPem: string
  /** The assertion's audience, as PDND's client page gives it (e.g. auth.interop.pagopa.it/client-assertion). */
  audience: string
  /** Seconds the assertion is valid (PDND accepts short-lived ones; default 300). */
  assertionTtlS?: number
}

export class PdndError extends Error {
  constructor(
    readonly kind: 'retry' | 'refused',
    readonly http: number | null,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message)
  }
}

interface Cached {
  token: string
  expiresAtMs: number
}

/** Refresh a voucher this long before it expires. */
const REFRESH_MARGIN_MS = 60_000

export class PdndVoucherClient {
  private key: Promise<CryptoKey> | null = null
  private readonly cache = new Map<string, Cached>()
  private readonly pending = new Map<string, Promise<string>>()

  constructor(
    private readonly s: PdndSettings,
    private readonly o: { clock?: () => number; fetch?: typeof fetch } = {},
  ) {}

  private now(): number {
    return (this.o.clock ?? Date.now)()
  }

  /** The signed client assertion for a purpose (exported for the tests and for an operator's check). */
  async assertion(purposeId: string): Promise<string> {
    this.key ??= importPKCS8(this.s.privateKeyPem, 'RS256')
    const iat = Math.floor(this.now() / 1000)
    return new SignJWT({ purposeId })
      .setProtectedHeader({ alg: 'RS256', kid: this.s.kid, typ: 'JWT' })
      .setIssuer(this.s.clientId)
      .setSubject(this.s.clientId)
      .setAudience(this.s.audience)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + (this.s.assertionTtlS ?? 300))
      .sign(await this.key)
  }

  /** A voucher for the purpose: the cached one while it has more than a minute left, else a new one (one request at a time per purpose). */
  async voucher(purposeId: string, signal?: AbortSignal): Promise<string> {
    const hit = this.cache.get(purposeId)
    if (hit && hit.expiresAtMs - REFRESH_MARGIN_MS > this.now()) return hit.token
    const inFlight = this.pending.get(purposeId)
    if (inFlight) return inFlight
    const p = this.request(purposeId, signal).finally(() => this.pending.delete(purposeId))
    this.pending.set(purposeId, p)
    return p
  }

  private async request(purposeId: string, signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({
      client_id: this.s.clientId,
      client_assertion: await this.assertion(purposeId),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      grant_type: 'client_credentials',
    })
    let res: Response
    try {
      res = await (this.o.fetch ?? fetch)(this.s.tokenUrl, { method: 'POST', body, headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) })
    } catch (e) {
      const code = (e as { cause?: { code?: string } })?.cause?.code
      throw new PdndError('retry', null, `PDND authorization server not reachable${code ? ` (${code})` : ''}`)
    }
    if (res.status === 200) {
      const r = (await res.json()) as { access_token?: unknown; token_type?: unknown; expires_in?: unknown }
      if (typeof r.access_token !== 'string' || typeof r.expires_in !== 'number' || r.token_type !== 'Bearer') throw new PdndError('retry', 200, 'PDND answered 200 without a Bearer access_token and expires_in')
      this.cache.set(purposeId, { token: r.access_token, expiresAtMs: this.now() + r.expires_in * 1000 })
      return r.access_token
    }
    // The problem's title and error codes are PDND's own words, no personal data; the body is not kept otherwise.
    const problem = (await res.json().catch(() => null)) as { title?: string; errors?: Array<{ code?: string }> } | null
    const why = `${problem?.title ?? 'no problem document'}${problem?.errors?.length ? ` (${problem.errors.map((e) => e.code).join(', ')})` : ''}`
    if (res.status === 429) {
      const ms = Number(res.headers.get('x-rate-limit-interval'))
      throw new PdndError('retry', 429, `PDND rate limit: ${why}`, Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : undefined)
    }
    if (res.status >= 500) throw new PdndError('retry', res.status, `PDND failed (HTTP ${res.status}): ${why}`)
    throw new PdndError('refused', res.status, `PDND refused the voucher (HTTP ${res.status}): ${why} — check the client id, the key (kid) and that the purpose is active`)
  }
}
