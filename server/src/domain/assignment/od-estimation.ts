/**
 * Origin–destination demand estimated from link counts (ADR 0009): start from a prior matrix (a
 * gravity model), assign it, and scale each OD cell by how the counts on its route compare with the
 * assigned flows — the geometric mean of count / flow over the counted links the route crosses (a
 * multiplicative matrix adjustment in the spirit of Spiess 1990 and Van Zuylen & Willumsen's
 * maximum-entropy estimate), damped, with cells crossing no counted link scaled by the overall ratio.
 * Repeated with re-assignment until the counts stop improving. Routes are the shortest paths at the
 * equilibrium link times; each re-assignment starts from the previous equilibrium's routes. Pure.
 */
import type { OdMatrix } from './assign'
import { linkTime, type AssignmentNetwork } from './network'
import { assignPaths, type PathAssignOptions, type PathAssignResult } from './path-based'
import { ShortestPathTree } from './shortest-paths'

export interface LinkCount {
  link: number
  vehH: number
}

export interface EstimateOptions {
  iterations?: number
  /** Exponent damping each adjustment (0 < ω ≤ 1); default 0.7. */
  damping?: number
  /** Bounds on one cell's change over the whole estimate, as a factor of its prior; default 0.1 … 10. */
  minFactor?: number
  maxFactor?: number
  assign?: Omit<PathAssignOptions, 'warmStart' | 'changedLinks'>
}

export interface EstimateResult {
  od: OdMatrix
  /** The equilibrium of the estimated matrix (its routes: the warm start of scenarios on this base). */
  assignment: PathAssignResult
  /** Mean GEH over the counted links before (prior) and after each iteration; the result is the best round's. */
  meanGehHistory: number[]
}

const gehOf = (m: number, c: number) => (m + c > 0 ? Math.sqrt((2 * (m - c) ** 2) / (m + c)) : 0)

export function meanGeh(flows: Float64Array, counts: readonly LinkCount[]): number {
  if (counts.length === 0) return 0
  return counts.reduce((s, c) => s + gehOf(flows[c.link]!, c.vehH), 0) / counts.length
}

export function estimateOd(net: AssignmentNetwork, prior: OdMatrix, counts: readonly LinkCount[], o: EstimateOptions = {}): EstimateResult {
  const Z = net.zoneIds.length
  const K = o.iterations ?? 8
  const omega = o.damping ?? 0.7
  const lo = o.minFactor ?? 0.1
  const hi = o.maxFactor ?? 10
  const counted = new Float64Array(net.linkCount).fill(NaN)
  for (const c of counts) counted[c.link] = c.vehH
  const od = prior.slice()
  let result = assignPaths(net, od, o.assign)
  const history = [meanGeh(result.flows, counts)]
  let best = { geh: history[0]!, od: od.slice(), result }
  const tree = new ShortestPathTree(net)
  const times = new Float64Array(net.linkCount)
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < net.linkCount; i++) times[i] = linkTime(net, i, result.flows[i]!)
    let sumC = 0
    let sumV = 0
    for (const c of counts) {
      sumC += c.vehH
      sumV += result.flows[c.link]!
    }
    const overall = sumV > 0 ? sumC / sumV : 1
    const next = od.slice()
    for (let z = 0; z < Z; z++) {
      let any = false
      for (let d = 0; d < Z; d++) if (od[z * Z + d]! > 0) { any = true; break }
      if (!any) continue
      tree.run(net.zoneNode[z]!, times)
      for (let d = 0; d < Z; d++) {
        const cell = z * Z + d
        if (!(od[cell]! > 0)) continue
        // Walk the route back from d: the log-ratios of the counted links it crosses.
        const dn = net.zoneNode[d]!
        let n: number | null = tree.dist[dn] === Infinity ? null : dn
        let logSum = 0
        let m = 0
        while (n !== null) {
          const l = tree.predLink[n]!
          if (l < 0) break
          const c = counted[l]!
          if (!Number.isNaN(c)) {
            const v = result.flows[l]!
            logSum += Math.log(Math.max(c, 1) / Math.max(v, 1))
            m++
          }
          n = net.from[l]!
        }
        const f = m > 0 ? Math.exp(logSum / m) : overall
        const scaled = od[cell]! * Math.pow(f, omega)
        const p = prior[cell]!
        next[cell] = p > 0 ? Math.min(hi * p, Math.max(lo * p, scaled)) : scaled
      }
    }
    od.set(next)
    // Each re-assignment starts from the last equilibrium's routes, scaled to the adjusted cells.
    result = assignPaths(net, od, { ...o.assign, warmStart: result.state })
    const g = meanGeh(result.flows, counts)
    history.push(g)
    if (g < best.geh) best = { geh: g, od: od.slice(), result }
  }
  // The round that fitted best (an adjustment can overshoot: neighbouring counts pull a cell both ways).
  return { od: best.od, assignment: best.result, meanGehHistory: history }
}
