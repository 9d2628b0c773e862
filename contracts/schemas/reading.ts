import { z } from 'zod'
import type { DeviceKind } from './device'

const count = z.number().int().min(0).max(1_000_000)
const intervalS = z.number().int().min(1).max(86_400)

/** Traffic loop, one lane: flow, occupancy and speed over an aggregation interval. */
export const TrafficValuesSchema = z
  .object({
    flowVehH: z.number().min(0).max(10_000),
    occupancyPct: z.number().min(0).max(100),
    /** Null when the loop is a single loop that cannot measure speed. */
    speedKmh: z.number().min(0).max(250).nullable(),
    intervalS,
    /** Lane index, 0 = rightmost, as in SUMO; null when the loop covers the whole carriageway. */
    lane: z.number().int().min(0).max(15).nullable().optional(),
  })
  .strict()
export type TrafficValues = z.infer<typeof TrafficValuesSchema>

export const AirQualityUnitSchema = z.enum(['ug/m3', 'mg/m3', 'ppm', 'ppb'])
/** ARPAE validity flags: valid, provisional (not yet validated), invalid. */
export const ValiditySchema = z.enum(['valid', 'provisional', 'invalid'])

/** Air-quality station, one pollutant (the pollutant is the stream: no2, o3, co, ch4, pm10, pm25). */
export const AirQualityValuesSchema = z
  .object({
    value: z.number().min(-100).max(100_000),
    unit: AirQualityUnitSchema,
    validity: ValiditySchema,
    /** Averaging period of the value (3600 for hourly, 86400 for daily). */
    averagingS: intervalS,
  })
  .strict()
export type AirQualityValues = z.infer<typeof AirQualityValuesSchema>

export const GateStatusSchema = z.enum(['operational', 'degraded', 'fault', 'offline'])
/**
 * ZTL camera gate: status and vehicle counts per interval. Strict on purpose: a payload carrying
 * images, plates or any other field is rejected, so personal data never enters Gemello this way.
 */
export const GateValuesSchema = z
  .object({
    status: GateStatusSchema,
    intervalS,
    vehicles: count,
    /** Transits by vehicles without a permit, counted by the gate (no identities). */
    unauthorized: count.optional(),
  })
  .strict()
export type GateValues = z.infer<typeof GateValuesSchema>

export const LinkStatusSchema = z.enum(['up', 'degraded', 'down'])
/** Connectivity device (public Wi-Fi access point, field router): status, clients, throughput. */
export const LinkValuesSchema = z
  .object({
    status: LinkStatusSchema,
    connectedClients: count,
    rxKbps: z.number().min(0).max(100_000_000),
    txKbps: z.number().min(0).max(100_000_000),
  })
  .strict()
export type LinkValues = z.infer<typeof LinkValuesSchema>

export const SignalModeSchema = z.enum(['fixed', 'actuated', 'adaptive', 'flashing', 'off'])
/** Signal controller: the stage running now (used by the signal workbench). */
export const SignalStageValuesSchema = z
  .object({
    programId: z.string().min(1).max(64),
    stage: z.number().int().min(0).max(255),
    mode: SignalModeSchema,
    cycleSecond: z.number().min(0).max(600).optional(),
  })
  .strict()
export type SignalStageValues = z.infer<typeof SignalStageValuesSchema>

/** Bicycle counter: bikes counted per interval. */
export const BikeCountValuesSchema = z
  .object({
    intervalS,
    bikes: count,
  })
  .strict()
export type BikeCountValues = z.infer<typeof BikeCountValuesSchema>

/** Value shapes: each is stored in its own typed history table (one column per metric). */
export const VALUE_SHAPES = {
  traffic: TrafficValuesSchema,
  'air-quality': AirQualityValuesSchema,
  gate: GateValuesSchema,
  link: LinkValuesSchema,
  'signal-stage': SignalStageValuesSchema,
  'bike-count': BikeCountValuesSchema,
} as const
export type ValueShape = keyof typeof VALUE_SHAPES
export type ValuesOf<S extends ValueShape> = z.infer<(typeof VALUE_SHAPES)[S]>
export type ReadingValues = ValuesOf<ValueShape>

export interface StreamSpec {
  shape: ValueShape
  /** Default reporting interval, used for devices that do not declare one. */
  defaultIntervalS: number
  /** Human label (English); the client translates by key `stream.<kind>.<stream>`. */
  label: string
}

/** Which streams each kind publishes. The stream is the last topic level. */
export const STREAMS: Record<DeviceKind, Record<string, StreamSpec>> = {
  'traffic-loop': { traffic: { shape: 'traffic', defaultIntervalS: 60, label: 'Traffic' } },
  'air-quality': {
    no2: { shape: 'air-quality', defaultIntervalS: 3600, label: 'NO₂' },
    o3: { shape: 'air-quality', defaultIntervalS: 3600, label: 'O₃' },
    co: { shape: 'air-quality', defaultIntervalS: 3600, label: 'CO' },
    ch4: { shape: 'air-quality', defaultIntervalS: 3600, label: 'CH₄' },
    pm10: { shape: 'air-quality', defaultIntervalS: 86_400, label: 'PM10' },
    pm25: { shape: 'air-quality', defaultIntervalS: 86_400, label: 'PM2.5' },
  },
  'ztl-gate': { gate: { shape: 'gate', defaultIntervalS: 300, label: 'Gate' } },
  'bike-counter': { bikes: { shape: 'bike-count', defaultIntervalS: 900, label: 'Bicycles' } },
  connectivity: { link: { shape: 'link', defaultIntervalS: 60, label: 'Link' } },
  'signal-controller': { stage: { shape: 'signal-stage', defaultIntervalS: 5, label: 'Stage' } },
}

export function streamSpec(kind: DeviceKind, stream: string): StreamSpec | undefined {
  return Object.prototype.hasOwnProperty.call(STREAMS[kind], stream) ? STREAMS[kind][stream] : undefined
}

/** A device's own statement about a reading's quality (the server adds staleness on top). */
export const ReportedQualitySchema = z.enum(['good', 'uncertain', 'bad'])
export type ReportedQuality = z.infer<typeof ReportedQualitySchema>

const RFC3339_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** Observation time: epoch milliseconds, or RFC 3339 with an explicit offset (local times are ambiguous). */
export const ObservedAtSchema = z.union([
  z.number().int().min(0).max(8_640_000_000_000),
  z.string().regex(RFC3339_WITH_OFFSET, 'observedAt must be epoch ms or RFC 3339 with an offset, e.g. 2024-03-01T08:00:00+01:00'),
])

/**
 * The envelope every device reading carries. `seq` is monotonic per device and stream and survives
 * reboots; together with `observedAt` it makes re-sent messages idempotent.
 */
export const ReadingEnvelopeSchema = z
  .object({
    /** Optional; when present it must equal the device id in the topic. */
    deviceId: z.string().optional(),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    observedAt: ObservedAtSchema,
    values: z.unknown(),
    quality: ReportedQualitySchema.optional(),
  })
  .strict()
export type ReadingEnvelope = z.infer<typeof ReadingEnvelopeSchema>

const RFC3339_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/

/**
 * Parses an `observedAt` that already passed the schema into epoch ms; NaN when the date does not
 * exist (2026-02-31, 24:00, an offset beyond ±14 h). Stricter than Date.parse, which rolls
 * impossible dates over into the next month.
 */
export function observedAtMs(value: number | string): number {
  if (typeof value === 'number') return value
  const m = RFC3339_PARTS.exec(value)
  if (!m) return Number.NaN
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]))
  if (mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi! > 59 || s! > 59) return Number.NaN
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate()
  if (d! > daysInMonth) return Number.NaN
  const fraction = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0
  let offsetMin = 0
  if (m[8] !== 'Z') {
    const oh = Number(m[10])
    const om = Number(m[11])
    if (oh > 14 || om > 59) return Number.NaN
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + fraction - offsetMin * 60_000
}
