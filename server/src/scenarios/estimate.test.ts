/**
 * The fast estimate's KPIs on a small town: closing the main road sends traffic on the longer detour —
 * more vehicle-km, more vehicle-hours, more delay, nothing unserved — and the comparison says by how
 * much; raising demand by 20 % raises vehicle-km by 20 % where routes do not change.
 */
import { describe, expect, it } from 'vitest'
import { ScenarioEditSchema } from '../../../contracts/schemas/scenario'
import type { LinkInput } from '../domain/assignment/network'
import { compareKpis, estimate } from './estimate'

const road = (id: string, from: string, to: string, t0S: number, lengthM: number): LinkInput => ({ id, from, to, t0S, lengthM, capacityVehH: 1800, lanes: 2 })
const links = [road('a-x', 'A', 'X', 10, 140), road('main', 'X', 'Y', 60, 1000), road('det1', 'X', 'Z', 60, 1200), road('det2', 'Z', 'Y', 60, 1200), road('y-c', 'Y', 'C', 10, 140)]
const base = { links, roadEdgeOf: links.map((l) => l.id) }
const zones = [{ id: 'a', node: 'A' }, { id: 'c', node: 'C' }]
const od = Float64Array.from([0, 900, 0, 0])

describe('the fast estimate', () => {
  it('closing the main road: the detour carries everything, vehicle-km and hours rise, the comparison gives Δ and %', () => {
    const b = estimate(base, zones, od, [], 8)
    const s = estimate(base, zones, od, [ScenarioEditSchema.parse({ kind: 'close-road', edges: ['main'] })], 8)
    expect(b.kpis.unservedVehH).toBe(0)
    expect(s.kpis.unservedVehH).toBe(0)
    expect(b.kpis.vehKm).toBeCloseTo(900 * 1.28, 6)
    expect(s.kpis.vehKm).toBeCloseTo(900 * 2.68, 6)
    const c = compareKpis(b.kpis, s.kpis)
    expect(c.vehKm.delta).toBeCloseTo(900 * 1.4, 6)
    expect(c.vehKm.percent!).toBeCloseTo((1.4 / 1.28) * 100, 6)
    expect(c.vehHours.delta).toBeGreaterThan(0)
    expect(s.links.find((l) => l.id === 'det1')!.flowVehH).toBeCloseTo(900, 6)
    expect(s.links.some((l) => l.id === 'main')).toBe(false)
  })

  it('demand × 1.2 gives 20 % more vehicle-km on a network without alternatives', () => {
    const one = [road('a-c', 'A', 'C', 60, 1000)]
    const b = estimate({ links: one, roadEdgeOf: ['a-c'] }, zones, od, [], 8)
    const s = estimate({ links: one, roadEdgeOf: ['a-c'] }, zones, od, [ScenarioEditSchema.parse({ kind: 'scale-demand', factor: 1.2 })], 8)
    expect(compareKpis(b.kpis, s.kpis).vehKm.percent!).toBeCloseTo(20, 6)
    expect(s.kpis.delayVehHours).toBeGreaterThan(b.kpis.delayVehHours)
  })
})
