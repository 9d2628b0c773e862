/**
 * Bologna publishes no inventory of its connectivity devices. Gemello generates one: a field
 * router per ZTL gate (`net-<varco>`), 5 m east of the gate. Deterministic: the same gates give
 * the same devices.
 */
import type { LonLat } from '../../../contracts/schemas/device'
import type { DeviceRow } from './write-devices'

export const CONNECTIVITY_NOTE = 'Generated: no open inventory of connectivity devices; one field router per ZTL gate'
const EARTH_RADIUS_M = 6_371_008.8
export const ROUTER_OFFSET_EAST_M = 5

/** The point `metres` east of `position`. */
export function eastOf([lon, lat]: LonLat, metres: number): LonLat {
  const dLon = (metres / (EARTH_RADIUS_M * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI)
  return [lon + dLon, lat]
}

export interface GateForRouter {
  row: number
  /** The gate device id, `ztl-<varco>`. */
  deviceId: string
  position: LonLat
  name: string
}

/** One connectivity device per gate: id `net-<varco>` (the gate id with `ztl-` replaced by `net-`). */
export function routersForGates(gates: readonly GateForRouter[]): DeviceRow[] {
  return gates.map((g) => ({
    row: g.row,
    id: `net-${g.deviceId.replace(/^ztl-/, '')}`,
    kind: 'connectivity',
    name: `Field router (gate ${g.name})`,
    position: eastOf(g.position, ROUTER_OFFSET_EAST_M),
    expectedIntervalS: 60,
    source: 'generated',
    props: { generated: true, note: CONNECTIVITY_NOTE, gate: g.deviceId },
  }))
}
