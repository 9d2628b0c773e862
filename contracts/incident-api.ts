/**
 * Incidents and the shift log (ADR 0006, "Incidents"): operator records, not alarms. An incident has
 * a type, a point and an optional affected area on the map, linked alarms, an assignee, an
 * append-only action log and a status; every change bumps its version, and a change sent with an
 * older version than the stored one is refused (CONFLICT) instead of overwriting someone's work.
 * The shift log is the control room's append-only diary, with the hand-over notes between shifts.
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { LonLatSchema } from './schemas/device'

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const IncidentTypeSchema = z.enum(['accident', 'road-works', 'event', 'flooding', 'other'])
export type IncidentType = z.infer<typeof IncidentTypeSchema>
export const IncidentStatusSchema = z.enum(['open', 'closed'])
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>
export const IncidentPrioritySchema = z.enum(['high', 'medium', 'low'])
export type IncidentPriority = z.infer<typeof IncidentPrioritySchema>

/** A staff account's username (migration 0006), or null for nobody. */
export const AssigneeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'an assignee is a staff username, e.g. "m.rossi"')
  .nullable()

const samePosition = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1]

/** A linear ring: at least 4 [lon, lat] positions, the last one equal to the first. */
export const LinearRingSchema = z
  .array(LonLatSchema)
  .min(4, 'a ring of a polygon has at least 4 positions (a triangle and its first position again)')
  .max(2000)
  .refine((ring) => ring.length < 4 || samePosition(ring[0]!, ring[ring.length - 1]!), 'a ring must be closed: its last position repeats the first')

/**
 * A GeoJSON Polygon in EPSG:4326 (RFC 7946): the outer ring, then any holes. The shape is checked
 * here; whether it is a valid geometry (no self-crossing edges, holes inside) is checked by PostGIS.
 */
export const PolygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(LinearRingSchema).min(1, 'a polygon has an outer ring').max(50),
})
export type Polygon = z.infer<typeof PolygonSchema>

export const IncidentIdSchema = z.number().int().min(1)
const AlarmIdsSchema = z
  .array(z.number().int().min(1))
  .min(1)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'an alarm id is listed twice')

const TitleSchema = z.string().trim().min(3, 'give the incident a title of at least 3 characters').max(200)
const DescriptionSchema = z.string().trim().max(4000)

export const IncidentSchema = z.object({
  id: IncidentIdSchema,
  type: IncidentTypeSchema,
  title: z.string(),
  description: z.string(),
  status: IncidentStatusSchema,
  priority: IncidentPrioritySchema,
  /** Where it is: [lon, lat], EPSG:4326. */
  position: LonLatSchema,
  /** The affected area, when drawn. */
  area: PolygonSchema.nullable(),
  assignee: z.string().nullable(),
  createdBy: z.string(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  closedAtMs: z.number().nullable(),
  closedBy: z.string().nullable(),
  closingNote: z.string().nullable(),
  /** Bumped at every change (fields, note, link, close); a PATCH carries the version it was made on. */
  version: z.number().int().min(1),
  alarmIds: z.array(z.number().int()),
})
export type Incident = z.infer<typeof IncidentSchema>

/** create, note, assign (assignee changed), update (other fields changed), link (alarms), status (closed). */
export const IncidentLogKindSchema = z.enum(['create', 'note', 'assign', 'update', 'link', 'status'])
export type IncidentLogKind = z.infer<typeof IncidentLogKindSchema>
export const IncidentLogEntrySchema = z.object({
  id: z.number().int(),
  atMs: z.number(),
  author: z.string(),
  kind: IncidentLogKindSchema,
  text: z.string(),
})
export type IncidentLogEntry = z.infer<typeof IncidentLogEntrySchema>

/** One incident with its action log, oldest entry first. */
export const IncidentDetailSchema = z.object({ incident: IncidentSchema, log: z.array(IncidentLogEntrySchema) })
export type IncidentDetail = z.infer<typeof IncidentDetailSchema>

export const IncidentParamsSchema = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })

/** A `bbox` query parameter: west,south,east,north in EPSG:4326, west < east and south < north (incidents, citizen cases). */
export const BboxQuerySchema = z
  .string()
  .transform((s, ctx) => {
    const b = s.split(',').map(Number)
    const [w, so, e, n] = b as [number, number, number, number]
    if (b.length !== 4 || b.some((x) => !Number.isFinite(x)) || w < -180 || e > 180 || so < -90 || n > 90 || w >= e || so >= n) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers west,south,east,north in EPSG:4326, west < east and south < north' })
      return z.NEVER
    }
    return [w, so, e, n] as [number, number, number, number]
  })

export const ListIncidentsQuerySchema = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  /** west,south,east,north in EPSG:4326: incidents whose point or area meets the box. */
  bbox: BboxQuerySchema.optional(),
  limit: intParam(1, 1000).default(200),
})
export type ListIncidentsQuery = z.output<typeof ListIncidentsQuerySchema>
export const ListIncidentsResponseSchema = z.object({ incidents: z.array(IncidentSchema) })

export const CreateIncidentBodySchema = z
  .object({
    type: IncidentTypeSchema,
    title: TitleSchema,
    description: DescriptionSchema.default(''),
    priority: IncidentPrioritySchema.default('medium'),
    position: LonLatSchema,
    area: PolygonSchema.nullable().default(null),
    assignee: AssigneeSchema.default(null),
    /** The alarms this incident is made from: each must exist, or nothing is created. */
    alarmIds: AlarmIdsSchema.optional(),
  })
  .strict()
export type CreateIncidentBody = z.output<typeof CreateIncidentBodySchema>

export const UpdateIncidentBodySchema = z
  .object({
    /** The version the change was made on (the one the client last read). */
    version: z.number().int().min(1),
    type: IncidentTypeSchema.optional(),
    title: TitleSchema.optional(),
    description: DescriptionSchema.optional(),
    priority: IncidentPrioritySchema.optional(),
    position: LonLatSchema.optional(),
    /** null removes the affected area. */
    area: PolygonSchema.nullable().optional(),
    /** null: nobody. */
    assignee: AssigneeSchema.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'change at least one of type, title, description, priority, position, area, assignee')
export type UpdateIncidentBody = z.output<typeof UpdateIncidentBodySchema>

export const IncidentActionBodySchema = z
  .object({
    /** A log entry: what was done or seen. */
    text: z.string().trim().min(1, 'write what was done').max(4000).optional(),
    /** Alarms to link to the incident (each must exist). */
    alarmIds: AlarmIdsSchema.optional(),
  })
  .strict()
  .refine((b) => b.text !== undefined || b.alarmIds !== undefined, 'send a text to log, alarmIds to link, or both')
export type IncidentActionBody = z.output<typeof IncidentActionBodySchema>

export const CloseIncidentBodySchema = z
  .object({ note: z.string().trim().min(3, 'say how the incident ended (a closing note of at least 3 characters)').max(4000) })
  .strict()
export type CloseIncidentBody = z.output<typeof CloseIncidentBodySchema>

/** The open incidents as points for the map and the wall. */
export const IncidentFeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: IncidentIdSchema,
      geometry: z.object({ type: z.literal('Point'), coordinates: LonLatSchema }),
      properties: z.object({ id: IncidentIdSchema, type: IncidentTypeSchema, title: z.string(), priority: IncidentPrioritySchema, status: IncidentStatusSchema }),
    }),
  ),
})
export type IncidentFeatureCollection = z.infer<typeof IncidentFeatureCollectionSchema>

// ---------------------------------------------------------------------------------------------
// Shift log
// ---------------------------------------------------------------------------------------------

export const ShiftLogKindSchema = z.enum(['note', 'handover'])
export type ShiftLogKind = z.infer<typeof ShiftLogKindSchema>
export const ShiftLogEntrySchema = z.object({
  id: z.number().int(),
  atMs: z.number(),
  author: z.string(),
  kind: ShiftLogKindSchema,
  text: z.string(),
  /** Hand-over only: what the next shift must follow up. */
  openItems: z.string().nullable(),
})
export type ShiftLogEntry = z.infer<typeof ShiftLogEntrySchema>

export const ShiftLogQuerySchema = z.object({
  limit: intParam(1, 500).default(50),
  /** Entries older than this id (the next page). */
  beforeId: intParam(1, Number.MAX_SAFE_INTEGER).optional(),
})
export type ShiftLogQuery = z.output<typeof ShiftLogQuerySchema>
export const ShiftLogResponseSchema = z.object({ entries: z.array(ShiftLogEntrySchema), nextBeforeId: z.number().int().nullable() })
export type ShiftLogResponse = z.infer<typeof ShiftLogResponseSchema>

export const AppendShiftLogBodySchema = z
  .object({
    kind: ShiftLogKindSchema.default('note'),
    text: z.string().trim().min(1, 'write the entry').max(4000),
    openItems: z.string().trim().min(1).max(4000).optional(),
  })
  .strict()
  .refine((b) => b.openItems === undefined || b.kind === 'handover', { message: 'openItems belong to a hand-over note (kind "handover")', path: ['openItems'] })
export type AppendShiftLogBody = z.output<typeof AppendShiftLogBodySchema>

const READ_ERRORS = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] as const

export const INCIDENT_ROUTES = {
  listIncidents: { method: 'get', path: '/api/incidents', permission: 'live:read', operationId: 'listIncidents', summary: 'Incidents (open by default, or closed, or all), open first by priority, then newest; optionally in a bounding box', tags: ['incidents'], query: ListIncidentsQuerySchema, response: ListIncidentsResponseSchema, errors: [...READ_ERRORS] },
  incidentsGeoJson: { method: 'get', path: '/api/incidents.geojson', permission: 'live:read', operationId: 'incidentsGeoJson', summary: 'The open incidents as GeoJSON points, for the map and the wall', tags: ['incidents'], response: IncidentFeatureCollectionSchema, contentType: 'application/geo+json', errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  getIncident: { method: 'get', path: '/api/incidents/:id', permission: 'live:read', operationId: 'getIncident', summary: 'One incident with its linked alarms and its action log', tags: ['incidents'], params: IncidentParamsSchema, response: IncidentDetailSchema, errors: ['VALIDATION_FAILED', 'INCIDENT_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  createIncident: { method: 'post', path: '/api/incidents', permission: 'alarm:act', operationId: 'createIncident', summary: 'Open an incident, optionally from one or more alarms (all exist, or nothing is created); audited', tags: ['incidents'], body: CreateIncidentBodySchema, response: IncidentDetailSchema, errors: ['VALIDATION_FAILED', 'ALARM_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  updateIncident: { method: 'patch', path: '/api/incidents/:id', permission: 'alarm:act', operationId: 'updateIncident', summary: 'Change type, title, description, priority, position, affected area or assignee of an open incident; refused (CONFLICT) when `version` is not the stored one; audited', tags: ['incidents'], params: IncidentParamsSchema, body: UpdateIncidentBodySchema, response: IncidentDetailSchema, errors: ['VALIDATION_FAILED', 'INCIDENT_NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  incidentAction: { method: 'post', path: '/api/incidents/:id/actions', permission: 'alarm:act', operationId: 'incidentAction', summary: 'Log an action on an open incident and/or link alarms to it; audited', tags: ['incidents'], params: IncidentParamsSchema, body: IncidentActionBodySchema, response: IncidentDetailSchema, errors: ['VALIDATION_FAILED', 'INCIDENT_NOT_FOUND', 'ALARM_NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  closeIncident: { method: 'post', path: '/api/incidents/:id/close', permission: 'alarm:act', operationId: 'closeIncident', summary: 'Close an open incident with a closing note (CONFLICT when already closed); audited', tags: ['incidents'], params: IncidentParamsSchema, body: CloseIncidentBodySchema, response: IncidentDetailSchema, errors: ['VALIDATION_FAILED', 'INCIDENT_NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  listShiftLog: { method: 'get', path: '/api/shift-log', permission: 'live:read', operationId: 'listShiftLog', summary: 'The shift log, newest first (page with beforeId)', tags: ['incidents'], query: ShiftLogQuerySchema, response: ShiftLogResponseSchema, errors: [...READ_ERRORS] },
  appendShiftLog: { method: 'post', path: '/api/shift-log', permission: 'alarm:act', operationId: 'appendShiftLog', summary: 'Write a shift-log entry or a hand-over note with its open items (append-only; audited)', tags: ['incidents'], body: AppendShiftLogBodySchema, response: ShiftLogEntrySchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>
