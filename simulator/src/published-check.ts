/**
 * Checks one published message against the contracts exactly as a strict receiver would: topic
 * grammar, UTF-8, JSON, envelope, topic/payload device id, and the stream's value schema.
 * Used by the tests (every generated reading passes, every malformed fault fails).
 */
import { parseTopic } from '../../contracts/events'
import { DeviceRegistrationSchema } from '../../contracts/schemas/device'
import { ReadingEnvelopeSchema, streamSpec, VALUE_SHAPES } from '../../contracts/schemas/reading'

export type PublishedCheck = { ok: true; kind: 'reading' | 'register' } | { ok: false; reason: string }

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function checkPublished(topic: string, payload: Uint8Array): PublishedCheck {
  const parsed = parseTopic(topic)
  if (parsed.type === 'invalid') return { ok: false, reason: `${parsed.reason}: ${parsed.detail}` }
  if (parsed.type === 'fiware') return { ok: false, reason: 'fiware topics are not produced by the simulator' }
  let json: unknown
  try {
    json = JSON.parse(utf8.decode(payload))
  } catch (err) {
    return { ok: false, reason: `payload: ${(err as Error).message}` }
  }
  if (parsed.type === 'register') {
    const reg = DeviceRegistrationSchema.safeParse(json)
    return reg.success ? { ok: true, kind: 'register' } : { ok: false, reason: `register: ${reg.error.message}` }
  }
  const spec = streamSpec(parsed.kind, parsed.stream)
  if (!spec) return { ok: false, reason: `unknown stream ${parsed.kind}/${parsed.stream}` }
  const env = ReadingEnvelopeSchema.safeParse(json)
  if (!env.success) return { ok: false, reason: `envelope: ${env.error.message}` }
  if (env.data.deviceId !== undefined && env.data.deviceId !== parsed.deviceId) return { ok: false, reason: 'device_mismatch' }
  const values = VALUE_SHAPES[spec.shape].safeParse(env.data.values)
  if (!values.success) return { ok: false, reason: `values: ${values.error.message}` }
  return { ok: true, kind: 'reading' }
}
