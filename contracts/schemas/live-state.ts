import { z } from 'zod'
import { DeviceIdSchema, DeviceKindSchema, LonLatSchema, type DeviceKind } from './device'
import { streamSpec } from './reading'

/**
 * Quality of a live value, after OPC UA: what the device reported (good/uncertain/bad), or what
 * the server concluded from silence: `uncertain_stale` after 3× the expected interval,
 * `bad_no_comm` after 10×. A stale value must never be drawn as fresh.
 */
export const LiveQualitySchema = z.enum(['good', 'uncertain', 'bad', 'uncertain_stale', 'bad_no_comm'])
export type LiveQuality = z.infer<typeof LiveQualitySchema>

export const STALE_AFTER_INTERVALS = 3
export const NO_COMM_AFTER_INTERVALS = 10

/** The latest state of one device stream, as streamed to clients and returned by REST. */
export const LiveStateSchema = z.object({
  deviceId: DeviceIdSchema,
  kind: DeviceKindSchema,
  stream: z.string(),
  seq: z.number().int().nullable(),
  observedAtMs: z.number(),
  receivedAtMs: z.number(),
  values: z.record(z.string(), z.unknown()),
  /** Quality as the device reported it, before the age rule. */
  reportedQuality: z.enum(['good', 'uncertain', 'bad']),
  quality: LiveQualitySchema,
})
export type LiveState = z.infer<typeof LiveStateSchema>

/** A device as the live map needs it: where it is and how often it should speak. */
export const LiveDeviceSchema = z.object({
  id: DeviceIdSchema,
  kind: DeviceKindSchema,
  name: z.string(),
  position: LonLatSchema,
  expectedIntervalS: z.number().int().positive(),
  source: z.enum(['open-data', 'generated', 'registered']),
})
export type LiveDevice = z.infer<typeof LiveDeviceSchema>

/**
 * How often one stream of a device is expected to report: the device's own interval, or the
 * stream's if that is longer (an hourly air-quality station publishes PM10 once a day).
 */
export function streamIntervalS(kind: DeviceKind, stream: string, deviceIntervalS: number): number {
  return Math.max(deviceIntervalS, streamSpec(kind, stream)?.defaultIntervalS ?? 0)
}

/**
 * The one rule for staleness, shared by server and browser so that a value ages on screen even
 * when the connection is gone. `nowMs` must be server time (the client corrects its clock offset).
 */
export function liveQuality(
  reported: 'good' | 'uncertain' | 'bad',
  observedAtMs: number,
  expectedIntervalS: number,
  nowMs: number,
): LiveQuality {
  const ageMs = nowMs - observedAtMs
  if (ageMs > NO_COMM_AFTER_INTERVALS * expectedIntervalS * 1000) return 'bad_no_comm'
  if (ageMs > STALE_AFTER_INTERVALS * expectedIntervalS * 1000) return 'uncertain_stale'
  return reported
}

export function isStale(quality: LiveQuality): boolean {
  return quality === 'uncertain_stale' || quality === 'bad_no_comm'
}
