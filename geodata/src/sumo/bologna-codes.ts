/**
 * Bologna's codes as the iTETRIS SUMO scenarios encode them.
 *
 * Detector ids: `<a>_<b>_<c>_<d>__l<lane>` is the open-data loop code (`codice spira`) "a b c d"
 * and the lane index, e.g. `0.127_2.73_6_1__l0` → "0.127 2.73 6 1", lane 0.
 *
 * Signal ids: a tlLogic id of three digits is zone + intersection number, which the loop registry
 * writes `<zone>.<number>` without padding: 209 → "2.9", 210 → "2.10", 273 → "2.73". (The data
 * bundle's README writes "2.09"; the registry has "0.127 2.9 6 1" and no "2.09", and "2.1" and
 * "2.10" are different intersections there, so the registry's form is the one that joins.)
 */

const LOOP_ID = /^(\d+\.\d+)_(\d+\.\d+)_(\d+)_(\d+)__l(\d+)$/

/** The loop code and lane a detector id encodes, or null when it encodes none. */
export function decodeLoopCode(detectorId: string): { loopCode: string; lane: number } | null {
  const m = LOOP_ID.exec(detectorId)
  if (!m) return null
  return { loopCode: `${m[1]} ${m[2]} ${m[3]} ${m[4]}`, lane: Number(m[5]) }
}

/** The Bologna intersection code of a tlLogic id (209 → "2.9"), or null when the id is not one. */
export function intersectionCode(tlsId: string): string | null {
  const m = /^([1-9])(\d\d)$/.exec(tlsId)
  if (!m || m[2] === '00') return null
  return `${m[1]}.${Number(m[2])}`
}

/** The intersection codes a loop code names (its first two fields): "2.19 2.18 4 1" → ["2.19", "2.18"]. */
export function loopCodeIntersections(loopCode: string): string[] {
  return loopCode.split(' ').slice(0, 2)
}
