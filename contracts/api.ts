import { z } from 'zod'
import { OidcCallbackQuerySchema, ReturnToParamSchema } from './oidc-query'
import { PermissionSchema, RoleSchema, type Permission } from './access'
import { DeviceIdSchema, DeviceKindSchema, DeviceSchema } from './schemas/device'
import { LiveStateSchema } from './schemas/live-state'
import { QuarantineEntrySchema, QuarantineReasonSchema } from './schemas/quarantine'
import { BboxSchema } from './events'
import { SceneIdSchema, SceneSchema, SceneSummarySchema } from './schemas/scene'
import { ALARM_ROUTES } from './alarm-api'
import { INCIDENT_ROUTES } from './incident-api'
import { CAMERA_ROUTES } from './camera-api'
import { SIGNAL_ROUTES } from './signal-api'
import { DASHBOARD_ROUTES } from './dashboard-api'
import { CENSUS_ROUTES } from './census-api'
import { TOKEN_ROUTES } from './token-api'
import { SCENARIO_ROUTES } from './scenario-api'
import { CASE_ROUTES } from './case-api'
import { MY_ROUTES } from './my-api'
import { OPENDATA_ROUTES } from './opendata-api'
import { PMO_ROUTES } from './pmo-api'
import { THEME_DASHBOARD_ROUTES } from './theme-dashboard-api'

/** Query-string helpers: query values arrive as strings. */
const bboxParam = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map(Number)
    const parsed = BboxSchema.safeParse(parts)
    if (parts.length !== 4 || !parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers west,south,east,north in EPSG:4326' })
      return z.NEVER
    }
    return parsed.data
  })
const timeParam = z
  .string()
  .transform((s, ctx) => {
    const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s)
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'a time is epoch ms or an ISO 8601 date-time, e.g. 2026-11-26T08:00:00Z' })
      return z.NEVER
    }
    return ms
  })
const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const AggregationSchema = z.enum(['raw', '1m', '15m', '1h'])
export type Aggregation = z.infer<typeof AggregationSchema>
export const AGGREGATION_SECONDS: Record<Exclude<Aggregation, 'raw'>, number> = { '1m': 60, '15m': 900, '1h': 3600 }

export const DeviceWithStateSchema = DeviceSchema.extend({ states: z.array(LiveStateSchema) })
export type DeviceWithState = z.infer<typeof DeviceWithStateSchema>

export const ListDevicesQuerySchema = z.object({
  kind: DeviceKindSchema.optional(),
  bbox: bboxParam.optional(),
  limit: intParam(1, 10_000).default(1000),
  offset: intParam(0, 10_000_000).default(0),
})
export const ListDevicesResponseSchema = z.object({ total: z.number().int(), devices: z.array(DeviceWithStateSchema) })

export const DeviceParamsSchema = z.object({ id: DeviceIdSchema })

export const HistoryQuerySchema = z.object({
  stream: z.string().min(1).max(40).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  agg: AggregationSchema.default('raw'),
})
export const HistoryPointSchema = z.object({
  tMs: z.number(),
  /** Per metric: the value (raw) or the aggregate (avg for rates and levels, sum for counts, last for states). */
  values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  /** Readings in the bucket (1 for raw). */
  n: z.number().int(),
  quality: z.string().optional(),
})
export const HistoryResponseSchema = z.object({
  deviceId: DeviceIdSchema,
  stream: z.string(),
  agg: AggregationSchema,
  fromMs: z.number(),
  toMs: z.number(),
  points: z.array(HistoryPointSchema),
})
export type HistoryResponse = z.infer<typeof HistoryResponseSchema>
export type HistoryPoint = z.infer<typeof HistoryPointSchema>

export const QuarantineQuerySchema = z.object({
  limit: intParam(1, 1000).default(100),
  beforeId: intParam(1, Number.MAX_SAFE_INTEGER).optional(),
  reason: QuarantineReasonSchema.optional(),
})
export const QuarantineResponseSchema = z.object({
  total: z.number().int(),
  byReason: z.record(z.string(), z.number().int()),
  entries: z.array(QuarantineEntrySchema),
  nextBeforeId: z.number().int().nullable(),
})

export const ConflictEntrySchema = z.object({
  id: z.number().int(),
  deviceId: z.string(),
  stream: z.string(),
  observedAtMs: z.number(),
  seq: z.number().int().nullable(),
  receivedAtMs: z.number(),
  kind: z.enum(['value_mismatch', 'seq_reused']),
  existing: z.record(z.string(), z.unknown()),
  incoming: z.record(z.string(), z.unknown()),
})
export const ConflictsResponseSchema = z.object({ total: z.number().int(), entries: z.array(ConflictEntrySchema) })

export const BasemapLayerSchema = z.enum(['streets', 'quartieri', 'zone', 'ztl', 'lanes'])
export type BasemapLayer = z.infer<typeof BasemapLayerSchema>
export const BasemapParamsSchema = z.object({ layer: BasemapLayerSchema })
export const FeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), geometry: z.unknown(), properties: z.record(z.string(), z.unknown()) })),
})

export const DatasetInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  licence: z.string(),
  attribution: z.string(),
  features: z.number().int(),
  rejected: z.number().int(),
  importedAtMs: z.number().nullable(),
})
export const AboutResponseSchema = z.object({
  product: z.literal('Gemello'),
  version: z.string(),
  city: z.object({
    name: z.string(),
    /** real = imported from the city's open data; generated = the demo district, not real data. */
    data: z.enum(['real', 'generated']),
    label: z.string(),
    center: z.tuple([z.number(), z.number()]),
    bbox: BboxSchema,
  }),
  mode: z.object({ database: z.enum(['embedded', 'server']), broker: z.enum(['embedded', 'external']), mqttUrl: z.string() }),
  datasets: z.array(DatasetInfoSchema),
  attributions: z.array(z.object({ text: z.string(), licence: z.string(), url: z.string().nullable() })),
})
export type AboutResponse = z.infer<typeof AboutResponseSchema>

export const ListScenesResponseSchema = z.object({ scenes: z.array(SceneSummarySchema) })
export type ListScenesResponse = z.infer<typeof ListScenesResponseSchema>

/** TileJSON 3.0.0 of a vector tile source (docs/map-layers.md). */
export const TileJsonSchema = z.object({
  tilejson: z.literal('3.0.0'),
  name: z.string(),
  description: z.string(),
  attribution: z.string(),
  scheme: z.literal('xyz'),
  tiles: z.array(z.string()),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  /** [west, south, east, north] of the source's data, EPSG:4326. */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  /** [lon, lat, zoom] */
  center: z.tuple([z.number(), z.number(), z.number()]),
  vector_layers: z.array(
    z.object({ id: z.string(), description: z.string(), minzoom: z.number().int(), maxzoom: z.number().int(), fields: z.record(z.string(), z.string()) }),
  ),
})
export type TileJson = z.infer<typeof TileJsonSchema>
export const TileSourceInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** Absolute URL of the source's TileJSON. */
  tilejson: z.string(),
  /** Absolute tile URL template ({z}/{x}/{y}). */
  tiles: z.string(),
  layers: z.array(z.string()),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  attribution: z.string(),
})
export const TileSourceListSchema = z.array(TileSourceInfoSchema)
export const TileSourceParamsSchema = z.object({ source: z.string().min(1).max(40) })
export const VectorTileParamsSchema = TileSourceParamsSchema.extend({
  z: z.coerce.number().int().min(0).describe('zoom, 0 … the TileJSON maxzoom'),
  x: z.coerce.number().int().min(0).describe('column, 0 … 2^z − 1'),
  y: z.coerce.number().int().min(0).describe('row from the north, 0 … 2^z − 1'),
})

export const HealthResponseSchema = z.object({ status: z.literal('ok') })
export const ReadyResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string() })),
})

export interface RouteContract {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** Express-style path (`:id`); the OpenAPI document converts it to `{id}`. */
  path: string
  operationId: string
  summary: string
  tags: string[]
  params?: z.ZodObject
  query?: z.ZodObject
  /** JSON request body (POST, PUT, PATCH), at most 64 KiB. */
  body?: z.ZodObject
  response: z.ZodType
  /** Content type of the 200 response (default application/json). */
  contentType?: string
  errors: Array<keyof typeof import('./errors').ERROR_STATUS>
  /**
   * Who may call it (contracts/access.ts, ADR 0005): a permission, or 'anyone' for what every client
   * needs before signing in (probes, attributions, metrics for the scraper). Required: a route
   * without one does not compile, and a route mounted outside the contracts fails the inventory test.
   */
  permission: Permission | 'anyone'
}

// ---------------------------------------------------------------------------------------------
// Identity (ADR 0005)
// ---------------------------------------------------------------------------------------------

export const SessionUserSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  source: z.enum(['local', 'oidc']),
  roles: z.array(RoleSchema),
})
export const SessionInfoSchema = z.object({
  signedIn: z.boolean(),
  user: SessionUserSchema.nullable(),
  /** What this user (or the public) may do: the client shows or disables actions from it. */
  permissions: z.array(PermissionSchema),
  /** How staff sign in here: a local account form, or the identity provider's page. */
  signIn: z.object({ local: z.boolean(), oidc: z.boolean() }),
  /** First run: no account exists yet; the console printed the command (or a setup link). */
  setupNeeded: z.boolean(),
  authAtMs: z.number().nullable(),
  idleExpiresAtMs: z.number().nullable(),
  absoluteExpiresAtMs: z.number().nullable(),
  stepUpMaxAgeMs: z.number(),
})
export type SessionInfo = z.infer<typeof SessionInfoSchema>
export const SignInRequestSchema = z.object({
  username: z.string().trim().min(1, 'enter your username').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
})
export const SignOutResponseSchema = z.object({ signedOut: z.boolean() })
export { OidcCallbackQuerySchema } from './oidc-query'
export const OidcStartQuerySchema = z.object({ returnTo: ReturnToParamSchema.default('/'), stepUp: z.enum(['1']).optional() })
export const SetupRequestSchema = z.object({
  token: z.string().min(1).max(128),
  username: z.string().trim().min(1).max(64),
  displayName: z.string().trim().max(120).optional(),
  password: z.string().min(1).max(1024),
})

export const StaffUserSchema = SessionUserSchema.extend({ disabled: z.boolean(), createdAtMs: z.number(), activeSessions: z.number().int() })
export const ListUsersResponseSchema = z.object({ users: z.array(StaffUserSchema) })
export const CreateUserRequestSchema = z.object({
  username: z.string().trim().min(1).max(64),
  displayName: z.string().trim().max(120).optional(),
  roles: z.array(RoleSchema).min(1).max(8),
  password: z.string().min(1).max(1024),
})
export const UpdateUserRequestSchema = z
  .object({ roles: z.array(RoleSchema).min(1).max(8).optional(), disabled: z.boolean().optional(), password: z.string().min(1).max(1024).optional() })
  .refine((b) => b.roles !== undefined || b.disabled !== undefined || b.password !== undefined, 'change at least one of roles, disabled, password')
export const UserParamsSchema = z.object({ username: z.string().min(1).max(64) })

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  atMs: z.number(),
  actor: z.string(),
  actorRole: z.string(),
  action: z.string(),
  target: z.string(),
  beforeHash: z.string().nullable(),
  afterHash: z.string().nullable(),
  requestId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
})
export const AuditQuerySchema = z.object({
  actor: z.string().max(120).optional(),
  action: z.string().max(120).optional(),
  /** Exact target, or a prefix ending in * (user:*). */
  target: z.string().max(240).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  beforeSeq: intParam(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: intParam(1, 500).default(100),
})
/** An audit search as the server's search function and the client take it (times as epoch ms). */
export interface AuditFilter {
  actor?: string
  action?: string
  /** Exact target, or a prefix ending in `*` (`signal_plan:c201*`). */
  target?: string
  fromMs?: number
  toMs?: number
  /** Rows older than this seq (the next page). */
  beforeSeq?: number
  limit?: number
}
export const AuditResponseSchema = z.object({ entries: z.array(AuditEntrySchema), nextBeforeSeq: z.number().int().nullable() })

/** Every REST route: the server mounts handlers by operationId and the OpenAPI document is generated from this list. */
export const ROUTES = {
  health: { method: 'get', path: '/healthz', permission: 'anyone', operationId: 'health', summary: 'Liveness: the process is up', tags: ['ops'], response: HealthResponseSchema, errors: [] },
  ready: { method: 'get', path: '/readyz', permission: 'anyone', operationId: 'ready', summary: 'Readiness: database, broker, migrations and city data are ready', tags: ['ops'], response: ReadyResponseSchema, errors: ['NOT_READY'] },
  listDevices: { method: 'get', path: '/api/devices', permission: 'live:read', operationId: 'listDevices', summary: 'Devices with their latest state, by kind and bounding box', tags: ['devices'], query: ListDevicesQuerySchema, response: ListDevicesResponseSchema, errors: ['VALIDATION_FAILED'] },
  getDevice: { method: 'get', path: '/api/devices/:id', permission: 'live:read', operationId: 'getDevice', summary: 'One device with the latest state of each stream', tags: ['devices'], params: DeviceParamsSchema, response: DeviceWithStateSchema, errors: ['VALIDATION_FAILED', 'DEVICE_NOT_FOUND'] },
  deviceHistory: { method: 'get', path: '/api/devices/:id/history', permission: 'live:read', operationId: 'deviceHistory', summary: 'History window of a device stream, raw or aggregated (1 min, 15 min, 1 h)', tags: ['devices'], params: DeviceParamsSchema, query: HistoryQuerySchema, response: HistoryResponseSchema, errors: ['VALIDATION_FAILED', 'DEVICE_NOT_FOUND', 'STREAM_NOT_FOUND', 'RANGE_TOO_LARGE'] },
  listQuarantine: { method: 'get', path: '/api/quarantine', permission: 'ops:read', operationId: 'listQuarantine', summary: 'Messages the ingest refused, newest first, with the reason', tags: ['ingest'], query: QuarantineQuerySchema, response: QuarantineResponseSchema, errors: ['VALIDATION_FAILED'] },
  listConflicts: { method: 'get', path: '/api/conflicts', permission: 'ops:read', operationId: 'listConflicts', summary: 'Conflicting duplicates: same device, stream and time with different values', tags: ['ingest'], query: z.object({ limit: intParam(1, 1000).default(100) }), response: ConflictsResponseSchema, errors: ['VALIDATION_FAILED'] },
  basemap: { method: 'get', path: '/api/basemap/:layer', permission: 'opendata:read', operationId: 'basemap', summary: 'Base-map layer of the city as GeoJSON (streets, districts, ZTL, SUMO lanes)', tags: ['map'], params: BasemapParamsSchema, response: FeatureCollectionSchema, contentType: 'application/geo+json', errors: ['VALIDATION_FAILED'] },
  listScenes: { method: 'get', path: '/api/scenes', permission: 'live:read', operationId: 'listScenes', summary: 'Saved scenes of the twin (camera, layers, time, annotations), for the scene picker', tags: ['map'], response: ListScenesResponseSchema, errors: [] },
  getScene: { method: 'get', path: '/api/scenes/:id', permission: 'live:read', operationId: 'getScene', summary: 'One scene, as opened by /?scene=<id>', tags: ['map'], params: z.object({ id: SceneIdSchema }), response: SceneSchema, errors: ['VALIDATION_FAILED', 'SCENE_NOT_FOUND'] },
  listTileSources: { method: 'get', path: '/tiles', permission: 'opendata:read', operationId: 'listTileSources', summary: 'Vector tile sources with their TileJSON URL, layers, zoom range and attribution', tags: ['map'], response: TileSourceListSchema, errors: [] },
  tileJson: { method: 'get', path: '/tiles/:source.json', permission: 'opendata:read', operationId: 'tileJson', summary: 'TileJSON 3.0.0 of a vector tile source', tags: ['map'], params: TileSourceParamsSchema, response: TileJsonSchema, errors: ['NOT_FOUND'] },
  vectorTile: { method: 'get', path: '/tiles/:source/:z/:x/:y.pbf', permission: 'opendata:read', operationId: 'vectorTile', summary: 'Mapbox Vector Tile 2.1 (gzip when accepted; 204 when the tile is empty, 304 on a matching If-None-Match)', tags: ['map'], params: VectorTileParamsSchema, response: z.string().describe('binary MVT'), contentType: 'application/vnd.mapbox-vector-tile', errors: ['VALIDATION_FAILED', 'NOT_FOUND'] },
  metrics: { method: 'get', path: '/metrics', permission: 'anyone', operationId: 'metrics', summary: 'Prometheus metrics of this process (text exposition format): ingest rate and lag, quarantine by reason, batch sizes, database latency, socket clients, event-loop lag', tags: ['ops'], response: z.string(), contentType: 'text/plain; version=0.0.4', errors: [] },
  session: { method: 'get', path: '/api/auth/session', permission: 'anyone', operationId: 'session', summary: 'Who is signed in, what they may do, and how to sign in', tags: ['identity'], response: SessionInfoSchema, errors: [] },
  signIn: { method: 'post', path: '/api/auth/sign-in', permission: 'anyone', operationId: 'signIn', summary: 'Sign in with a local account (no identity provider configured); sets the session cookie. Also the step-up: signing in again renews the sign-in time.', tags: ['identity'], body: SignInRequestSchema, response: SessionInfoSchema, errors: ['VALIDATION_FAILED', 'SIGN_IN_FAILED', 'RATE_LIMITED', 'NOT_FOUND'] },
  signOut: { method: 'post', path: '/api/auth/sign-out', permission: 'anyone', operationId: 'signOut', summary: 'End the session on the server and clear the cookie', tags: ['identity'], response: SignOutResponseSchema, errors: [] },
  oidcStart: { method: 'get', path: '/api/auth/oidc/start', permission: 'anyone', operationId: 'oidcStart', summary: 'Redirect to the identity provider (authorization code + PKCE); stepUp=1 asks it for a fresh sign-in', tags: ['identity'], query: OidcStartQuerySchema, response: z.null().describe('302 to the provider'), errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'RATE_LIMITED'] },
  oidcCallback: { method: 'get', path: '/api/auth/oidc/callback', permission: 'anyone', operationId: 'oidcCallback', summary: 'Where the provider sends the browser back: verifies state, PKCE, the ID token (signature, iss, aud, exp, nonce), opens the session', tags: ['identity'], query: OidcCallbackQuerySchema, response: z.null().describe('302 to the page the sign-in started from'), errors: ['SIGN_IN_FAILED', 'FORBIDDEN', 'NOT_FOUND'] },
  setup: { method: 'post', path: '/api/auth/setup', permission: 'anyone', operationId: 'setup', summary: 'First run only: create the first administrator with the one-time token printed on the console', tags: ['identity'], body: SetupRequestSchema, response: SessionInfoSchema, errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED'] },
  listUsers: { method: 'get', path: '/api/users', permission: 'users:admin', operationId: 'listUsers', summary: 'Staff accounts with their roles and open sessions', tags: ['identity'], response: ListUsersResponseSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'STEP_UP_REQUIRED'] },
  createUser: { method: 'post', path: '/api/users', permission: 'users:admin', operationId: 'createUser', summary: 'Create a local staff account (audited)', tags: ['identity'], body: CreateUserRequestSchema, response: StaffUserSchema, errors: ['VALIDATION_FAILED', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'STEP_UP_REQUIRED'] },
  updateUser: { method: 'patch', path: '/api/users/:username', permission: 'users:admin', operationId: 'updateUser', summary: 'Change roles, disable or reset the password of an account (audited; ends its sessions)', tags: ['identity'], params: UserParamsSchema, body: UpdateUserRequestSchema, response: StaffUserSchema, errors: ['VALIDATION_FAILED', 'USER_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'STEP_UP_REQUIRED'] },
  searchAudit: { method: 'get', path: '/api/audit', permission: 'audit:read', operationId: 'searchAudit', summary: 'Search the audit log, newest first (actor, action, target or target prefix*, time)', tags: ['identity'], query: AuditQuerySchema, response: AuditResponseSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  ...ALARM_ROUTES,
  ...CENSUS_ROUTES,
  ...INCIDENT_ROUTES,
  ...CAMERA_ROUTES,
  ...DASHBOARD_ROUTES,
  ...SIGNAL_ROUTES,
  ...TOKEN_ROUTES,
  ...SCENARIO_ROUTES,
  ...CASE_ROUTES,
  ...MY_ROUTES,
  ...OPENDATA_ROUTES,
  ...PMO_ROUTES,
  ...THEME_DASHBOARD_ROUTES,
  about: { method: 'get', path: '/api/about', permission: 'anyone', operationId: 'about', summary: 'City, run mode, datasets and their attributions', tags: ['ops'], response: AboutResponseSchema, errors: [] },
} as const satisfies Record<string, RouteContract>
export type RouteName = keyof typeof ROUTES
