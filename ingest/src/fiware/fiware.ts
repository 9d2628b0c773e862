/**
 * FIWARE Smart Data Models on `gemello/v1/fiware/<EntityType>`: key-values or normalized NGSI-LD.
 * Normalized entities are flattened to key-values, validated against the official JSON Schema of
 * their type (vendored in ./schemas), then mapped onto Gemello readings and registrations:
 *
 *   TrafficFlowObserved → traffic-loop reading (stream traffic): intensity over the observation
 *                         period becomes flowVehH, occupancy (fraction) becomes occupancyPct.
 *   DeviceMeasurement   → air-quality reading; controlledProperty names the pollutant stream.
 *   Device              → registration; the kind follows controlledProperty.
 *
 * The Gemello device is `refDevice` when present, else the last `:` segment of the entity id
 * (urn:ngsi-ld:TrafficFlowObserved:loop-450 → loop-450). FIWARE carries no sequence number, so
 * these readings are idempotent on (device, stream, observedAt) only.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ValidateFunction } from 'ajv'
import { FIWARE_TYPES, type FiwareType } from '../../../contracts/events'
import { DeviceIdSchema, type DeviceKind } from '../../../contracts/schemas/device'
import { AirQualityValuesSchema, TrafficValuesSchema, streamSpec } from '../../../contracts/schemas/reading'
import { judgeTime, quarantine, type Inbound, type KnownDevice, type Parsed } from '../parse-message'

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas')
const SCHEMA_FILES: Record<FiwareType, string> = {
  TrafficFlowObserved: 'TrafficFlowObserved.schema.json',
  Device: 'Device.schema.json',
  DeviceMeasurement: 'DeviceMeasurement.schema.json',
}

let validators: Record<FiwareType, ValidateFunction> | null = null

function getValidators(): Record<FiwareType, ValidateFunction> {
  if (validators) return validators
  const ajv = new Ajv2020({ strict: false, allErrors: false })
  ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
  for (const shared of ['common-schema.json', 'device-commons.schema.json']) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMA_DIR, shared), 'utf8')))
  }
  const compiled = {} as Record<FiwareType, ValidateFunction>
  for (const t of FIWARE_TYPES) compiled[t] = ajv.compile(JSON.parse(readFileSync(path.join(SCHEMA_DIR, SCHEMA_FILES[t]), 'utf8')))
  validators = compiled
  return compiled
}

/** True when the entity uses NGSI-LD normalized form ({ type: 'Property', value } per attribute). */
export function isNormalized(entity: Record<string, unknown>): boolean {
  return Object.entries(entity).some(
    ([k, v]) => k !== 'id' && k !== 'type' && k !== '@context' && isAttr(v),
  )
}
function isAttr(v: unknown): v is { type: string; value?: unknown; object?: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ['Property', 'GeoProperty', 'Relationship'].includes(String((v as { type?: unknown }).type))
}

/** Flattens normalized NGSI-LD to key-values (DateTime objects become their @value). */
export function toKeyValues(entity: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(entity)) {
    if (k === '@context') continue
    if (!isAttr(v)) {
      out[k] = v
      continue
    }
    const raw = v.type === 'Relationship' ? v.object : v.value
    out[k] = typeof raw === 'object' && raw !== null && '@value' in raw ? (raw as { '@value': unknown })['@value'] : raw
  }
  return out
}

const lastSegment = (id: string) => id.split(':').filter(Boolean).pop() ?? id

/** FIWARE DateTime: ISO 8601; a time without an offset is UTC as the Smart Data Models specify. */
function fiwareTime(v: unknown): number {
  if (typeof v !== 'string') return Number.NaN
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(v)
  return Date.parse(hasOffset ? v : `${v}Z`)
}

const POLLUTANT_STREAM: Record<string, string> = { no2: 'no2', o3: 'o3', co: 'co', ch4: 'ch4', pm10: 'pm10', 'pm2.5': 'pm25', pm25: 'pm25', pm2_5: 'pm25' }
const CEFACT_UNIT: Record<string, 'ug/m3' | 'mg/m3' | 'ppm' | 'ppb'> = { GQ: 'ug/m3', GP: 'mg/m3', '59': 'ppm', '61': 'ppb', 'ug/m3': 'ug/m3', 'µg/m3': 'ug/m3', 'µg/m³': 'ug/m3', 'mg/m3': 'mg/m3', ppm: 'ppm', ppb: 'ppb' }
const AIR_PROPERTIES = new Set(['airpollution', 'no2', 'o3', 'co', 'ch4', 'pm10', 'pm2.5', 'pm25', 'airquality'])

export function parseFiware(msg: Inbound, entityType: string, body: unknown, devices: ReadonlyMap<string, KnownDevice>): Parsed {
  if (!(FIWARE_TYPES as readonly string[]).includes(entityType)) {
    return quarantine(msg, 'fiware_unsupported_type', `entity type "${entityType}" is not accepted; accepted: ${FIWARE_TYPES.join(', ')}`)
  }
  const type = entityType as FiwareType
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return quarantine(msg, 'fiware_schema_violation', 'a FIWARE entity must be a JSON object')
  }
  const entity = isNormalized(body as Record<string, unknown>) ? toKeyValues(body as Record<string, unknown>) : (body as Record<string, unknown>)
  if (entity.type !== type) {
    return quarantine(msg, 'fiware_schema_violation', `entity type "${String(entity.type)}" does not match the topic (${type})`)
  }
  const validate = getValidators()[type]
  if (!validate(entity)) {
    const e = validate.errors?.[0]
    return quarantine(msg, 'fiware_schema_violation', `${type} ${e?.instancePath || '(root)'} ${e?.message ?? 'is invalid'}`)
  }
  const ref = typeof entity.refDevice === 'string' ? entity.refDevice : String(entity.id)
  const deviceId = lastSegment(ref)
  if (!DeviceIdSchema.safeParse(deviceId).success) {
    return quarantine(msg, 'fiware_schema_violation', `cannot derive a Gemello device id from "${ref}"`)
  }
  switch (type) {
    case 'TrafficFlowObserved':
      return trafficFlow(msg, entity, deviceId, devices)
    case 'DeviceMeasurement':
      return measurement(msg, entity, deviceId, devices)
    case 'Device':
      return deviceRegistration(msg, entity, deviceId)
  }
}

function reading(msg: Inbound, deviceId: string, kind: DeviceKind, stream: string, observed: number, values: Record<string, unknown>, devices: ReadonlyMap<string, KnownDevice>): Parsed {
  const known = devices.get(deviceId)
  if (known && known.kind !== kind) return quarantine(msg, 'kind_mismatch', `device ${deviceId} is registered as ${known.kind}, not ${kind}`)
  const time = judgeTime(observed, msg.receivedAtMs)
  if (!time.ok) return quarantine(msg, time.reason, time.detail)
  const spec = streamSpec(kind, stream)
  if (!spec) return quarantine(msg, 'unknown_stream', `${kind} devices have no stream "${stream}"`)
  return {
    type: 'reading',
    unverifiedDevice: !known,
    reading: { deviceId, kind, stream, shape: spec.shape, seq: null, observedAtMs: time.observedAtMs, receivedAtMs: msg.receivedAtMs, quality: time.skewed ? 'clock_skew_future' : 'good', values },
  }
}

function trafficFlow(msg: Inbound, e: Record<string, unknown>, deviceId: string, devices: ReadonlyMap<string, KnownDevice>): Parsed {
  const interval = typeof e.dateObserved === 'string' && e.dateObserved.includes('/') ? e.dateObserved.split('/') : null
  const from = fiwareTime(e.dateObservedFrom ?? interval?.[0])
  const to = fiwareTime(e.dateObservedTo ?? interval?.[1])
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    return quarantine(msg, 'fiware_schema_violation', 'TrafficFlowObserved needs an observation period (dateObservedFrom/dateObservedTo, or an interval in dateObserved) to turn intensity into a flow')
  }
  if (typeof e.intensity !== 'number' || typeof e.occupancy !== 'number') {
    return quarantine(msg, 'fiware_schema_violation', 'TrafficFlowObserved needs intensity and occupancy')
  }
  const periodS = Math.round((to - from) / 1000)
  const values = TrafficValuesSchema.safeParse({
    flowVehH: (e.intensity * 3600) / periodS,
    occupancyPct: e.occupancy * 100,
    speedKmh: typeof e.averageVehicleSpeed === 'number' ? e.averageVehicleSpeed : null,
    intervalS: periodS,
    lane: typeof e.laneId === 'number' ? e.laneId : null,
  })
  if (!values.success) return quarantine(msg, 'fiware_schema_violation', `mapped values out of range: ${values.error.issues[0]?.message}`)
  return reading(msg, deviceId, 'traffic-loop', 'traffic', to, values.data, devices)
}

function measurement(msg: Inbound, e: Record<string, unknown>, deviceId: string, devices: ReadonlyMap<string, KnownDevice>): Parsed {
  const property = String(e.controlledProperty ?? '').toLowerCase()
  const stream = POLLUTANT_STREAM[property]
  if (!stream) return quarantine(msg, 'fiware_unsupported_type', `DeviceMeasurement of "${property}" is not accepted; accepted pollutants: NO2, O3, CO, CH4, PM10, PM2.5`)
  const unit = CEFACT_UNIT[String(e.unit ?? '')]
  if (!unit) return quarantine(msg, 'fiware_schema_violation', `unit "${String(e.unit)}" is not one of GQ (µg/m³), GP (mg/m³), 59 (ppm), 61 (ppb)`)
  const values = AirQualityValuesSchema.safeParse({ value: e.numValue, unit, validity: e.outlier === true ? 'invalid' : 'valid', averagingS: streamSpec('air-quality', stream)?.defaultIntervalS ?? 3600 })
  if (!values.success) return quarantine(msg, 'fiware_schema_violation', `numValue: ${values.error.issues[0]?.message}`)
  return reading(msg, deviceId, 'air-quality', stream, fiwareTime(e.dateObserved), values.data, devices)
}

function deviceRegistration(msg: Inbound, e: Record<string, unknown>, deviceId: string): Parsed {
  const props = (Array.isArray(e.controlledProperty) ? e.controlledProperty : [e.controlledProperty]).map((p) => String(p).toLowerCase())
  const kind: DeviceKind | null = props.includes('trafficflow') ? 'traffic-loop' : props.some((p) => AIR_PROPERTIES.has(p)) ? 'air-quality' : null
  if (!kind) return quarantine(msg, 'fiware_unsupported_type', `Device controlling ${props.join(', ')} maps to no Gemello device kind (trafficFlow or air pollutants)`)
  const loc = e.location as { type?: string; coordinates?: unknown } | undefined
  const coords = loc?.type === 'Point' && Array.isArray(loc.coordinates) ? loc.coordinates : null
  const lon = Number(coords?.[0])
  const lat = Number(coords?.[1])
  if (!coords || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    return quarantine(msg, 'fiware_schema_violation', 'Device needs a GeoJSON Point location [lon, lat]')
  }
  return {
    type: 'register',
    registration: {
      deviceId,
      kind,
      name: typeof e.name === 'string' && e.name ? e.name : deviceId,
      position: [lon, lat],
      expectedIntervalS: kind === 'traffic-loop' ? 60 : 3600,
      props: { fiwareId: String(e.id), ...(typeof e.serialNumber === 'string' ? { serialNumber: e.serialNumber } : {}) },
    },
  }
}
