/**
 * Personal access tokens over real HTTP, the real guard and the real database (PGlite, or PostgreSQL
 * under test:services): created by a signed-in person and shown once, listed by prefix, presented as
 * Bearer or as Basic with the username (never the account password), refused with the reason when
 * mistyped, revoked, expired or of a disabled account, never creating tokens nor passing a step-up
 * permission, audited, throttled per address — and the secret stored nowhere.
 */
import { get } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CreatedApiTokenSchema, ListApiTokensResponseSchema, type CreatedApiToken } from '../../../contracts/token-api'
import { searchAudit, verifyAuditChain } from '../audit/audit-log'
import { guarded } from '../http/access'
import { mountDeviceRoutes } from '../routes/devices/device-routes'
import { mountTokenRoutes } from '../routes/auth/token-routes'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { serveRoutes, type RouteApp } from '../../../tests/helpers/route-app'
import { hashApiToken } from './api-tokens'
import { BASIC_CHALLENGE } from './token-auth'
import { updateUser } from './users'

let t: TestDb
let app: RouteApp
/** Session cookies, signed in at the start (the administrator's is recent enough for step-up throughout). */
let anna = ''
let bruno = ''
let root = ''
/** Every secret this file was given: none may be found in the database. */
const secrets: string[] = []

beforeAll(async () => {
  t = await createTestDb()
  app = await serveRoutes(t.db, (a, identity) => {
    mountTokenRoutes(a, identity.tokens)
    mountDeviceRoutes(a, t.db, () => Date.now())
    // Stand-ins for the census's OGC API routes: a write, a staff read and the public's share.
    guarded(a, 'post', '/ogc/t/items', 'census:write', (_q, r) => void r.json({ written: true }))
    guarded(a, 'get', '/ogc/t/items', 'census:read', (_q, r) => void r.json({ read: true }))
    guarded(a, 'get', '/ogc/t/public', 'census:read-public', (_q, r) => void r.json({ public: true }))
  })
  anna = await app.account('anna', ['gis_editor'])
  bruno = await app.account('bruno', ['gis_editor'])
  root = await app.account('root', ['admin'])
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

beforeEach(() => app.identity.tokenAuth.failures.reset('127.0.0.1'))

interface Answer {
  status: number
  body: unknown
  text: string
  headers: Headers
  error?: { code: string; message: string }
}

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const res = await fetch(`${app.url}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await res.text()
  const parsed = (text ? JSON.parse(text) : null) as { error?: Answer['error'] } | null
  return { status: res.status, body: parsed, text, headers: res.headers, ...(parsed?.error ? { error: parsed.error } : {}) }
}

const session = (cookie: string) => ({ cookie })
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` })
const basic = (username: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` })

async function createToken(cookie: string, name = 'QGIS, office PC', expiresInDays = 90): Promise<CreatedApiToken> {
  const r = await call('POST', '/api/tokens', session(cookie), { name, expiresInDays })
  expect(r.status, r.text).toBe(200)
  const created = CreatedApiTokenSchema.parse(r.body)
  secrets.push(created.secret)
  return created
}

const UNKNOWN = /unknown, expired or revoked/

describe('personal access tokens', () => {
  it('are created by a signed-in person, show the secret once, and list with the prefix only', async () => {
    const before = Date.now()
    const created = await createToken(anna)
    expect(created.secret).toMatch(/^gmt_[A-Za-z0-9_-]{43}$/)
    expect(created).toMatchObject({ username: 'anna', name: 'QGIS, office PC', prefix: created.secret.slice(0, 8), status: 'active', lastUsedAtMs: null, revokedAtMs: null })
    expect(created.expiresAtMs - created.createdAtMs).toBe(90 * 86_400_000)
    expect(created.createdAtMs).toBeGreaterThanOrEqual(before - 1000)

    const list = await call('GET', '/api/tokens', session(anna))
    expect(list.status).toBe(200)
    const mine = ListApiTokensResponseSchema.parse(list.body).tokens
    expect(mine.find((x) => x.id === created.id)).toMatchObject({ prefix: created.prefix, name: created.name, status: 'active' })
    expect(list.text).not.toContain(created.secret)
    expect(list.text).not.toContain('secret')
    // Another user's list does not show it.
    expect(ListApiTokensResponseSchema.parse((await call('GET', '/api/tokens', session(bruno))).body).tokens.map((x) => x.id)).not.toContain(created.id)
  })

  it('checks the name and the lifetime: 1–80 characters, 1–365 days', async () => {
    for (const body of [{ name: '', expiresInDays: 30 }, { name: 'x'.repeat(81), expiresInDays: 30 }, { name: 'QGIS', expiresInDays: 0 }, { name: 'QGIS', expiresInDays: 366 }, { name: 'QGIS' }]) {
      const r = await call('POST', '/api/tokens', session(anna), body)
      expect([r.status, r.error?.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED'])
    }
    const year = await createToken(anna, 'GDAL, nightly export', 365)
    expect(year.expiresAtMs - year.createdAtMs).toBe(365 * 86_400_000)
  })

  it('authenticate a GIS editor as Bearer or as Basic with the username, with the roles the user has now', async () => {
    const { secret } = await createToken(anna)
    expect((await call('GET', '/api/devices', {})).status).toBe(401)
    expect((await call('GET', '/api/devices', bearer(secret))).status).toBe(200)
    expect((await call('GET', '/ogc/t/items', bearer(secret))).body).toEqual({ read: true })
    expect((await call('POST', '/ogc/t/items', bearer(secret), {})).body).toEqual({ written: true })
    expect((await call('POST', '/ogc/t/items', basic('anna', secret), {})).body).toEqual({ written: true })
    // QGIS and GDAL send the username as typed: the same normalisation as the sign-in.
    expect((await call('POST', '/ogc/t/items', basic('Anna', secret), {})).status).toBe(200)
    // What the role does not hold stays refused, as for the session.
    const audit = await call('GET', '/api/audit', bearer(secret))
    expect([audit.status, audit.error?.code]).toEqual([403, 'FORBIDDEN'])

    // A role change applies to the next request (no session to end first).
    const carla = await createToken(await app.account('carla', ['gis_editor']))
    expect((await call('POST', '/ogc/t/items', bearer(carla.secret), {})).status).toBe(200)
    await updateUser(t.db, 'carla', { roles: ['planner'] }, { actor: 'test', actorRole: 'system' })
    const now = await call('POST', '/ogc/t/items', bearer(carla.secret), {})
    expect([now.status, now.error?.code]).toEqual([403, 'FORBIDDEN'])
    expect(now.error?.message).toMatch(/planner/)
  })

  it('refuse the account password over Basic, and a token of another user, with a challenge QGIS and GDAL answer', async () => {
    const { secret } = await createToken(anna)
    const password = await call('GET', '/api/devices', basic('anna', 'anna-long-password'))
    expect([password.status, password.error?.code]).toEqual([401, 'UNAUTHENTICATED'])
    expect(password.error?.message).toMatch(/never the account password/)
    expect(password.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE)
    const other = await call('POST', '/ogc/t/items', basic('bruno', secret), {})
    expect([other.status, other.error?.code]).toEqual([401, 'UNAUTHENTICATED'])
    expect(other.error?.message).toMatch(UNKNOWN)
    expect(other.error?.message).toContain('"bruno"')
    expect(other.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE)
    expect((await call('GET', '/api/devices', { authorization: 'Digest username="anna"' })).error?.message).toMatch(/Bearer gmt_/)
  })

  it('challenge anonymous OGC clients but never a page of the web client', async () => {
    // node:http, as GDAL and QGIS send it: no Sec-Fetch-Mode (fetch() adds "cors", like a page's script).
    const gdal = await new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
      get(`${app.url}/ogc/t/items?f=json`, (res) => {
        res.resume()
        resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] })
      }).on('error', reject)
    })
    expect(gdal).toEqual({ status: 401, challenge: BASIC_CHALLENGE })
    const page = await call('GET', '/ogc/t/items', { 'sec-fetch-mode': 'cors' })
    expect([page.status, page.headers.get('www-authenticate')]).toEqual([401, null])
    expect((await call('GET', '/api/devices', {})).headers.get('www-authenticate')).toBeNull()
  })

  it('refuse a mistyped token with the reason instead of serving the public its share', async () => {
    const { secret } = await createToken(anna)
    expect((await call('GET', '/ogc/t/public', {})).status).toBe(200)
    for (const wrong of [`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, 'gmt_short', secret.slice(4)]) {
      const r = await call('GET', '/ogc/t/public', bearer(wrong))
      expect([r.status, r.error?.code]).toEqual([401, 'UNAUTHENTICATED'])
      expect(r.error?.message).toMatch(UNKNOWN)
    }
    // A session beside a bad token does not rescue it: the token decides.
    const both = await call('GET', '/api/devices', { ...session(anna), ...bearer('gmt_typo') })
    expect(both.status).toBe(401)
    expect((await call('GET', '/api/devices', session(anna))).status).toBe(200)
  })

  it('stop working when revoked or expired, and say so', async () => {
    const a = await createToken(anna)
    expect((await call('GET', '/api/devices', bearer(a.secret))).status).toBe(200)
    const revoked = await call('DELETE', `/api/tokens/${a.id}`, session(anna))
    expect(revoked.body).toMatchObject({ id: a.id, status: 'revoked', revokedAtMs: expect.any(Number) })
    const after = await call('GET', '/api/devices', bearer(a.secret))
    expect([after.status, after.error?.code]).toEqual([401, 'UNAUTHENTICATED'])
    expect(after.error?.message).toMatch(UNKNOWN)
    // Twice: the same answer, one audit row.
    expect((await call('DELETE', `/api/tokens/${a.id}`, session(anna))).body).toEqual(revoked.body)
    expect(await searchAudit(t.db, { action: 'api_token.revoke', target: `api_token:${a.id}` })).toHaveLength(1)

    const b = await createToken(anna, 'short-lived', 1)
    await t.db.query("UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1", [b.id])
    const expired = await call('GET', '/api/devices', basic('anna', b.secret))
    expect([expired.status, expired.error?.code]).toEqual([401, 'UNAUTHENTICATED'])
    expect(expired.error?.message).toMatch(UNKNOWN)
    expect(ListApiTokensResponseSchema.parse((await call('GET', '/api/tokens', session(anna))).body).tokens.find((x) => x.id === b.id)?.status).toBe('expired')
  })

  it('stop working while the account is disabled', async () => {
    const dora = await app.account('dora', ['gis_editor'])
    const { secret } = await createToken(dora)
    expect((await call('GET', '/api/devices', bearer(secret))).status).toBe(200)
    await updateUser(t.db, 'dora', { disabled: true }, { actor: 'test', actorRole: 'system' })
    const r = await call('GET', '/api/devices', bearer(secret))
    expect([r.status, r.error?.code]).toEqual([401, 'UNAUTHENTICATED'])
    expect(r.error?.message).toMatch(/disabled/)
  })

  it('cannot create tokens, and never pass a step-up permission', async () => {
    const { secret } = await createToken(anna)
    const made = await call('POST', '/api/tokens', bearer(secret), { name: 'copy', expiresInDays: 365 })
    expect([made.status, made.error?.code]).toEqual([403, 'FORBIDDEN'])
    expect(made.error?.message).toMatch(/cannot create tokens/)
    // Listing its own tokens is fine.
    expect((await call('GET', '/api/tokens', bearer(secret))).status).toBe(200)

    // An administrator's token does not manage users: that needs a recent sign-in, which a token is not.
    const admin = await createToken(root, 'admin scripts')
    expect((await call('GET', '/api/users', session(root))).status).toBe(200)
    const users = await call('GET', '/api/users', bearer(admin.secret))
    expect([users.status, users.error?.code]).toEqual([403, 'FORBIDDEN'])
    expect(users.error?.message).toMatch(/personal access token cannot do this/)
    const change = await call('PATCH', '/api/users/anna', bearer(admin.secret), { disabled: true })
    expect([change.status, change.error?.code]).toEqual([403, 'FORBIDDEN'])
    // …but reads what the role may read.
    expect((await call('GET', '/api/audit?limit=1', bearer(admin.secret))).status).toBe(200)
  })

  it('are revoked by their owner or an administrator; to anyone else they do not exist', async () => {
    const a = await createToken(anna)
    const stranger = await call('DELETE', `/api/tokens/${a.id}`, session(bruno))
    expect([stranger.status, stranger.error?.code]).toEqual([404, 'NOT_FOUND'])
    expect((await call('DELETE', '/api/tokens/999999', session(anna))).status).toBe(404)
    expect((await call('GET', '/api/devices', bearer(a.secret))).status).toBe(200)
    const byAdmin = await call('DELETE', `/api/tokens/${a.id}`, session(root))
    expect(byAdmin.body).toMatchObject({ id: a.id, username: 'anna', status: 'revoked' })
    expect((await call('GET', '/api/devices', bearer(a.secret))).status).toBe(401)
    const [row] = await searchAudit(t.db, { action: 'api_token.revoke', target: `api_token:${a.id}` })
    expect(row).toMatchObject({ actor: 'root', actorRole: 'admin', detail: { owner: 'anna', name: a.name, prefix: a.prefix } })
    // A token may revoke its own user's tokens (itself included), never another user's.
    const b = await createToken(bruno)
    const c = await createToken(anna)
    expect((await call('DELETE', `/api/tokens/${b.id}`, bearer(c.secret))).status).toBe(404)
    expect((await call('DELETE', `/api/tokens/${c.id}`, bearer(c.secret))).body).toMatchObject({ status: 'revoked' })
  })

  it('write last_used_at at most once a minute', async () => {
    const { id, secret } = await createToken(anna)
    const lastUsed = async () => (await t.db.query<{ ms: number }>('SELECT extract(epoch FROM last_used_at) * 1000 AS ms FROM api_token WHERE id = $1', [id])).rows[0]!.ms
    expect(await lastUsed()).toBeNull()
    await call('GET', '/api/devices', bearer(secret))
    const first = Number(await lastUsed())
    expect(first).toBeGreaterThan(Date.now() - 60_000)
    await call('GET', '/api/devices', bearer(secret))
    await call('GET', '/api/devices', bearer(secret))
    expect(Number(await lastUsed())).toBe(first)
    await t.db.query("UPDATE api_token SET last_used_at = now() - interval '61 seconds' WHERE id = $1", [id])
    await call('GET', '/api/devices', bearer(secret))
    expect(Number(await lastUsed())).toBeGreaterThan(Date.now() - 10_000)
  })

  it('audit every creation and revocation in the chain, and keep the secret nowhere in the database', async () => {
    const created = await searchAudit(t.db, { action: 'api_token.create', limit: 1000 })
    expect(created.length).toBe(secrets.length)
    const last = await createToken(bruno, 'GDAL')
    const [row] = await searchAudit(t.db, { action: 'api_token.create', target: `api_token:${last.id}` })
    expect(row).toMatchObject({ actor: 'bruno', actorRole: 'gis_editor', beforeHash: null, detail: { owner: 'bruno', name: 'GDAL', prefix: last.prefix, expiresAtMs: last.expiresAtMs } })
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true })

    const stored = await t.db.query<{ hash: string }>('SELECT token_hash AS hash FROM api_token WHERE id = $1', [last.id])
    expect(stored.rows[0]!.hash).toBe(hashApiToken(last.secret))
    const rows = [
      ...(await t.db.query<{ row: string }>('SELECT t::text AS row FROM api_token t')).rows,
      ...(await t.db.query<{ row: string }>('SELECT a::text AS row FROM audit_log a')).rows,
      ...(await t.db.query<{ row: string }>('SELECT s::text AS row FROM staff_session s')).rows,
    ].map((r) => r.row)
    expect(rows.length).toBeGreaterThan(secrets.length)
    for (const secret of secrets) {
      for (const r of rows) expect(r.includes(secret.slice(4)), 'a secret in the database').toBe(false)
    }
  })

  it('throttle failed token attempts per address, before looking tokens up', async () => {
    const { secret } = await createToken(anna)
    for (let i = 0; i < 60; i++) expect((await call('GET', '/api/devices', bearer(`gmt_wrong-${i}`))).status).toBe(401)
    const blocked = await call('GET', '/api/devices', bearer(secret))
    expect([blocked.status, blocked.error?.code]).toEqual([429, 'RATE_LIMITED'])
    expect(blocked.error?.message).toMatch(/wait \d+ seconds/)
    // Sessions are not affected.
    expect((await call('GET', '/api/devices', session(anna))).status).toBe(200)
    app.identity.tokenAuth.failures.reset('127.0.0.1')
    expect((await call('GET', '/api/devices', bearer(secret))).status).toBe(200)
  })
})
