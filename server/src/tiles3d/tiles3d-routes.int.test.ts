import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { createApp } from '../http/app'
import { BuildingTilesCache } from './building-tiles-cache'
import type { TileJson, TilesetJson } from './building-tileset'
import { decodeBuildingGlb } from './testing/decode-glb'
import { generatedBuildings, insertBuildings } from './testing/generated-buildings'
import { mountTiles3dRoutes } from './tiles3d-routes'

let t: TestDb
let server: Server
let base: string
const buildings = generatedBuildings({ centre: [11.3430, 44.4938], count: 150, seed: 11 })

const leaves = (tile: TileJson): TileJson[] => (tile.content ? [tile] : (tile.children ?? []).flatMap(leaves))

beforeAll(async () => {
  t = await createTestDb()
  const cache = new BuildingTilesCache(t.db, { maxPerTile: 40 })
  server = createApp({ clientDir: null, mountRoutes: (app) => mountTiles3dRoutes(app, cache) }).listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/3dtiles/buildings/`
})

afterAll(async () => {
  await new Promise((r) => server?.close(r))
  await t?.drop()
})

describe('3D Tiles routes', () => {
  it('says how to get buildings when there are none', async () => {
    const res = await fetch(`${base}tileset.json`)
    expect(res.status).toBe(404)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('NOT_FOUND')
    expect(body.error.message).toMatch(/npm run import/)
  })

  it('serves the tileset with an ETag and answers 304 to a revalidation', async () => {
    await insertBuildings(t.db, buildings, 'test-buildings')
    const res = await fetch(`${base}tileset.json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const tileset = (await res.json()) as TilesetJson
    expect(tileset.asset.version).toBe('1.1')
    expect(tileset.root.boundingVolume.region).toHaveLength(6)
    const etag = res.headers.get('etag')!
    expect(etag).toBeTruthy()
    const again = await fetch(`${base}tileset.json`, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
  })

  it('serves every content as a GLB holding the database’s buildings, cacheable forever', async () => {
    const tileset = (await (await fetch(`${base}tileset.json`)).json()) as TilesetJson
    const ids: string[] = []
    for (const leaf of leaves(tileset.root)) {
      const res = await fetch(new URL(leaf.content!.uri, base))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('model/gltf-binary')
      expect(res.headers.get('cache-control')).toMatch(/immutable/)
      const bytes = new Uint8Array(await res.arrayBuffer())
      expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('glTF')
      ids.push(...(await decodeBuildingGlb(bytes)).rows.map((r) => r.id))
      const revalidated = await fetch(new URL(leaf.content!.uri, base), { headers: { 'if-none-match': res.headers.get('etag')! } })
      expect(revalidated.status).toBe(304)
    }
    expect(ids.sort()).toEqual(buildings.map((b) => b.id).sort())
  })

  it('regenerates after the buildings dataset is re-imported, and refuses the old version’s contents', async () => {
    const before = (await (await fetch(`${base}tileset.json`)).json()) as TilesetJson
    const oldUri = leaves(before.root)[0]!.content!.uri
    await t.db.query(
      `INSERT INTO dataset_import (dataset_id, title, licence, attribution, source, checksum, features, rejected, report)
       VALUES ('test-buildings', 'Test buildings', 'CC0', 'test', 'generated', 'sha-2', 150, 0, '{}')`,
    )
    const after = (await (await fetch(`${base}tileset.json`)).json()) as TilesetJson
    expect(after.asset.tilesetVersion).not.toBe(before.asset.tilesetVersion)
    const stale = await fetch(new URL(oldUri, base))
    expect(stale.status).toBe(404)
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/reload tileset\.json/)
    expect((await fetch(new URL(leaves(after.root)[0]!.content!.uri, base))).status).toBe(200)
  })

  it('refuses content names that are not tiles', async () => {
    const tileset = (await (await fetch(`${base}tileset.json`)).json()) as TilesetJson
    const res = await fetch(`${base}${tileset.asset.tilesetVersion}/..%2F..%2Fpackage.json`)
    expect(res.status).toBe(404)
  })
})
