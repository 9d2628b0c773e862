import { describe, expect, it } from 'vitest'
import { missingRanges, nextUnitStart, partitionedTables, partitionName, unitStart, type Partition } from './partitions'

const D = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d)
const part = (fromMs: number | null, toMs: number | null): Partition => ({ name: 'x', fromMs, toMs, detachPending: false })

describe('partition calendar', () => {
  it('finds UTC day, month and year starts, across year ends', () => {
    const t = Date.UTC(2026, 11, 31, 23, 59, 59)
    expect(unitStart('day', t)).toBe(D(2026, 12, 31))
    expect(nextUnitStart('day', t)).toBe(D(2027, 1, 1))
    expect(unitStart('month', t)).toBe(D(2026, 12, 1))
    expect(nextUnitStart('month', t)).toBe(D(2027, 1, 1))
    expect(nextUnitStart('year', t)).toBe(D(2027, 1, 1))
  })

  it('names partitions by the start of their unit', () => {
    const [raw, m, h] = ['raw', '1m', '1h'].map((role) => partitionedTables().find((x) => x.shape === 'air-quality' && x.role === role)!)
    expect(partitionName(raw!, D(2026, 3, 9))).toBe('air_quality_reading_p20260309')
    expect(partitionName(m!, D(2026, 3, 1))).toBe('air_quality_1m_p202603')
    expect(partitionName(h!, D(2026, 1, 1))).toBe('air_quality_1h_p2026')
  })
})

describe('missingRanges', () => {
  it('skips what the legacy partition covers and returns whole missing days', () => {
    const existing = [part(null, D(2026, 11, 27)), part(D(2026, 11, 27), D(2026, 11, 28))]
    expect(missingRanges(existing, 'day', D(2026, 11, 18), D(2026, 11, 30))).toEqual([
      [D(2026, 11, 28), D(2026, 11, 29)],
      [D(2026, 11, 29), D(2026, 11, 30)],
    ])
  })

  it('fills only the uncovered part of a unit an odd bound cuts', () => {
    const noon = Date.UTC(2026, 10, 27, 12)
    expect(missingRanges([part(null, noon)], 'day', D(2026, 11, 27), D(2026, 11, 28))).toEqual([[noon, D(2026, 11, 28)]])
  })

  it('gives months for monthly tables, nothing when covered', () => {
    expect(missingRanges([], 'month', D(2026, 11, 20), D(2026, 12, 3))).toEqual([
      [D(2026, 11, 1), D(2026, 12, 1)],
      [D(2026, 12, 1), D(2027, 1, 1)],
    ])
    expect(missingRanges([part(D(2026, 1, 1), D(2027, 1, 1))], 'year', D(2026, 11, 20), D(2026, 12, 3))).toEqual([])
  })
})
