/**
 * Which features of a collection the editor fetches for the map and the list: the viewport grown a
 * little (small pans need no new request), at most FEATURE_CAP of them; a box already fetched in full
 * that still covers the view is not fetched again. Pure.
 */
import type { Bbox } from '../../../contracts/events'

/** Most features drawn at once; more than this in view and the list says "zoom in". */
export const FEATURE_CAP = 5000
/** How much of its size the fetched box adds on every side. */
export const PAD_RATIO = 0.25

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
const down = (v: number) => Math.floor(v * 1e4) / 1e4
const up = (v: number) => Math.ceil(v * 1e4) / 1e4

/** The box to fetch for a view: padded, rounded outwards to 1e-4° (repeatable URLs), within CRS84. */
export function fetchBox([w, s, e, n]: Bbox, pad = PAD_RATIO): Bbox {
  const dx = (e - w) * pad
  const dy = (n - s) * pad
  return [down(clamp(w - dx, -180, 180)), down(clamp(s - dy, -90, 90)), up(clamp(e + dx, -180, 180)), up(clamp(n + dy, -90, 90))]
}

export function covers(outer: Bbox, inner: Bbox): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3]
}

export interface Fetched {
  /** What the features are of (collection, and a revision bumped after a change). */
  key: string
  box: Bbox
  /** Every feature of the box came back (numberMatched ≤ returned). */
  complete: boolean
}

/** Fetch again unless the last answer was for the same key, complete, and its box covers the view. */
export function needsFetch(last: Fetched | null, key: string, view: Bbox): boolean {
  return !last || last.key !== key || !last.complete || !covers(last.box, view)
}

export interface PageSummary {
  shown: number
  total: number
  /** More features in the box than drawn: zoom in to see them all. */
  truncated: boolean
}

export function pageSummary(numberMatched: number, returned: number): PageSummary {
  return { shown: returned, total: Math.max(numberMatched, returned), truncated: numberMatched > returned }
}
