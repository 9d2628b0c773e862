/**
 * Static user-equilibrium assignment (Wardrop's first principle; ADR 0009): the link flows at which no
 * driver can shorten a trip by changing route, with flow-dependent link times (BPR + signal delay).
 *
 * Method: conjugate Frank-Wolfe (Mitradjieva & Lindberg, Transportation Science 47(2), 2013) — the
 * Frank-Wolfe all-or-nothing target mixed with the previous search target so the directions are
 * conjugate with respect to the (diagonal) Hessian of Beckmann's objective — with an exact line search
 * (bisection on the objective's derivative). Plain Frank-Wolfe is kept as an option (and the baseline
 * of the benchmark). Convergence measure: the relative gap (Σ t·v − Σ t·y) / Σ t·v, with y the
 * all-or-nothing flows on the current times; 1e-4 is the usual planning target.
 *
 * Demand without any path (a zone cut off by a closure) is reported as unserved, not assigned.
 */
import { linkTime, linkTimeDerivative, type AssignmentNetwork } from './network'
import { loadTree, ShortestPathTree } from './shortest-paths'

export interface AssignOptions {
  method?: 'cfw' | 'fw'
  /** Stop when the relative gap is below this (default 1e-4). */
  relativeGap?: number
  maxIterations?: number
  /** Start from these flows (an incremental edit re-uses the previous equilibrium); default all-or-nothing on free flow. */
  initialFlows?: Float64Array
}

export interface AssignResult {
  flows: Float64Array
  /** Link times at the final flows, seconds. */
  times: Float64Array
  iterations: number
  relativeGap: number
  converged: boolean
  /** Total demand with no path, veh/h, and per origin × destination (row-major zones × zones), when any. */
  unservedVehH: number
  unserved: Float64Array
  /** Σ t·v, vehicle-seconds per hour. */
  totalTimeVehS: number
}

/** Demand as a dense zones × zones matrix, row-major, veh/h. */
export type OdMatrix = Float64Array

export function assign(net: AssignmentNetwork, od: OdMatrix, o: AssignOptions = {}): AssignResult {
  const Z = net.zoneIds.length
  if (od.length !== Z * Z) throw new Error(`OD matrix has ${od.length} cells; the network has ${Z} zones (${Z * Z} cells)`)
  const L = net.linkCount
  const target = o.relativeGap ?? 1e-4
  const maxIt = o.maxIterations ?? 500
  const cfw = (o.method ?? 'cfw') === 'cfw'
  const tree = new ShortestPathTree(net)
  const nodeLoad = new Float64Array(net.nodeCount)
  const times = new Float64Array(L)
  const unserved = new Float64Array(Z * Z)

  /** All-or-nothing flows on the given times; returns Σ over origins of unserved demand. */
  const allOrNothing = (cost: Float64Array, out: Float64Array, recordUnserved: boolean): number => {
    out.fill(0)
    let lost = 0
    for (let z = 0; z < Z; z++) {
      const row = od.subarray(z * Z, (z + 1) * Z)
      let any = false
      for (let d = 0; d < Z; d++) if (row[d]! > 0 && d !== z) { any = true; break }
      if (!any) continue
      tree.run(net.zoneNode[z]!, cost)
      const demand = row.slice()
      demand[z] = 0
      lost += loadTree(net, tree, demand, out, nodeLoad, recordUnserved ? unserved.subarray(z * Z, (z + 1) * Z) : null)
    }
    return lost
  }
  const updateTimes = (x: Float64Array) => {
    for (let i = 0; i < L; i++) times[i] = linkTime(net, i, x[i]!)
  }

  const x = new Float64Array(L)
  const y = new Float64Array(L)
  for (let i = 0; i < L; i++) times[i] = linkTime(net, i, 0)
  const unservedVehH = allOrNothing(times, y, true)
  if (o.initialFlows && o.initialFlows.length === L) x.set(o.initialFlows)
  else x.set(y)
  updateTimes(x)

  let sBar: Float64Array | null = null
  let gap = Infinity
  let it = 0
  const s = new Float64Array(L)
  const dir = new Float64Array(L)
  for (; it < maxIt; it++) {
    allOrNothing(times, y, false)
    let tx = 0
    let ty = 0
    for (let i = 0; i < L; i++) {
      // Closed links (infinite time) carry no flow: skip the 0 × ∞ terms.
      if (x[i]! > 0) tx += times[i]! * x[i]!
      if (y[i]! > 0) ty += times[i]! * y[i]!
    }
    gap = tx > 0 ? (tx - ty) / tx : 0
    if (gap <= target) break
    // Search target: FW's y, or the conjugate mix of the previous target and y.
    s.set(y)
    if (cfw && sBar) {
      let num = 0
      let den = 0
      for (let i = 0; i < L; i++) {
        const h = linkTimeDerivative(net, i, x[i]!)
        const a = sBar[i]! - x[i]!
        num += a * h * (y[i]! - x[i]!)
        den += a * h * (y[i]! - sBar[i]!)
      }
      if (den !== 0) {
        let alpha = num / den
        if (alpha < 0) alpha = 0
        if (alpha > 1 - 1e-6) alpha = 1 - 1e-6
        for (let i = 0; i < L; i++) s[i] = alpha * sBar[i]! + (1 - alpha) * y[i]!
      }
    }
    for (let i = 0; i < L; i++) dir[i] = s[i]! - x[i]!
    const theta = lineSearch(net, x, dir)
    if (theta <= 0) {
      // No descent along the conjugate direction: restart from Frank-Wolfe's.
      sBar = null
      continue
    }
    for (let i = 0; i < L; i++) x[i]! += theta * dir[i]!
    sBar = sBar ?? new Float64Array(L)
    sBar.set(s)
    updateTimes(x)
  }
  let total = 0
  for (let i = 0; i < L; i++) if (x[i]! > 0) total += times[i]! * x[i]!
  return { flows: x, times: times.slice(), iterations: it, relativeGap: gap, converged: gap <= target, unservedVehH, unserved, totalTimeVehS: total }
}

/** θ ∈ [0, 1] minimising Beckmann's objective along x + θ d: bisection on Σ t(x + θ d)·d. */
function lineSearch(net: AssignmentNetwork, x: Float64Array, d: Float64Array): number {
  const L = net.linkCount
  const slope = (theta: number) => {
    let g = 0
    for (let i = 0; i < L; i++) {
      const di = d[i]!
      if (di !== 0) g += linkTime(net, i, Math.max(0, x[i]! + theta * di)) * di
    }
    return g
  }
  if (slope(0) >= 0) return 0
  if (slope(1) <= 0) return 1
  let lo = 0
  let hi = 1
  for (let k = 0; k < 40; k++) {
    const mid = (lo + hi) / 2
    if (slope(mid) < 0) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
