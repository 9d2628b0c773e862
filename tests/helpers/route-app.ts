/**
 * Routes under test over real HTTP, with the real access guard and staff sessions on a real database:
 * the app factory, the auth routes (sign-in) and the routes given, on a free port. For route tests
 * that do not need the whole product (tests/integration/gemello.int.test.ts starts that).
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'
import type { Role } from '../../contracts/access'
import type { Db } from '../../server/src/db/adapter'
import { createApp } from '../../server/src/http/app'
import { Identity } from '../../server/src/identity/identity'
import { insertTestAccount } from './test-accounts'
import { mountAuthRoutes } from '../../server/src/routes/auth/auth-routes'
import { sessionCookieOf } from './staff-session'

export interface RouteApp {
  url: string
  identity: Identity
  /** Creates a local account with these roles and signs it in; returns its session cookie. */
  account(username: string, roles: Role[]): Promise<string>
  /** One JSON call: status, parsed body, raw text and the error envelope's error when there is one. */
  call<T = unknown>(method: string, path: string, cookie: string | null, body?: unknown): Promise<CallResult<T>>
  close(): Promise<void>
}

export interface CallResult<T> {
  status: number
  body: T
  text: string
  headers: Headers
  error?: { code: string; message: string; details?: Array<{ path: string; message: string }> }
}

export async function serveRoutes(db: Db, mountRoutes: (app: Express, identity: Identity) => void): Promise<RouteApp> {
  const identity = new Identity(db, { oidc: null, idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, cookieSecure: false, allowedOrigins: [], bootstrapAdmin: null }, { info: () => undefined, warn: () => undefined })
  const app = createApp({
    clientDir: null,
    sessions: identity.sessions,
    mountRoutes: (a) => {
      mountAuthRoutes(a, identity)
      mountRoutes(a, identity)
    },
  })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await identity.start(url)
  return {
    url,
    identity,
    async account(username, roles) {
      const password = `${username}-long-password`
      await insertTestAccount(db, username, roles, password)
      const res = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
      if (res.status !== 200) throw new Error(`sign-in of ${username} failed: HTTP ${res.status} ${await res.text()}`)
      return sessionCookieOf(res)!
    },
    async call<T>(method: string, path: string, cookie: string | null, body?: unknown): Promise<CallResult<T>> {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      let parsed: unknown = null
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = text
      }
      const error = (parsed as { error?: CallResult<T>['error'] } | null)?.error
      return { status: res.status, body: parsed as T, text, headers: res.headers, ...(error ? { error } : {}) }
    },
    async close() {
      identity.stop()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
