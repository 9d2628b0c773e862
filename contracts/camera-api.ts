/**
 * Cameras and connectivity (ADR 0006, "Cameras"; issue 6 items 4 and 5).
 *
 * Cameras: the ZTL gates (and any camera kind added to CAMERA_KINDS). Gemello keeps each camera's
 * compliance record — purpose, legal basis, signage, retention, DPIA reference, data controller — and
 * refuses to activate a camera without it (`cameraMissing`, shared by server and client). Gemello
 * stores no image, plate or face: a camera's live data is its gate status and counts. A live view is
 * a deliberate, audited action (POST) for `camera:view`; a listing never carries the stream URL.
 *
 * Connectivity: access points and field routers (kind `connectivity`, stream `link`) with status,
 * clients, throughput and data age, a summary per district with the availability of the last 24 h,
 * and the outage map (down or silent devices) as GeoJSON.
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { DeviceIdSchema, LonLatSchema, type DeviceKind } from './schemas/device'
import { LiveQualitySchema, NO_COMM_AFTER_INTERVALS } from './schemas/live-state'
import { GateStatusSchema, LinkStatusSchema } from './schemas/reading'

// ---------------------------------------------------------------------------------------------
// Cameras
// ---------------------------------------------------------------------------------------------

/** Device kinds that are cameras. */
export const CAMERA_KINDS: readonly DeviceKind[] = ['ztl-gate']

/**
 * Retention (days) a camera may keep recordings without a written justification: the Garante's
 * video-surveillance decision (8 April 2010, §3.4) allows municipalities up to 7 days for urban
 * security; longer only for a specific, documented need (e.g. the images of a ZTL violation kept
 * for the fine's procedure).
 */
export const RETENTION_UNJUSTIFIED_MAX_DAYS = 7
/** Upper bound of any retention: beyond a year the number is a typing mistake, not a policy. */
export const RETENTION_MAX_DAYS = 365

/** How long an opened live view may stay on screen; opening it again is a new, audited action. */
export const LIVE_VIEW_TTL_MS = 5 * 60_000

export const CameraStatusSchema = z.enum(['draft', 'active', 'inactive'])
export type CameraStatus = z.infer<typeof CameraStatusSchema>

/** The fields a camera needs before activation, in the order messages name them. */
export const CameraFieldSchema = z.enum(['purpose', 'legalBasis', 'signage', 'retentionDays', 'retentionJustification', 'dpiaRef', 'controller'])
export type CameraField = z.infer<typeof CameraFieldSchema>

/** What each missing field means, for messages a person can act on. */
export const CAMERA_FIELD_LABELS: Record<CameraField, string> = {
  purpose: 'purpose',
  legalBasis: 'legal basis',
  signage: 'signage (the information sign must be in place)',
  retentionDays: 'retention (days)',
  retentionJustification: `retention justification (required above ${RETENTION_UNJUSTIFIED_MAX_DAYS} days)`,
  dpiaRef: 'DPIA reference',
  controller: 'data controller',
}

/** The compliance fields of a record, as `cameraMissing` reads them. */
export interface CameraCompliance {
  purpose: string | null
  legalBasis: string | null
  signage: boolean
  retentionDays: number | null
  retentionJustification: string | null
  dpiaRef: string | null
  controller: string | null
}

/**
 * What a camera lacks before it may be activated (empty: compliant). A missing record lacks every
 * required field. Retention above 7 days needs a justification.
 */
export function cameraMissing(r: CameraCompliance | null): CameraField[] {
  const missing: CameraField[] = []
  const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === ''
  if (blank(r?.purpose)) missing.push('purpose')
  if (blank(r?.legalBasis)) missing.push('legalBasis')
  if (r?.signage !== true) missing.push('signage')
  if (r?.retentionDays === null || r?.retentionDays === undefined) missing.push('retentionDays')
  else if (r.retentionDays > RETENTION_UNJUSTIFIED_MAX_DAYS && blank(r.retentionJustification)) missing.push('retentionJustification')
  if (blank(r?.dpiaRef)) missing.push('dpiaRef')
  if (blank(r?.controller)) missing.push('controller')
  return missing
}

/** A stream URL: https, rtsp or rtsps, with a host, and no user name or password in it. */
export function isStreamUrl(s: string): boolean {
  let u: URL
  try {
    u = new URL(s)
  } catch {
    return false
  }
  return ['https:', 'rtsp:', 'rtsps:'].includes(u.protocol) && u.hostname !== '' && u.username === '' && u.password === ''
}

/** Optional text: trimmed; empty means not given (null). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((s) => (s === undefined || s === null || s === '' ? null : s))

/**
 * PUT body: the whole record (what is left out is cleared, except the stream URL, kept when left out). A draft may be incomplete; an active
 * camera must stay compliant. `version` is the stored version being replaced: required to change a
 * record, absent to create one.
 */
export const CameraRecordInputSchema = z
  .object({
    /** Why the camera films (e.g. "ZTL access enforcement, Codice della Strada art. 7"). */
    purpose: optionalText(1000),
    /** E.g. "GDPR art. 6(1)(e); D.P.R. 250/1999; Codice della Strada art. 7 c. 9". */
    legalBasis: optionalText(1000),
    /** The information sign (informativa) is in place before the camera's field. */
    signage: z.boolean().default(false),
    /** Where the sign is, a photo reference. */
    signageNote: optionalText(1000),
    retentionDays: z.number().int().min(1).max(RETENTION_MAX_DAYS).nullable().default(null),
    /** Why recordings are kept longer than 7 days, when they are. */
    retentionJustification: optionalText(1000),
    /** Reference of the DPIA document (protocol number, URL of the register entry). */
    dpiaRef: optionalText(300),
    /** The data controller, e.g. "Comune di Bologna". */
    controller: optionalText(300),
    /**
     * Live view offered by the camera (https, rtsp or rtsps; no credentials in the URL). Left out: the
     * stored one is kept (screens never receive it, so they cannot send it back); null removes it.
     */
    streamUrl: z
      .string()
      .trim()
      .max(2048)
      .refine(isStreamUrl, 'a stream URL is https://, rtsp:// or rtsps:// with a host and no user name or password (keep credentials in the video gateway)')
      .nullable()
      .optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
export type CameraRecordInput = z.infer<typeof CameraRecordInputSchema>

/** A camera's record as screens see it: no stream URL (only whether there is one). */
export const CameraRecordSchema = z.object({
  purpose: z.string().nullable(),
  legalBasis: z.string().nullable(),
  signage: z.boolean(),
  signageNote: z.string().nullable(),
  retentionDays: z.number().int().nullable(),
  retentionJustification: z.string().nullable(),
  dpiaRef: z.string().nullable(),
  controller: z.string().nullable(),
  hasStream: z.boolean(),
  status: CameraStatusSchema,
  updatedBy: z.string(),
  updatedAtMs: z.number(),
  version: z.number().int(),
})
export type CameraRecord = z.infer<typeof CameraRecordSchema>

/** The gate's latest reading: status and counts, nothing else. */
export const CameraLiveSchema = z.object({
  status: GateStatusSchema,
  vehicles: z.number().int(),
  unauthorized: z.number().int().nullable(),
  intervalS: z.number().int(),
  observedAtMs: z.number(),
  /** The reported quality, aged by the staleness rule (contracts/schemas/live-state.ts). */
  quality: LiveQualitySchema,
})
export type CameraLive = z.infer<typeof CameraLiveSchema>

export const CameraSchema = z.object({
  deviceId: DeviceIdSchema,
  name: z.string(),
  position: LonLatSchema,
  /** The district (quartiere) the camera is in. */
  district: z.string().nullable(),
  live: CameraLiveSchema.nullable(),
  /** A record exists (possibly a draft). */
  configured: z.boolean(),
  /** The record's status; `inactive` when there is no record. */
  status: CameraStatusSchema,
  /** Nothing is missing for activation. */
  compliant: z.boolean(),
  missing: z.array(CameraFieldSchema),
  record: CameraRecordSchema.nullable(),
})
export type Camera = z.infer<typeof CameraSchema>

export const ListCamerasResponseSchema = z.object({ serverTimeMs: z.number(), cameras: z.array(CameraSchema) })
export type ListCamerasResponse = z.infer<typeof ListCamerasResponseSchema>

export const CameraParamsSchema = z.object({ deviceId: DeviceIdSchema })

/** Body of activate / deactivate: the version seen (optional: refused when stale), and a reason for the audit log. */
export const CameraStatusChangeSchema = z
  .object({
    version: z.number().int().min(1).optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()

/** Body of a live-view opening: why the operator looks (kept in the audit row). */
export const LiveViewRequestSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict()
export const LiveViewSchema = z.object({
  deviceId: DeviceIdSchema,
  streamUrl: z.string(),
  /** Close the view by then; a new opening is a new audited action. */
  expiresAtMs: z.number(),
})
export type LiveView = z.infer<typeof LiveViewSchema>

// ---------------------------------------------------------------------------------------------
// Connectivity
// ---------------------------------------------------------------------------------------------

/** A device with no reading for more than this many expected intervals is silent (= no communication). */
export const SILENT_AFTER_INTERVALS = NO_COMM_AFTER_INTERVALS
export const AVAILABILITY_WINDOW_MS = 24 * 3_600_000

/** What the outage map and the counts use: the last link status, or silent when the device stopped speaking. */
export const ConnectivityStateSchema = z.enum(['up', 'degraded', 'down', 'silent'])
export type ConnectivityState = z.infer<typeof ConnectivityStateSchema>

export const AccessPointSchema = z.object({
  deviceId: DeviceIdSchema,
  name: z.string(),
  position: LonLatSchema,
  district: z.string().nullable(),
  state: ConnectivityStateSchema,
  /** The last reported link status (null: never reported). */
  linkStatus: LinkStatusSchema.nullable(),
  connectedClients: z.number().int().nullable(),
  rxKbps: z.number().nullable(),
  txKbps: z.number().nullable(),
  observedAtMs: z.number().nullable(),
  /** Age of the last reading at serverTimeMs. */
  dataAgeMs: z.number().nullable(),
  quality: LiveQualitySchema.nullable(),
  expectedIntervalS: z.number().int(),
  /** Share of the last 24 h's link readings with status up (null: no reading). */
  availability: z.number().min(0).max(1).nullable(),
  readings: z.number().int(),
})
export type AccessPoint = z.infer<typeof AccessPointSchema>

export const ConnectivitySummarySchema = z.object({
  /** The district (quartiere); null for devices outside every district. */
  district: z.string().nullable(),
  devices: z.number().int(),
  /** up + degraded + down + silent = devices. */
  up: z.number().int(),
  degraded: z.number().int(),
  down: z.number().int(),
  silent: z.number().int(),
  /** Clients connected now (silent devices' last counts left out: they are not now). */
  clients: z.number().int(),
  /** Share of the district's link readings of the last 24 h with status up (null: no reading). */
  availability: z.number().min(0).max(1).nullable(),
  readings: z.number().int(),
})
export type ConnectivitySummary = z.infer<typeof ConnectivitySummarySchema>

export const ConnectivityResponseSchema = z.object({
  serverTimeMs: z.number(),
  /** The availability window: (fromMs, toMs]. */
  window: z.object({ fromMs: z.number(), toMs: z.number() }),
  accessPoints: z.array(AccessPointSchema),
  /** One row per district, by name; devices outside every district last. */
  districts: z.array(ConnectivitySummarySchema),
  total: ConnectivitySummarySchema,
})
export type ConnectivityResponse = z.infer<typeof ConnectivityResponseSchema>

export const OutageFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.literal('Point'), coordinates: LonLatSchema }),
  properties: z.object({
    deviceId: DeviceIdSchema,
    name: z.string(),
    district: z.string().nullable(),
    state: z.enum(['down', 'silent']),
    linkStatus: LinkStatusSchema.nullable(),
    observedAtMs: z.number().nullable(),
    dataAgeMs: z.number().nullable(),
  }),
})
export const OutageCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(OutageFeatureSchema),
})
export type OutageCollection = z.infer<typeof OutageCollectionSchema>

// ---------------------------------------------------------------------------------------------

const cameraErrors = ['VALIDATION_FAILED', 'CAMERA_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] as const

export const CAMERA_ROUTES = {
  listCameras: { method: 'get', path: '/api/cameras', permission: 'live:read', operationId: 'listCameras', summary: 'Cameras (ZTL gates) with live status and counts, their compliance record and what is missing for activation; never the stream URL', tags: ['cameras'], response: ListCamerasResponseSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  putCameraRecord: { method: 'put', path: '/api/cameras/:deviceId/record', permission: 'camera:configure', operationId: 'putCameraRecord', summary: 'Create or replace a camera’s compliance record (purpose, legal basis, signage, retention, DPIA, controller, stream URL); send the stored version to change it (stale: CONFLICT); audited', tags: ['cameras'], params: CameraParamsSchema, body: CameraRecordInputSchema, response: CameraSchema, errors: [...cameraErrors, 'CONFLICT', 'CAMERA_NOT_COMPLIANT'] },
  activateCamera: { method: 'post', path: '/api/cameras/:deviceId/activate', permission: 'camera:configure', operationId: 'activateCamera', summary: 'Activate a camera: refused (CAMERA_NOT_COMPLIANT, naming every missing field) without purpose, legal basis, signage, retention, DPIA reference and controller; audited', tags: ['cameras'], params: CameraParamsSchema, body: CameraStatusChangeSchema, response: CameraSchema, errors: [...cameraErrors, 'CONFLICT', 'CAMERA_NOT_COMPLIANT'] },
  deactivateCamera: { method: 'post', path: '/api/cameras/:deviceId/deactivate', permission: 'camera:configure', operationId: 'deactivateCamera', summary: 'Deactivate a camera (no live view any more); audited', tags: ['cameras'], params: CameraParamsSchema, body: CameraStatusChangeSchema, response: CameraSchema, errors: [...cameraErrors, 'CONFLICT'] },
  openCameraLiveView: { method: 'post', path: '/api/cameras/:deviceId/live-view', permission: 'camera:view', operationId: 'openCameraLiveView', summary: 'Open the live view of an active, compliant camera that offers a stream; every opening and every refused attempt is audited', tags: ['cameras'], params: CameraParamsSchema, body: LiveViewRequestSchema, response: LiveViewSchema, errors: [...cameraErrors, 'CAMERA_NOT_COMPLIANT', 'NOT_FOUND'] },
  connectivity: { method: 'get', path: '/api/connectivity', permission: 'live:read', operationId: 'connectivity', summary: 'Access points and field routers with status, clients, throughput and data age; per district: up, degraded, down, silent, clients and the availability of the last 24 h', tags: ['connectivity'], response: ConnectivityResponseSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  connectivityOutages: { method: 'get', path: '/api/connectivity/outages.geojson', permission: 'live:read', operationId: 'connectivityOutages', summary: 'Outage map: connectivity devices that are down or silent, as GeoJSON points', tags: ['connectivity'], response: OutageCollectionSchema, contentType: 'application/geo+json', errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>
