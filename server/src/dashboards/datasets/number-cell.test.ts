import { describe, expect, it } from 'vitest'
import { readNumberCell } from './number-cell'

const value = (cell: unknown) => {
  const r = readNumberCell(cell)
  return r.kind === 'number' ? r.value : r.kind
}

describe('readNumberCell', () => {
  it('reads plain numbers and JSON numbers', () => {
    expect(['1234', '-12.5', '+3', '.5', '1e3', ' 7 '].map(value)).toEqual([1234, -12.5, 3, 0.5, 1000, 7])
    expect(value(42.5)).toBe(42.5)
  })

  it('reads the Italian decimal comma and thousands dots', () => {
    expect(['12,5', '1.234,5', '1.234.567', '-0,25', '1,234'].map(value)).toEqual([12.5, 1234.5, 1234567, -0.25, 1.234])
  })

  it('reads English thousands commas when a decimal point follows them or they repeat', () => {
    expect(['1,234.5', '1,234,567'].map(value)).toEqual([1234.5, 1234567])
  })

  it('takes a single dot as the decimal point', () => {
    expect(value('1.234')).toBe(1.234)
  })

  it('treats an empty cell as no value, not zero', () => {
    expect(['', '   ', null, undefined].map(value)).toEqual(['empty', 'empty', 'empty', 'empty'])
  })

  it('refuses text, badly grouped thousands and other JSON values', () => {
    expect(['n.d.', '12 euro', '1.23,4', '1,2,3', '--1', 'NaN', 'Infinity'].map(value)).toEqual(Array(7).fill('invalid'))
    expect([true, {}, [1]].map(value)).toEqual(['invalid', 'invalid', 'invalid'])
  })
})
