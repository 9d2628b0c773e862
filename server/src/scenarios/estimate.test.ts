/**
 * The fast estimate's KPIs on a small town: closing the main road sends traffic on the longer detour —
 * more vehicle-km, more vehicle-hours, more delay, nothing unserved — and the comparison says by how
 * much; raising demand by 20 % raises vehicle-km by 20 % where routes do not change; a district's
 * factor scales only trips from or to it; a generator adds its trips at the nearest streets; a scenario
 * warm-started from the base's routes gives the answer of a cold start.
 */
import { describe, expect, it } from 'vitest'
import { ScenarioEditSchema, type ScenarioEdit } from '../../../contracts/schemas/scenario'
import type { LinkInput } from '../domain/assignment/network'
import { compareKpis, estimate, type EstimateBase } from './estimate'

const road = (id: string, from: string, to: string, t0S: number, lengthM: number): LinkInput => ({ id, from, to, t0S, lengthM, capacityVehH: 1800, lanes: 2 })
const edit = (e: unknown): ScenarioEdit => ScenarioEditSchema.parse(e)
const links = [road('a-x', 'A', 'X', 10, 140), road('main', 'X', 'Y', 60, 1000), road('det1', 'X', 'Z', 60, 1200), road('det2', 'Z', 'Y', 60, 1200), road('y-c', 'Y', 'C', 10, 140)]
const base: EstimateBase = { links, roadEdgeOf: links.map((l) => l.id), zones: [{ id: 'a', node: 'A' }, { id: 'c', node: 'C' }] }
const od = Float64Array.from([0, 900, 0, 0])

describe('the fast estimate', () => {
  it('closing the main road: the detour carries everything, vehicle-km and hours rise, the comparison gives Δ and %', () => {
    const b = estimate(base, od, [], 8)
    const s = estimate(base, od, [edit({ kind: 'close-road', edges: ['main'] })], 8)
    expect(b.kpis.unservedVehH).toBe(0)
    expect(s.kpis.unservedVehH).toBe(0)
    expect(b.kpis.vehKm).toBeCloseTo(900 * 1.28, 6)
    expect(s.kpis.vehKm).toBeCloseTo(900 * 2.68, 6)
    const c = compareKpis(b.kpis, s.kpis)
    expect(c.vehKm.delta).toBeCloseTo(900 * 1.4, 6)
    expect(c.vehKm.percent!).toBeCloseTo((1.4 / 1.28) * 100, 6)
    expect(c.vehHours.delta).toBeGreaterThan(0)
    expect(c.co2Kg.delta).toBeGreaterThan(0)
    expect(s.links.find((l) => l.id === 'det1')!.flowVehH).toBeCloseTo(900, 6)
    // The closed road stays in the results, flagged, with no flow (the map draws it as closed).
    expect(s.links.find((l) => l.id === 'main')).toMatchObject({ closed: true, flowVehH: 0 })
    // Warm-started from the base's routes: the same answer.
    const w = estimate(base, od, [edit({ kind: 'close-road', edges: ['main'] })], 8, { warmStart: b.state })
    expect(w.kpis.vehKm).toBeCloseTo(s.kpis.vehKm, 6)
  })

  it('demand × 1.2 gives 20 % more vehicle-km on a network without alternatives', () => {
    const one: EstimateBase = { links: [road('a-c', 'A', 'C', 60, 1000)], roadEdgeOf: ['a-c'], zones: base.zones }
    const b = estimate(one, od, [], 8)
    const s = estimate(one, od, [edit({ kind: 'scale-demand', factor: 1.2 })], 8)
    expect(compareKpis(b.kpis, s.kpis).vehKm.percent!).toBeCloseTo(20, 6)
    expect(s.kpis.delayVehHours).toBeGreaterThan(b.kpis.delayVehHours)
  })

  it('a district factor scales the trips from or to that district only; an unknown district is a problem', () => {
    // Three zones on a line: a (Navile) – b (Savena) – c (external); 100 veh/h between each pair.
    const conn = (z: string, n: string): LinkInput[] => [{ ...road(`${z}>${n}`, z, n, 1, 1), connector: true }, { ...road(`${n}>${z}`, n, z, 1, 1), connector: true }]
    const l3 = [road('ab', 'A', 'B', 60, 1000), road('ba', 'B', 'A', 60, 1000), road('bc', 'B', 'C', 60, 1000), road('cb', 'C', 'B', 60, 1000), ...conn('za', 'A'), ...conn('zb', 'B'), ...conn('zc', 'C')]
    const town: EstimateBase = {
      links: l3,
      roadEdgeOf: l3.map((l) => (l.connector ? null : l.id)),
      zones: [{ id: 'a', node: 'za', district: 'Navile' }, { id: 'b', node: 'zb', district: 'Savena' }, { id: 'c', node: 'zc', kind: 'external', district: null }],
    }
    const q = Float64Array.from([0, 100, 100, 100, 0, 100, 100, 100, 0])
    const s = estimate(town, q, [edit({ kind: 'scale-demand', factor: 2, districts: ['navile'] })], 8)
    // Trips from or to a: 4 × 100 doubled; b ↔ c unchanged.
    expect(s.demandVehH).toBeCloseTo(800 + 200, 9)
    expect(s.links.find((l) => l.id === 'bc')!.flowVehH).toBeCloseTo(200 + 100, 6)
    const bad = estimate(town, q, [edit({ kind: 'scale-demand', factor: 2, districts: ['Atlantide'] })], 8)
    expect(bad.problems[0]).toMatchObject({ edit: 0, kind: 'scale-demand' })
    expect(bad.problems[0]!.message).toMatch(/Atlantide.*navile, savena/)
  })

  it('a generator (an event) adds its trips at the streets nearest to it', () => {
    const nodePositions = new Map<string, [number, number]>([['A', [11.30, 44.49]], ['X', [11.31, 44.49]], ['Y', [11.32, 44.49]], ['Z', [11.315, 44.495]], ['C', [11.33, 44.49]]])
    const both = [...links, road('x-a', 'X', 'A', 10, 140), road('y-x', 'Y', 'X', 60, 1000), road('c-y', 'C', 'Y', 10, 140)]
    const town: EstimateBase = { links: both, roadEdgeOf: both.map((l) => l.id), zones: base.zones, nodePositions }
    const b = estimate(town, od, [], 20)
    const s = estimate(town, od, [edit({ kind: 'generator', name: 'Concert', position: [11.3205, 44.4901], producedVehH: 0, attractedVehH: 600 })], 20, { warmStart: b.state })
    expect(s.demandVehH).toBeCloseTo(900 + 600, 6)
    expect(s.kpis.unservedVehH).toBe(0)
    expect(s.kpis.vehKm).toBeGreaterThan(b.kpis.vehKm)
    // Without positions a generator cannot be placed, and says so.
    expect(estimate(base, od, [edit({ kind: 'generator', name: 'x', position: [11.3, 44.5], producedVehH: 10, attractedVehH: 0 })], 8).unsupported[0]).toMatchObject({ kind: 'generator' })
  })
})
