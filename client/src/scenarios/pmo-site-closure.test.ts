import i18next, { type TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import type { ScenarioBase } from '../../../contracts/schemas/scenario'
import type { PmoSiteFeature, PmoSiteGeometry } from '../../../contracts/pmo-api'
import scenariosIt from '../app/i18n/scenarios.it.json'
import { editOfForm } from './edit-form'
import { edgesNear, type RoadLinkFeature } from './incident-closure'
import { closureFormAtSite, edgesAtSite, insideRings, observedDayOutside, segmentSegmentDistance, SITE_POINT_RADIUS_M, SITE_RADIUS_M, siteRadiusM } from './pmo-site-closure'

// Hand-made streets in Bologna: x east and y north in metres from ORIGIN.
const ORIGIN: [number, number] = [11.34, 44.49]
const M_PER_DEG_LAT = 111_195
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((44.49 * Math.PI) / 180)
const at = (x: number, y: number): [number, number] => [ORIGIN[0] + x / M_PER_DEG_LON, ORIGIN[1] + y / M_PER_DEG_LAT]
const link = (edgeId: string, ...points: Array<[number, number]>): RoadLinkFeature => ({ properties: { edgeId }, geometry: { coordinates: points.map(([x, y]) => at(x, y)) } })
const line = (...points: Array<[number, number]>): PmoSiteGeometry => ({ type: 'LineString', coordinates: points.map(([x, y]) => at(x, y)) })
const square = (half: number, hole?: number): PmoSiteGeometry => {
  const ring = (h: number) => [at(-h, -h), at(h, -h), at(h, h), at(-h, h), at(-h, -h)]
  return { type: 'Polygon', coordinates: hole === undefined ? [ring(half)] : [ring(half), ring(hole)] }
}

function siteFeature(geometry: PmoSiteGeometry, properties: Partial<PmoSiteFeature['properties']> = {}): PmoSiteFeature {
  return {
    type: 'Feature',
    id: 'ztl-varchi-nuovi',
    geometry,
    properties: {
      id: 'ztl-varchi-nuovi',
      title: 'Nuovi varchi ZTL',
      line: 'infrastrutture-smart',
      lineTitle: 'Infrastrutture digitali e smart city',
      status: 'in_progress',
      health: 'on_track',
      startDate: '2026-09-01',
      endDate: '2027-06-30',
      closesRoad: true,
      closedFrom: '2027-01-10',
      closedTo: '2027-02-10',
      ...properties,
    },
  }
}

function italian(): TFunction {
  const i18n = i18next.createInstance()
  void i18n.init({ resources: { it: { translation: scenariosIt } }, lng: 'it', initAsync: false, interpolation: { escapeValue: false } })
  return i18n.t
}

describe('segments on the flat projection', () => {
  it('measures the distance between two segments', () => {
    expect(segmentSegmentDistance([-1, -1], [1, 1], [-1, 1], [1, -1])).toBe(0)
    expect(segmentSegmentDistance([0, 0], [10, 0], [0, 3], [10, 3])).toBeCloseTo(3)
    expect(segmentSegmentDistance([0, 0], [10, 0], [5, 0], [5, 8])).toBeCloseTo(0)
    expect(segmentSegmentDistance([0, 0], [10, 0], [13, 4], [20, 4])).toBeCloseTo(5)
    expect(segmentSegmentDistance([0, 0], [0, 0], [3, 4], [3, -4])).toBeCloseTo(3)
  })

  it('tells the inside of a polygon from its hole', () => {
    const outer = [[-10, -10], [10, -10], [10, 10], [-10, 10], [-10, -10]] as Array<[number, number]>
    const hole = [[-5, -5], [5, -5], [5, 5], [-5, 5], [-5, -5]] as Array<[number, number]>
    expect(insideRings([7, 0], [outer, hole])).toBe(true)
    expect(insideRings([0, 0], [outer, hole])).toBe(false)
    expect(insideRings([20, 0], [outer, hole])).toBe(false)
  })
})

describe('roads at a work site along a street', () => {
  // Via A runs east–west, held as two edges (one per direction); Via P runs parallel 60 m north.
  const roads = () => [
    link('a-r', [100, -1], [-100, -1]),
    link('a', [-100, 0], [0, 0], [100, 0]),
    link('p', [-100, 60], [100, 60]),
    link('p-r', [100, 61], [-100, 61]),
    // A side street stopping 28 m short of the site's line.
    link('s', [0, 30], [0, 200]),
  ]
  const site = () => line([-80, 2], [80, 2])

  it('picks that street, both directions, nearest first, and not the parallel street 60 m away', () => {
    expect(edgesAtSite(roads(), site())).toEqual(['a', 'a-r'])
  })

  it('measures from the segments, not only the vertices', () => {
    // The link's vertices are 150 m from the site's; the segments cross it.
    expect(edgesAtSite([link('x', [0, -150], [0, 150])], site())).toEqual(['x'])
  })

  it('follows the radius', () => {
    expect(edgesAtSite(roads(), site(), 30)).toEqual(['a', 'a-r', 's'])
    expect(edgesAtSite(roads(), site(), 1)).toEqual([])
  })

  it('finds nothing when no link is near', () => {
    expect(edgesAtSite(roads(), line([-80, 500], [80, 500]))).toEqual([])
    expect(edgesAtSite([], site())).toEqual([])
  })
})

describe('roads at a work site over an area', () => {
  const roads = () => [
    link('far-north', [-100, 80], [100, 80]),
    link('crossing', [-100, 5], [100, 5]),
    link('inside', [-10, -10], [10, -10]),
    link('leaving', [0, 0], [0, 300]),
    link('far-east', [60, -100], [60, 100]),
  ]

  it('picks the links inside it and those crossing its border, not others', () => {
    expect(edgesAtSite(roads(), square(20))).toEqual(['crossing', 'inside', 'leaving'])
  })

  it('takes a link passing within the radius of its border, the nearest after those inside', () => {
    expect(edgesAtSite([...roads(), link('along', [30, -100], [30, 100])], square(20))).toEqual(['crossing', 'inside', 'leaving', 'along'])
  })

  it('leaves out a link in a hole of the area', () => {
    expect(edgesAtSite([link('courtyard', [-10, 0], [10, 0])], square(200, 100))).toEqual([])
    expect(edgesAtSite([link('courtyard', [-10, 0], [10, 0])], square(200))).toEqual(['courtyard'])
  })
})

describe('roads at a work site given as a point', () => {
  const roads = () => [link('near', [-60, 30], [60, 30]), link('near-r', [60, 31], [-60, 31]), link('far', [-60, 45], [60, 45])]

  it('is the incident case: within 40 m of the point', () => {
    const point: PmoSiteGeometry = { type: 'Point', coordinates: ORIGIN }
    expect(siteRadiusM(point)).toBe(SITE_POINT_RADIUS_M)
    expect(edgesAtSite(roads(), point)).toEqual(['near', 'near-r'])
    expect(edgesAtSite(roads(), point)).toEqual(edgesNear(roads(), ORIGIN, 40))
  })

  it('uses 25 m around a line or an area', () => {
    expect(siteRadiusM(line([0, 0], [1, 1]))).toBe(SITE_RADIUS_M)
    expect(siteRadiusM(square(10))).toBe(SITE_RADIUS_M)
  })
})

describe('the closure at a work site', () => {
  const inWindow: ScenarioBase = { kind: 'observed', date: '2027-01-20', hour: 8 }
  const afterWindow: ScenarioBase = { kind: 'observed', date: '2027-03-01', hour: 8 }

  it('prefills a close-road edit with the edges, the project as its source and a note naming it', () => {
    const closure = closureFormAtSite(siteFeature(line([0, 0], [1, 1])), ['a', 'a-r'], inWindow, italian())
    expect(closure).not.toBeNull()
    expect(closure!.warning).toBeNull()
    expect(editOfForm(closure!.form)).toEqual({
      edit: { kind: 'close-road', edges: ['a', 'a-r'], note: 'Cantiere PMO: Nuovi varchi ZTL (2027-01-10 – 2027-02-10)', source: { pmoSiteId: 'ztl-varchi-nuovi' } },
    })
  })

  it('warns when the observed day is outside the closure, and keeps the form', () => {
    const closure = closureFormAtSite(siteFeature(line([0, 0], [1, 1])), ['a'], afterWindow, italian())
    expect(closure!.warning).toBe('Il giorno osservato dello scenario (2027-03-01) è fuori dalla chiusura del cantiere (2027-01-10 – 2027-02-10).')
    expect(closure!.form.source).toEqual({ pmoSiteId: 'ztl-varchi-nuovi' })
    expect(closure!.form.edges).toEqual(['a'])
  })

  it('checks the window day by day, both ends included', () => {
    const site = siteFeature(line([0, 0], [1, 1])).properties
    expect(observedDayOutside({ kind: 'observed', date: '2027-01-10', hour: 0 }, site)).toBeNull()
    expect(observedDayOutside({ kind: 'observed', date: '2027-02-10', hour: 23 }, site)).toBeNull()
    expect(observedDayOutside({ kind: 'observed', date: '2027-01-09', hour: 8 }, site)).toBe('2027-01-09')
    expect(observedDayOutside({ kind: 'observed', date: '2027-02-11', hour: 8 }, site)).toBe('2027-02-11')
  })

  it('does not warn on a typical day, nor for a site with no closure dates', () => {
    const typical: ScenarioBase = { kind: 'typical', dayType: 'weekday', hour: 8 }
    expect(closureFormAtSite(siteFeature(line([0, 0], [1, 1])), ['a'], typical, italian())!.warning).toBeNull()
    const undated = closureFormAtSite(siteFeature(line([0, 0], [1, 1]), { closedFrom: null, closedTo: null }), ['a'], afterWindow, italian())
    expect(undated!.warning).toBeNull()
    expect(undated!.form.note).toBe('Cantiere PMO: Nuovi varchi ZTL')
  })

  it('gives nothing to add when no road was found at the site', () => {
    const site = siteFeature(line([-80, 500], [80, 500]))
    const edges = edgesAtSite([link('a', [-100, 0], [100, 0])], site.geometry)
    expect(edges).toEqual([])
    expect(closureFormAtSite(site, edges, inWindow, italian())).toBeNull()
  })
})
