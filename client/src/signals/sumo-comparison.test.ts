import { describe, expect, it } from 'vitest'
import { approachRows, compare, countTables, gehFit, gehLevel } from './sumo-comparison'
import { sumoResultsFixture } from './testing/fixtures'

describe('GEH levels', () => {
  it('colours only a GEH of 5 or more; no count is neither fit nor poor', () => {
    expect(gehLevel(4.99)).toBe('fit')
    expect(gehLevel(5)).toBe('poor')
    expect(gehLevel(12)).toBe('poor')
    expect(gehLevel(null)).toBe('none')
    expect(gehLevel(Number.NaN)).toBe('none')
  })

  it('gives the share of counted items below 5, leaving the uncounted out', () => {
    expect(gehFit([{ geh: 1 }, { geh: 6 }, { geh: null }, { geh: 4.9 }])).toEqual({ counted: 3, fit: 2, share: 2 / 3 })
    expect(gehFit([{ geh: null }])).toEqual({ counted: 0, fit: 0, share: null })
  })
})

describe('estimate against simulation', () => {
  it('takes the difference as simulated minus estimate, none when a side is missing', () => {
    expect(compare(25, 22.5)).toEqual({ estimate: 25, simulated: 22.5, delta: -2.5 })
    expect(compare(null, 3)).toEqual({ estimate: null, simulated: 3, delta: null })
    expect(compare(undefined, null)).toEqual({ estimate: null, simulated: null, delta: null })
  })

  it('puts per approach the counted flow, HCM delay and queue beside SUMO’s, and SUMO’s stops alone', () => {
    const [row] = approachRows(sumoResultsFixture())
    expect(row).toEqual({
      edgeId: 'a31',
      groupIds: ['S1', 'S2'],
      vehicles: 90,
      flowVehH: { estimate: 600, simulated: 540, delta: -60 },
      delayS: { estimate: 25, simulated: 22.4, delta: 22.4 - 25 },
      queueVeh: { estimate: 5.5, simulated: 7, delta: 1.5 },
      stopsPerVehicle: { estimate: null, simulated: 0.8, delta: null },
      travelTimeS: 31.5,
    })
  })

  it('has no estimate for an approach the HCM could not evaluate (no green or no flow)', () => {
    const r = sumoResultsFixture()
    const [row] = approachRows({ ...r, approaches: [{ ...r.approaches[0]!, estimate: null, countedVehH: null }] })
    expect(row!.delayS).toEqual({ estimate: null, simulated: 22.4, delta: null })
    expect(row!.flowVehH.estimate).toBeNull()
  })
})

describe('counted against simulated flow', () => {
  it('lists poor fits first, then fits, then what was not counted, with the fit of detectors and loops', () => {
    const t = countTables(sumoResultsFixture())
    expect(t.detectors.map((d) => [d.id, d.level])).toEqual([
      ['d1', 'poor'],
      ['d2', 'fit'],
      ['d3', 'none'],
    ])
    expect(t.detectorFit).toEqual({ counted: 2, fit: 1, share: 0.5 })
    expect(t.loops).toEqual([{ id: 'loop-7', where: 'd1, d2', deviceId: 'loop-7', countedVehH: 600, simulatedVehH: 490, geh: 4.7, level: 'fit' }])
    expect(t.loopFit.share).toBe(1)
  })
})
