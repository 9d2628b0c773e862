import { describe, expect, it } from 'vitest'
import { classLabels, classOf, colourOf, quantileBreaks, RAMP, rampOf } from './class-breaks'

const counts = (b: NonNullable<ReturnType<typeof quantileBreaks>>, values: number[]) => {
  const n = b.colours.map(() => 0)
  for (const v of values) n[classOf(b, v)!]!++
  return n
}

describe('choropleth classes', () => {
  it('cuts ten values into five quantile classes of two areas each, starting at data values', () => {
    const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    const b = quantileBreaks(values)!
    expect(b.bounds).toEqual([1, 3, 5, 7, 9, 10])
    expect(b.colours).toEqual([...RAMP])
    expect(counts(b, values)).toEqual([2, 2, 2, 2, 2])
  })
  it('leaves areas without data out of the classes: they have no colour, and zero is a value', () => {
    const b = quantileBreaks([null, 5, null, 10, 0])!
    expect(b.bounds[0]).toBe(0)
    expect(classOf(b, null)).toBeNull()
    expect(colourOf(b, null)).toBeNull()
    expect(colourOf(b, 0)).toBe(RAMP[0])
  })
  it('never puts different values in one class when repeated values leave classes to spare (many zeros)', () => {
    const values = [...Array(87).fill(0), 1, 1, 1]
    const b = quantileBreaks(values)!
    expect(b.bounds).toEqual([0, 1, 1])
    expect(counts(b, values)).toEqual([87, 3])
    expect(b.colours).toEqual(rampOf(2))
    expect(classLabels(b, String, true)).toEqual(['0', '1'])
    const few = quantileBreaks([0, 0, 0, 0, 0, 0, 0, 1, 3, 9])!
    expect(counts(few, [0, 1, 3, 9])).toEqual([1, 1, 1, 1])
    expect(classLabels(few, String, true)).toEqual(['0', '1 – 2', '3 – 8', '9'])
  })
  it('labels each class with its bounds; whole numbers up to the next class’s start less one', () => {
    const b = quantileBreaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 20])!
    expect(classLabels(b, String, true)).toEqual(['0 – 1', '2 – 3', '4 – 5', '6 – 7', '8 – 20'])
    expect(classLabels({ bounds: [0.5, 1.25, 2], colours: rampOf(2) }, String, false)).toEqual(['0.5 – 1.25', '1.25 – 2'])
  })
  it('gives one class, the darkest, when every area has the same value; none when no area has one', () => {
    expect(quantileBreaks([4, 4, 4])).toEqual({ bounds: [4, 4], colours: [RAMP[4]] })
    expect(classLabels(quantileBreaks([4, 4])!, String, true)).toEqual(['4'])
    expect(quantileBreaks([null, null])).toBeNull()
  })
  it('spreads short ramps over both ends', () => {
    expect(rampOf(3)).toEqual([RAMP[0], RAMP[2], RAMP[4]])
    expect(rampOf(2)).toEqual([RAMP[0], RAMP[4]])
  })
})
