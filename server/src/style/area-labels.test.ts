import { describe, expect, it } from 'vitest'
import { areaLabels, labelPoint } from './area-labels'

/** An L-shaped district: its centroid and its bbox centre both fall outside it (in the notch). */
const L_SHAPE = [[[11.3, 44.48], [11.34, 44.48], [11.34, 44.49], [11.31, 44.49], [11.31, 44.52], [11.3, 44.52], [11.3, 44.48]]]
const inside = ([x, y]: [number, number]) => (x >= 11.3 && x <= 11.34 && y >= 44.48 && y <= 44.49) || (x >= 11.3 && x <= 11.31 && y >= 44.48 && y <= 44.52)

describe('labelPoint', () => {
  it('puts the label inside a concave area, away from its edges', () => {
    const p = labelPoint(L_SHAPE)
    expect(inside(p)).toBe(true)
    expect(p[1]).toBeLessThan(44.495)
  })

  it('puts a square’s label at its centre', () => {
    const [x, y] = labelPoint([[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]])
    expect(x).toBeCloseTo(0.5, 2)
    expect(y).toBeCloseTo(0.5, 2)
  })

  it('avoids a hole', () => {
    const p = labelPoint([[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]])
    expect(p[0] > 1 && p[0] < 3 && p[1] > 1 && p[1] < 3).toBe(false)
  })
})

describe('areaLabels', () => {
  it('gives one point per named area, on its largest part, and skips unnamed ones', () => {
    const labels = areaLabels(
      [
        { geometry: { type: 'MultiPolygon', coordinates: [[[[20, 20], [20.01, 20], [20.01, 20.01], [20, 20]]], L_SHAPE] }, properties: { id: 'q1', name: 'Navile', code: '12' } },
        { geometry: { type: 'Polygon', coordinates: L_SHAPE }, properties: { id: 'q2', name: null } },
      ],
      'quartiere',
    )
    expect(labels).toHaveLength(1)
    expect(labels[0]?.properties).toEqual({ id: 'q1', kind: 'quartiere', code: '12', name: 'Navile' })
    expect(inside(labels[0]!.geometry.coordinates)).toBe(true)
  })
})
