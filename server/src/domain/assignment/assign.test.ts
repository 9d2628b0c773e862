/**
 * The equilibrium assignment against solutions computed independently of it: Wardrop's condition
 * solved by bisection on small networks (two routes with BPR times; linear times in closed form),
 * Braess's network (the paradox's known equilibrium), demand with no path reported as unserved, and
 * conjugate Frank-Wolfe reaching the gap in fewer iterations than plain Frank-Wolfe.
 */
import { describe, expect, it } from 'vitest'
import { assign } from './assign'
import { buildNetwork, linkTime } from './network'
import { bpr, braess, cornerGrid, link, twoRoutes, wardropSplit } from './test-networks'

describe('user equilibrium', () => {
  it('two routes with BPR times: the flows where both times are equal (Wardrop), within 0.5 veh/h', () => {
    const net = twoRoutes()
    const D = 2500
    const r = assign(net, Float64Array.from([0, D, 0, 0]), { relativeGap: 1e-8, maxIterations: 2000 })
    const vA = wardropSplit(bpr(600, 1000), (v) => 2 * bpr(360, 1200)(v), D)
    expect(r.converged).toBe(true)
    expect(Math.abs(r.flows[1]! - vA)).toBeLessThan(0.5)
    expect(Math.abs(r.flows[2]! - (D - vA))).toBeLessThan(0.5)
    // Both used routes take the same time.
    expect(Math.abs(r.times[1]! - (r.times[2]! + r.times[3]!))).toBeLessThan(0.5)
  })

  it('linear times in closed form: t1 = 10 + v1/100, t2 = 15 + v2/200, D = 3000 → v1 = 1333.3', () => {
    // BPR with β = 1 is linear: t0 (1 + α v / c); α = 1 and c chosen for the slope.
    const net = buildNetwork(
      [link('1', 'O', 'D', 10, 1000, { alpha: 1, beta: 1 }), link('2', 'O', 'D', 15, 3000, { alpha: 1, beta: 1 })],
      [{ id: 'o', node: 'O' }, { id: 'd', node: 'D' }],
    )
    const r = assign(net, Float64Array.from([0, 3000, 0, 0]), { relativeGap: 1e-10, maxIterations: 5000 })
    // 10 + v1/100 = 15 + (3000 − v1)/200  →  3 v1 / 200 = 20  →  v1 = 4000/3.
    expect(r.flows[0]!).toBeCloseTo(4000 / 3, 1)
    expect(r.flows[1]!).toBeCloseTo(3000 - 4000 / 3, 1)
  })

  it("Braess's network: the known equilibrium (each of the three paths carries a third; everyone worse off than without the bridge)", () => {
    const od = Float64Array.from([0, 6000, 0, 0])
    const without = assign(braess(false), od, { relativeGap: 1e-9, maxIterations: 5000 })
    const withBridge = assign(braess(true), od, { relativeGap: 1e-9, maxIterations: 5000 })
    // Without the bridge: 3 + 3, each trip 83; with it: 2 on each path, each trip 92.
    expect(without.flows[0]!).toBeCloseTo(3000, -1)
    expect(withBridge.flows[4]!).toBeGreaterThan(1950)
    expect(withBridge.flows[4]!).toBeLessThan(2050)
    expect(withBridge.flows[0]!).toBeGreaterThan(3950) // s→a carries paths s-a-t and s-a-b-t
    expect(withBridge.totalTimeVehS / 6000).toBeGreaterThan(without.totalTimeVehS / 6000)
    expect(withBridge.totalTimeVehS / 6000).toBeCloseTo(92, 0)
    expect(without.totalTimeVehS / 6000).toBeCloseTo(83, 0)
  })

  it('demand to a zone cut off from the network is reported unserved, not assigned', () => {
    // Zone c hangs on one link that does not exist any more (a closure removed it): no path.
    const net = buildNetwork([link('ab', 'A', 'B', 60, 1000), link('ba', 'B', 'A', 60, 1000), link('cc', 'C', 'C2', 10, 1000)], [{ id: 'a', node: 'A' }, { id: 'b', node: 'B' }, { id: 'c', node: 'C' }])
    const od = Float64Array.from([0, 100, 40, 80, 0, 0, 0, 0, 0])
    const r = assign(net, od)
    expect(r.unservedVehH).toBe(40)
    expect(r.unserved[0 * 3 + 2]).toBe(40)
    expect(r.flows[0]!).toBeCloseTo(100, 6)
    expect(r.flows[1]!).toBeCloseTo(80, 6)
  })

  it('no path passes through a zone centroid', () => {
    // The only way from A to B would be through zone Z's centroid: it is not allowed.
    const net = buildNetwork([link('az', 'A', 'Z', 10, 1000), link('zb', 'Z', 'B', 10, 1000)], [{ id: 'a', node: 'A' }, { id: 'b', node: 'B' }, { id: 'z', node: 'Z' }])
    const r = assign(net, Float64Array.from([0, 50, 0, 0, 0, 0, 0, 0, 0]))
    expect(r.unservedVehH).toBe(50)
  })

  it('a signalised approach adds Webster\'s uniform delay, growing with the flow', () => {
    const net = buildNetwork([link('s', 'A', 'B', 30, 900, { signal: { cycleS: 90, greenRatio: 0.5 } })], [])
    const d0 = linkTime(net, 0, 0) - 30
    expect(d0).toBeCloseTo((0.5 * 90 * 0.25) / 1, 6) // 11.25 s at no flow
    expect(linkTime(net, 0, 800)).toBeGreaterThan(linkTime(net, 0, 400))
  })

  it('conjugate Frank-Wolfe reaches the gap in fewer iterations than Frank-Wolfe on a grid', () => {
    // A 12 × 12 grid of two-way links, 4 corner zones exchanging demand: many routes, congested.
    const { links, zones, od } = cornerGrid()
    const net = buildNetwork(links, zones)
    const fw = assign(net, od, { method: 'fw', relativeGap: 1e-4, maxIterations: 2000 })
    const cfw = assign(net, od, { method: 'cfw', relativeGap: 1e-4, maxIterations: 2000 })
    expect(cfw.converged).toBe(true)
    expect(cfw.iterations).toBeLessThan(fw.iterations)
    // The same equilibrium (total time within 0.1 %).
    expect(Math.abs(cfw.totalTimeVehS - fw.totalTimeVehS) / fw.totalTimeVehS).toBeLessThan(1e-3)
  })
})
