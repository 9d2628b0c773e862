/**
 * Tiles of the generated edge cases (testing/tile-fixtures.ts), rendered the way this engine
 * serves them (ST_AsMVT on PostgreSQL, the TypeScript encoder on PGlite) and decoded as MapLibre
 * decodes them. On PostgreSQL both encodings run and must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { ringArea2 } from './mvt-encoder'
import { renderTile } from './tile-renderer'
import { tileSource } from './tile-sources'
import { compareTiles } from './testing/tile-compare'
import { decodeTile, type DecodedFeature, type DecodedTile } from './testing/tile-dump'
import { FIXTURE_TILE, insertTileFixtures } from './testing/tile-fixtures'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
  await insertTileFixtures(t.db)
}, 240_000)
afterAll(async () => t?.drop())

const T = FIXTURE_TILE
const render = async (source: string, z = T.z, x = T.x, y = T.y): Promise<DecodedTile> => decodeTile(await renderTile(t.db, tileSource(source)!, { z, x, y }))
const feature = (tile: DecodedTile, layer: string, id: string): DecodedFeature | undefined => tile[layer]?.features.find((f) => f.properties.id === id)
const bbox = (f: DecodedFeature) => {
  const pts = f.geometry.flat()
  return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))]
}
const near = (actual: number[], expected: number[]) => actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1))

describe('a base tile', () => {
  it('clips a polygon crossing the tile corner to the 64-unit buffer, exterior ring clockwise', async () => {
    const f = feature(await render('base'), 'areas', 'poly-cross')!
    expect(f.type).toBe('Polygon')
    near(bbox(f), [-64, -64, 2000, 2000])
    expect(ringArea2(f.geometry[0]!)).toBeGreaterThan(0)
    expect(f.properties).toEqual({ id: 'poly-cross', kind: 'quartiere', code: 'Q1', name: 'Corner district' })
  })

  it('skips an empty geometry and a polygon smaller than a tile unit', async () => {
    const tile = await render('base')
    expect(feature(tile, 'areas', 'poly-empty')).toBeUndefined()
    expect(feature(tile, 'land_use', 'tiny-landuse')).toBeUndefined()
  })

  it('keeps a multipolygon as one feature with one exterior ring per polygon', async () => {
    const f = feature(await render('base'), 'land_use', 'multi-landuse')!
    expect(f.geometry.map((r) => Math.sign(ringArea2(r)))).toEqual([1, 1])
    expect(f.properties).toEqual({ id: 'multi-landuse', class: 'park', name: 'Twin gardens' })
  })

  it('keeps the hole of a building as an interior ring, with height, base and estimated', async () => {
    const f = feature(await render('base'), 'buildings', 'holed-building')!
    expect(f.geometry.map((r) => Math.sign(ringArea2(r)))).toEqual([1, -1])
    expect(f.properties).toEqual({ id: 'holed-building', height: 21.5, base: 0, estimated: false })
  })

  it('clips a line ten tiles long at the buffer on both sides', async () => {
    const f = feature(await render('base'), 'roads', 'long-primary')!
    expect(f.type).toBe('LineString')
    const xs = f.geometry.flat().map((p) => p[0])
    expect(Math.min(...xs)).toBe(-64)
    expect(Math.max(...xs)).toBe(4160)
    expect(f.properties).toEqual({ id: 'long-primary', name: 'Via Lunga', class: 'primary', lanes: 2, oneway: true })
  })

  it('splits a line that leaves the tile and comes back into two parts, leaving null attributes out', async () => {
    const f = feature(await render('base'), 'roads', 'u-turn-resid')!
    expect(f.geometry).toHaveLength(2)
    expect(f.properties).toEqual({ id: 'u-turn-resid', class: 'residential', oneway: false })
  })

  it('draws the Comune arcs in streets, and not in roads while an OSM drive graph exists', async () => {
    const tile = await render('base')
    expect(feature(tile, 'streets', 'arc-1')?.properties).toEqual({ id: 'arc-1', name: "VIA DELL'ARCHIGINNASIO", codvia: '1000' })
    expect(feature(tile, 'roads', 'arc-1')).toBeUndefined()
  })
})

describe('zoom rules', () => {
  it('leaves buildings, streets and minor roads out of a z12 tile but keeps primary roads, districts and land use', async () => {
    const z12 = await render('base', 12, T.x >> 2, T.y >> 2)
    expect(Object.keys(z12).sort()).toEqual(['areas', 'land_use', 'roads'])
    expect(z12.roads!.features.map((f) => f.properties.id)).toEqual(['long-primary'])
  })

  it('draws lanes and junctions from z15 only; signals from z12', async () => {
    expect(Object.keys(await render('network', 14)).sort()).toEqual(['signals'])
    const z15 = await render('network', 15, T.x * 2, T.y * 2)
    expect(Object.keys(z15).sort()).toEqual(['signals', 'sumo_detectors', 'sumo_junctions', 'sumo_lanes'])
  })
})

describe('points and the network source', () => {
  it('keeps a point in the buffer and drops one beyond it', async () => {
    const devices = (await render('assets')).devices!.features
    expect(devices.map((f) => f.properties.id).sort()).toEqual(['dev-buffer', 'dev-in', 'sig-1'])
    expect(devices.find((f) => f.properties.id === 'dev-buffer')!.geometry).toEqual([[[4130, 100]]])
  })

  it('sends a junction with a shape as a polygon and one without as a point, with lane and detector attributes', async () => {
    const z16 = await render('network', 16, T.x * 4 + 1, T.y * 4 + 1)
    expect(feature(z16, 'sumo_junctions', 'j-shape')?.type).toBe('Polygon')
    expect(feature(z16, 'sumo_lanes', 'e1_0')?.properties).toEqual({ id: 'e1_0', edge: 'e1', network: 'sumo-fixture', speed: 13.89 })
    expect(feature(z16, 'sumo_detectors', 'det-1')?.properties).toEqual({ id: 'det-1', network: 'sumo-fixture', loop_code: '0.127 2.73 6 1', device_id: 'dev-in' })
    expect(feature(await render('network', 15, T.x * 2 + 1, T.y * 2), 'sumo_junctions', 'j-point')?.type).toBe('Point')
    const z15 = await render('network', 15, T.x * 2, T.y * 2)
    expect(feature(z15, 'signals', 'sig-1')?.properties).toEqual({ id: 'sig-1', name: 'Signal 2.09', intersection_code: '2.09' })
  })

  it('returns an empty tile far from the data', async () => {
    expect((await renderTile(t.db, tileSource('base')!, { z: 14, x: 0, y: 0 })).length).toBe(0)
  })
})

describe.runIf(TEST_TARGET === 'services')('the two encodings on PostgreSQL', () => {
  const tiles: Array<[string, number, number, number]> = [
    ['base', T.z, T.x, T.y],
    ['base', 12, T.x >> 2, T.y >> 2],
    ['base', 16, T.x * 4 + 1, T.y * 4 + 1],
    ['network', 15, T.x * 2, T.y * 2],
    ['network', 15, T.x * 2 + 1, T.y * 2],
    ['network', 16, T.x * 4 + 1, T.y * 4 + 1],
    ['assets', T.z, T.x, T.y],
  ]
  it.each(tiles)('agree on %s %i/%i/%i: same features, attributes, geometry within 1 unit', async (source, z, x, y) => {
    const s = tileSource(source)!
    const a = decodeTile(await renderTile(t.db, s, { z, x, y }, 'asmvt'))
    const b = decodeTile(await renderTile(t.db, s, { z, x, y }, 'js'))
    expect(Object.keys(a).length).toBeGreaterThan(0)
    expect(compareTiles(a, b)).toEqual([])
  })
})
