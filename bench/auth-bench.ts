/**
 * `npm run bench:auth` — what access control costs (ADR 0005), on the embedded database and, when
 * reachable, on PostgreSQL (TEST_DATABASE_URL):
 *  - a local sign-in over HTTP (scrypt N=2^17 + the session row + the audit row): median and p95;
 *  - requests/s and median latency of a route that needs a session (the guard resolves the cookie:
 *    one primary-key lookup) against the same handler on an open route called without a cookie,
 *    interleaved in rounds in the same run — the ratio is the cost of the session check;
 *  - the live socket's handshake with a session against one without access control.
 * Prints figures; never pass/fail.
 */
import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import { loadavg } from 'node:os'
import { io } from 'socket.io-client'
import { PROTOCOL_VERSION } from '../contracts/events'
import { openDb, type Db } from '../server/src/db/adapter'
import { migrate } from '../server/src/db/migrate'
import { guarded } from '../server/src/http/access'
import { createApp } from '../server/src/http/app'
import { Identity } from '../server/src/identity/identity'
import { createLocalUser } from '../server/src/identity/users'
import { LiveMirror } from '../server/src/realtime/live-mirror'
import { RealtimeServer } from '../server/src/realtime/realtime-server'
import { mountAuthRoutes } from '../server/src/routes/auth/auth-routes'
import { TEST_DATABASE_URL } from '../tests/helpers/test-env'
import { signIn } from '../tests/helpers/staff-session'
import { createDatabase, dropDatabase } from './lib/services'

const CONCURRENCY = 8
const ROUND_MS = 3000
const ROUNDS = 3
const SIGN_INS = 12
const HANDSHAKES = 100

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!
const f1 = (x: number) => x.toFixed(1)

async function serve(db: Db, sessions: boolean): Promise<{ url: string; server: Server; identity: Identity; rt: RealtimeServer }> {
  const identity = new Identity(db, { oidc: null, idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, cookieSecure: true, allowedOrigins: [], bootstrapAdmin: null }, { info: () => undefined, warn: () => undefined })
  const app = createApp({
    clientDir: null,
    sessions: identity.sessions,
    publicRateLimit: 1e9,
    mountRoutes: (a) => {
      mountAuthRoutes(a, identity)
      const handler = (_q: unknown, r: { json(b: unknown): void }) => void r.json({ ok: true, at: Date.now() })
      guarded(a, 'get', '/api/bench/guarded', 'live:read', handler)
      guarded(a, 'get', '/api/bench/open', 'anyone', handler)
    },
  })
  const server = createServer(app)
  const mirror = new LiveMirror({ retainEntries: 100 })
  const rt = new RealtimeServer(server, {
    mirror,
    defaultCadenceMs: 250,
    sessions: sessions ? identity.sessions : null,
    heartbeat: () => ({ ingest: { brokerConnected: true, dbHealthy: true, pending: 0, lastCommitAtMs: null, workers: 1 }, quarantine: { total: 0, lastReason: null, lastAtMs: null }, liveFeed: 'up', rootCause: null }),
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, identity, rt }
}

async function hammer(url: string, cookie: string): Promise<{ perS: number; p50: number }> {
  const lat: number[] = []
  const end = performance.now() + ROUND_MS
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now()
        const r = await fetch(url, { headers: { cookie } })
        await r.arrayBuffer()
        if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`)
        lat.push(performance.now() - t0)
      }
    }),
  )
  return { perS: lat.length / (ROUND_MS / 1000), p50: q(lat, 0.5) }
}

async function handshakes(url: string, cookie: string): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < HANDSHAKES; i++) {
    const t0 = performance.now()
    const s = io(`${url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], extraHeaders: { cookie }, reconnection: false })
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve())
      s.once('connect_error', reject)
    })
    out.push(performance.now() - t0)
    s.close()
  }
  return out
}

async function run(label: string, db: Db): Promise<void> {
  console.log(`\n== ${label} (${loadavg().map((v) => v.toFixed(2)).join(' ')} load)`)
  await migrate(db)
  await createLocalUser(db, { username: 'bench', roles: ['operator'], password: 'bench-password-long' }, { actor: 'bench', actorRole: 'system' })
  const guardedApp = await serve(db, true)
  const plainApp = await serve(db, false)
  try {
    const signInMs: number[] = []
    let cookie = ''
    for (let i = 0; i < SIGN_INS; i++) {
      const t0 = performance.now()
      cookie = await signIn(guardedApp.url, 'bench', 'bench-password-long')
      signInMs.push(performance.now() - t0)
    }
    console.log(`local sign-in over HTTP (scrypt 128 MiB + session + audit row): median ${f1(q(signInMs, 0.5))} ms, p95 ${f1(q(signInMs, 0.95))} ms (${SIGN_INS} sign-ins)`)

    const g: Array<{ perS: number; p50: number }> = []
    const o: Array<{ perS: number; p50: number }> = []
    for (let r = 0; r < ROUNDS; r++) {
      // Baseline: the same handler, no cookie — no session lookup anywhere on the way.
      o.push(await hammer(`${guardedApp.url}/api/bench/open`, ''))
      g.push(await hammer(`${guardedApp.url}/api/bench/guarded`, cookie))
    }
    const med = (xs: Array<{ perS: number; p50: number }>, k: 'perS' | 'p50') => q(xs.map((x) => x[k]), 0.5)
    console.log(`open route, no cookie (baseline), ${CONCURRENCY} clients: ${med(o, 'perS').toFixed(0)} req/s, median ${f1(med(o, 'p50'))} ms`)
    console.log(`route needing live:read (session lookup): ${med(g, 'perS').toFixed(0)} req/s, median ${f1(med(g, 'p50'))} ms — ${(med(g, 'perS') / med(o, 'perS')).toFixed(2)}× the baseline's rate`)

    const hsBase = await handshakes(plainApp.url, '')
    const hsAuth = await handshakes(guardedApp.url, cookie)
    console.log(`live socket handshake: with session check median ${f1(q(hsAuth, 0.5))} ms, p95 ${f1(q(hsAuth, 0.95))} ms; without access control (baseline) median ${f1(q(hsBase, 0.5))} ms — ${(q(hsAuth, 0.5) / q(hsBase, 0.5)).toFixed(2)}×`)
  } finally {
    for (const a of [guardedApp, plainApp]) {
      a.identity.stop()
      await a.rt.close()
      a.server.closeAllConnections()
    }
  }
}

async function main(): Promise<void> {
  const embedded = await openDb({ kind: 'embedded', dataDir: null })
  try {
    await run('embedded (PGlite)', embedded)
  } finally {
    await embedded.close()
  }
  const name = 'gemello_bench_auth'
  const url = await createDatabase(TEST_DATABASE_URL, name).catch(() => null)
  if (!url) {
    console.log(`\nPostgreSQL at ${TEST_DATABASE_URL} not reachable: server mode skipped`)
    return
  }
  const db = await openDb({ kind: 'server', url })
  try {
    await run('PostgreSQL', db)
  } finally {
    await db.close()
    await dropDatabase(TEST_DATABASE_URL, name)
  }
}

await main()
process.exit(0)
