/**
 * Push to wall (ADR 0006): what an operator pushed, where the map should look, and for how long the
 * wall says who pushed it.
 */
import type { Alarm } from '../../../contracts/alarm-api'
import type { Incident } from '../../../contracts/incident-api'
import type { WallFocus } from '../../../contracts/wall'

/** How long a push stays announced on the wall. */
export const FOCUS_SHOWN_MS = 30_000
/** Zoom of the map when the push does not say. */
export const FOCUS_DEFAULT_ZOOM = 17

export interface FocusLookup {
  devicePosition(id: string): [number, number] | null
  alarm(id: number): Pick<Alarm, 'position' | 'deviceId'> | null
  incident(id: number): Pick<Incident, 'position'> | null
}

/** The position to fly to: the push's own centre, else the target's position, else null (nothing to fly to). */
export function focusPosition(f: WallFocus, lookup: FocusLookup): [number, number] | null {
  if (f.center) return f.center
  const n = Number(f.target.id)
  switch (f.target.type) {
    case 'device':
      return lookup.devicePosition(f.target.id)
    case 'alarm': {
      const a = Number.isInteger(n) ? lookup.alarm(n) : null
      return a?.position ?? (a?.deviceId ? lookup.devicePosition(a.deviceId) : null)
    }
    case 'incident':
      return Number.isInteger(n) ? (lookup.incident(n)?.position ?? null) : null
  }
}

/** The device to ring on the map: the pushed device, or the device of a pushed alarm. */
export function focusDeviceId(f: WallFocus, lookup: Pick<FocusLookup, 'alarm'>): string | null {
  if (f.target.type === 'device') return f.target.id
  if (f.target.type === 'alarm') {
    const n = Number(f.target.id)
    return Number.isInteger(n) ? (lookup.alarm(n)?.deviceId ?? null) : null
  }
  return null
}

/** Whether a push received at `receivedAtMs` (client clock) is still announced at `nowMs`. */
export function focusShown(receivedAtMs: number | null, nowMs: number): boolean {
  return receivedAtMs !== null && nowMs - receivedAtMs < FOCUS_SHOWN_MS
}
