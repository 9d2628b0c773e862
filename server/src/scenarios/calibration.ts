/**
 * How well the fast estimate reproduces the counts (ADR 0009): GEH per loop — the statistic traffic
 * models are judged by (UK DMRB TAG M3.1: a loop fits when GEH < 5; a model fits when at least 85 % of
 * its loops do) — with the RMSE and the share of fitting loops: the "fit badge" shown before any edit is
 * trusted. Pure.
 */

/** GEH of a modelled flow m against a count c (both vehicles per hour). */
export function geh(m: number, c: number): number {
  if (m + c <= 0) return 0
  return Math.sqrt((2 * (m - c) ** 2) / (m + c))
}

export const GEH_FIT = 5
export const MODEL_FIT_SHARE = 0.85

export interface CountedLink {
  deviceId: string
  roadEdgeId: string
  countedVehH: number
}

export interface CalibrationReport {
  loops: Array<CountedLink & { assignedVehH: number; geh: number }>
  /** Share of loops with GEH < 5. */
  fitShare: number
  /** Whether the model fits (≥ 85 % of the loops with GEH < 5). */
  fits: boolean
  rmseVehH: number
  meanGeh: number
}

export function calibrationReport(counted: readonly CountedLink[], assignedOf: (roadEdgeId: string) => number): CalibrationReport {
  const loops = counted.map((c) => {
    const m = assignedOf(c.roadEdgeId)
    return { ...c, assignedVehH: m, geh: geh(m, c.countedVehH) }
  })
  const n = loops.length
  const fitShare = n === 0 ? 0 : loops.filter((l) => l.geh < GEH_FIT).length / n
  const rmseVehH = n === 0 ? 0 : Math.sqrt(loops.reduce((s, l) => s + (l.assignedVehH - l.countedVehH) ** 2, 0) / n)
  const meanGeh = n === 0 ? 0 : loops.reduce((s, l) => s + l.geh, 0) / n
  return { loops, fitShare, fits: n > 0 && fitShare >= MODEL_FIT_SHARE, rmseVehH, meanGeh }
}
