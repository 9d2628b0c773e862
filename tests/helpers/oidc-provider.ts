/**
 * A local OpenID Connect provider for tests (loopback, its own keys): discovery, JWKS, an authorize
 * endpoint that signs the user in at once, and a token endpoint that checks the code, the client,
 * the redirect URI and the PKCE verifier (S256) like a real provider. `misbehave` makes its next ID
 * tokens wrong in one way (bad signature, wrong iss or aud, another nonce, expired) for the negative
 * cases of reliability-security.md §4.4 #12.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'

export type Misbehaviour = 'none' | 'bad-signature' | 'wrong-iss' | 'wrong-aud' | 'other-nonce' | 'expired' | 'no-pkce-check'

export interface TestUser {
  sub: string
  preferred_username: string
  name: string
  roles: string[]
  /** More claims in the ID token (a SPID gateway's fiscal_number, acr, given_name…). */
  claims?: Record<string, unknown>
}

export interface TestOp {
  issuer: string
  clientId: string
  clientSecret: string
  /** Who signs in at the authorize endpoint next. */
  user: TestUser
  misbehave: Misbehaviour
  /** The last authorization request's query (to check PKCE and prompt were sent). */
  lastAuthorize: URLSearchParams | null
  /** Token requests refused, with why. */
  refusals: string[]
  /** A code issued for another sign-in (an attacker's own), for the code-injection case. */
  issueCode(o: { codeChallenge: string; nonce: string; redirectUri: string }): string
  close(): Promise<void>
}

interface Grant {
  user: TestUser
  nonce: string
  codeChallenge: string | null
  redirectUri: string
}

export async function startTestOp(o: { clientId?: string; clientSecret?: string; pkceMethods?: string[] } = {}): Promise<TestOp> {
  const clientId = o.clientId ?? 'gemello'
  const clientSecret = o.clientSecret ?? 'test-client-secret'
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const other = await generateKeyPair('RS256')
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  const grants = new Map<string, Grant>()
  let server: Server
  const op: TestOp = {
    issuer: '',
    clientId,
    clientSecret,
    user: { sub: 'u-1', preferred_username: 'mrossi', name: 'Mario Rossi', roles: ['operator'] },
    misbehave: 'none',
    lastAuthorize: null,
    refusals: [],
    issueCode: (g) => {
      const code = randomBytes(16).toString('hex')
      grants.set(code, { user: op.user, nonce: g.nonce, codeChallenge: g.codeChallenge, redirectUri: g.redirectUri })
      return code
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
  const sign = async (g: Grant) => {
    const now = Math.floor(Date.now() / 1000)
    const m = op.misbehave
    const jwt = new SignJWT({ ...(g.user.claims ?? {}), nonce: m === 'other-nonce' ? 'a-nonce-of-another-sign-in' : g.nonce, preferred_username: g.user.preferred_username, name: g.user.name, realm_access: { roles: g.user.roles } })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject(g.user.sub)
      .setIssuer(m === 'wrong-iss' ? 'https://evil.example/realms/x' : op.issuer)
      .setAudience(m === 'wrong-aud' ? 'another-client' : clientId)
      .setIssuedAt(m === 'expired' ? now - 7200 : now)
      .setExpirationTime(m === 'expired' ? now - 3600 : now + 300)
    return jwt.sign(m === 'bad-signature' ? other.privateKey : privateKey)
  }
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', op.issuer)
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(200, {
        issuer: op.issuer,
        authorization_endpoint: `${op.issuer}/authorize`,
        token_endpoint: `${op.issuer}/token`,
        jwks_uri: `${op.issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: o.pkceMethods ?? ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      })
    }
    if (url.pathname === '/jwks') return send(200, { keys: [jwk] })
    if (url.pathname === '/authorize') {
      const q = url.searchParams
      op.lastAuthorize = q
      const code = op.issueCode({ codeChallenge: q.get('code_challenge') ?? '', nonce: q.get('nonce') ?? '', redirectUri: q.get('redirect_uri') ?? '' })
      const back = new URL(q.get('redirect_uri') ?? '')
      back.searchParams.set('code', code)
      back.searchParams.set('state', q.get('state') ?? '')
      res.writeHead(302, { location: back.toString() })
      return res.end()
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = ''
      req.on('data', (c: Buffer) => (raw += c.toString()))
      req.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(raw)
          const refuse = (why: string) => {
            op.refusals.push(why)
            send(400, { error: 'invalid_grant', error_description: why })
          }
          const basic = req.headers.authorization?.replace(/^Basic /, '') ?? ''
          const [id, secret] = Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
          if (id !== clientId || secret !== clientSecret) return refuse('client authentication failed')
          const code = form.get('code') ?? ''
          const g = grants.get(code)
          grants.delete(code)
          if (!g) return refuse('unknown or used code')
          if (form.get('redirect_uri') !== g.redirectUri) return refuse('redirect_uri mismatch')
          const verifier = form.get('code_verifier')
          if (op.misbehave !== 'no-pkce-check') {
            if (!verifier) return refuse('missing code_verifier')
            if (createHash('sha256').update(verifier).digest('base64url') !== g.codeChallenge) return refuse('PKCE verifier does not match the challenge')
          }
          send(200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: await sign(g) })
        })()
      })
      return
    }
    send(404, { error: 'not_found' })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  op.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/gemello`
  // Paths are served whatever the realm prefix: strip it.
  const handler = server.listeners('request')[0] as (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void
  server.removeAllListeners('request')
  server.on('request', (req, res) => {
    req.url = (req.url ?? '/').replace(/^\/realms\/gemello/, '')
    handler(req, res)
  })
  return op
}
