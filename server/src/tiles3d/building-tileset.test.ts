import { describe, expect, it } from 'vitest'
import { buildBuildingTileset, type TileJson } from './building-tileset'
import { ecefToGeodetic, toRadians } from './geodesy'
import { decodeBuildingGlb } from './testing/decode-glb'
import { generatedBuildings } from './testing/generated-buildings'

const buildings = generatedBuildings({ centre: [9.1919, 45.4641], count: 600, seed: 3 })

function walk(tile: TileJson, parents: TileJson[], visit: (tile: TileJson, parents: TileJson[]) => void): void {
  visit(tile, parents)
  for (const child of tile.children ?? []) walk(child, [...parents, tile], visit)
}

const inRegion = (r: number[], [lon, lat, h]: [number, number, number]) =>
  toRadians(lon) >= r[0]! && toRadians(lon) <= r[2]! && toRadians(lat) >= r[1]! && toRadians(lat) <= r[3]! && h >= r[4]! && h <= r[5]!

describe('building tileset', () => {
  it('is a 3D Tiles 1.1 quadtree whose leaves hold versioned GLB contents', async () => {
    const { tileset, contents } = await buildBuildingTileset(buildings, { version: 'v1', contentPrefix: 'v1/', maxPerTile: 100 })
    expect(tileset.asset.version).toBe('1.1')
    expect(tileset.root.refine).toBe('ADD')
    let leaves = 0
    walk(tileset.root, [], (tile) => {
      expect(tile.boundingVolume.region).toHaveLength(6)
      if (tile.content) {
        leaves++
        expect(tile.geometricError).toBe(0)
        expect(tile.content.uri).toMatch(/^v1\/0(-[0-3])*\.glb$/)
        expect(contents.has(tile.content.uri.slice(3))).toBe(true)
      } else {
        expect(tile.children?.length).toBeGreaterThan(0)
        expect(tile.geometricError).toBeGreaterThan(0)
      }
    })
    expect(leaves).toBe(contents.size)
    expect(leaves).toBeGreaterThanOrEqual(6)
    expect(tileset.geometricError).toBeGreaterThan(tileset.root.geometricError)
  })

  it('puts every building in exactly one tile, inside the bounding volumes of the tile and of its parents', async () => {
    const { tileset, contents } = await buildBuildingTileset(buildings, { version: 'v1', contentPrefix: 'v1/', maxPerTile: 100 })
    const seen: string[] = []
    const checks: Promise<void>[] = []
    walk(tileset.root, [], (tile, parents) => {
      if (!tile.content) return
      const glb = contents.get(tile.content.uri.slice(3))!
      checks.push(
        decodeBuildingGlb(glb).then((d) => {
          expect(d.rows.length).toBeLessThanOrEqual(100)
          seen.push(...d.rows.map((r) => r.id))
          for (const p of d.positions) {
            const g = ecefToGeodetic(p)
            for (const t of [tile, ...parents]) expect(inRegion(t.boundingVolume.region, g)).toBe(true)
          }
        }),
      )
    })
    await Promise.all(checks)
    expect(seen.sort()).toEqual(buildings.map((b) => b.id).sort())
  })

  it('carries each building’s height and estimated flag into its tile', async () => {
    const { contents } = await buildBuildingTileset(buildings, { version: 'v1', contentPrefix: 'v1/', maxPerTile: 100 })
    const byId = new Map(buildings.map((b) => [b.id, b]))
    for (const glb of contents.values()) {
      for (const row of (await decodeBuildingGlb(glb)).rows) {
        expect(row.height).toBeCloseTo(byId.get(row.id)!.heightM, 4)
        expect(row.estimated).toBe(byId.get(row.id)!.estimated)
      }
    }
  })

  it('is deterministic: the same buildings give the same bytes', async () => {
    const a = await buildBuildingTileset(buildings, { version: 'v1', contentPrefix: 'v1/', maxPerTile: 100 })
    const b = await buildBuildingTileset([...buildings].reverse(), { version: 'v1', contentPrefix: 'v1/', maxPerTile: 100 })
    expect(JSON.stringify(b.tileset)).toBe(JSON.stringify(a.tileset))
    for (const [name, bytes] of a.contents) expect(Buffer.from(b.contents.get(name)!).equals(Buffer.from(bytes))).toBe(true)
  })
})
