/**
 * Staff sign-in, sessions and the guard over real HTTP and the real database (PGlite, or PostgreSQL
 * under test:services): first-run setup, local sign-in with throttling, cookie attributes, session
 * rotation, idle and absolute timeouts, sign-out, step-up, revocation by an administrator, cross-site
 * refusal, body limits, and OpenID Connect against a local provider with its negative cases
 * (reliability-security.md §4.4 #10–#13).
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { scanLog, TEST_SECRETS } from '../../../scripts/log-hygiene'
import type { SessionInfo } from '../../../contracts/api'
import { verifyAuditChain, searchAudit } from '../audit/audit-log'
import type { IdentityConfig } from '../config/config'
import { guarded } from '../http/access'
import { createApp } from '../http/app'
import { mountAuthRoutes } from '../routes/auth/auth-routes'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { startTestOp, type TestOp } from '../../../tests/helpers/oidc-provider'
import { sessionCookieOf } from '../../../tests/helpers/staff-session'
import { Identity } from './identity'
import { createLocalUser } from './users'

const REDIRECT = 'http://127.0.0.1:1/api/auth/oidc/callback'
const BASE: IdentityConfig = { oidc: null, idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, cookieSecure: true, allowedOrigins: [], bootstrapAdmin: null }

interface Running {
  url: string
  identity: Identity
  warnings: string[]
  close(): Promise<void>
}

async function serve(t: TestDb, config: IdentityConfig, log?: pino.Logger): Promise<Running> {
  const warnings: string[] = []
  const identity = new Identity(t.db, config, { info: (o, m) => log?.info(o, m), warn: (o, m) => (warnings.push(m ?? ''), log?.warn(o, m)) })
  const app = createApp({
    clientDir: null,
    ...(log ? { log } : {}),
    sessions: identity.sessions,
    mountRoutes: (a) => {
      mountAuthRoutes(a, identity)
      guarded(a, 'get', '/api/t/live', 'live:read', (_q, r) => void r.json({ ok: true }))
      guarded(a, 'get', '/api/t/quarantine', 'ops:read', (_q, r) => void r.json({ ok: true }))
      guarded(a, 'post', '/api/t/deploy', 'signal-plan:deploy', (_q, r) => void r.json({ deployed: true }))
    },
  })
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await identity.start(url)
  return {
    url,
    identity,
    warnings,
    close: async () => {
      identity.stop()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string; message: string } }).error

let t: TestDb
let s: Running

beforeAll(async () => {
  t = await createTestDb()
  s = await serve(t, BASE)
}, 120_000)

afterAll(async () => {
  await s?.close()
  await t?.drop()
})

async function signIn(username: string, password: string, cookie = ''): Promise<{ res: Response; cookie: string | null }> {
  const res = await post(`${s.url}/api/auth/sign-in`, { username, password }, cookie ? { cookie } : {})
  return { res, cookie: sessionCookieOf(res) }
}

async function account(username: string, roles: Parameters<typeof createLocalUser>[1]['roles']): Promise<string> {
  const password = `${username}-long-password`
  await createLocalUser(t.db, { username, roles, password }, { actor: 'test', actorRole: 'system' })
  const r = await signIn(username, password)
  expect(r.res.status).toBe(200)
  return r.cookie!
}

describe('first run', () => {
  it('prints a one-time setup link; the link creates the first administrator and signs them in, once', async () => {
    const info = (await (await fetch(`${s.url}/api/auth/session`)).json()) as SessionInfo
    expect(info).toMatchObject({ signedIn: false, setupNeeded: true, signIn: { local: true, oidc: false } })
    expect(info.permissions).toEqual(['opendata:read', 'live:read-aggregated', 'census:read-public'])
    const token = /#setup=([A-Za-z0-9_-]+)/.exec(s.warnings.join('\n'))?.[1]
    expect(token).toBeTruthy()
    expect(s.warnings.join('\n')).toContain('npm run users -- add')

    const wrong = await post(`${s.url}/api/auth/setup`, { token: 'not-the-token', username: 'root', password: 'a-long-enough-password' })
    expect([wrong.status, (await codeOf(wrong))?.code]).toEqual([403, 'FORBIDDEN'])
    const short = await post(`${s.url}/api/auth/setup`, { token, username: 'root', password: 'short' })
    expect([short.status, (await codeOf(short))?.code]).toEqual([400, 'VALIDATION_FAILED'])
    const ok = await post(`${s.url}/api/auth/setup`, { token, username: 'Root', password: 'a-long-enough-password' })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as SessionInfo).user).toMatchObject({ username: 'root', roles: ['admin'] })
    const again = await post(`${s.url}/api/auth/setup`, { token, username: 'root2', password: 'a-long-enough-password' })
    expect([again.status, (await codeOf(again))?.code]).toEqual([403, 'FORBIDDEN'])
  })
})

describe('local sign-in and sessions', () => {
  beforeEach(() => {
    s.identity.perUser.reset('')
  })

  it('sets an HttpOnly, Secure, SameSite __Host- cookie holding only a random id; the table holds its hash', async () => {
    await createLocalUser(t.db, { username: 'cookie-check', roles: ['operator'], password: 'cookie-check-password' }, { actor: 'test', actorRole: 'system' })
    const { res } = await signIn('cookie-check', 'cookie-check-password')
    const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-gemello_session='))!
    expect(set).toMatch(/^__Host-gemello_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=43200$/)
    const id = set.split(';')[0]!.split('=')[1]!
    const rows = await t.db.query<{ id_hash: string }>("SELECT id_hash FROM staff_session WHERE username = 'cookie-check'")
    expect(rows.rows.map((r) => r.id_hash)).not.toContain(id)
    expect(rows.rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses a wrong password and an unknown user with the same answer, audits the failure, and throttles', async () => {
    await createLocalUser(t.db, { username: 'throttled', roles: ['planner'], password: 'throttled-password' }, { actor: 'test', actorRole: 'system' })
    const bad = await signIn('throttled', 'wrong-password-here')
    const unknown = await signIn('nobody-at-all', 'wrong-password-here')
    expect([bad.res.status, await codeOf(bad.res)]).toEqual([401, { code: 'SIGN_IN_FAILED', message: 'Wrong username or password, or the account is disabled.' }])
    expect([unknown.res.status, await codeOf(unknown.res)]).toEqual([401, { code: 'SIGN_IN_FAILED', message: 'Wrong username or password, or the account is disabled.' }])
    const audit = await searchAudit(t.db, { action: 'session.sign-in-failed', target: 'user:throttled' })
    expect(audit).toHaveLength(1)
    expect(audit[0]!.detail).toEqual({ method: 'local', reason: 'password' })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await signIn('throttled', 'wrong-password-here')).res.status)
    expect(statuses).toEqual([401, 401, 401, 401, 429])
    const limited = await signIn('throttled', 'throttled-password')
    expect(limited.res.status).toBe(429)
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await codeOf(limited.res))?.code).toBe('RATE_LIMITED')
  })

  it('gives a new session id at every sign-in and ends the one the browser had', async () => {
    const a = await account('rotator', ['operator'])
    const b = await signIn('rotator', 'rotator-long-password', a)
    expect(b.cookie).not.toBe(a)
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: a } })).status).toBe(401)
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: b.cookie! } })).status).toBe(200)
  })

  it('denies the public with 401 and a user without the permission with 403, saying which role it needs', async () => {
    const planner = await account('planner-one', ['planner'])
    const anon = await fetch(`${s.url}/api/t/live`)
    expect([anon.status, (await codeOf(anon))?.code]).toEqual([401, 'UNAUTHENTICATED'])
    const forged = await fetch(`${s.url}/api/t/live`, { headers: { cookie: `__Host-gemello_session=${'A'.repeat(43)}` } })
    expect(forged.status).toBe(401)
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: planner } })).status).toBe(200)
    const forbidden = await fetch(`${s.url}/api/t/quarantine`, { headers: { cookie: planner } })
    expect(forbidden.status).toBe(403)
    expect(await codeOf(forbidden)).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/Your roles \(planner\) do not allow this: .*It needs the role operator, traffic engineer or admin/) })
  })

  it('asks for a recent sign-in (step-up) before a dangerous action, and accepts it after signing in again', async () => {
    const eng = await account('engineer-one', ['traffic_engineer'])
    expect((await post(`${s.url}/api/t/deploy`, {}, { cookie: eng })).status).toBe(200)
    await t.db.query("UPDATE staff_session SET auth_at = auth_at - interval '6 minutes' WHERE username = 'engineer-one'")
    const old = await post(`${s.url}/api/t/deploy`, {}, { cookie: eng })
    expect([old.status, (await codeOf(old))?.code]).toEqual([401, 'STEP_UP_REQUIRED'])
    const again = await signIn('engineer-one', 'engineer-one-long-password', eng)
    expect((await post(`${s.url}/api/t/deploy`, {}, { cookie: again.cookie! })).status).toBe(200)
    const audit = await searchAudit(t.db, { action: 'session.sign-in', target: 'user:engineer-one' })
    expect(audit[0]!.detail).toEqual({ method: 'local', stepUp: true })
  })

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const idle = await account('idle-one', ['operator'])
    await t.db.query("UPDATE staff_session SET last_seen_at = now() - interval '31 minutes' WHERE username = 'idle-one'")
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: idle } })).status).toBe(401)
    const old = await account('old-one', ['operator'])
    await t.db.query("UPDATE staff_session SET expires_at = now() - interval '1 second' WHERE username = 'old-one'")
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: old } })).status).toBe(401)
    const active = await account('active-one', ['operator'])
    await t.db.query("UPDATE staff_session SET last_seen_at = now() - interval '29 minutes' WHERE username = 'active-one'")
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: active } })).status).toBe(200)
    const seen = await t.db.query<{ fresh: boolean }>("SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM staff_session WHERE username = 'active-one'")
    expect(seen.rows[0]!.fresh).toBe(true)
  })

  it('keeps a video wall signed in while unattended (no idle timeout for a display account), but not past the absolute timeout, and lets it do nothing but watch', async () => {
    const wall = await account('wall-one', ['display'])
    await t.db.query("UPDATE staff_session SET last_seen_at = now() - interval '5 hours' WHERE username = 'wall-one'")
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: wall } })).status).toBe(200)
    expect(await s.identity.sessions.store.sweep()).toBeGreaterThanOrEqual(0)
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: wall } })).status).toBe(200)
    expect((await fetch(`${s.url}/api/t/quarantine`, { headers: { cookie: wall } })).status).toBe(403)
    // A display role beside a person's role does not lift that person's idle timeout.
    const mixed = await account('wall-and-operator', ['display', 'operator'])
    await t.db.query("UPDATE staff_session SET last_seen_at = now() - interval '31 minutes' WHERE username = 'wall-and-operator'")
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: mixed } })).status).toBe(401)
    await t.db.query("UPDATE staff_session SET expires_at = now() - interval '1 second' WHERE username = 'wall-one'")
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: wall } })).status).toBe(401)
  })

  it('signs out on the server: a copy of the cookie opens nothing afterwards', async () => {
    const c = await account('leaver', ['operator'])
    const out = await post(`${s.url}/api/auth/sign-out`, {}, { cookie: c })
    expect(await out.json()).toEqual({ signedOut: true })
    expect(out.headers.getSetCookie()[0]).toMatch(/^__Host-gemello_session=; .*Max-Age=0/)
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: c } })).status).toBe(401)
    expect(await searchAudit(t.db, { action: 'session.sign-out', target: 'user:leaver' })).toHaveLength(1)
  })

  it('lets an administrator change roles, which ends the user’s sessions and is audited with before/after', async () => {
    const admin = await account('admin-two', ['admin'])
    const op = await account('op-two', ['operator'])
    const res = await fetch(`${s.url}/api/users/op-two`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ roles: ['planner'] }) })
    expect(res.status).toBe(200)
    expect((await fetch(`${s.url}/api/t/live`, { headers: { cookie: op } })).status).toBe(401)
    const [row] = await searchAudit(t.db, { action: 'user.update', target: 'user:op-two' })
    expect(row).toMatchObject({ actor: 'admin-two', actorRole: 'admin', detail: { roles: { from: ['operator'], to: ['planner'] }, sessionsEnded: 1 } })
    expect(row!.beforeHash).not.toBe(row!.afterHash)
    expect(row!.requestId).toBeTruthy()
    const users = (await (await fetch(`${s.url}/api/users`, { headers: { cookie: admin } })).json()) as { users: Array<{ username: string; roles: string[] }> }
    expect(users.users.find((u) => u.username === 'op-two')?.roles).toEqual(['planner'])
    const nonAdmin = await fetch(`${s.url}/api/users`, { headers: { cookie: await account('op-three', ['operator']) } })
    expect(nonAdmin.status).toBe(403)
  })

  it('finds every sign-in, sign-out and account change in the audit search, for audit:read only, on an intact chain', async () => {
    const admin = await account('auditor', ['admin'])
    const r = await fetch(`${s.url}/api/audit?action=session.sign-in&limit=500`, { headers: { cookie: admin } })
    const body = (await r.json()) as { entries: Array<{ actor: string }> }
    expect(body.entries.map((e) => e.actor)).toEqual(expect.arrayContaining(['auditor', 'rotator', 'engineer-one']))
    const prefix = (await (await fetch(`${s.url}/api/audit?target=${encodeURIComponent('user:op-*')}`, { headers: { cookie: admin } })).json()) as { entries: Array<{ target: string }> }
    expect(new Set(prefix.entries.map((e) => e.target))).toEqual(new Set(['user:op-two', 'user:op-three']))
    expect((await fetch(`${s.url}/api/audit`, { headers: { cookie: await account('op-four', ['operator']) } })).status).toBe(403)
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true })
  })

  it('refuses a state-changing request from a page of another site, and oversized or malformed bodies', async () => {
    const c = await account('origin-check', ['traffic_engineer'])
    const cross = await post(`${s.url}/api/t/deploy`, {}, { cookie: c, origin: 'https://evil.example' })
    expect([cross.status, (await codeOf(cross))?.code]).toEqual([403, 'ORIGIN_REFUSED'])
    const crossFetch = await post(`${s.url}/api/t/deploy`, {}, { cookie: c, 'sec-fetch-site': 'cross-site' })
    expect(crossFetch.status).toBe(403)
    expect((await post(`${s.url}/api/t/deploy`, {}, { cookie: c, origin: s.url })).status).toBe(200)
    const big = await post(`${s.url}/api/auth/sign-in`, { username: 'x', password: 'p'.repeat(70_000) })
    expect([big.status, (await codeOf(big))?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
    const bad = await post(`${s.url}/api/auth/sign-in`, '{"username":')
    expect([bad.status, (await codeOf(bad))?.code]).toEqual([400, 'VALIDATION_FAILED'])
  })
})

describe('OpenID Connect', () => {
  let op: TestOp
  let o: Running
  let ot: TestDb

  beforeAll(async () => {
    op = await startTestOp()
    ot = await createTestDb()
    // The provider sends the browser to REDIRECT; the test takes the callback to this server's port.
    o = await serve(ot, { ...BASE, oidc: { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, redirectUrl: REDIRECT, rolesClaim: 'realm_access.roles', roleMap: new Map([['sala-operativa', 'operator']]) } })
  }, 120_000)

  afterAll(async () => {
    await o?.close()
    await op?.close()
    await ot?.drop()
  })

  /** Start at Gemello, pass the provider, come back: the callback's response. */
  async function roundTrip(tamper?: (callback: URL) => void): Promise<{ callback: URL; res: Response }> {
    const start = await fetch(`${o.url}/api/auth/oidc/start?returnTo=${encodeURIComponent('/?scene=piazza-maggiore')}`, { redirect: 'manual' })
    expect(start.status).toBe(302)
    const atOp = await fetch(start.headers.get('location')!, { redirect: 'manual' })
    const callback = new URL(atOp.headers.get('location')!)
    tamper?.(callback)
    const res = await fetch(callback.toString().replace(/^http:\/\/127\.0\.0\.1:\d+/, o.url), { redirect: 'manual' })
    return { callback, res }
  }

  const refusedWith = async (res: Response, reason: RegExp) => {
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^\/\?signInError=/)
    expect(sessionCookieOf(res)).toBeNull()
    const [last] = await searchAudit(ot.db, { action: 'session.sign-in-failed' })
    expect(String(last!.detail.reason)).toMatch(reason)
  }

  it('signs a provider user in with code + PKCE (S256), state and nonce, maps the roles, and returns to the page', async () => {
    op.misbehave = 'none'
    op.user = { sub: 'kc-42', preferred_username: 'mrossi', name: 'Mario Rossi', roles: ['sala-operativa', 'offline_access'] }
    const { res } = await roundTrip()
    const q = op.lastAuthorize!
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(q.get('scope')).toBe('openid profile')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/?scene=piazza-maggiore')
    const cookie = sessionCookieOf(res)!
    const info = (await (await fetch(`${o.url}/api/auth/session`, { headers: { cookie } })).json()) as SessionInfo
    expect(info).toMatchObject({ signedIn: true, user: { username: 'mrossi', displayName: 'Mario Rossi', source: 'oidc', roles: ['operator'] }, signIn: { local: false, oidc: true } })
    expect((await post(`${o.url}/api/auth/sign-in`, { username: 'mrossi', password: 'whatever-it-is' })).status).toBe(404)
  })

  it('asks the provider for a fresh sign-in on step-up', async () => {
    await fetch(`${o.url}/api/auth/oidc/start?stepUp=1`, { redirect: 'manual' }).then((r) => fetch(r.headers.get('location')!, { redirect: 'manual' }))
    expect(op.lastAuthorize!.get('prompt')).toBe('login')
    expect(op.lastAuthorize!.get('max_age')).toBe('0')
  })

  it.each([
    ['bad-signature', /id-token:ERR_JWS_SIGNATURE_VERIFICATION_FAILED/],
    ['wrong-iss', /id-token:ERR_JWT_CLAIM_VALIDATION_FAILED/],
    ['wrong-aud', /id-token:ERR_JWT_CLAIM_VALIDATION_FAILED/],
    ['expired', /id-token:ERR_JWT_EXPIRED/],
    ['other-nonce', /id-token:nonce/],
  ] as const)('refuses an ID token with %s', async (misbehave, reason) => {
    op.misbehave = misbehave
    op.user = { sub: 'kc-42', preferred_username: 'mrossi', name: 'Mario Rossi', roles: ['operator'] }
    const { res } = await roundTrip()
    op.misbehave = 'none'
    await refusedWith(res, reason)
  })

  it('refuses a wrong or replayed state', async () => {
    op.misbehave = 'none'
    const forged = await roundTrip((cb) => cb.searchParams.set('state', 'forged-state-value'))
    await refusedWith(forged.res, /unknown-state/)
    const ok = await roundTrip()
    expect(sessionCookieOf(ok.res)).not.toBeNull()
    const replay = await fetch(ok.callback.toString().replace(/^http:\/\/127\.0\.0\.1:\d+/, o.url), { redirect: 'manual' })
    await refusedWith(replay, /unknown-state/)
  })

  it('refuses an injected authorization code (issued for another PKCE challenge): the provider rejects the verifier', async () => {
    op.misbehave = 'none'
    const injected = op.issueCode({ codeChallenge: 'an-attackers-own-challenge-value-aaaaaaaaaaa', nonce: 'x', redirectUri: REDIRECT })
    const { res } = await roundTrip((cb) => cb.searchParams.set('code', injected))
    await refusedWith(res, /token-refused/)
    expect(op.refusals.at(-1)).toBe('PKCE verifier does not match the challenge')
  })

  it('refuses to use a provider that does not support PKCE with S256', async () => {
    const plainOnly = await startTestOp({ pkceMethods: ['plain'] })
    const r = await serve(ot, { ...BASE, oidc: { issuer: plainOnly.issuer, clientId: plainOnly.clientId, clientSecret: plainOnly.clientSecret, redirectUrl: REDIRECT, rolesClaim: 'realm_access.roles', roleMap: new Map() } })
    try {
      const start = await fetch(`${r.url}/api/auth/oidc/start`, { redirect: 'manual' })
      expect(start.status).toBe(401)
      expect(await codeOf(start)).toEqual({ code: 'SIGN_IN_FAILED', message: 'The identity provider does not support PKCE with S256; Gemello needs it.' })
      expect(plainOnly.lastAuthorize).toBeNull()
    } finally {
      await r.close()
      await plainOnly.close()
    }
  })

  it('refuses a provider user with no Gemello role, telling them to ask for one', async () => {
    op.misbehave = 'none'
    op.user = { sub: 'kc-7', preferred_username: 'nobody', name: 'No Role', roles: ['offline_access'] }
    const { res } = await roundTrip()
    await refusedWith(res, /no-role/)
    expect(decodeURIComponent(res.headers.get('location')!)).toContain('has no Gemello role')
  })
})

describe('log hygiene', () => {
  it('logs sign-ins, refusals, provider round trips and sign-outs without a session id, token, code or password', async () => {
    const lines: string[] = []
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) })
    const log = pino({ level: 'trace' }, sink)
    const op = await startTestOp()
    const lt = await createTestDb()
    const r = await serve(lt, { ...BASE, oidc: { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, redirectUrl: REDIRECT, rolesClaim: 'realm_access.roles', roleMap: new Map() } }, log)
    try {
      op.user = { sub: 'kc-1', preferred_username: 'mrossi', name: 'Mario Rossi', roles: ['operator'] }
      const start = await fetch(`${r.url}/api/auth/oidc/start`, { redirect: 'manual' })
      const atOp = await fetch(start.headers.get('location')!, { redirect: 'manual' })
      const back = await fetch(atOp.headers.get('location')!.replace(/^http:\/\/127\.0\.0\.1:\d+/, r.url), { redirect: 'manual' })
      const cookie = sessionCookieOf(back)!
      expect(cookie).toBeTruthy()
      expect((await fetch(`${r.url}/api/t/live`, { headers: { cookie } })).status).toBe(200)
      expect((await fetch(`${r.url}/api/t/quarantine`, { headers: { cookie: 'gemello_session=nothing; __Host-gemello_session=' + 'B'.repeat(43) } })).status).toBe(401)
      op.misbehave = 'bad-signature'
      const bad = await fetch(start.headers.get('location')!, { redirect: 'manual' })
      await fetch(bad.headers.get('location')!.replace(/^http:\/\/127\.0\.0\.1:\d+/, r.url), { redirect: 'manual' })
      await post(`${r.url}/api/auth/sign-out`, {}, { cookie })
      // A local-account server with the same logger: a wrong and a right password.
      await createLocalUser(lt.db, { username: 'logcheck', roles: ['operator'], password: 'logcheck-long-password' }, { actor: 'test', actorRole: 'system' })
    } finally {
      await r.close()
      await op.close()
    }
    const local = await serve(lt, BASE, log)
    try {
      await post(`${local.url}/api/auth/sign-in`, { username: 'logcheck', password: 'wrong-long-password' })
      const ok = await post(`${local.url}/api/auth/sign-in`, { username: 'logcheck', password: 'logcheck-long-password' })
      expect(ok.status).toBe(200)
    } finally {
      await local.close()
      await lt.drop()
    }
    const text = lines.join('')
    expect(text).toContain('request refused')
    expect(scanLog(text, [...TEST_SECRETS, 'logcheck-long-password', 'wrong-long-password', op.clientSecret])).toEqual([])
  })
})
