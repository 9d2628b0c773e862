/**
 * Decoded, human-readable snapshots of real Bologna tiles (tests/fixtures/tiles/*.txt): a
 * reviewer sees which features, attributes and how many vertices a tile carries, and a change of
 * the SQL, the zoom rules or the data shows as a diff.
 *
 * One snapshot per encoding, because the two paths may differ by one tile unit: `asmvt` files are
 * checked on PostgreSQL, `js` files on the embedded database. Re-accept after an intended change:
 *   npx vitest run server/src/tiles/tile-snapshot.int.test.ts -u
 *   GEMELLO_TEST_TARGET=services npx vitest run server/src/tiles/tile-snapshot.int.test.ts -u
 *
 * The datasets are listed (not the whole importCity) so that a new dataset in the manifest does
 * not change these snapshots unannounced: add its id to SNAPSHOT_DATASETS and re-accept.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../geodata/src/manifest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR, TEST_TARGET } from '../../../tests/helpers/test-env'
import { tileAt } from './tile-grid'
import { defaultEncoding, renderTile } from './tile-renderer'
import { tileSource } from './tile-sources'
import { compareTiles } from './testing/tile-compare'
import { decodeTile, summariseTile } from './testing/tile-dump'
import { PIAZZA_MAGGIORE } from './testing/tile-fixtures'

const SNAPSHOT_DATASETS = [
  'bologna-streets', 'bologna-quartieri', 'bologna-zone', 'bologna-aree-statistiche', 'bologna-ztl',
  'bologna-loops', 'bologna-ztl-gates', 'bologna-bike-counters', 'arpae-stations',
  'osm-drive-edges', 'osm-landuse', 'sumo-acosta',
]
/** A signalised SUMO junction of Andrea Costa (tlLogic 15). */
const ANDREA_COSTA_JUNCTION: [number, number] = [11.318677, 44.496688]
const [LON, LAT] = PIAZZA_MAGGIORE
const TILES = [
  { name: 'base-z12-centre', source: 'base', tile: tileAt(LON, LAT, 12) },
  { name: 'base-z14-centre', source: 'base', tile: tileAt(LON, LAT, 14) },
  { name: 'base-z16-piazza-maggiore', source: 'base', tile: tileAt(LON, LAT, 16) },
  { name: 'assets-z14-centre', source: 'assets', tile: tileAt(LON, LAT, 14) },
  { name: 'network-z16-andrea-costa', source: 'network', tile: tileAt(ANDREA_COSTA_JUNCTION[0], ANDREA_COSTA_JUNCTION[1], 16) },
]

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
  for (const id of SNAPSHOT_DATASETS) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
}, 240_000)
afterAll(async () => t?.drop())

describe('real Bologna tiles', () => {
  it.each(TILES)('$name matches its decoded snapshot', async ({ name, source, tile }) => {
    const encoding = defaultEncoding(t.db)
    const bytes = await renderTile(t.db, tileSource(source)!, tile)
    expect(bytes.length).toBeLessThan(500 * 1024)
    const text = `${source} ${tile.z}/${tile.x}/${tile.y} (${encoding})\n${summariseTile(decodeTile(bytes))}`
    await expect(text).toMatchFileSnapshot(`../../../tests/fixtures/tiles/${name}.${encoding}.txt`)
  })

  it('shows Piazza Maggiore: the streets around it by name, in the Santo Stefano district', async () => {
    const z16 = decodeTile(await renderTile(t.db, tileSource('base')!, tileAt(LON, LAT, 16)))
    const streets = new Set(z16.streets!.features.map((f) => f.properties.name))
    expect(streets).toContain("VIA DELL'ARCHIGINNASIO")
    expect(streets).toContain('PIAZZA MAGGIORE')
    expect(streets).toContain('VIA FRANCESCO RIZZOLI')
    expect(z16.areas!.features.map((f) => f.properties.name)).toContain('Santo Stefano')
  })

  // The generated edge cases agree within one unit (tile-renderer.int.test.ts). On real data
  // the two polygon repairs (wagyu in PostGIS, GEOS ST_MakeValid here) differ on self-touching
  // rings and on slivers a unit wide (26 of the ~1,800 land-use polygons of the z12 tile, by up
  // to 24 units): under 2 % of the features may differ, and no layer.
  it.runIf(TEST_TARGET === 'services')('is the same tile through ST_AsMVT and through the TypeScript encoder, but for under 2 % of the features', async () => {
    for (const { name, source, tile } of TILES) {
      const a = decodeTile(await renderTile(t.db, tileSource(source)!, tile, 'asmvt'))
      const b = decodeTile(await renderTile(t.db, tileSource(source)!, tile, 'js'))
      expect(Object.keys(b), name).toEqual(Object.keys(a))
      const features = Object.values(a).reduce((n, l) => n + l.features.length, 0)
      const problems = compareTiles(a, b)
      expect(problems.length / features, `${name}: ${problems.join('; ')}`).toBeLessThan(0.02)
    }
  })
})
