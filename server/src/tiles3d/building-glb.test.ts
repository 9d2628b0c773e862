import { describe, expect, it } from 'vitest'
import { buildingGlb } from './building-glb'
import type { BuildingFootprint, LonLat } from './building-mesh'
import { ecefToGeodetic, geodeticToEcef, sub, type Vec3 } from './geodesy'
import { decodeBuildingGlb } from './testing/decode-glb'
import { rectRing } from './testing/generated-buildings'

const DUOMO: LonLat = [9.1919, 45.4641]
const centre = geodeticToEcef(DUOMO[0], DUOMO[1], 0)
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]

function building(overrides: Partial<BuildingFootprint> = {}): BuildingFootprint {
  return { id: 'b-1', heightM: 15, baseM: 0, estimated: false, polygons: [[rectRing(DUOMO, 0, 0, 20, 10)]], ...overrides }
}

describe('building GLB', () => {
  it('declares EXT_mesh_features and EXT_structural_metadata and names the building in its property table', async () => {
    const glb = await decodeBuildingGlb(await buildingGlb([building({ id: 'way/123', heightM: 21.5 })], centre))
    expect(glb.extensionsUsed).toEqual(expect.arrayContaining(['EXT_mesh_features', 'EXT_structural_metadata']))
    expect(glb.rows).toEqual([{ id: 'way/123', height: 21.5, base: 0, estimated: false }])
    expect(new Set(glb.featureIds)).toEqual(new Set([0]))
  })

  it('places the vertices at the footprint corners, on the ground and at the roof height (ECEF, within 1 cm)', async () => {
    const b = building()
    const glb = await decodeBuildingGlb(await buildingGlb([b], centre))
    const corners = b.polygons[0]![0]!.slice(0, 4)
    for (const p of glb.positions) {
      const [lon, lat, h] = ecefToGeodetic(p)
      expect([0, 15].some((want) => Math.abs(h - want) < 0.01)).toBe(true)
      const nearest = Math.min(...corners.map(([x, y]) => Math.hypot((x - lon) * 78_000, (y - lat) * 111_000)))
      expect(nearest).toBeLessThan(0.01)
    }
    // 4 walls × 4 vertices + 4 roof vertices; 4 × 2 + 2 triangles.
    expect(glb.positions).toHaveLength(20)
    expect(glb.indices).toHaveLength(30)
  })

  it('turns every wall outwards and every roof triangle upwards', async () => {
    const b = building()
    const glb = await decodeBuildingGlb(await buildingGlb([b], centre))
    const middle = geodeticToEcef(DUOMO[0] + 10 / 78_000, DUOMO[1] + 5 / 111_000, 0)
    for (let t = 0; t < glb.indices.length; t += 3) {
      const [a, c, d] = [glb.positions[glb.indices[t]!]!, glb.positions[glb.indices[t + 1]!]!, glb.positions[glb.indices[t + 2]!]!]
      // Geometric normal by winding (counter-clockwise = front) must agree with the stored normal.
      const e1 = sub(c, a)
      const e2 = sub(d, a)
      const n: Vec3 = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]]
      expect(dot(n, glb.normals[glb.indices[t]!]!)).toBeGreaterThan(0)
      const [, , h] = ecefToGeodetic(a)
      const isRoof = Math.abs(ecefToGeodetic(c)[2] - h) < 0.01 && Math.abs(ecefToGeodetic(d)[2] - h) < 0.01 && h > 1
      if (!isRoof) expect(dot(glb.normals[glb.indices[t]!]!, sub(a, middle))).toBeGreaterThan(0)
    }
  })

  it('leaves a courtyard open: no roof over the hole, and its walls face into the courtyard', async () => {
    const hole = rectRing(DUOMO, 10, 10, 20, 20).reverse()
    const b = building({ polygons: [[rectRing(DUOMO, 0, 0, 30, 30), hole]] })
    const glb = await decodeBuildingGlb(await buildingGlb([b], centre))
    const courtyard = geodeticToEcef(DUOMO[0] + 15 / 78_060, DUOMO[1] + 15 / 110_574, 15)
    // 8 walls × 2 triangles + 8 roof triangles (n + 2h − 2 with n = 8, h = 1).
    expect(glb.indices.length / 3).toBe(24)
    for (let t = 0; t < glb.indices.length; t += 3) {
      const tri = [0, 1, 2].map((k) => glb.positions[glb.indices[t + k]!]!)
      const geo = tri.map(ecefToGeodetic)
      if (geo.every((g) => Math.abs(g[2] - 15) < 0.01)) {
        const lon = (geo[0]![0] + geo[1]![0] + geo[2]![0]) / 3
        const lat = (geo[0]![1] + geo[1]![1] + geo[2]![1]) / 3
        const x = (lon - DUOMO[0]) * 78_060
        const y = (lat - DUOMO[1]) * 110_574
        expect(x > 10.01 && x < 19.99 && y > 10.01 && y < 19.99).toBe(false)
      }
    }
    // The walls of the hole (all within 6 m of the courtyard centre) face it.
    let holeWalls = 0
    for (const [i, p] of glb.positions.entries()) {
      const d = sub(courtyard, p)
      const [, , h] = ecefToGeodetic(p)
      if (Math.hypot(...sub(p, geodeticToEcef(DUOMO[0] + 15 / 78_060, DUOMO[1] + 15 / 110_574, h))) < 8 && h < 14.99) {
        holeWalls++
        expect(dot(glb.normals[i]!, d)).toBeGreaterThan(0)
      }
    }
    expect(holeWalls).toBe(8)
  })

  it('keeps both parts of a MultiPolygon under one feature id', async () => {
    const parts = building({ id: 'two-parts', polygons: [[rectRing(DUOMO, 0, 0, 10, 10)], [rectRing(DUOMO, 20, 0, 30, 10)]] })
    const other = building({ id: 'other', polygons: [[rectRing(DUOMO, 50, 0, 60, 10)]] })
    const glb = await decodeBuildingGlb(await buildingGlb([parts, other], centre))
    expect(glb.rows.map((r) => r.id)).toEqual(['two-parts', 'other'])
    expect(glb.featureIds.filter((f) => f === 0)).toHaveLength(2 * 20)
    expect(glb.featureIds.filter((f) => f === 1)).toHaveLength(20)
    // Every vertex of feature 1 is at the `other` footprint (x between 50 and 60 m).
    for (const [i, f] of glb.featureIds.entries()) {
      const x = (ecefToGeodetic(glb.positions[i]!)[0] - DUOMO[0]) * 78_060
      expect(f === 1 ? x > 49.9 : x < 30.1).toBe(true)
    }
  })

  it('flags estimated heights in the metadata', async () => {
    const bs = Array.from({ length: 11 }, (_, i) => building({ id: `b${i}`, estimated: i % 3 === 0, polygons: [[rectRing(DUOMO, i * 20, 0, i * 20 + 10, 10)]] }))
    const glb = await decodeBuildingGlb(await buildingGlb(bs, centre))
    expect(glb.rows.map((r) => r.estimated)).toEqual(bs.map((b) => b.estimated))
  })
})
