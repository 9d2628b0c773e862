import type { Bbox } from '../../../contracts/events'

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/** Grows a [west, south, east, north] box by `ratio` of its size on every side, kept valid for EPSG:4326. */
export function paddedBbox([w, s, e, n]: Bbox, ratio: number): Bbox {
  const dx = (e - w) * ratio
  const dy = (n - s) * ratio
  const round = (v: number) => Math.round(v * 1e5) / 1e5
  return [round(clamp(w - dx, -180, 180)), round(clamp(s - dy, -90, 90)), round(clamp(e + dx, -180, 180)), round(clamp(n + dy, -90, 90))]
}
