import { describe, expect, it } from 'vitest'
import { emissionFactor, linkEmissions } from './hot-emissions'

describe('hot exhaust emissions (COPERT-style speed curves)', () => {
  it('stays within 10 % of the documented anchor points of each curve', () => {
    const anchors: Array<['co2' | 'nox' | 'pm25', number, number]> = [
      ['co2', 10, 290], ['co2', 50, 150], ['co2', 90, 140], ['co2', 130, 185],
      ['nox', 10, 0.55], ['nox', 50, 0.3], ['nox', 110, 0.38],
      ['pm25', 10, 0.02], ['pm25', 50, 0.008], ['pm25', 130, 0.011],
    ]
    for (const [p, v, g] of anchors) expect(Math.abs(emissionFactor(p, v) - g) / g, `${p} at ${v} km/h`).toBeLessThan(0.1)
  })

  it('is U-shaped: congestion and motorway speeds emit more per km than 60–80 km/h', () => {
    expect(emissionFactor('co2', 10)).toBeGreaterThan(emissionFactor('co2', 70))
    expect(emissionFactor('co2', 130)).toBeGreaterThan(emissionFactor('co2', 70))
    // Out-of-range speeds are clamped, never infinite.
    expect(emissionFactor('co2', 0)).toBe(emissionFactor('co2', 5))
    expect(Number.isFinite(emissionFactor('nox', Number.NaN))).toBe(true)
  })

  it('scales with vehicle-km and worsens when the same traffic is slowed down', () => {
    const free = linkEmissions(1000, 1000, 72) // 1,000 veh over 1 km at 50 km/h
    expect(free.co2).toBeCloseTo(1000 * emissionFactor('co2', 50), 6)
    const slow = linkEmissions(1000, 1000, 360) // the same at 10 km/h
    expect(slow.co2).toBeGreaterThan(free.co2 * 1.7)
    expect(linkEmissions(0, 1000, 72).co2).toBe(0)
  })
})
