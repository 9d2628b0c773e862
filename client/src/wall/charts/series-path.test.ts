import { describe, expect, it } from 'vitest'
import { lastValue, seriesPath } from './series-path'

const box = { width: 110, height: 60, pad: 5 }

describe('series path', () => {
  it('draws the points left to right on a 0..max axis (SVG y down)', () => {
    expect(seriesPath([{ tMs: 100, value: 50 }, { tMs: 0, value: 0 }], 0, 100, 50, box)).toBe('M5 55L105 5')
  })
  it('breaks the line where a value is missing', () => {
    const d = seriesPath([{ tMs: 0, value: 10 }, { tMs: 50, value: null }, { tMs: 100, value: 10 }], 0, 100, 50, box)
    expect(d).toBe('M5 45M105 45')
  })
  it('clips values above the axis and leaves out points outside the window', () => {
    expect(seriesPath([{ tMs: -10, value: 1 }, { tMs: 0, value: 80 }], 0, 100, 50, box)).toBe('M5 5')
  })
  it('finds the newest value', () => {
    expect(lastValue([{ tMs: 2, value: null }, { tMs: 1, value: 4 }, { tMs: 0, value: 3 }])).toEqual({ tMs: 1, value: 4 })
    expect(lastValue([])).toBeNull()
  })
})
