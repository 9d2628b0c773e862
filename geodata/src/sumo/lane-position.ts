/**
 * Where a position along a lane is, the way SUMO computes it: a lane's `pos` is measured in the
 * lane's declared `length`, which can differ from the length of its drawn shape (netconvert
 * shortens shapes at junctions), so it is scaled by shapeLength / length before walking the shape
 * (MSLane::interpolateLanePosToGeometryPos). A negative pos counts back from the lane's end.
 */
import type { NetXy } from './sumo-net'

export interface LanePosition {
  point: NetXy
  /** The pos actually used, in lane metres (0 … length). */
  posM: number
  /** Why the given pos was not used as is (out of the lane), or null. */
  clamped: string | null
}

export function polylineLength(shape: readonly NetXy[]): number {
  let sum = 0
  for (let i = 1; i < shape.length; i++) sum += Math.hypot((shape[i] as NetXy)[0] - (shape[i - 1] as NetXy)[0], (shape[i] as NetXy)[1] - (shape[i - 1] as NetXy)[1])
  return sum
}

/** The point at `pos` metres along a lane of declared length `laneLengthM` and shape `shape` (≥ 1 position). */
export function lanePosition(shape: readonly NetXy[], laneLengthM: number, pos: number): LanePosition {
  const given = pos < 0 ? laneLengthM + pos : pos
  let posM = given
  let clamped: string | null = null
  if (given < 0 || given > laneLengthM) {
    posM = Math.min(Math.max(given, 0), laneLengthM)
    clamped = `pos ${pos} is outside the lane (length ${laneLengthM} m); placed at ${posM === 0 ? 'its start' : 'its end'}`
  }
  const shapeLength = polylineLength(shape)
  const target = laneLengthM > 0 ? (posM * shapeLength) / laneLengthM : 0
  return { point: pointAlong(shape, target), posM, clamped }
}

function pointAlong(shape: readonly NetXy[], offset: number): NetXy {
  let walked = 0
  for (let i = 1; i < shape.length; i++) {
    const a = shape[i - 1] as NetXy
    const b = shape[i] as NetXy
    const seg = Math.hypot(b[0] - a[0], b[1] - a[1])
    if (walked + seg >= offset && seg > 0) {
      const t = (offset - walked) / seg
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
    }
    walked += seg
  }
  const last = shape[shape.length - 1] as NetXy
  return [last[0], last[1]]
}
