/**
 * Small networks with independently known equilibria, for the assignment algorithms' tests (both the
 * link-based Frank-Wolfe variants and the route-based gradient projection are checked on the same ones).
 */
import { buildNetwork, type AssignmentNetwork, type LinkInput } from './network'

export const bpr = (t0: number, c: number) => (v: number) => t0 * (1 + 0.15 * (v / c) ** 4)

/** v in [0, D] with f(v) = g(D − v), by bisection (f increasing, g increasing). */
export function wardropSplit(f: (v: number) => number, g: (v: number) => number, D: number): number {
  let lo = 0
  let hi = D
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2
    if (f(mid) < g(D - mid)) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

export const link = (id: string, from: string, to: string, t0S: number, capacityVehH: number, extra: Partial<LinkInput> = {}): LinkInput => ({ id, from, to, t0S, capacityVehH, lengthM: t0S * 10, ...extra })

/** Route A: one link, 600 s, 1,000 veh/h. Route B: two links of 360 s, 1,200 veh/h each. Links 1 (A), 2 and 3 (B). */
export function twoRoutes(): AssignmentNetwork {
  return buildNetwork(
    [link('o-a', 'O', 'X', 0.001, 1e9), link('a', 'X', 'Y', 600, 1000), link('b1', 'X', 'M', 360, 1200), link('b2', 'M', 'Y', 360, 1200), link('d-a', 'Y', 'D', 0.001, 1e9)],
    [{ id: 'o', node: 'O' }, { id: 'd', node: 'D' }],
  )
}

/** Braess: times (seconds) s→a 10x, a→t 50 + x, s→b 50 + x, b→t 10x, bridge a→b 10 + x (x in thousands of veh/h). */
export function braess(withBridge: boolean): AssignmentNetwork {
  const k = 1000
  const lin = (a: number, m: number) => (a > 0 ? { t0S: a, alpha: m / a, beta: 1 } : { t0S: 0.001, alpha: m / 0.001, beta: 1 })
  const mk = (id: string, from: string, to: string, a: number, m: number): LinkInput => ({ id, from, to, lengthM: 1, capacityVehH: k, ...lin(a, m) })
  const links = [mk('sa', 'S', 'A', 0, 10), mk('at', 'A', 'T', 50, 1), mk('sb', 'S', 'B', 50, 1), mk('bt', 'B', 'T', 0, 10)]
  return buildNetwork(withBridge ? [...links, mk('ab', 'A', 'B', 10, 1)] : links, [{ id: 's', node: 'S' }, { id: 't', node: 'T' }])
}

/** A congested n × n grid of two-way links with four corner zones (many equal routes: the hard case). */
export function cornerGrid(n = 12, extra: (id: string) => Partial<LinkInput> = () => ({})): { links: LinkInput[]; zones: Array<{ id: string; node: string }>; od: Float64Array } {
  const links: LinkInput[] = []
  const id = (i: number, j: number) => `${i},${j}`
  const add = (lid: string, from: string, to: string, t0: number) => links.push(link(lid, from, to, t0, 600, extra(lid)))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i + 1 < n) {
        add(`${id(i, j)}>${id(i + 1, j)}`, id(i, j), id(i + 1, j), 30 + ((i * 7 + j * 3) % 11))
        add(`${id(i + 1, j)}>${id(i, j)}`, id(i + 1, j), id(i, j), 30 + ((i * 5 + j) % 13))
      }
      if (j + 1 < n) {
        add(`${id(i, j)}>${id(i, j + 1)}`, id(i, j), id(i, j + 1), 30 + ((i + j * 7) % 9))
        add(`${id(i, j + 1)}>${id(i, j)}`, id(i, j + 1), id(i, j), 30 + ((i * 3 + j * 5) % 7))
      }
    }
  }
  const corners = [id(0, 0), id(0, n - 1), id(n - 1, 0), id(n - 1, n - 1)]
  const zones = corners.map((c, k) => ({ id: `z${k}`, node: `c${k}` }))
  corners.forEach((c, k) => links.push(link(`in${k}`, `c${k}`, c, 1, 1e9, { connector: true }), link(`out${k}`, c, `c${k}`, 1, 1e9, { connector: true })))
  const od = new Float64Array(16)
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (a !== b) od[a * 4 + b] = 700
  return { links, zones, od }
}
