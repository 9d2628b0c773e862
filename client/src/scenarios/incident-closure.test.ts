import type { TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { editOfForm } from './edit-form'
import { sourceText } from './edit-summary'
import { closureFormAtIncident, edgesNear, pointSegmentDistance, type RoadLinkFeature } from './incident-closure'

// A hand-made neighbourhood around an incident in Bologna: x east and y north in metres from it.
const CENTER: [number, number] = [11.34, 44.49]
const M_PER_DEG_LAT = 111_195
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((44.49 * Math.PI) / 180)
const at = (x: number, y: number): [number, number] => [CENTER[0] + x / M_PER_DEG_LON, CENTER[1] + y / M_PER_DEG_LAT]
const link = (edgeId: string, ...points: Array<[number, number]>): RoadLinkFeature => ({ properties: { edgeId }, geometry: { coordinates: points.map(([x, y]) => at(x, y)) } })

const LINKS: RoadLinkFeature[] = [
  // 20 m north, its vertices 63 m away: the segment, not the vertices, is what counts.
  link('a', [-60, 20], [60, 20]),
  // …and its other direction, drawn once more with the same edge id.
  link('a', [60, 20], [-60, 20]),
  // A two-way road held as two edges, 30 and 31 m south.
  link('b', [-80, -30], [80, -30]),
  link('b-r', [80, -31], [-80, -31]),
  // Starts 35 m east and runs away: its nearest point is its first vertex.
  link('d', [35, 0], [200, 0]),
  // 50 m east, north–south: too far.
  link('c', [50, -100], [50, 100]),
  // Starts 45 m west and runs away: too far.
  link('e', [-45, 0], [-300, 0]),
  // A polyline whose second segment passes 10 m west… after a first segment far away.
  link('f', [-200, 200], [-10, 100], [-10, -100]),
]

describe('roads near an incident', () => {
  it('measures the distance from a point to a segment', () => {
    expect(pointSegmentDistance([0, 0], [3, 4], [3, -4])).toBeCloseTo(3)
    expect(pointSegmentDistance([0, 0], [3, 4], [3, 4])).toBeCloseTo(5)
    expect(pointSegmentDistance([0, 0], [1, 0], [2, 0])).toBeCloseTo(1)
    expect(pointSegmentDistance([0, 0], [-2, 1], [2, 1])).toBeCloseTo(1)
  })

  it('finds the edges within the radius, both directions, nearest first, each once', () => {
    expect(edgesNear(LINKS, CENTER, 40)).toEqual(['f', 'a', 'b', 'b-r', 'd'])
  })

  it('follows the radius', () => {
    expect(edgesNear(LINKS, CENTER, 25)).toEqual(['f', 'a'])
    expect(edgesNear(LINKS, CENTER, 5)).toEqual([])
    expect(edgesNear(LINKS, CENTER, 60)).toEqual(['f', 'a', 'b', 'b-r', 'd', 'e', 'c'])
  })

  it('finds nothing far away, or with no links', () => {
    expect(edgesNear(LINKS, [11.4, 44.55], 40)).toEqual([])
    expect(edgesNear([], CENTER, 40)).toEqual([])
  })
})

describe('the closure at an incident', () => {
  it('prefills a close-road edit with the roads near it, the incident as its source and a note', () => {
    const form = closureFormAtIncident({ id: 7, position: CENTER }, LINKS, 'Closure at incident #7: Crash on Via Stalingrado')
    expect(form).not.toBeNull()
    expect(form!.kind).toBe('close-road')
    expect(editOfForm(form!)).toEqual({
      edit: { kind: 'close-road', edges: ['f', 'a', 'b', 'b-r', 'd'], note: 'Closure at incident #7: Crash on Via Stalingrado', source: { incidentId: 7 } },
    })
  })

  it('keeps the source when the planner then closes some lanes in a window', () => {
    const form = closureFormAtIncident({ id: 7, position: CENTER }, LINKS, 'x')!
    expect(editOfForm({ ...form, closure: 'lanes', lanesClosed: '1', window: true, fromHour: 8, toHour: 12 })).toEqual({
      edit: { kind: 'close-road', edges: ['f', 'a', 'b', 'b-r', 'd'], lanesClosed: 1, fromHour: 8, toHour: 12, note: 'x', source: { incidentId: 7 } },
    })
  })

  it('gives nothing to add when no road is within 40 m', () => {
    expect(closureFormAtIncident({ id: 8, position: at(0, 500) }, LINKS, 'x')).toBeNull()
  })
})

describe('the source of an edit in the list', () => {
  const t = ((key: string, o: Record<string, unknown>) => `${key} ${JSON.stringify(o)}`) as unknown as TFunction
  it('names the incident or the PMO work site a closure comes from', () => {
    expect(sourceText(t, { kind: 'close-road', edges: ['e1'], source: { incidentId: 12 } })).toBe('scenarios.source.incident {"id":12}')
    expect(sourceText(t, { kind: 'close-road', edges: ['e1'], source: { pmoSiteId: 'PMO-7' } })).toBe('scenarios.source.pmoSite {"id":"PMO-7"}')
    expect(sourceText(t, { kind: 'close-road', edges: ['e1'] })).toBeNull()
    expect(sourceText(t, { kind: 'bus-lane', edges: ['e1'] })).toBeNull()
  })
})
