import { describe, expect, it } from 'vitest'
import { binomial, hash32, mulberry32, poisson, rngFor, unitHash } from './prng'

describe('prng', () => {
  it('hashes the same parts to the same value and different parts apart', () => {
    expect(hash32(42, 'loop-450', 'traffic', 29_000_000)).toBe(hash32(42, 'loop-450', 'traffic', 29_000_000))
    expect(hash32('ab', 'c')).not.toBe(hash32('a', 'bc'))
    expect(hash32(1, 'x')).not.toBe(hash32(2, 'x'))
  })

  it('gives uniforms in [0, 1)', () => {
    const rng = mulberry32(7)
    const draws = Array.from({ length: 10_000 }, () => rng())
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...draws)).toBeLessThan(1)
    expect(unitHash('a')).toBeLessThan(1)
  })

  it('repeats a slot generator exactly', () => {
    const a = rngFor(1, 'd', 's', 5)
    const b = rngFor(1, 'd', 's', 5)
    expect([a(), a(), a()]).toEqual([b(), b(), b()])
  })

  it.each([0.3, 4, 35, 120, 900])('draws Poisson counts with mean and variance λ = %d', (lambda) => {
    const rng = mulberry32(123)
    const n = 20_000
    let sum = 0
    let sumSq = 0
    for (let i = 0; i < n; i++) {
      const k = poisson(lambda, rng)
      expect(Number.isInteger(k) && k >= 0).toBe(true)
      sum += k
      sumSq += k * k
    }
    const mean = sum / n
    const variance = sumSq / n - mean * mean
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n) + 1e-9)
    expect(variance / lambda).toBeGreaterThan(0.9)
    expect(variance / lambda).toBeLessThan(1.1)
  })

  it('returns 0 vehicles for a zero or invalid mean', () => {
    const rng = mulberry32(1)
    expect(poisson(0, rng)).toBe(0)
    expect(poisson(Number.NaN, rng)).toBe(0)
  })

  it('draws binomial counts within 0..n', () => {
    const rng = mulberry32(9)
    for (let i = 0; i < 1000; i++) {
      const k = binomial(50, 0.03, rng)
      expect(k).toBeGreaterThanOrEqual(0)
      expect(k).toBeLessThanOrEqual(50)
    }
  })
})
