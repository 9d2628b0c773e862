/**
 * A PDND authorization server on loopback for the tests (specs/pdnd, createToken): every request's
 * form body is validated against the published AccessTokenRequest schema, the client assertion is
 * verified with the client's registered public key and held to PDND's rules (header only kid, alg
 * RS256, typ; claims only iss, sub, aud, jti, iat, exp, purposeId, digest; no nbf; iss = sub = client_id;
 * the audience; a known purpose; a jti never seen before), and every answer is validated against the
 * document before it is sent. Scripted failures: 'refuse' (401), 'rate' (429 with the rate headers),
 * 'fail' (500). `violations` lists what broke the specification, `requests` counts the token requests.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose'
import { OpenApiSpec } from './openapi-spec'

export const PDND_SPEC = 'pdnd/pdnd-authorization-server.openapi.yml'
const ALLOWED_HEADER = new Set(['kid', 'alg', 'typ'])
const ALLOWED_CLAIMS = new Set(['iss', 'sub', 'aud', 'jti', 'iat', 'exp', 'purposeId', 'digest'])

export interface PdndMock {
  url: string
  tokenUrl: string
  requests: number
  violations: string[]
  script: 'ok' | 'refuse' | 'rate' | 'fail'
  /** Seconds the vouchers it gives are valid. */
  expiresIn: number
  close(): Promise<void>
}

export async function startPdndMock(o: { clientId: string; kid: string; publicJwk: JWK; audience: string; purposes: string[]; clock?: () => number }): Promise<PdndMock> {
  const spec = new OpenApiSpec(PDND_SPEC)
  const clientKey = await importJWK(o.publicJwk, 'RS256')
  const { privateKey: serverKey } = await generateKeyPair('RS256')
  const seenJti = new Set<string>()
  const mock: PdndMock = { url: '', tokenUrl: '', requests: 0, violations: [], script: 'ok', expiresIn: 600, close: async () => undefined }

  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (d: Buffer) => (raw += d.toString()))
    req.on('end', () => {
      void (async () => {
        const problem = (status: number, title: string, code: string, headers: Record<string, string> = {}) => {
          const p = { type: 'about:blank', status, title, correlationId: 'c0ffee00-0000-4000-8000-000000000000', errors: [{ code, detail: title }] }
          mock.violations.push(...spec.problems('Problem', p))
          res.writeHead(status, { 'content-type': 'application/problem+json', ...headers }).end(JSON.stringify(p))
        }
        if (req.method !== 'POST' || req.url !== '/authorization-server/token.oauth2') return problem(404, 'Not Found', '000-0404')
        mock.requests++
        if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) mock.violations.push(`content-type ${req.headers['content-type']}`)
        const form = Object.fromEntries(new URLSearchParams(raw))
        mock.violations.push(...spec.problems('AccessTokenRequest', form))
        if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') mock.violations.push(`client_assertion_type ${form.client_assertion_type}`)
        if (mock.script === 'fail') return problem(500, 'Internal Server Error', '000-0500')
        if (mock.script === 'rate') return problem(429, 'Too Many Requests', '000-0429', { 'X-Rate-Limit-Limit': '10', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Interval': '20000' })
        try {
          const header = decodeProtectedHeader(form.client_assertion ?? '')
          for (const k of Object.keys(header)) if (!ALLOWED_HEADER.has(k)) mock.violations.push(`assertion header ${k} not allowed`)
          if (header.alg !== 'RS256' || header.kid !== o.kid) throw new Error(`unknown key ${String(header.kid)} / ${String(header.alg)}`)
          const { payload } = await jwtVerify(form.client_assertion!, clientKey, { audience: o.audience, issuer: o.clientId, subject: o.clientId, algorithms: ['RS256'], currentDate: new Date((o.clock ?? Date.now)()) })
          for (const k of Object.keys(payload)) if (!ALLOWED_CLAIMS.has(k)) mock.violations.push(`assertion claim ${k} not allowed`)
          if (form.client_id !== undefined && form.client_id !== o.clientId) throw new Error('client_id is not the assertion’s')
          if (typeof payload.jti !== 'string' || seenJti.has(payload.jti)) throw new Error('jti missing or used before')
          seenJti.add(payload.jti)
          if (typeof payload.purposeId !== 'string' || !o.purposes.includes(payload.purposeId)) throw new Error('purpose unknown or not active')
          if (mock.script === 'refuse') throw new Error('client refused')
          const token = await new SignJWT({ purposeId: payload.purposeId, client_id: o.clientId }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' }).setAudience('e-service').setIssuedAt().setExpirationTime(`${mock.expiresIn}s`).sign(serverKey)
          const answer = { access_token: token, token_type: 'Bearer', expires_in: mock.expiresIn }
          mock.violations.push(...spec.problems('ClientCredentialsResponse', answer))
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, no-store' }).end(JSON.stringify(answer))
        } catch (e) {
          problem(401, 'Unauthorized', '015-0008', { 'x-reason': encodeURIComponent(e instanceof Error ? e.message : String(e)) })
        }
      })()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  mock.tokenUrl = `${mock.url}/authorization-server/token.oauth2`
  mock.close = () => new Promise<void>((r) => server.close(() => r()))
  return mock
}

/** A client key pair as PDND's back office would register it: the private key as PKCS#8 PEM, the public one as a JWK. */
export async function clientKeyPair(): Promise<{ privateKeyPem: string; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const { exportPKCS8 } = await import('jose')
  return { privateKeyPem: await exportPKCS8(privateKey), publicJwk: await exportJWK(publicKey) }
}
