import { z } from 'zod'

/** Every kind of field device Gemello knows. The kind is the second level of the MQTT topic. */
export const DeviceKindSchema = z.enum([
  'traffic-loop',
  'air-quality',
  'ztl-gate',
  'bike-counter',
  'connectivity',
  'signal-controller',
])
export type DeviceKind = z.infer<typeof DeviceKindSchema>
export const DEVICE_KINDS = DeviceKindSchema.options

/**
 * A device id is one MQTT topic level: letters, digits, dot, dash, underscore; no `/`, `+`, `#`.
 * Ids are stable across imports (e.g. `loop-450` from the loop registry's `id_uni`).
 */
export const DeviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'a device id is 1–80 letters, digits, ".", "-" or "_", starting with a letter or digit')

/** Coordinates are always [lon, lat] in EPSG:4326 at every boundary. */
export const LonLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
export type LonLat = z.infer<typeof LonLatSchema>

/** Where a device record comes from: an open-data registry, a generator (demo or synthetic), or a device's own registration message. */
export const DeviceSourceSchema = z.enum(['open-data', 'generated', 'registered'])
export type DeviceSource = z.infer<typeof DeviceSourceSchema>

export const DeviceSchema = z.object({
  id: DeviceIdSchema,
  kind: DeviceKindSchema,
  name: z.string(),
  position: LonLatSchema,
  /** How often the device is expected to report; a stream silent for 3× this is stale. */
  expectedIntervalS: z.number().int().positive(),
  source: DeviceSourceSchema,
  /** Manifest id of the dataset the device was imported from, when imported. */
  dataset: z.string().nullable(),
  /** Kind-specific attributes from the source registry (codice spira, street, direction, …). */
  props: z.record(z.string(), z.unknown()),
})
export type Device = z.infer<typeof DeviceSchema>

/** Body of a `…/register` MQTT message: a device announcing itself or updating its inventory record. */
export const DeviceRegistrationSchema = z
  .object({
    name: z.string().min(1).max(200),
    position: LonLatSchema,
    expectedIntervalS: z.number().int().positive().max(7 * 86400).optional(),
    props: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict()
export type DeviceRegistration = z.infer<typeof DeviceRegistrationSchema>
