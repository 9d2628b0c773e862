/**
 * Gradient projection on routes against the same independently known equilibria as Frank-Wolfe
 * (test-networks.ts), plus what the scenario explorer relies on: a warm start from an equilibrium
 * reaches the same answer as a cold start; a closure moves the closed link's flow
 * away at once (exactly 0 on it); a closure that cuts a zone off reports its demand unserved.
 */
import { describe, expect, it } from 'vitest'
import { assign } from './assign'
import { buildNetwork } from './network'
import { assignPaths } from './path-based'
import { bpr, braess, cornerGrid, link, twoRoutes, wardropSplit } from './test-networks'

describe('route-based user equilibrium (gradient projection)', () => {
  it('two routes with BPR times: Wardrop’s split by bisection, within 0.5 veh/h', () => {
    const D = 2500
    const r = assignPaths(twoRoutes(), Float64Array.from([0, D, 0, 0]), { relativeGap: 1e-9 })
    const vA = wardropSplit(bpr(600, 1000), (v) => 2 * bpr(360, 1200)(v), D)
    expect(r.converged).toBe(true)
    expect(Math.abs(r.flows[1]! - vA)).toBeLessThan(0.5)
    expect(Math.abs(r.flows[2]! - (D - vA))).toBeLessThan(0.5)
    // The pair keeps exactly its two routes, with the flows of the links.
    expect(r.state.routes[1]!.length).toBe(2)
  })

  it('linear times in closed form: v1 = 4000/3', () => {
    const net = buildNetwork(
      [link('1', 'O', 'D', 10, 1000, { alpha: 1, beta: 1 }), link('2', 'O', 'D', 15, 3000, { alpha: 1, beta: 1 })],
      [{ id: 'o', node: 'O' }, { id: 'd', node: 'D' }],
    )
    // Two parallel links O→D: distinct routes of one link each.
    const r = assignPaths(net, Float64Array.from([0, 3000, 0, 0]), { relativeGap: 1e-10 })
    expect(r.flows[0]!).toBeCloseTo(4000 / 3, 1)
    expect(r.flows[1]!).toBeCloseTo(3000 - 4000 / 3, 1)
  })

  it("Braess's network: a third on each path with the bridge; 92 against 83 per trip", () => {
    const od = Float64Array.from([0, 6000, 0, 0])
    const without = assignPaths(braess(false), od, { relativeGap: 1e-9 })
    const withBridge = assignPaths(braess(true), od, { relativeGap: 1e-9 })
    expect(without.flows[0]!).toBeCloseTo(3000, -1)
    expect(withBridge.flows[4]!).toBeGreaterThan(1990)
    expect(withBridge.flows[4]!).toBeLessThan(2010)
    expect(withBridge.totalTimeVehS / 6000).toBeCloseTo(92, 0)
    expect(without.totalTimeVehS / 6000).toBeCloseTo(83, 0)
  })

  it('the same equilibrium as conjugate Frank-Wolfe on the congested grid, in fewer sweeps than its iterations', () => {
    const { links, zones, od } = cornerGrid()
    const net = buildNetwork(links, zones)
    const gp = assignPaths(net, od, { relativeGap: 1e-5, innerPasses: 5 })
    const cfw = assign(net, od, { relativeGap: 1e-5, maxIterations: 5000 })
    expect(gp.converged).toBe(true)
    expect(gp.iterations).toBeLessThan(cfw.iterations)
    expect(Math.abs(gp.totalTimeVehS - cfw.totalTimeVehS) / cfw.totalTimeVehS).toBeLessThan(1e-3)
    // Link flows agree (equilibrium link flows are unique with strictly increasing times).
    let worst = 0
    for (let i = 0; i < net.linkCount; i++) worst = Math.max(worst, Math.abs(gp.flows[i]! - cfw.flows[i]!))
    expect(worst).toBeLessThan(25)
  })

  it('warm start: a closure re-equilibrates from the base routes, to the cold answer, with nothing left on the closed link', () => {
    const { links, zones, od } = cornerGrid()
    // Few origins and many equal routes: more Newton passes per origin pay here (they are cheap beside a Dijkstra).
    const o = { innerPasses: 5 }
    const base = assignPaths(buildNetwork(links, zones), od, { relativeGap: 1e-6, ...o })
    const busiest = [...base.flows.keys()].filter((i) => !links[i]!.connector).sort((a, b) => base.flows[b]! - base.flows[a]!)[0]!
    expect(base.flows[busiest]!).toBeGreaterThan(100)
    const closedNet = buildNetwork(links.map((l, i) => (i === busiest ? { ...l, closed: true } : l)), zones)
    const cold = assignPaths(closedNet, od, { relativeGap: 1e-5, ...o })
    const warm = assignPaths(closedNet, od, { relativeGap: 1e-5, warmStart: base.state, changedLinks: [busiest], ...o })
    expect(warm.converged).toBe(true)
    expect(warm.flows[busiest]).toBe(0)
    expect(cold.flows[busiest]).toBe(0)
    expect(Math.abs(warm.totalTimeVehS - cold.totalTimeVehS) / cold.totalTimeVehS).toBeLessThan(1e-3)
    // (On this grid a warm start saves no sweeps — the closure reshuffles every corner's routes; on the
    // city, where an edit is local, it does: npm run bench:scenario.)
    // Demand scaled by 1.2: the warm start scales each pair's routes.
    const scaled = od.map((q) => q * 1.2)
    const w2 = assignPaths(buildNetwork(links, zones), scaled, { relativeGap: 1e-5, warmStart: base.state, ...o })
    const c2 = assignPaths(buildNetwork(links, zones), scaled, { relativeGap: 1e-5, ...o })
    expect(w2.converged && c2.converged).toBe(true)
    expect(Math.abs(w2.totalTimeVehS - c2.totalTimeVehS) / c2.totalTimeVehS).toBeLessThan(1e-3)
  })

  it('closing the only road strands exactly its demand (unserved), the rest still assigned', () => {
    const links = [link('ab', 'A', 'B', 60, 1000), link('ba', 'B', 'A', 60, 1000), link('ac', 'A', 'C', 30, 1000), link('ca', 'C', 'A', 30, 1000)]
    const zones = [{ id: 'a', node: 'A' }, { id: 'b', node: 'B' }, { id: 'c', node: 'C' }]
    const od = Float64Array.from([0, 100, 40, 80, 0, 0, 25, 0, 0])
    const base = assignPaths(buildNetwork(links, zones), od)
    expect(base.unservedVehH).toBe(0)
    const cut = buildNetwork(links.map((l) => (l.id === 'ac' ? { ...l, closed: true } : l)), zones)
    const r = assignPaths(cut, od, { warmStart: base.state, changedLinks: [2] })
    expect(r.unservedVehH).toBe(40) // a → c has no other way; c → a still does
    expect(r.unserved[0 * 3 + 2]).toBe(40)
    expect(r.flows[2]).toBe(0)
    expect(r.flows[3]!).toBeCloseTo(25, 9)
    expect(r.flows[0]!).toBeCloseTo(100, 9)
  })
})
