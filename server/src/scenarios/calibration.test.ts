import { describe, expect, it } from 'vitest'
import { calibrationReport, geh } from './calibration'

describe('calibration against the counts', () => {
  it('GEH: 0 for a perfect match, 5 at the fit threshold, symmetric', () => {
    expect(geh(400, 400)).toBe(0)
    // m = 500, c = 400: sqrt(2 · 100² / 900) = 4.71.
    expect(geh(500, 400)).toBeCloseTo(4.714, 3)
    expect(geh(400, 500)).toBeCloseTo(geh(500, 400), 12)
    expect(geh(0, 0)).toBe(0)
  })

  it('the model fits when at least 85 % of the loops have GEH < 5', () => {
    const counted = Array.from({ length: 20 }, (_, i) => ({ deviceId: `loop-${i}`, roadEdgeId: `e${i}`, countedVehH: 600 }))
    // 17 loops within GEH 5, 3 far off: 85 % → fits; one more off → does not.
    const off = (n: number) => (e: string) => (Number(e.slice(1)) < 20 - n ? 620 : 1200)
    expect(calibrationReport(counted, off(3))).toMatchObject({ fitShare: 0.85, fits: true })
    expect(calibrationReport(counted, off(4))).toMatchObject({ fitShare: 0.8, fits: false })
    expect(calibrationReport(counted, off(0)).rmseVehH).toBeCloseTo(20, 9)
  })
})
