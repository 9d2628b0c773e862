/**
 * Socket.IO namespace /live: snapshot on subscribe, then batched deltas — at most one frame per
 * the client's cadence (default 250 ms), sent as soon as a change arrives after a quiet cadence —
 * each frame numbered with the mirror's cursor. A reconnecting client sends
 * the cursor it stopped at: when the server still holds every change after it (same epoch, in
 * the delta log) it replays them — no gap, no duplicate; otherwise it sends a fresh snapshot.
 */
import type { Server as HttpServer } from 'node:http'
import { Server, type Namespace, type Socket } from 'socket.io'
import type { Permission, Role } from '../../../contracts/access'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { decide, PUBLIC, type CookieSessions, type Principal } from '../identity/principal'
import { RateLimiter } from '../identity/rate-limit'
import { crossSite } from '../identity/origin'
import {
  LIVE_LAYER_PERMISSION,
  LIVE_NAMESPACE,
  LiveHandshakeSchema,
  PROTOCOL_VERSION,
  SubscribeRequestSchema,
  type Heartbeat,
  type LiveClientToServer,
  type LiveServerToClient,
  type SubscribeAck,
} from '../../../contracts/events'
import type { LiveMirror, Filter } from './live-mirror'
import { ALARM_ROOM, type AlarmChanged } from '../../../contracts/alarm-api'
import { CASE_ROOM, type CaseSummary } from '../../../contracts/case-api'
import { SIGNAL_ROOM } from '../../../contracts/signal-api'
import { WallPushSchema } from '../../../contracts/wall'
import type { Incident } from '../../../contracts/incident-api'

const HEARTBEAT_MS = 5000
/** Above this many packets waiting in a socket's write buffer, frames are held back (and coalesced). */
const SLOW_CLIENT_PACKETS = 64

interface Sub {
  filter: Filter
  /** The filter as a string: subscribers with equal keys at one cursor get one frame. */
  filterKey: string
  cadenceMs: number
  lastSeq: number
  lastSentAt: number
  timer: NodeJS.Timeout | null
}

interface SocketData {
  sub: Sub | null
  principal: Principal
}

/** Every this often the server re-checks the sessions of its sockets (revoked ones close within 2×). */
export const SESSION_RECHECK_MS = 30_000
/** Client events per socket: at most this many per 10 s (a subscribe is a snapshot: not free). */
const EVENTS_PER_10S = 20
/** A socket that keeps going past its limit this many times is disconnected. */
const STRIKES = 5

/**
 * Room authorization: a subscription asking for a layer the principal may not see is refused whole
 * (never silently trimmed), naming the layer. `table` is the layer → permission map (contracts/events.ts).
 */
export function subscriptionDenial(
  who: Principal,
  layers: readonly DeviceKind[],
  nowMs: number,
  table: Readonly<Record<DeviceKind, Permission>> = LIVE_LAYER_PERMISSION,
): { code: string; message: string } | null {
  for (const layer of new Set(layers)) {
    const d = decide(who, table[layer], nowMs)
    if (!d.ok) return { code: d.code, message: `${layer}: ${d.message}` }
  }
  return null
}

/** The principal of every socket when the server runs without sessions (stream protocol tests only). */
const PROTOCOL_TESTS: Principal = Object.freeze({ signedIn: true, username: 'protocol-tests', roles: ['admin', 'operator', 'public'] as Role[], session: null })

const refusal = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { data: { code, message } })

type LiveSocket = Socket<LiveClientToServer, LiveServerToClient, Record<string, never>, SocketData>

export interface RealtimeOptions {
  mirror: LiveMirror
  defaultCadenceMs: number
  heartbeat(): Omit<Heartbeat, 'serverTimeMs' | 'cursor'>
  /** Socket.IO adapter factory (Redis when several server processes share clients). */
  adapter?: Parameters<Server['adapter']>[0]
  /**
   * Staff sessions: the handshake's cookie decides what the socket may see. Required; null only
   * for tests of the stream protocol itself, where every socket may see every layer.
   */
  sessions: CookieSessions | null
  /** Origins besides the server's own allowed to open a socket (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[]
  sessionRecheckMs?: number
}

export class RealtimeServer {
  readonly io: Server
  private readonly ns: Namespace<LiveClientToServer, LiveServerToClient, Record<string, never>, SocketData>
  private heartbeatTimer: NodeJS.Timeout | null = null
  private recheckTimer: NodeJS.Timeout | null = null
  private readonly subscribed = new Set<LiveSocket>()
  private readonly due = new Set<LiveSocket>()
  private flushQueued = false
  /** Delta frames built (groups) and sockets they went to, since start (metrics). */
  readonly frames = { groups: 0, sockets: 0 }
  private readonly offAppend: () => void

  constructor(http: HttpServer, private readonly o: RealtimeOptions) {
    this.io = new Server(http, {
      serveClient: false,
      pingInterval: 10_000,
      pingTimeout: 5_000,
      maxHttpBufferSize: 64 * 1024,
      cors: { origin: false },
      // No connection-state recovery: a reconnect is a new handshake, checked like the first.
      // A page of another site may not open a socket with the user's cookie (cross-site WebSocket hijacking).
      allowRequest: (req, cb) => {
        const h = req.headers
        cb(null, !crossSite({ origin: h.origin, host: h.host, 'sec-fetch-site': h['sec-fetch-site'] as string | undefined }, o.allowedOrigins ?? []))
      },
      ...(o.adapter ? { adapter: o.adapter } : {}),
    })
    this.ns = this.io.of(LIVE_NAMESPACE) as unknown as typeof this.ns
    this.ns.use((socket, next) => {
      const hs = LiveHandshakeSchema.safeParse(socket.handshake.auth)
      if (!hs.success) {
        next(refusal('PROTOCOL_MISMATCH', `this server speaks live protocol ${PROTOCOL_VERSION}; reload the page`))
        return
      }
      // The cookie only: personal access tokens open the REST and OGC APIs, not the socket (a token has no session to re-check).
      const resolve = o.sessions ? o.sessions.cookiePrincipalOf(socket.request) : Promise.resolve(PROTOCOL_TESTS)
      resolve.then(
        (who) => {
          // The live map shows single devices: live:read. (The public's aggregated view is not served here.)
          const d = decide(who, 'live:read', Date.now())
          if (!d.ok) return next(refusal(d.code, d.message))
          socket.data.principal = who
          next()
        },
        () => next(refusal('NOT_READY', 'the server cannot check the session now; retrying')),
      )
    })
    if (o.sessions) {
      const sessions = o.sessions
      this.recheckTimer = setInterval(() => void this.recheckSessions(sessions).catch(() => undefined), o.sessionRecheckMs ?? SESSION_RECHECK_MS)
      this.recheckTimer.unref()
    }
    this.ns.on('connection', (socket) => this.onConnection(socket))
    // local: with the Redis adapter a namespace-wide emit would reach every process's clients, and each
    // heartbeat carries this process's own cursor.
    this.heartbeatTimer = setInterval(() => this.ns.local.emit('live:heartbeat', this.heartbeat()), HEARTBEAT_MS)
    this.heartbeatTimer.unref()
    // Event-driven: a change wakes every subscriber; each sends at most one frame per cadence.
    this.offAppend = o.mirror.onAppend(() => {
      for (const socket of this.subscribed) if (socket.data.sub) this.schedule(socket, socket.data.sub)
    })
  }

  heartbeat(): Heartbeat {
    return { serverTimeMs: this.o.mirror.now(), cursor: this.o.mirror.cursor, ...this.o.heartbeat() }
  }

  clients(): number {
    return this.ns.sockets.size
  }

  /**
   * Sockets whose session ended (sign-out, idle or absolute timeout, account disabled or changed)
   * are told why and disconnected. Runs every SESSION_RECHECK_MS: a revoked session loses its live
   * view within that time (plus one database query).
   */
  async recheckSessions(sessions: CookieSessions): Promise<number> {
    const sockets = [...this.ns.sockets.values()].filter((s) => s.data.principal?.session)
    const valid = await sessions.store.stillValid([...new Set(sockets.map((s) => s.data.principal.session!.idHash))])
    let closed = 0
    for (const s of sockets) {
      if (valid.has(s.data.principal.session!.idHash)) continue
      s.emit('live:session-ended', { code: 'UNAUTHENTICATED', message: 'Your session ended (signed out, timed out or changed by an administrator); sign in again.' })
      this.stopSub(s)
      s.disconnect(true)
      closed++
    }
    return closed
  }

  async close(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    if (this.recheckTimer) clearInterval(this.recheckTimer)
    this.offAppend()
    for (const s of this.ns.sockets.values()) this.stopSub(s)
    await new Promise<void>((resolve) => this.io.close(() => resolve()))
  }

  /**
   * Pushes changed alarms to every screen, on every server process (through the Redis adapter when
   * there are several): whoever changed them — the evaluator or an operator — calls this once.
   */
  emitAlarms(e: AlarmChanged): void {
    this.ns.to(ALARM_ROOM).emit('alarm:changed', e)
  }

  emitIncident(e: Incident): void {
    this.ns.to(ALARM_ROOM).emit('incident:changed', e)
  }

  emitCase(e: CaseSummary): void {
    this.ns.to(CASE_ROOM).emit('case:changed', e)
  }

  private onConnection(socket: LiveSocket): void {
    socket.data.sub = null
    socket.data.principal ??= PUBLIC
    // Every socket here holds live:read (the handshake checks it): every screen follows the alarms.
    void socket.join(ALARM_ROOM)
    // Deployments of signal plans (signal:deployment) go to the screens that may read signal plans.
    if (decide(socket.data.principal, 'signal-plan:read', Date.now()).ok) void socket.join(SIGNAL_ROOM)
    // Citizen cases (case:changed) go to the screens that may read every case.
    if (decide(socket.data.principal, 'case:read-all', Date.now()).ok) void socket.join(CASE_ROOM)
    socket.emit('live:heartbeat', this.heartbeat())
    const limiter = new RateLimiter(EVENTS_PER_10S, 10_000)
    let strikes = 0
    socket.on('wall:push', (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined
      if (limiter.hit('') > 0) return reply({ ok: false, error: { code: 'RATE_LIMITED', message: 'too many pushes; wait a few seconds' } })
      const d = decide(socket.data.principal, 'alarm:act', Date.now())
      if (!d.ok) return reply({ ok: false, error: { code: d.code, message: d.message } })
      const parsed = WallPushSchema.safeParse(raw)
      if (!parsed.success) return reply({ ok: false, error: { code: 'VALIDATION_FAILED', message: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') } })
      this.ns.to(ALARM_ROOM).emit('wall:focus', { ...parsed.data, by: socket.data.principal.username ?? 'unknown', atMs: Date.now() })
      reply({ ok: true })
    })
    socket.on('live:subscribe', (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined
      const wait = limiter.hit('')
      if (wait > 0) {
        if (++strikes >= STRIKES) socket.disconnect(true)
        else reply({ ok: false, error: { code: 'RATE_LIMITED', message: `too many subscriptions; wait ${wait} s` } } satisfies SubscribeAck)
        return
      }
      const parsed = SubscribeRequestSchema.safeParse(raw)
      if (!parsed.success) {
        const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
        reply({ ok: false, error: { code: 'VALIDATION_FAILED', message } } satisfies SubscribeAck)
        return
      }
      const req = parsed.data
      const denied = subscriptionDenial(socket.data.principal, req.layers, Date.now())
      if (denied) {
        reply({ ok: false, error: denied } satisfies SubscribeAck)
        return
      }
      this.stopSub(socket)
      const mirror = this.o.mirror
      const sub: Sub = {
        filter: { layers: new Set(req.layers), ...(req.bbox ? { bbox: req.bbox } : {}) },
        filterKey: JSON.stringify([[...new Set(req.layers)].sort(), req.bbox ?? null]),
        cadenceMs: req.cadenceMs ?? this.o.defaultCadenceMs,
        lastSeq: mirror.cursor.seq,
        lastSentAt: 0,
        timer: null,
      }
      socket.data.sub = sub
      this.subscribed.add(socket)
      const canResume = req.resume !== undefined && req.resume.epoch === mirror.epoch && mirror.since(req.resume.seq) !== null
      if (canResume && req.resume) {
        sub.lastSeq = req.resume.seq
        reply({ ok: true, resumed: true, cursor: { epoch: mirror.epoch, seq: req.resume.seq } })
        this.queueDelta(socket)
      } else {
        const snap = mirror.snapshot(sub.filter)
        sub.lastSeq = snap.cursor.seq
        reply({ ok: true, resumed: false, cursor: snap.cursor })
        socket.emit('live:snapshot', { cursor: snap.cursor, serverTimeMs: mirror.now(), devices: snap.devices, states: snap.states })
        sub.lastSentAt = Date.now()
      }
      this.schedule(socket, sub)
    })
    socket.on('disconnect', () => this.stopSub(socket))
  }

  /**
   * Throttle with a leading edge: when the client got nothing for a cadence, a change goes out at
   * once; otherwise it waits for the end of the cadence and joins whatever else changed by then.
   * The end of a cadence is aligned to a grid of the cadence (multiples of it since the epoch), so
   * subscribers with the same cadence fall due together and share their frame (flush).
   */
  private schedule(socket: LiveSocket, sub: Sub): void {
    if (sub.timer || this.o.mirror.cursor.seq === sub.lastSeq) return
    const now = Date.now()
    const due = sub.lastSentAt + sub.cadenceMs
    const wait = due <= now ? 0 : Math.ceil(due / sub.cadenceMs) * sub.cadenceMs - now
    sub.timer = setTimeout(() => {
      sub.timer = null
      if (socket.data.sub !== sub || !socket.connected) return
      this.queueDelta(socket)
    }, wait)
  }

  /** Sockets due for a frame are sent together, once the timers firing at this instant have all run. */
  private queueDelta(socket: LiveSocket): void {
    this.due.add(socket)
    if (this.flushQueued) return
    this.flushQueued = true
    setImmediate(() => this.flush())
  }

  /**
   * Sends the due sockets their frames. Sockets at the same cursor with the same filter get the same
   * frame: it is collected once and encoded once (a local room broadcast to their ids). A video wall
   * of screens on the whole city costs one frame per cadence, not one per screen: at 50,000 devices,
   * per-socket collecting and JSON encoding were two thirds of the server's CPU (bench:scale profile).
   */
  private flush(): void {
    this.flushQueued = false
    const mirror = this.o.mirror
    const cursor = mirror.cursor
    const now = Date.now()
    const groups = new Map<string, { sub: Sub; sockets: LiveSocket[] }>()
    const touched: Array<[LiveSocket, Sub]> = []
    for (const socket of this.due) {
      const sub = socket.data.sub
      // Nothing new: nothing to send (the heartbeat tells the client the server is alive).
      if (!sub || !socket.connected || cursor.seq === sub.lastSeq) continue
      touched.push([socket, sub])
      const writeBuffer = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer
      if (writeBuffer && writeBuffer.length > SLOW_CLIENT_PACKETS) {
        sub.lastSentAt = now // try again one cadence later; changes keep coalescing meanwhile
        continue
      }
      if (mirror.since(sub.lastSeq) === null) {
        // The client fell further behind than the log reaches: start it over from a snapshot.
        const snap = mirror.snapshot(sub.filter)
        socket.emit('live:snapshot', { cursor: snap.cursor, serverTimeMs: mirror.now(), devices: snap.devices, states: snap.states })
        sub.lastSeq = snap.cursor.seq
        sub.lastSentAt = now
        continue
      }
      const key = `${sub.lastSeq}\u0000${sub.filterKey}`
      const g = groups.get(key)
      if (g) g.sockets.push(socket)
      else groups.set(key, { sub, sockets: [socket] })
    }
    this.due.clear()
    for (const { sub, sockets } of groups.values()) {
      // Sent even when the filter leaves nothing: the frame moves the client's cursor along with the log.
      const changes = mirror.collect(mirror.since(sub.lastSeq)!, sub.filter)
      const frame = { cursor, from: { epoch: mirror.epoch, seq: sub.lastSeq }, serverTimeMs: mirror.now(), states: changes.states, devices: changes.devices }
      if (sockets.length === 1) sockets[0]!.emit('live:delta', frame)
      // local: these sockets are this process's; every socket is in the room of its own id.
      else this.ns.local.to(sockets.map((s) => s.id)).emit('live:delta', frame)
      for (const s of sockets) {
        const x = s.data.sub!
        x.lastSeq = cursor.seq
        x.lastSentAt = now
      }
      this.frames.groups++
      this.frames.sockets += sockets.length
    }
    // A slow client held back by its write buffer is tried again at the next cadence.
    for (const [socket, sub] of touched) if (socket.data.sub === sub) this.schedule(socket, sub)
  }

  private stopSub(socket: LiveSocket): void {
    const sub = socket.data.sub
    if (sub?.timer) clearTimeout(sub.timer)
    socket.data.sub = null
    this.subscribed.delete(socket)
    this.due.delete(socket)
  }
}
