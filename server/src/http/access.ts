/**
 * Which permission each HTTP route needs (ADR 0005): every route is declared here when it is mounted —
 * by `mount()` from its contract, or by `guarded()` for the few mounted outside the contracts (3D
 * tiles, styles, the OpenAPI document, the client). `undeclaredRoutes(app)` walks the Express router
 * of a built app and lists what nobody declared: the test over the whole server app must find none,
 * so a route cannot be added without saying who may call it.
 */
import { METHODS } from 'node:http'
import type { Express, Request, RequestHandler } from 'express'
import type { Permission } from '../../../contracts/access'
import { decide, PUBLIC, type CookieSessions, type Principal } from '../identity/principal'
import { ApiError } from './api-error'

export type RouteAccess = Permission | 'anyone'
/** 'all': one handler for every method (Express's app.all, e.g. the API's 404 catch-all). */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options' | 'all'
const EVERY_METHOD = METHODS.map((m) => m.toLowerCase())

const declared = new Map<string, RouteAccess>()
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`

/** Records who may call `method path`; declaring one route twice with two answers is a bug. */
export function declareRoute(method: Method, path: string, access: RouteAccess): void {
  const k = key(method, path)
  const had = declared.get(k)
  if (had !== undefined && had !== access) throw new Error(`${k} declared twice: ${had} and ${access}`)
  declared.set(k, access)
}

/** Every declaration: method (upper case, or ALL), path and who may call it (the access matrix test walks it). */
export function declaredRoutes(): Array<{ method: string; path: string; access: RouteAccess }> {
  return [...declared].map(([k, access]) => {
    const [method, path] = k.split(' ') as [string, string]
    return { method, path, access }
  })
}

export function routeAccess(method: string, path: string): RouteAccess | undefined {
  return declared.get(key(method, path))
}

/**
 * The principal of a request: the user of its personal access token (Authorization header) or of its
 * session cookie, or the public (createApp puts `sessions` in app.locals). Rejects with an ApiError
 * when a token was presented and opens nothing.
 */
export function principalOf(req: Request): Promise<Principal> {
  const sessions = req.app.locals.sessions as CookieSessions | undefined
  return sessions ? sessions.principalOf(req) : Promise.resolve(PUBLIC)
}

/**
 * The guard in front of every handler: 'anyone' passes; otherwise the principal must hold the
 * permission (401 UNAUTHENTICATED for the public, 403 FORBIDDEN for a signed-in user without it,
 * 401 STEP_UP_REQUIRED for a dangerous permission after an old sign-in).
 */
export function requireAccess(access: RouteAccess): RequestHandler {
  // What the public may do needs no session lookup (tiles, base map, 3D buildings, styles) — unless the
  // request brings a token: a mistyped one is refused (401), not served the public's share in silence.
  const open = access === 'anyone' || decide(PUBLIC, access, 0).ok
  return (req, res, next) => {
    if (access === 'anyone' || (open && req.headers.authorization === undefined)) return next()
    principalOf(req).then((who) => {
      res.locals.principal = who
      const d = decide(who, access, Date.now())
      next(d.ok ? undefined : new ApiError(d.code, d.message))
    }, next)
  }
}

/** Mounts a route outside the contracts, declaring its permission; the guard runs first. */
export function guarded(app: Express, method: Method, path: string, access: RouteAccess, ...handlers: RequestHandler[]): void {
  declareRoute(method, path, access)
  app[method](path, requireAccess(access), ...handlers)
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

/** `METHOD path` of every route in the app's router (nested routers included) that has no declaration. */
export function undeclaredRoutes(app: Express): string[] {
  const out: string[] = []
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
        const methods = Object.keys(layer.route.methods)
        // app.all registers every method (Express 5) or `_all` (Express 4): one declaration, 'all'.
        const all = methods.includes('_all') || EVERY_METHOD.every((m) => methods.includes(m))
        for (const p of paths) for (const m of all ? ['all'] : methods) if (routeAccess(m, p) === undefined) out.push(key(m, p))
      } else if (layer.handle?.stack) walk(layer.handle.stack)
    }
  }
  walk(((app as unknown as { router?: { stack: Layer[] } }).router?.stack ?? []) as Layer[])
  return out
}
