import { z } from 'zod'

/** Stable error codes with their HTTP status. Clients switch on the code, never on the message. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  RANGE_TOO_LARGE: 400,
  /** No session (or it ended): sign in. */
  UNAUTHENTICATED: 401,
  /** The action needs a sign-in at most 5 minutes old: sign in again, then retry. */
  STEP_UP_REQUIRED: 401,
  SIGN_IN_FAILED: 401,
  /** Signed in, but no role of the user holds the permission. */
  FORBIDDEN: 403,
  /** A browser request from a page of another site (cross-site request or socket). */
  ORIGIN_REFUSED: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  STREAM_NOT_FOUND: 404,
  SCENE_NOT_FOUND: 404,
  ALARM_NOT_FOUND: 404,
  RULE_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  CAMERA_NOT_FOUND: 404,
  /** The action does not apply to the alarm's current state (e.g. a one-shot shelve of an inactive alarm). */
  ALARM_STATE: 409,
  /** A camera cannot be activated or viewed without its purpose, legal basis, signage, retention and DPIA. */
  CAMERA_NOT_COMPLIANT: 409,
  /** The safety validator rejects the plan (the report names each violation): fix it first. */
  PLAN_REJECTED: 422,
  /** The action does not apply to the plan version's status (e.g. approving a draft, deploying an unapproved version). */
  PLAN_STATE: 409,
  /** Four-eyes: the author of a plan version cannot approve it. */
  FOUR_EYES: 403,
  /** The controller has a deployment still waiting for its acknowledgement. */
  DEPLOY_IN_PROGRESS: 409,
  /** Census (OGC API Features): the collection or the feature does not exist (a deleted feature stays gone). */
  COLLECTION_NOT_FOUND: 404,
  FEATURE_NOT_FOUND: 404,
  /** If-Match names another version of the feature than the current one (someone changed it meanwhile). */
  PRECONDITION_FAILED: 412,
  /** The collection requires If-Match on every change (strict mode): GET the feature, send its ETag. */
  PRECONDITION_REQUIRED: 428,
  /** The geometry is invalid (the reason says where), of another type than the collection's, or outside the comune. */
  INVALID_GEOMETRY: 422,
  /** The feature's attributes do not match the asset type's schema (each detail names the attribute). */
  INVALID_FEATURE: 422,
  /** Another feature still refers to this one (a light on this pole): move or retire those first. */
  FEATURE_IN_USE: 409,
  /** An uploaded file was refused before reading it (archive bomb, path outside the archive, unsupported or unsafe content). */
  UPLOAD_REFUSED: 422,
  /** An import was rolled back as a whole: the report lists every feature's problem. */
  IMPORT_REJECTED: 422,
  /** The format needs GDAL (ogr2ogr), which is not installed on this server. */
  GDAL_UNAVAILABLE: 503,
  /** The action does not apply to the scenario's status (an archived scenario is read-only) or its run's (cancelling a finished run). */
  SCENARIO_STATE: 409,
  /** The fast estimate cannot run for this scenario: no counts for its base, no city network imported (the message says which). */
  SCENARIO_NOT_ESTIMABLE: 422,
  /** Citizen cases (Open311): no such service (or it is retired), no such published case or token. */
  SERVICE_NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  /** A citizen's page or action needs their SPID/CIE sign-in (/api/my/auth/start). */
  CITIZEN_SIGN_IN_REQUIRED: 401,
  /** The national platform the action needs (SEND, pagoPA, App IO) is not configured on this server: the message names its settings. */
  PLATFORM_NOT_CONFIGURED: 409,
  /** A legal notice does not apply to this case: its service sends none, or the reporter's fiscal code is not known (they did not sign in with SPID/CIE). */
  NOTICE_NOT_APPLICABLE: 409,
  /** The point of a case lies outside the comune's districts (lat and long swapped?). */
  OUTSIDE_AREA: 422,
  /** Open data: no such dataset in the catalogue, or its file has not been published yet. */
  DATASET_NOT_FOUND: 404,
  /** The PMO portfolio has no project with that id (or that version). */
  PROJECT_NOT_FOUND: 404,
  /** Thematic dashboards: no theme or loaded dataset with that id. */
  DASHBOARD_NOT_FOUND: 404,
  /** A dataset to load cannot be read as declared: the message names the rows and columns (a measure column with text, an unknown column, no row placed). Nothing is stored. */
  DASHBOARD_DATA_INVALID: 422,
  PROTOCOL_MISMATCH: 400,
  NOT_READY: 503,
  DB_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const
export type ErrorCode = keyof typeof ERROR_STATUS
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])

/** The one error envelope of every REST and Socket.IO error. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    /** Field-level problems, e.g. [{ path: 'query.from', message: '…' }]. */
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
})
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>
