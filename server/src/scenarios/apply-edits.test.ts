/**
 * Scenario edits on the estimate's network: closing the only road strands exactly the demand that
 * needed it (unserved, reported); closing one of two routes moves its traffic to the other; a partial
 * closure and a bus lane cut capacity by lanes; a time window applies a closure only in its hours; an
 * unknown edge is a problem, never a silent no-op.
 */
import { describe, expect, it } from 'vitest'
import { ScenarioEditSchema, type ScenarioEdit } from '../../../contracts/schemas/scenario'
import { assignPaths } from '../domain/assignment/path-based'
import { buildNetwork, type LinkInput } from '../domain/assignment/network'
import { applyEdits, inWindow, type EditableNetwork } from './apply-edits'

const road = (id: string, from: string, to: string, t0S: number, lanes = 2): LinkInput => ({ id, from, to, t0S, capacityVehH: lanes * 900, lanes, lengthM: t0S * 14 })
const edit = (e: unknown): ScenarioEdit => ScenarioEditSchema.parse(e)

/** Zones A, B, C on a line A – X – Y – C, plus a detour X – Z – Y; B hangs only on the street Y – B. */
function town(): EditableNetwork & { zones: Array<{ id: string; node: string }> } {
  const links: LinkInput[] = [
    road('a-x', 'A', 'X', 10), road('x-a', 'X', 'A', 10),
    road('main', 'X', 'Y', 60), road('main-r', 'Y', 'X', 60),
    road('det1', 'X', 'Z', 50), road('det2', 'Z', 'Y', 50),
    road('y-c', 'Y', 'C', 10), road('c-y', 'C', 'Y', 10),
    road('y-b', 'Y', 'B', 10, 1), road('b-y', 'B', 'Y', 10, 1),
  ]
  const edgeOf = (id: string) => id.replace(/-r$/, '')
  return { links, roadEdgeOf: links.map((l) => edgeOf(l.id)), zones: [{ id: 'a', node: 'A' }, { id: 'b', node: 'B' }, { id: 'c', node: 'C' }] }
}
// 300 veh/h A → C, 100 veh/h A → B.
const OD = Float64Array.from([0, 100, 300, 0, 0, 0, 0, 0, 0])

function run(edits: unknown[], hour = 8) {
  const t = town()
  const applied = applyEdits(t, edits.map(edit), hour)
  const net = buildNetwork(applied.links, t.zones)
  const od = OD.map((q) => q * applied.demandFactor)
  return { applied, result: assignPaths(net, od, { relativeGap: 1e-6 }), net }
}
const flowOn = (r: ReturnType<typeof run>, id: string) => r.result.flows[r.net.linkIds.indexOf(id)] ?? 0

describe('scenario edits on the estimate', () => {
  it('closing the only street to B strands exactly the 100 veh/h bound for B, and nothing else', () => {
    const r = run([{ kind: 'close-road', edges: ['y-b'] }])
    expect(r.result.unservedVehH).toBe(100)
    expect(r.result.unserved[0 * 3 + 1]).toBe(100)
    expect(flowOn(r, 'y-c')).toBeCloseTo(300, 3)
  })

  it('closing the main road moves all its traffic to the detour', () => {
    const base = run([])
    expect(flowOn(base, 'main')).toBeCloseTo(400, 3)
    const closed = run([{ kind: 'close-road', edges: ['main'] }])
    expect(closed.result.unservedVehH).toBe(0)
    expect(flowOn(closed, 'det1')).toBeCloseTo(400, 3)
  })

  it('a partial closure and a bus lane scale the capacity by lanes; a one-lane bus street closes to cars', () => {
    const partial = applyEdits(town(), [edit({ kind: 'close-road', edges: ['main'], lanesClosed: 1 })], 8)
    expect(partial.links.find((l) => l.id === 'main')!.capacityVehH).toBe(900)
    const bus = applyEdits(town(), [edit({ kind: 'bus-lane', edges: ['main', 'y-b'] })], 8)
    expect(bus.links.find((l) => l.id === 'main')!.capacityVehH).toBe(900)
    expect(bus.links.find((l) => l.id === 'y-b')!.closed).toBe(true)
    // Indices stay the base's (a warm start reuses its routes); the changed ones are listed.
    expect(bus.links).toHaveLength(town().links.length)
    expect(bus.changedLinks.map((i) => bus.links[i]!.id)).toEqual(['main', 'main-r', 'y-b']) // an edge's edit applies to both its directions
  })

  it('a closure applies only in its time window (also across midnight)', () => {
    const night = { kind: 'close-road', edges: ['main'], fromHour: 22, toHour: 6 }
    expect(run([night], 8).applied.inactive).toEqual([0])
    expect(flowOn(run([night], 23), 'main')).toBe(0)
    expect(inWindow(5, 22, 6)).toBe(true)
    expect(inWindow(6, 22, 6)).toBe(false)
  })

  it('speed limits, lane use and demand factors change what they say', () => {
    const a = applyEdits(town(), [edit({ kind: 'speed-limit', edges: ['main'], speedKmh: 30 }), edit({ kind: 'lane-use', edges: ['det1'], lanes: 1 }), edit({ kind: 'scale-demand', factor: 1.2 })], 8)
    const main = a.links.find((l) => l.id === 'main')!
    expect(main.t0S).toBeCloseTo(main.lengthM / (30 / 3.6), 6)
    expect(a.links.find((l) => l.id === 'det1')!.capacityVehH).toBe(900)
    expect(a.demandFactor).toBeCloseTo(1.2, 9)
  })

  it('an edge the network does not have is a problem naming the edit; unmodelled edits are listed', () => {
    const a = applyEdits(town(), [edit({ kind: 'close-road', edges: ['main', 'nowhere'] }), edit({ kind: 'generator', name: 'Stadio', position: [11.31, 44.49], producedVehH: 0, attractedVehH: 2000 }), edit({ kind: 'signal-plan', controllerId: 'c201', planId: 'p1', version: 2 })], 8)
    expect(a.problems).toEqual([{ edit: 0, kind: 'close-road', message: 'the network has no edge nowhere' }])
    expect(a.unsupported.map((u) => u.kind)).toEqual(['signal-plan'])
    expect(a.generators).toMatchObject([{ edit: 1, name: 'Stadio', attractedVehH: 2000 }])
    expect(a.links.find((l) => l.id === 'main')!.closed).toBe(true)
  })
})
