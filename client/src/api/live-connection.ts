import { SignalDeploymentEventSchema, type Deployment } from '../../../contracts/signal-api'
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import {
  DeltaSchema,
  HeartbeatSchema,
  LIVE_NAMESPACE,
  PROTOCOL_VERSION,
  SnapshotSchema,
  SubscribeAckSchema,
  SubscribeRequestSchema,
  type Bbox,
  type Delta,
  type Heartbeat,
  type LiveClientToServer,
  type LiveServerToClient,
  type Snapshot,
  type StreamCursor,
  type SubscribeRequest,
} from '../../../contracts/events'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { LiveCursor } from './live-cursor'
import { AlarmChangedSchema, type AlarmChanged } from '../../../contracts/alarm-api'
import { IncidentSchema, type Incident } from '../../../contracts/incident-api'
import { CaseSummarySchema, type CaseSummary } from '../../../contracts/case-api'
import { WallFocusSchema, WallPushSchema, type WallFocus, type WallPush, type WallPushAck } from '../../../contracts/wall'

export type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>
export type SocketFactory = (uri: string, options: Partial<ManagerOptions & SocketOptions>) => LiveSocket

/** Where the connection delivers what it received, already validated and in order. */
export interface LiveSink {
  snapshot(snapshot: Snapshot): void
  delta(delta: Delta): void
  heartbeat(heartbeat: Heartbeat): void
  socketConnected(connected: boolean): void
  /** A refusal retrying will not fix, or null when it cleared. */
  error(message: string | null): void
  /** Alarms changed (whole alarms); after a (re)connection the page refetches the list instead. */
  alarms?(e: AlarmChanged): void
  incident?(e: Incident): void
  wallFocus?(e: WallFocus): void
}

export interface LiveSubscription {
  layers: readonly DeviceKind[]
  bbox?: Bbox
}

export interface LiveConnection {
  /** Changes what is subscribed (debounced); the server answers with a snapshot. */
  setSubscription(subscription: LiveSubscription): void
  cursor(): StreamCursor | null
  /** Sends a selection to every wall screen (operators: alarm:act). */
  pushToWall(push: WallPush): Promise<WallPushAck>
  /** Deployment changes of signal plans (pushed to users who may read signal plans); returns the unsubscribe. */
  onSignalDeployment(listener: (deployment: Deployment) => void): () => void
  /** Citizen cases changed by an office or past their SLA (pushed to users who may read cases); returns the unsubscribe. */
  onCaseChanged(listener: (c: CaseSummary) => void): () => void
  close(): void
}

export interface LiveConnectionOptions {
  /** Origin of the server, '' for the page's own. */
  url?: string
  debounceMs?: number
  ackTimeoutMs?: number
  /** Shortest time between two snapshot requests caused by gaps. */
  minResyncIntervalMs?: number
  socketFactory?: SocketFactory
  /** The server ended the session (signed out, timed out, revoked) or refused it: the page must sign in again. */
  onSessionEnded?(message: string): void
}

function sameSubscription(a: LiveSubscription | null, b: LiveSubscription): boolean {
  if (!a || a.layers.length !== b.layers.length || a.layers.some((l, i) => l !== b.layers[i])) return false
  if (!a.bbox || !b.bbox) return a.bbox === b.bbox
  return a.bbox.every((v, i) => v === b.bbox?.[i])
}

/**
 * The `/live` Socket.IO connection: handshake with the protocol version, subscription with layers and
 * bbox, resume from the last cursor on reconnect, snapshot on gaps. Frames are parsed with the contract.
 */
export function connectLive(sink: LiveSink, options: LiveConnectionOptions = {}): LiveConnection {
  const { url = '', debounceMs = 400, ackTimeoutMs = 10_000, minResyncIntervalMs = 2000 } = options
  const factory: SocketFactory = options.socketFactory ?? ((uri, opts) => io(uri, opts))
  const tracker = new LiveCursor()
  let subscription: LiveSubscription | null = null
  let sent: LiveSubscription | null = null
  let debounce: ReturnType<typeof setTimeout> | undefined
  let lastResyncAt = -Infinity
  let closed = false

  const socket = factory(`${url}${LIVE_NAMESPACE}`, {
    auth: { protocolVersion: PROTOCOL_VERSION },
    // Exponential back-off from 1 s to 3 s, each delay spread ±50 %: after a server restart hundreds
    // of screens come back spread over seconds instead of in one burst, and none waits more than
    // 4.5 s once the server is up (tests/chaos/server-restart.chaos.ts).
    reconnectionDelay: 1000,
    reconnectionDelayMax: 3000,
    randomizationFactor: 0.5,
  })

  function subscribe(resume: boolean): void {
    if (closed || !subscription || subscription.layers.length === 0 || !socket.connected) return
    const resumeFrom = resume ? tracker.resumeFrom() : undefined
    if (!resumeFrom) tracker.expectSnapshot()
    const request: SubscribeRequest = { layers: [...subscription.layers] }
    if (subscription.bbox) request.bbox = subscription.bbox
    if (resumeFrom) request.resume = resumeFrom
    const valid = SubscribeRequestSchema.safeParse(request)
    if (!valid.success) {
      sink.error(`live:subscribe request invalid: ${valid.error.issues[0]?.message ?? 'unknown'}`)
      return
    }
    sent = subscription
    socket.timeout(ackTimeoutMs).emit('live:subscribe', valid.data, (err, raw) => {
      if (closed) return
      if (err) {
        // No answer in time: ask again from scratch if still connected.
        if (socket.connected) subscribe(false)
        return
      }
      const ack = SubscribeAckSchema.safeParse(raw)
      if (!ack.success) sink.error('live:subscribe answered with an unexpected acknowledgement')
      else if (!ack.data.ok) sink.error(`${ack.data.error.code}: ${ack.data.error.message}`)
      else sink.error(null)
    })
  }

  function resync(): void {
    const now = Date.now()
    if (tracker.waitingForSnapshot || now - lastResyncAt < minResyncIntervalMs) return
    lastResyncAt = now
    subscribe(false)
  }

  socket.on('connect', () => {
    sink.socketConnected(true)
    subscribe(true)
  })
  socket.on('disconnect', () => sink.socketConnected(false))
  const sessionEnded = (message: string) => {
    closed = true
    socket.close()
    options.onSessionEnded?.(message)
  }
  socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
    const code = err.data?.code
    // Retrying cannot fix these: the session is gone or the role may not see the live map.
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') sessionEnded(err.data?.message ?? err.message)
    else if (/PROTOCOL_MISMATCH|protocol/i.test(err.message)) sink.error(err.message)
  })
  socket.on('live:session-ended', (e) => sessionEnded(e.message))
  socket.on('live:snapshot', (raw) => {
    const parsed = SnapshotSchema.safeParse(raw)
    if (!parsed.success) {
      console.warn('live:snapshot does not match the contract', parsed.error.issues.slice(0, 3))
      return
    }
    if (tracker.onSnapshot(parsed.data.cursor) === 'apply') sink.snapshot(parsed.data)
  })
  socket.on('live:delta', (raw) => {
    const parsed = DeltaSchema.safeParse(raw)
    if (!parsed.success) {
      console.warn('live:delta does not match the contract', parsed.error.issues.slice(0, 3))
      resync()
      return
    }
    const verdict = tracker.onDelta(parsed.data.cursor, parsed.data.from)
    if (verdict === 'apply') sink.delta(parsed.data)
    else if (verdict === 'resync') resync()
  })
  socket.on('live:heartbeat', (raw) => {
    const parsed = HeartbeatSchema.safeParse(raw)
    if (parsed.success) sink.heartbeat(parsed.data)
    else console.warn('live:heartbeat does not match the contract', parsed.error.issues.slice(0, 3))
  })

  const relay = <T>(event: 'alarm:changed' | 'incident:changed' | 'wall:focus', schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } }, to: ((v: T) => void) | undefined) => {
    socket.on(event, (raw: unknown) => {
      const parsed = schema.safeParse(raw)
      if (parsed.success) to?.(parsed.data)
      else console.warn(`${event} does not match the contract`, parsed.error.issues.slice(0, 3))
    })
  }
  relay('alarm:changed', AlarmChangedSchema, sink.alarms?.bind(sink))
  relay('incident:changed', IncidentSchema, sink.incident?.bind(sink))
  relay('wall:focus', WallFocusSchema, sink.wallFocus?.bind(sink))
  const deploymentListeners = new Set<(deployment: Deployment) => void>()
  socket.on('signal:deployment', (raw: unknown) => {
    const parsed = SignalDeploymentEventSchema.safeParse(raw)
    if (!parsed.success) console.warn('signal:deployment does not match the contract', parsed.error.issues.slice(0, 3))
    else for (const l of deploymentListeners) l(parsed.data.deployment)
  })

  const caseListeners = new Set<(c: CaseSummary) => void>()
  socket.on('case:changed', (raw: unknown) => {
    const parsed = CaseSummarySchema.safeParse(raw)
    if (!parsed.success) console.warn('case:changed does not match the contract', parsed.error.issues.slice(0, 3))
    else for (const l of caseListeners) l(parsed.data)
  })

  return {
    pushToWall(push) {
      const valid = WallPushSchema.safeParse(push)
      if (!valid.success) return Promise.resolve({ ok: false, error: { code: 'VALIDATION_FAILED', message: valid.error.issues[0]?.message ?? 'invalid' } })
      return new Promise((resolve) => {
        socket.timeout(ackTimeoutMs).emit('wall:push', valid.data, (err, ack) => resolve(err ? { ok: false, error: { code: 'TIMEOUT', message: 'the server did not answer' } } : ack))
      })
    },
    setSubscription(next) {
      subscription = next
      clearTimeout(debounce)
      if (sameSubscription(sent, next)) return
      debounce = setTimeout(() => subscribe(false), debounceMs)
    },
    onSignalDeployment(listener) {
      deploymentListeners.add(listener)
      return () => deploymentListeners.delete(listener)
    },
    onCaseChanged(listener) {
      caseListeners.add(listener)
      return () => caseListeners.delete(listener)
    },
    cursor: () => tracker.cursor,
    close() {
      closed = true
      clearTimeout(debounce)
      socket.close()
    },
  }
}
