/**
 * Bologna's 863 registry loops matched to the directed edges of the OSM drive graph (PGlite, or
 * PostgreSQL under test:services): nearly all find the carriageway of their direction of travel, and
 * a loop is never put on the opposite carriageway.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../geodata/src/manifest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { angleDiff, bearingOfDirection, matchLoopsToLinks, type LoopLink } from './loop-links'

let t: TestDb
let links: LoopLink[]
beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['osm-drive-nodes', 'osm-drive-edges', 'bologna-loops']) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  links = await matchLoopsToLinks(t.db)
}, 300_000)
afterAll(async () => t?.drop())

describe('loops on links', () => {
  it('matches at least 90 % of the registry loops to an edge running their direction, each unmatched one with its reason', () => {
    const matched = links.filter((l) => l.roadEdgeId !== null)
    expect(links.length).toBe(863)
    expect(matched.length / links.length).toBeGreaterThan(0.9)
    for (const l of links.filter((x) => x.roadEdgeId === null)) expect(l.reason).toMatch(/no road|direction/)
    expect(matched.every((l) => l.bearingDiffDeg! <= 67.5 && l.distanceM! <= 30)).toBe(true)
  })

  it('never puts a loop on the opposite carriageway: its edge runs the loop\'s way, not the reverse', async () => {
    const r = await t.db.query<{ id: string; direction: string; az: number }>(
      `SELECT d.id, d.props->>'direction' AS direction, degrees(ST_Azimuth(ST_StartPoint(e.geom), ST_EndPoint(e.geom))) AS az
       FROM device d JOIN road_edge e ON e.id = $1 WHERE d.id = $2`,
      [links.find((l) => l.deviceId === 'loop-103')!.roadEdgeId, 'loop-103'],
    )
    // loop-103 counts westbound traffic ("O"): its edge heads west.
    expect(angleDiff(Number(r.rows[0]!.az), bearingOfDirection('O')!)).toBeLessThan(30)
  })

  it('reads the registry compass (Italian O/SO/NO for west)', () => {
    expect([bearingOfDirection('N'), bearingOfDirection('SO'), bearingOfDirection('O'), bearingOfDirection('x')]).toEqual([0, 225, 270, null])
    expect(angleDiff(350, 10)).toBe(20)
  })
})
