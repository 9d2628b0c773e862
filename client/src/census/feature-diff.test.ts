import { describe, expect, it } from 'vitest'
import { changedNames, diffVersions, timelineOf } from './feature-diff'
import { version } from './testing/census-fixtures'

const ORDER = ['name', 'status', 'heightM']

describe('the difference between two versions', () => {
  it('lists the attributes before → after in the asset type’s order', () => {
    const a = version({ version: 1, properties: { status: 'functional', heightM: 8 } })
    const b = version({ version: 3, properties: { status: 'disused', heightM: 8, name: 'Palo 12', zzz: 1 } })
    const d = diffVersions(a, b, ORDER)
    expect(d.attributes).toEqual([
      { name: 'name', before: null, after: 'Palo 12' },
      { name: 'status', before: 'functional', after: 'disused' },
      { name: 'zzz', before: null, after: 1 },
    ])
    expect(d).toMatchObject({ from: 1, to: 3, geometryChanged: false, movedM: null, tombstone: null })
  })

  it('says how far a point moved', () => {
    const a = version({ version: 1 })
    const b = version({ version: 2, geometry: { type: 'Point', coordinates: [11.3426, 44.4946] } })
    const d = diffVersions(a, b, ORDER)
    expect(d.geometryChanged).toBe(true)
    expect(d.movedM!).toBeGreaterThan(99)
    expect(d.movedM!).toBeLessThan(101)
  })

  it('knows a changed line without a distance, and a deletion', () => {
    const line = (c: number[][]) => ({ type: 'LineString', coordinates: c })
    const d = diffVersions(version({ geometry: line([[11.34, 44.49], [11.35, 44.49]]) }), version({ version: 2, geometry: line([[11.34, 44.49], [11.35, 44.5]]) }), ORDER)
    expect(d).toMatchObject({ geometryChanged: true, movedM: null })
    expect(diffVersions(version(), version({ version: 2, deleted: true }), ORDER).tombstone).toBe('deleted')
  })

  it('tells the timeline, newest first, what each version changed', () => {
    const v1 = version({ version: 1 })
    const v2 = version({ version: 2, properties: { status: 'functional', heightM: 9 }, geometry: { type: 'Point', coordinates: [11.3427, 44.4937] } })
    const t = timelineOf([v2, v1])
    expect(t.map((x) => x.version.version)).toEqual([2, 1])
    expect(changedNames(t[0]!.previous, t[0]!.version, ORDER)).toEqual(['heightM', 'geometry'])
    expect(changedNames(null, v1, ORDER)).toEqual([])
  })
})
