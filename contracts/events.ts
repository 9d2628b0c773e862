import { z } from 'zod'
import type { Permission } from './access'
import { DeviceKindSchema, DeviceSchema } from './schemas/device'
import type { DeviceKind } from './schemas/device'
import { LiveDeviceSchema, LiveStateSchema } from './schemas/live-state'
import { QuarantineReasonSchema } from './schemas/quarantine'
import type { AlarmChanged } from './alarm-api'
import type { WallFocus, WallPush, WallPushAck } from './wall'
import type { Incident } from './incident-api'
import type { CaseSummary } from './case-api'
import type { SignalDeploymentEventSchema } from './signal-api'

// ---------------------------------------------------------------------------------------------
// MQTT topic grammar (one place; see README "Topics")
//
//   gemello/v1/<kind>/<deviceId>/<stream>     a reading      (payload: ReadingEnvelope)
//   gemello/v1/<kind>/<deviceId>/register     inventory      (payload: DeviceRegistration)
//   gemello/v1/<kind>/<deviceId>/cmd/<name>   commands to the device (never ingested); cmd/backfill:
//                                             confirmations and re-send requests (BackfillRequest)
//   gemello/v1/fiware/<EntityType>            FIWARE Smart Data Models entity, key-values or
//                                             normalized NGSI-LD (TrafficFlowObserved, Device,
//                                             DeviceMeasurement)
// ---------------------------------------------------------------------------------------------

export const TOPIC_ROOT = 'gemello/v1'
/** What the ingest subscribes to: device streams and registrations, and FIWARE entities. */
export const INGEST_SUBSCRIPTIONS = [`${TOPIC_ROOT}/+/+/+`, `${TOPIC_ROOT}/fiware/+`] as const
/** MQTT 5 shared-subscription group of the ingest workers: the broker gives each message to one of them. */
export const INGEST_SHARE_GROUP = 'gemello'
/** What the ingest subscribes on MQTT 5: the same filters, shared by every worker of the group (also when there is one). */
export function ingestSharedSubscriptions(group: string = INGEST_SHARE_GROUP): string[] {
  return INGEST_SUBSCRIPTIONS.map((f) => `$share/${group}/${f}`)
}
export const REGISTER_STREAM = 'register'
export const FIWARE_TYPES = ['TrafficFlowObserved', 'Device', 'DeviceMeasurement'] as const
export type FiwareType = (typeof FIWARE_TYPES)[number]

/** Where Gemello sends a device its backfill confirmations and requests. */
export function backfillTopic(kind: DeviceKind, deviceId: string): string {
  return `${TOPIC_ROOT}/${kind}/${deviceId}/cmd/backfill`
}
/** What a device (or a gateway for many) subscribes to for its backfill requests. */
export const BACKFILL_SUBSCRIPTION = `${TOPIC_ROOT}/+/+/cmd/backfill`

export function readingTopic(kind: DeviceKind, deviceId: string, stream: string): string {
  return `${TOPIC_ROOT}/${kind}/${deviceId}/${stream}`
}
export function registerTopic(kind: DeviceKind, deviceId: string): string {
  return `${TOPIC_ROOT}/${kind}/${deviceId}/${REGISTER_STREAM}`
}
export function fiwareTopic(type: string): string {
  return `${TOPIC_ROOT}/fiware/${type}`
}

export type ParsedTopic =
  | { type: 'reading'; kind: DeviceKind; deviceId: string; stream: string }
  | { type: 'register'; kind: DeviceKind; deviceId: string }
  | { type: 'fiware'; entityType: string }
  | { type: 'invalid'; reason: 'invalid_topic' | 'unknown_kind'; detail: string }

/** A device id: also its MQTT username (contracts/mqtt-identity.ts). */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/

export function parseTopic(topic: string): ParsedTopic {
  const parts = topic.split('/')
  if (parts[0] !== 'gemello' || parts[1] !== 'v1') {
    return { type: 'invalid', reason: 'invalid_topic', detail: `topic "${topic}" does not start with ${TOPIC_ROOT}/` }
  }
  if (parts[2] === 'fiware' && parts.length === 4 && parts[3]) {
    return { type: 'fiware', entityType: parts[3] }
  }
  if (parts.length !== 5) {
    return { type: 'invalid', reason: 'invalid_topic', detail: `topic "${topic}" must have 5 levels: ${TOPIC_ROOT}/<kind>/<deviceId>/<stream>` }
  }
  const [, , kindRaw, deviceId, stream] = parts as [string, string, string, string, string]
  const kind = DeviceKindSchema.safeParse(kindRaw)
  if (!kind.success) {
    return { type: 'invalid', reason: 'unknown_kind', detail: `unknown device kind "${kindRaw}"; known: ${DeviceKindSchema.options.join(', ')}` }
  }
  if (!DEVICE_ID.test(deviceId)) {
    return { type: 'invalid', reason: 'invalid_topic', detail: `"${deviceId}" is not a valid device id` }
  }
  if (stream === REGISTER_STREAM) return { type: 'register', kind: kind.data, deviceId }
  if (!stream) return { type: 'invalid', reason: 'invalid_topic', detail: 'empty stream level' }
  return { type: 'reading', kind: kind.data, deviceId, stream }
}

// ---------------------------------------------------------------------------------------------
// Socket.IO: namespace /live. The handshake carries { protocolVersion }; a mismatch is refused.
// ---------------------------------------------------------------------------------------------

export const PROTOCOL_VERSION = 2
export const LIVE_NAMESPACE = '/live'

export const BboxSchema = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .refine(([w, s, e, n]) => w <= e && s <= n, 'bbox must be [west, south, east, north] with west ≤ east and south ≤ north')
export type Bbox = z.infer<typeof BboxSchema>

/** Position in the server's delta stream. `epoch` changes whenever the server restarts. */
export const StreamCursorSchema = z.object({ epoch: z.string().min(1).max(64), seq: z.number().int().min(0) })
export type StreamCursor = z.infer<typeof StreamCursorSchema>

export const SubscribeRequestSchema = z
  .object({
    layers: z.array(DeviceKindSchema).min(1).max(DeviceKindSchema.options.length),
    /** Only devices inside this box; omitted = whole city. */
    bbox: BboxSchema.optional(),
    /** How often the server sends a delta frame, in ms (default 250). */
    cadenceMs: z.number().int().min(20).max(5000).optional(),
    /** Where this client stopped; the server replays what it missed, or sends a snapshot. */
    resume: StreamCursorSchema.optional(),
  })
  .strict()
export type SubscribeRequest = z.infer<typeof SubscribeRequestSchema>

export const SubscribeAckSchema = z.union([
  z.object({ ok: z.literal(true), resumed: z.boolean(), cursor: StreamCursorSchema }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
])
export type SubscribeAck = z.infer<typeof SubscribeAckSchema>

export const SnapshotSchema = z.object({
  cursor: StreamCursorSchema,
  serverTimeMs: z.number(),
  devices: z.array(LiveDeviceSchema),
  states: z.array(LiveStateSchema),
})
export type Snapshot = z.infer<typeof SnapshotSchema>

/** A batch of changes. Each covers every change after the previous frame's cursor up to this one. */
export const DeltaSchema = z.object({
  cursor: StreamCursorSchema,
  /** The cursor this frame continues from; equals the client's last cursor when nothing was missed. */
  from: StreamCursorSchema,
  serverTimeMs: z.number(),
  states: z.array(LiveStateSchema),
  devices: z.array(LiveDeviceSchema),
})
export type Delta = z.infer<typeof DeltaSchema>

export const HeartbeatSchema = z.object({
  serverTimeMs: z.number(),
  cursor: StreamCursorSchema,
  ingest: z.object({
    brokerConnected: z.boolean(),
    dbHealthy: z.boolean(),
    pending: z.number().int(),
    lastCommitAtMs: z.number().nullable(),
    /** Ingest workers heard from in the last 5 s. */
    workers: z.number().int().min(0),
  }),
  quarantine: z.object({
    total: z.number().int(),
    lastReason: QuarantineReasonSchema.nullable(),
    lastAtMs: z.number().nullable(),
  }),
  /** Whether this server hears the ingest (the live feed between processes); down = refreshed from the database every 2 s. */
  liveFeed: z.enum(['up', 'down']),
  /**
   * One root cause when data cannot arrive at all — the broker, the database, every ingest worker or
   * the live feed is down — with when it started. The devices' own staleness is its consequence.
   */
  rootCause: z
    .object({
      code: z.enum(['BROKER_DOWN', 'DB_DOWN', 'INGEST_DOWN', 'LIVE_FEED_DOWN']),
      sinceMs: z.number(),
    })
    .nullable(),
})
export type Heartbeat = z.infer<typeof HeartbeatSchema>

/**
 * The permission each live layer needs (ADR 0005: room authorization). A subscription asking for a
 * layer its user may not see is refused whole (FORBIDDEN), never silently trimmed.
 */
export const LIVE_LAYER_PERMISSION: Readonly<Record<DeviceKind, Permission>> = {
  'traffic-loop': 'live:read',
  'air-quality': 'live:read',
  'ztl-gate': 'live:read',
  'bike-counter': 'live:read',
  connectivity: 'live:read',
  'signal-controller': 'live:read',
}

/** Why the server closes a live connection by itself: the session ended (sign-out, expiry, revoked). */
export const SessionEndedSchema = z.object({ code: z.enum(['UNAUTHENTICATED']), message: z.string() })
export type SessionEnded = z.infer<typeof SessionEndedSchema>

export interface LiveServerToClient {
  'live:session-ended': (e: SessionEnded) => void
  'live:snapshot': (snapshot: Snapshot) => void
  'live:delta': (delta: Delta) => void
  'live:heartbeat': (heartbeat: Heartbeat) => void
  /** Alarms changed (every screen on /live: the handshake needs live:read); refetch /api/alarms after a reconnect. */
  'alarm:changed': (e: AlarmChanged) => void
  /** An incident was opened, changed or closed. */
  'incident:changed': (e: Incident) => void
  /** A citizen case was changed by an office or passed its SLA: screens in CASE_ROOM (case:read-all); no personal field. */
  'case:changed': (e: CaseSummary) => void
  /** An operator pushed a selection to the wall. */
  'wall:focus': (e: WallFocus) => void
  /** A signal plan deployment changed (sent again, staged, acknowledged, rejected, unconfirmed): screens in SIGNAL_ROOM (signal-plan:read). */
  'signal:deployment': (e: z.infer<typeof SignalDeploymentEventSchema>) => void
}
export interface LiveClientToServer {
  'live:subscribe': (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void
  /** Push a selection to every wall screen (needs alarm:act). */
  'wall:push': (request: WallPush, ack: (result: WallPushAck) => void) => void
}
export const LiveHandshakeSchema = z.object({ protocolVersion: z.literal(PROTOCOL_VERSION) })

/** Device record shape reused by REST; re-exported here so channel users import one module. */
export { DeviceSchema }
