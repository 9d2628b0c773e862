/**
 * Fault injection for tests and chaos runs (off by default). Every decision is a hash of
 * (seed, device, stream, seq), so the same seed injects the same faults at the same readings.
 */
import { readingTopic } from '../../contracts/events'
import type { DeviceKind } from '../../contracts/schemas/device'
import { hash32, unitHash } from './prng'
import { DAY_MS, HOUR_MS } from './source-calendar'

export const FAULT_TYPES = ['malformed', 'duplicate', 'late', 'clock_skew', 'silent'] as const
export type FaultType = (typeof FAULT_TYPES)[number]

export interface FaultOptions {
  /**
   * 0–1. Share of readings that get a per-reading fault (malformed, duplicate or late), and the
   * share of devices given a skewed clock and, independently, the share that fall silent.
   */
  rate: number
  /** Which faults to inject (default: all). */
  kinds?: FaultType[]
}

export const MALFORMED_VARIANTS = [
  'truncated_json',
  'invalid_utf8',
  'wrong_types',
  'missing_seq',
  'plate_field',
  'nan_literal',
  'non_finite_number',
  'device_mismatch',
  'unknown_kind',
] as const
export type MalformedVariant = (typeof MALFORMED_VARIANTS)[number]

export const CLOCK_AHEAD_MS = HOUR_MS
export const CLOCK_BEHIND_MS = -30 * DAY_MS
/** A silent device publishes this many readings (1–MAX) after start, then nothing. */
const SILENT_AFTER_MAX = 5
/** A late reading re-sends the observation 1–MAX intervals back. */
export const LATE_MAX_INTERVALS = 5

export interface Envelope {
  seq: number
  observedAt: number
  values: Record<string, unknown>
}

export interface Malformed {
  topic: string
  payload: Buffer
  variant: MalformedVariant
}

export class FaultInjector {
  private readonly rate: number
  private readonly kinds: ReadonlySet<FaultType>
  private readonly perReadingKinds: Array<'malformed' | 'duplicate' | 'late'>

  constructor(
    options: FaultOptions | undefined,
    private readonly seed: number,
  ) {
    const rate = options?.rate ?? 0
    if (!(rate >= 0 && rate <= 1)) throw new Error(`faults.rate must be between 0 and 1, got ${rate}`)
    this.rate = rate
    this.kinds = new Set(options?.kinds ?? FAULT_TYPES)
    for (const k of this.kinds) if (!FAULT_TYPES.includes(k)) throw new Error(`unknown fault kind "${k}"; known: ${FAULT_TYPES.join(', ')}`)
    this.perReadingKinds = (['malformed', 'duplicate', 'late'] as const).filter((k) => this.kinds.has(k))
  }

  get enabled(): boolean {
    return this.rate > 0 && this.kinds.size > 0
  }

  /** A fixed set of devices has a skewed clock: most +1 h ahead, one in four 30 days behind. */
  clockOffsetMs(deviceId: string): number {
    if (!this.enabled || !this.kinds.has('clock_skew')) return 0
    if (unitHash(this.seed, 'fault-skew', deviceId) >= this.rate) return 0
    return unitHash(this.seed, 'fault-skew-direction', deviceId) < 0.25 ? CLOCK_BEHIND_MS : CLOCK_AHEAD_MS
  }

  /** For a device of the silent set, how many readings it publishes before it stops; null otherwise. */
  silentAfter(deviceId: string): number | null {
    if (!this.enabled || !this.kinds.has('silent')) return null
    if (unitHash(this.seed, 'fault-silent', deviceId) >= this.rate) return null
    return 1 + (hash32(this.seed, 'fault-silent-after', deviceId) % SILENT_AFTER_MAX)
  }

  /** The per-reading fault for this reading, if any. */
  pick(deviceId: string, stream: string, seq: number): 'malformed' | 'duplicate' | 'late' | null {
    if (!this.enabled || this.perReadingKinds.length === 0) return null
    if (unitHash(this.seed, 'fault', deviceId, stream, seq) >= this.rate) return null
    return this.perReadingKinds[hash32(this.seed, 'fault-kind', deviceId, stream, seq) % this.perReadingKinds.length] ?? null
  }

  /** How many intervals back a late re-send goes (1–5). */
  lateIntervals(deviceId: string, stream: string, seq: number): number {
    return 1 + (hash32(this.seed, 'fault-late', deviceId, stream, seq) % LATE_MAX_INTERVALS)
  }

  /** A broken version of a reading; the variant depends on the reading (plates only on ZTL gates). */
  malform(kind: DeviceKind, deviceId: string, stream: string, envelope: Envelope): Malformed {
    const variants = MALFORMED_VARIANTS.filter((v) => v !== 'plate_field' || kind === 'ztl-gate')
    const variant = variants[hash32(this.seed, 'fault-variant', deviceId, stream, envelope.seq) % variants.length] ?? 'truncated_json'
    return { ...malformedPayload(variant, kind, deviceId, stream, envelope), variant }
  }
}

/** Builds one malformed message. Exported for tests: each must be refused by the contracts. */
export function malformedPayload(variant: MalformedVariant, kind: DeviceKind, deviceId: string, stream: string, e: Envelope): { topic: string; payload: Buffer } {
  const topic = readingTopic(kind, deviceId, stream)
  const good = JSON.stringify(e)
  switch (variant) {
    case 'truncated_json':
      return { topic, payload: Buffer.from(good.slice(0, Math.floor(good.length / 2))) }
    case 'invalid_utf8':
      // 0xC3 0x28 is an invalid two-byte sequence, placed inside the first key.
      return { topic, payload: Buffer.concat([Buffer.from('{"'), Buffer.from([0xc3, 0x28]), Buffer.from(good.slice(2))]) }
    case 'wrong_types':
      return {
        topic,
        payload: Buffer.from(JSON.stringify({ seq: String(e.seq), observedAt: e.observedAt, values: Object.fromEntries(Object.entries(e.values).map(([k, v]) => [k, String(v)])) })),
      }
    case 'missing_seq':
      return { topic, payload: Buffer.from(JSON.stringify({ observedAt: e.observedAt, values: e.values })) }
    case 'plate_field':
      // A made-up plate in the Italian format: the point is that the gate schema refuses any plate.
      return { topic, payload: Buffer.from(JSON.stringify({ ...e, values: { ...e.values, plate: 'XX000XX' } })) }
    case 'nan_literal':
      return { topic, payload: Buffer.from(replaceFirstNumber(e, 'NaN')) }
    case 'non_finite_number':
      return { topic, payload: Buffer.from(replaceFirstNumber(e, '1e400')) }
    case 'device_mismatch':
      return { topic, payload: Buffer.from(JSON.stringify({ deviceId: `${deviceId.slice(0, 70)}-other`, ...e })) }
    case 'unknown_kind':
      return { topic: `gemello/v1/parking-sensor/${deviceId}/${stream}`, payload: Buffer.from(good) }
  }
}

/** The envelope as JSON with its first number inside `values` replaced by a literal token. */
function replaceFirstNumber(e: Envelope, token: string): string {
  const values = JSON.stringify(e.values)
  const broken = /:-?\d/.test(values) ? values.replace(/:-?\d[\d.eE+-]*/, `:${token}`) : values.replace(/^\{/, `{"value":${token},`)
  return JSON.stringify({ seq: e.seq, observedAt: e.observedAt, values: '\u0000' }).replace('"\\u0000"', broken)
}
