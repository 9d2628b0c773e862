/**
 * Access control of the live socket (ADR 0005) on a real database and real Socket.IO: the handshake
 * needs a session, a foreign Origin is refused, a reconnect is checked again, subscriptions are
 * rate-limited, and a session that ends (sign-out, disabled account) loses its socket within the
 * recheck interval.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION, type LiveClientToServer, type LiveServerToClient, type SessionEnded, type SubscribeAck } from '../../../contracts/events'
import type { Device } from '../../../contracts/schemas/device'
import { createApp } from '../http/app'
import { Identity } from '../identity/identity'
import { createLocalUser } from '../identity/users'
import { mountAuthRoutes } from '../routes/auth/auth-routes'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { signIn } from '../../../tests/helpers/staff-session'
import { waitFor } from '../../../tests/helpers/wait-for'
import { LiveMirror } from './live-mirror'
import { RealtimeServer, SESSION_RECHECK_MS } from './realtime-server'

type Client = Socket<LiveServerToClient, LiveClientToServer>
const device: Device = { id: 'loop-1', kind: 'traffic-loop', name: 'loop-1', position: [11.34, 44.49], expectedIntervalS: 60, source: 'open-data', dataset: null, props: {} }

let t: TestDb
let identity: Identity
let http: Server
let rt: RealtimeServer
let url: string
const clients: Client[] = []

beforeAll(async () => {
  t = await createTestDb()
  identity = new Identity(t.db, { oidc: null, idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, cookieSecure: true, allowedOrigins: ['https://wall.comune.bologna.it'], bootstrapAdmin: null }, { info: () => undefined, warn: () => undefined })
  const app = createApp({ clientDir: null, sessions: identity.sessions, mountRoutes: (a) => mountAuthRoutes(a, identity) })
  http = createServer(app)
  const mirror = new LiveMirror({ retainEntries: 1000 })
  mirror.upsertDevices([device])
  rt = new RealtimeServer(http, {
    mirror,
    defaultCadenceMs: 50,
    sessions: identity.sessions,
    allowedOrigins: ['https://wall.comune.bologna.it'],
    sessionRecheckMs: 300,
    heartbeat: () => ({ ingest: { brokerConnected: true, dbHealthy: true, pending: 0, lastCommitAtMs: null, workers: 1 }, quarantine: { total: 0, lastReason: null, lastAtMs: null }, liveFeed: 'up', rootCause: null }),
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  for (const [username, roles] of [['op', ['operator']], ['pmo-only', ['pmo']], ['leaver', ['operator']], ['disabled', ['operator']], ['chatty', ['planner']], ['boss', ['admin']], ['engineer', ['traffic_engineer']]] as const) {
    await createLocalUser(t.db, { username, roles, password: `${username}-password-long` }, { actor: 'test', actorRole: 'system' })
  }
}, 120_000)

afterAll(async () => {
  for (const c of clients) c.close()
  await rt.close()
  http.closeAllConnections()
  await t.drop()
})

function open(headers: Record<string, string>, reconnection = false): Client {
  const c: Client = connect(`${url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], extraHeaders: headers, reconnection, reconnectionDelay: 50, reconnectionDelayMax: 100 })
  clients.push(c)
  return c
}

const outcome = (c: Client) =>
  new Promise<{ connected: true } | { connected: false; code: string | undefined; message: string }>((resolve) => {
    c.once('connect', () => resolve({ connected: true }))
    c.once('connect_error', (e: Error & { data?: { code?: string } }) => resolve({ connected: false, code: e.data?.code, message: e.message }))
  })

const subscribe = (c: Client) => new Promise<SubscribeAck>((r) => c.emit('live:subscribe', { layers: ['traffic-loop'] }, r))

describe('the live socket', () => {
  it('pushes a changed citizen case to the screens that may read cases, and not to a traffic engineer’s', async () => {
    const opCookie = await signIn(url, 'op', 'op-password-long')
    const engineerCookie = await signIn(url, 'engineer', 'engineer-password-long')
    const op = open({ cookie: opCookie })
    expect(await outcome(op)).toEqual({ connected: true })
    const engineer = open({ cookie: engineerCookie })
    expect(await outcome(engineer)).toEqual({ connected: true })
    const got: Record<string, number[]> = { op: [], engineer: [] }
    op.on('case:changed', (c) => got.op!.push(c.id))
    engineer.on('case:changed', (c) => got.engineer!.push(c.id))
    // The engineer's socket is in the alarm room: an incident reaches it, so it would have had time to get the case too.
    let incidents = 0
    engineer.on('incident:changed', () => incidents++)
    const at = Date.parse('2026-11-27T10:00:00Z')
    rt.emitCase({ id: 41, serviceCode: 'buca-stradale', status: 'triaged', priority: 'medium', position: [11.34, 44.49], address: null, districtId: null, districtName: null, officeId: 'strade', assignee: null, source: 'open311', published: true, requestedAtMs: at, updatedAtMs: at, expectedAtMs: null, closedAtMs: null, slaBreachedAtMs: null, version: 2 })
    rt.emitIncident({ id: 1, type: 'other', title: 'test', description: '', status: 'open', priority: 'low', position: [11.34, 44.49], area: null, assignee: null, createdBy: 'op', createdAtMs: at, updatedAtMs: at, closedAtMs: null, closedBy: null, closingNote: null, version: 1, alarmIds: [] })
    await waitFor(() => got.op!.length === 1 && incidents === 1, 'the case to reach the operator and the incident the engineer', 5000)
    expect(got).toEqual({ op: [41], engineer: [] })
    op.close()
    engineer.close()
  })

  it('refuses a handshake without a session, and one whose role may not see the live map', async () => {
    expect(await outcome(open({}))).toMatchObject({ connected: false, code: 'UNAUTHENTICATED' })
    expect(await outcome(open({ cookie: `__Host-gemello_session=${'x'.repeat(43)}` }))).toMatchObject({ connected: false, code: 'UNAUTHENTICATED' })
    const pmo = await signIn(url, 'pmo-only', 'pmo-only-password-long')
    expect(await outcome(open({ cookie: pmo }))).toMatchObject({ connected: false, code: 'FORBIDDEN' })
  })

  it('is not opened by a personal access token (a token has no session to re-check every 30 s)', async () => {
    const { secret } = await identity.tokens.create('op', { name: 'script', expiresInDays: 1 }, { actor: 'op', actorRole: 'operator' })
    expect(await outcome(open({ authorization: `Bearer ${secret}` }))).toMatchObject({ connected: false, code: 'UNAUTHENTICATED' })
  })

  it('accepts a signed-in operator from its own origin or an allowed one, and refuses a page of another site', async () => {
    const cookie = await signIn(url, 'op', 'op-password-long')
    const own = open({ cookie, origin: url })
    expect(await outcome(own)).toEqual({ connected: true })
    expect(await subscribe(own)).toMatchObject({ ok: true })
    expect(await outcome(open({ cookie, origin: 'https://wall.comune.bologna.it' }))).toEqual({ connected: true })
    const foreign = await outcome(open({ cookie, origin: 'https://evil.example' }))
    expect(foreign.connected).toBe(false)
  })

  it('disconnects a signed-out session within the recheck interval, tells why, and refuses the reconnect', async () => {
    expect(SESSION_RECHECK_MS).toBeLessThanOrEqual(30_000)
    const cookie = await signIn(url, 'leaver', 'leaver-password-long')
    const c = open({ cookie }, true)
    expect(await outcome(c)).toEqual({ connected: true })
    const ended: SessionEnded[] = []
    c.on('live:session-ended', (e) => ended.push(e))
    await fetch(`${url}/api/auth/sign-out`, { method: 'POST', headers: { cookie } })
    await waitFor(() => ended.length > 0 && !c.connected, 'the socket of a signed-out session to close', 5000)
    expect(ended[0]!.code).toBe('UNAUTHENTICATED')
    // A reconnect is a new handshake: the ended session does not open it again.
    const again = await outcome(c.connect())
    expect(again).toMatchObject({ connected: false, code: 'UNAUTHENTICATED' })
    c.io.opts.reconnection = false
    c.close()
  })

  it('disconnects the sockets of an account an administrator disables', async () => {
    const cookie = await signIn(url, 'disabled', 'disabled-password-long')
    const c = open({ cookie })
    expect(await outcome(c)).toEqual({ connected: true })
    const boss = await signIn(url, 'boss', 'boss-password-long')
    const res = await fetch(`${url}/api/users/disabled`, { method: 'PATCH', headers: { cookie: boss, 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) })
    expect(res.status).toBe(200)
    await waitFor(() => !c.connected, 'the disabled account’s socket to close', 5000)
  })

  it('rate-limits subscriptions per socket and drops a socket that keeps going', async () => {
    const cookie = await signIn(url, 'chatty', 'chatty-password-long')
    const c = open({ cookie })
    expect(await outcome(c)).toEqual({ connected: true })
    const acks = await Promise.all(Array.from({ length: 22 }, () => subscribe(c)))
    expect(acks.filter((a) => a.ok)).toHaveLength(20)
    expect(acks.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.error.code))).toEqual(['RATE_LIMITED', 'RATE_LIMITED'])
    for (let i = 0; i < 5; i++) c.emit('live:subscribe', { layers: ['traffic-loop'] }, () => undefined)
    await waitFor(() => !c.connected, 'the flooding socket to be dropped', 5000)
  })
})
