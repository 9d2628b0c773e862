import type { DeviceKind, LonLat } from '../../contracts/schemas/device'

/** A device as the simulator needs it: the caller loads these from the registry (database or REST API). */
export interface SimDevice {
  id: string
  kind: DeviceKind
  position: LonLat
  expectedIntervalS: number
  props: Record<string, unknown>
  /** Used only for `register` messages; defaults to the id. */
  name?: string
}

/**
 * One stream of one device: when it reports and what it reports. `valuesAt` is a pure function of
 * the observation time (all randomness is keyed by seed, device, stream and slot), so a reading can
 * be regenerated identically after a restart or for a late re-send.
 */
export interface StreamSource {
  readonly deviceId: string
  readonly kind: DeviceKind
  readonly stream: string
  readonly intervalMs: number
  /** Observation boundaries are `offsetMs + k · intervalMs` (daily ARPAE days start at 23:00Z). */
  readonly offsetMs: number
  /** The values observed at boundary `observedAtMs`, or null when the source has nothing (nothing is published). */
  valuesAt(observedAtMs: number): Record<string, unknown> | null
}

/** The last boundary at or before `t`. */
export function alignDown(t: number, intervalMs: number, offsetMs: number): number {
  return Math.floor((t - offsetMs) / intervalMs) * intervalMs + offsetMs
}

/** Sequence number of an observation: intervals since the epoch, so it survives restarts and repeats identically. */
export function seqOf(observedAtMs: number, intervalMs: number): number {
  return Math.floor(observedAtMs / intervalMs)
}

/** A string or number prop, whichever of the names is present. */
export function propText(props: Record<string, unknown>, ...names: string[]): string | null {
  for (const name of names) {
    const v = props[name]
    if (typeof v === 'string' && v.trim() !== '') return v.trim()
    if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  }
  return null
}
