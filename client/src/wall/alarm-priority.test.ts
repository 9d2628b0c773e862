import { describe, expect, it } from 'vitest'
import { PRIORITY_STYLE, worstPriority } from './alarm-priority'

describe('priority coding on the wall', () => {
  it('uses the palette colour, a distinct shape and the ISA-18.2 number for each priority', () => {
    expect(PRIORITY_STYLE.high).toMatchObject({ tone: 'critical', mark: '1' })
    expect(PRIORITY_STYLE.medium).toMatchObject({ tone: 'high', mark: '2' })
    expect(PRIORITY_STYLE.low).toMatchObject({ tone: 'medium', mark: '3' })
    expect(PRIORITY_STYLE.diagnostic).toMatchObject({ tone: 'diagnostic', mark: 'D' })
    expect(new Set(Object.values(PRIORITY_STYLE).map((s) => s.shape)).size).toBe(4)
  })
  it('keeps the more urgent of two priorities', () => {
    expect(worstPriority('low', 'high')).toBe('high')
    expect(worstPriority(null, 'medium')).toBe('medium')
    expect(worstPriority('diagnostic', null)).toBe('diagnostic')
  })
})
