import { z } from 'zod'

/** Stable reasons a message is quarantined instead of stored. Each maps to a message a person can act on. */
export const QuarantineReasonSchema = z.enum([
  'invalid_topic',
  'unknown_kind',
  'unknown_stream',
  'payload_too_large',
  'invalid_utf8',
  'invalid_json',
  'json_too_deep',
  'schema_violation',
  'device_mismatch',
  'unknown_device',
  'kind_mismatch',
  'timestamp_invalid',
  'timestamp_too_old',
  'timestamp_too_far_future',
  'fiware_unsupported_type',
  'fiware_schema_violation',
  'db_rejected',
])
export type QuarantineReason = z.infer<typeof QuarantineReasonSchema>

export const QUARANTINE_REASON_TEXT: Record<QuarantineReason, string> = {
  invalid_topic: 'The topic does not follow gemello/v1/<kind>/<deviceId>/<stream>.',
  unknown_kind: 'The device kind in the topic is not one Gemello knows.',
  unknown_stream: 'This kind of device has no such stream.',
  payload_too_large: 'The payload is larger than the 64 KiB limit.',
  invalid_utf8: 'The payload is not valid UTF-8 text.',
  invalid_json: 'The payload is not valid JSON.',
  json_too_deep: 'The payload nests deeper than allowed.',
  schema_violation: 'The payload does not match the schema of this stream.',
  device_mismatch: 'The deviceId in the payload differs from the one in the topic.',
  unknown_device: 'No device with this id is registered; publish a register message first.',
  kind_mismatch: 'The device is registered with a different kind than the topic says.',
  timestamp_invalid: 'observedAt is not a real date.',
  timestamp_too_old: 'observedAt is more than 7 days in the past.',
  timestamp_too_far_future: 'observedAt is more than 10 minutes in the future (device clock?).',
  fiware_unsupported_type: 'This FIWARE entity type is not accepted.',
  fiware_schema_violation: 'The FIWARE entity does not match its Smart Data Model schema.',
  db_rejected: 'The database refused this reading.',
}

export const QuarantineEntrySchema = z.object({
  id: z.number().int(),
  receivedAtMs: z.number(),
  topic: z.string(),
  clientId: z.string().nullable(),
  reason: QuarantineReasonSchema,
  detail: z.string(),
  /** The payload as text (invalid bytes replaced), at most 2 KiB; the full raw bytes (≤ 64 KiB) stay in the database. */
  payloadPreview: z.string(),
  payloadBytes: z.number().int(),
  sha256: z.string(),
})
export type QuarantineEntry = z.infer<typeof QuarantineEntrySchema>
