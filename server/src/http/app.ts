import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import express, { type ErrorRequestHandler, type Express } from 'express'
import { ApiError } from './api-error'
import { guarded } from './access'
import type { CookieSessions } from '../identity/principal'
import { RateLimiter } from '../identity/rate-limit'
import { crossSite } from '../identity/origin'
import { BASIC_CHALLENGE, wantsBasicChallenge } from '../identity/token-auth'

export interface AppLog {
  error(o: object, m?: string): void
  info?(o: object, m?: string): void
  debug?(o: object, m?: string): void
}

export interface AppOptions {
  clientDir: string | null
  log?: AppLog
  mountRoutes(app: Express): void
  /** Sessions: without them every request is the public's (tests of single routes). */
  sessions?: CookieSessions
  /** Origins besides Gemello's own allowed to send state-changing requests (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[]
  /** X-Forwarded-* from a proxy on loopback or the private network are believed (TRUST_PROXY). */
  trustProxy?: boolean
  /** Calls a minute per address for requests without a session (default 600). */
  publicRateLimit?: number
  /** Who may embed the public dashboards' embed view (/cittadini/cruscotti/<id>?embed=1): CSP frame-ancestors sources; empty or ['none'] = nobody. Default ['https:']. */
  dashboardEmbedOrigins?: readonly string[]
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])


/** A caller's request id is kept when it is a plain token (a proxy's or a client's); otherwise a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/**
 * Content Security Policy of every response (ADR 0005, reliability-security.md §4.4 #15): no inline or
 * eval'd script. MapLibre and Cesium start workers from blob: URLs; Cesium and deck.gl's loaders compile
 * WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval'); Gemello uses CesiumWidget, not the Knockout-based
 * Viewer that would need 'unsafe-eval' (decision D6). Images and fonts may be data: or blob: (icons,
 * canvases); connections only to this origin (HTTP and the Socket.IO WebSocket). The client turns off
 * zod's eval-compiled parsers (client/src/app/csp-zod.ts), whose probe would otherwise be a violation.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // Inline styles, not scripts: MapLibre and Cesium position their elements with style attributes and
  // CesiumWidget injects one <style> element. Styles cannot run code; 'unsafe-inline' stays out of script-src.
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** The dashboards' pages (client/src/citizen/citizen-route.ts). */
const DASHBOARD_PAGE = /^\/cittadini\/cruscotti\/[a-z][a-z0-9-]{1,59}\/?$/
export const DASHBOARD_DATASET_BODY_LIMIT = '32mb'

/** The CSP of an embeddable dashboard page: the app's, with frame-ancestors from the settings; null when nobody may embed. */
export function dashboardEmbedCsp(origins: readonly string[]): string | null {
  const list = origins.filter((x) => x !== 'none')
  if (list.length === 0) return null
  return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", `frame-ancestors 'self' ${list.join(' ')}`)
}

/** Headers of every response (also sent by the tile fast path, server/src/tiles/tile-routes.ts). */
export const APP_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The operations center uses no camera, microphone, location or payment API of the browser.
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
}

/** The Express app: API routes, the built client, and the one error envelope. */
export function createApp(o: AppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  // Behind nginx (TRUST_PROXY=on): the client address and scheme from a proxy on this machine or the private network.
  if (o.trustProxy) app.set('trust proxy', 'loopback, linklocal, uniquelocal')
  if (o.sessions) app.locals.sessions = o.sessions
  const publicLimiter = new RateLimiter(o.publicRateLimit ?? 600, 60_000)
  app.use((req, res, next) => {
    for (const [k, v] of Object.entries(APP_HEADERS)) res.setHeader(k, v)
    // Over https (directly, or a trusted proxy's X-Forwarded-Proto): browsers must not fall back to http.
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    // Every answer names its request id, and so does every log line about it. The log has the path
    // only: query strings may carry what a person typed, and the log is no place for it.
    const requestId = requestIdOf(req.headers['x-request-id'])
    res.locals.requestId = requestId
    res.setHeader('X-Request-Id', requestId)
    const t0 = performance.now()
    res.on('finish', () => {
      const entry = { reqId: requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round((performance.now() - t0) * 10) / 10 }
      if (res.statusCode >= 400 && res.statusCode < 500) o.log?.info?.(entry, 'request refused')
      else if (res.statusCode < 400) o.log?.debug?.(entry, 'request')
    })
    next()
  })
  // The REST API, the census's OGC API (QGIS, GDAL) and Open311 alike: no change from another site's page, the public rate-limited.
  app.use(['/api', '/ogc', '/open311'], (req, res, next) => {
    if (!SAFE_METHODS.has(req.method) && crossSite(req.headers as Record<string, string | undefined>, o.allowedOrigins ?? [])) {
      next(new ApiError('ORIGIN_REFUSED', 'This request comes from a page of another site; Gemello accepts changes only from its own pages.'))
      return
    }
    // The public API is rate-limited per address; signed-in staff are not (a made-up cookie is the public,
    // a made-up token is refused and counted with the failed token attempts).
    const limit = () => {
      const wait = publicLimiter.hit(req.ip ?? '')
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait))
        return next(new ApiError('RATE_LIMITED', `Too many requests from this address; wait ${wait} seconds.`))
      }
      next()
    }
    if (!o.sessions || !o.sessions.presentsCredential(req)) return limit()
    o.sessions.principalOf(req).then((who) => (who.signedIn ? next() : limit()), next)
  })
  // A dataset for the configurable dashboards travels as one JSON body (docs/dashboards.md); every other body is small.
  app.use('/api/dashboard-datasets', express.json({ limit: DASHBOARD_DATASET_BODY_LIMIT, strict: true }))
  app.use('/api', express.json({ limit: '64kb', strict: true }))
  o.mountRoutes(app)
  if (o.clientDir && existsSync(path.join(o.clientDir, 'index.html'))) {
    const dir = o.clientDir
    app.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: (res, file) => file.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }))
    // The citizen pages (their own entry; what they show comes from /api/my, behind the citizen's sign-in).
    const embedCsp = dashboardEmbedCsp(o.dashboardEmbedOrigins ?? ['https:'])
    const citizenPage = (req: express.Request, res: express.Response) => {
      res.setHeader('Cache-Control', 'no-cache')
      // A public dashboard's embed view may be framed by the sites the settings name (DASHBOARD_EMBED_ORIGINS); every other page by nobody.
      if (embedCsp && req.query.embed === '1' && DASHBOARD_PAGE.test(req.path)) {
        res.setHeader('Content-Security-Policy', embedCsp)
        res.removeHeader('X-Frame-Options')
      }
      res.sendFile(path.join(dir, 'cittadini.html'))
    }
    guarded(app, 'get', '/cittadini', 'anyone', citizenPage)
    guarded(app, 'get', '/cittadini/{*page}', 'anyone', citizenPage)
    // The client's pages: sign-in included, so anyone; what they show comes from the guarded API.
    guarded(app, 'get', '/{*spa}', 'anyone', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache')
      res.sendFile(path.join(dir, 'index.html'))
    })
  } else {
    guarded(app, 'get', '/', 'anyone', (_req, res) => {
      res.type('text/plain').send('Gemello is running, but the client is not built: run "npm run build" (npm start does it for you).')
    })
  }
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    if (err instanceof ApiError) {
      // QGIS and GDAL ask for credentials (or retry with them) on the challenge.
      if (err.code === 'UNAUTHENTICATED' && wantsBasicChallenge(req)) res.setHeader('WWW-Authenticate', BASIC_CHALLENGE)
      res.status(err.status).json(err.toEnvelope())
      return
    }
    // body-parser's refusals: stable codes, no internals.
    const bp = err as { type?: string; status?: number; limit?: number }
    if (bp?.type === 'entity.too.large') {
      const limit = typeof bp.limit === 'number' && bp.limit >= 1024 * 1024 ? `${Math.round(bp.limit / 1024 / 1024)} MiB` : `${Math.round((bp.limit ?? 65_536) / 1024)} KiB`
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${limit}.` } })
      return
    }
    if (bp?.type === 'entity.parse.failed' || bp?.type === 'encoding.unsupported' || bp?.type === 'charset.unsupported') {
      res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' } })
      return
    }
    const e = err as { code?: string; message?: string }
    const dbDown = typeof e?.code === 'string' && (e.code.startsWith('08') || ['ECONNREFUSED', '57P01', '57P03'].includes(e.code))
    if (dbDown) {
      res.status(503).setHeader('Retry-After', '5').json({ error: { code: 'DB_UNAVAILABLE', message: 'The database is unavailable; retry in a few seconds.' } })
      return
    }
    const requestId = String(res.locals.requestId ?? '')
    o.log?.error({ reqId: requestId, method: req.method, path: req.path, err: e?.message, stack: (err as Error)?.stack }, 'unhandled error in a request')
    res.status(500).json({ error: { code: 'INTERNAL', message: `Internal error; the server log has the details (request id ${requestId}).` } })
  }
  app.use(onError)
  return app
}
