import { describe, expect, it } from 'vitest'
import { ecefToGeodetic, ecefToGltf, geodeticToEcef, gltfToEcef } from './geodesy'

describe('WGS84 geodesy', () => {
  it('puts lon 0, lat 0 on the equatorial radius and the pole on the polar radius', () => {
    expect(geodeticToEcef(0, 0, 0)).toEqual([6378137, 0, 0])
    const pole = geodeticToEcef(0, 90, 0)
    expect(pole[2]).toBeCloseTo(6356752.3142, 3)
  })

  it('round-trips Milan and Bologna positions to under a millimetre', () => {
    for (const [lon, lat, h] of [
      [9.1916, 45.4642, 0],
      [11.3426, 44.4949, 57.5],
    ] as const) {
      const [lon2, lat2, h2] = ecefToGeodetic(geodeticToEcef(lon, lat, h))
      expect(Math.abs(lon2 - lon) * 111_000).toBeLessThan(1e-3)
      expect(Math.abs(lat2 - lat) * 111_000).toBeLessThan(1e-3)
      expect(Math.abs(h2 - h)).toBeLessThan(1e-3)
    }
  })

  it('writes glTF y-up so that the 3D Tiles y-up → z-up rotation gives ECEF back', () => {
    const p = geodeticToEcef(9.19, 45.46, 30)
    const g = ecefToGltf(p)
    // 3D Tiles: +90° about x, (x, y, z) → (x, −z, y)
    expect([g[0], -g[2], g[1]]).toEqual(p)
    expect(gltfToEcef(g)).toEqual(p)
  })
})
