/**
 * How an HTTP request presents a personal access token (docs/access.md, "Personal access tokens"):
 *
 *   Authorization: Bearer gmt_…                   GDAL_HTTP_BEARER or GDAL_HTTP_HEADERS, QGIS "API Header", scripts
 *   Authorization: Basic base64(username:gmt_…)   QGIS "Basic", GDAL_HTTP_USERPWD, curl -u
 *
 * Basic takes a token as the password, and only a token of that username. An account password is
 * refused without being looked at: it would travel with every request and sit in QGIS projects and
 * shell histories, and it cannot be revoked alone. Any other Authorization header is refused too. A
 * refusal says why (401 UNAUTHENTICATED) — a QGIS user with a typo must see it, not an empty layer of
 * public data. Failed attempts are counted per address; past the limit, every token from that address
 * waits until the minute is over (429 RATE_LIMITED), before any database lookup.
 */
import type { IncomingMessage } from 'node:http'
import { API_TOKEN_FORMAT } from '../../../contracts/token-api'
import { ApiError } from '../http/api-error'
import type { ApiTokenStore } from './api-tokens'
import type { Principal } from './principal'
import { RateLimiter } from './rate-limit'
import { normalizeUsername } from './users'

/** What a 401 carries where a Basic client may be asking (wantsBasicChallenge): QGIS and GDAL prompt or retry on it. */
export const BASIC_CHALLENGE = 'Basic realm="Gemello", charset="UTF-8"'

export type PresentedToken = { kind: 'bearer'; secret: string } | { kind: 'basic'; username: string; secret: string } | { kind: 'refused'; message: string }

const unknown = (username?: string) =>
  `The personal access token is unknown, expired or revoked${username ? ` for the user "${username}"` : ''}, or its account is disabled. Check the token in QGIS or GDAL, or create a new one in Gemello (signed in).`
const NOT_A_TOKEN =
  'Basic authentication takes your username and a personal access token (gmt_…) as the password — never the account password. Create a token in Gemello (signed in) and use it instead.'

/** Reads an Authorization header. Not a verdict on the token: only on the form. */
export function parseAuthorization(header: string): PresentedToken {
  const m = /^([A-Za-z]+) +(\S+) *$/.exec(header.trim())
  const scheme = m?.[1]?.toLowerCase()
  if (!m || (scheme !== 'bearer' && scheme !== 'basic')) {
    return { kind: 'refused', message: 'Gemello takes "Authorization: Bearer gmt_…" or Basic with your username and a personal access token; this Authorization header is neither.' }
  }
  if (scheme === 'bearer') return { kind: 'bearer', secret: m[2]! }
  const b64 = m[2]!
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : ''
  const colon = decoded.indexOf(':')
  if (colon < 0) return { kind: 'refused', message: 'The Basic credentials are not "username:token" in base64.' }
  const username = normalizeUsername(decoded.slice(0, colon))
  const secret = decoded.slice(colon + 1)
  if (!API_TOKEN_FORMAT.test(secret)) return { kind: 'refused', message: NOT_A_TOKEN }
  if (username === '') return { kind: 'refused', message: 'The Basic credentials have no username: give your Gemello username with the token.' }
  return { kind: 'basic', username, secret }
}

/**
 * Whether a 401 answer should carry `WWW-Authenticate: Basic` (BASIC_CHALLENGE): for requests that came
 * with Basic credentials, and for the OGC API (/ogc) unless a page's script asks — a browser answers the
 * challenge with its own password dialog, which the web client (fetch: Sec-Fetch-Mode cors or
 * same-origin) must never trigger; GDAL and QGIS send no Sec-Fetch-Mode.
 */
export function wantsBasicChallenge(req: IncomingMessage): boolean {
  if (/^\s*basic\s/i.test(req.headers.authorization ?? '')) return true
  const path = ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0]!
  const mode = req.headers['sec-fetch-mode']
  return (path === '/ogc' || path.startsWith('/ogc/')) && (mode === undefined || mode === 'navigate')
}

/** Resolves the token of an Authorization header to its principal, or refuses with the reason. */
export class TokenAuth {
  constructor(
    readonly store: ApiTokenStore,
    /** Failed token attempts per address (default: 60 a minute). */
    readonly failures: RateLimiter = new RateLimiter(60, 60_000),
  ) {}

  async principalOf(authorization: string, address: string): Promise<Principal> {
    const wait = this.failures.wait(address)
    if (wait > 0) throw new ApiError('RATE_LIMITED', `Too many failed token attempts from this address; wait ${wait} seconds, then check the token.`)
    const presented = parseAuthorization(authorization)
    if (presented.kind === 'refused') return this.refuse(address, presented.message)
    const who = await this.store.resolve(presented.secret)
    const username = presented.kind === 'basic' ? presented.username : undefined
    if (!who || (username !== undefined && who.username !== username)) return this.refuse(address, unknown(username))
    return who
  }

  private refuse(address: string, message: string): never {
    this.failures.hit(address)
    throw new ApiError('UNAUTHENTICATED', message)
  }
}
