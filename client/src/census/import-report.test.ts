import { describe, expect, it } from 'vitest'
import { importable, problemsByFeature } from './import-report'

const report = (over: Partial<Parameters<typeof importable>[0] & object> = {}) => ({ collection: 'poles' as const, format: 'geojson', sourceCrs: 'CRS84', features: 3, created: 2, replaced: 1, stored: false, problems: [], ...over })

describe('an import report', () => {
  it('groups the problems by feature, in file order', () => {
    const r = problemsByFeature({
      problems: [
        { index: 4, id: 'PL-9', path: 'properties.heightM', message: 'at most 40' },
        { index: 1, id: null, path: 'geometry', message: 'outside the comune' },
        { index: 4, id: 'PL-9', path: 'properties.status', message: 'required' },
      ],
    })
    expect(r.map((f) => [f.index, f.problems.length])).toEqual([
      [1, 1],
      [4, 2],
    ])
  })

  it('may be stored only after a clean dry run of the same file', () => {
    const file = new File(['{}'], 'poles.geojson')
    expect(importable(report(), file, file)).toBe(true)
    expect(importable(report(), file, new File(['{}'], 'other.geojson'))).toBe(false)
    expect(importable(report({ problems: [{ index: 0, id: null, path: 'geometry', message: 'x' }] }), file, file)).toBe(false)
    expect(importable(report({ features: 0 }), file, file)).toBe(false)
    expect(importable(null, file, file)).toBe(false)
  })
})
