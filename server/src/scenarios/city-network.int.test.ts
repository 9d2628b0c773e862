/**
 * The fast estimate's network built from Bologna's real OpenStreetMap drive graph and statistical
 * areas (PGlite, or PostgreSQL under test:services): every statistical area is a zone connected to the
 * graph, every area reaches every other, external stations sit where major roads leave the comune, and a
 * gravity demand between the areas reaches user equilibrium (relative gap ≤ 1e-4) with nothing unserved.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../geodata/src/manifest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { assign } from '../domain/assignment/assign'
import { buildNetwork } from '../domain/assignment/network'
import { readCityNetwork, type CityNetwork } from './city-network'

let t: TestDb
let city: CityNetwork
beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['osm-drive-nodes', 'osm-drive-edges', 'bologna-aree-statistiche']) await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  city = await readCityNetwork(t.db)
}, 300_000)
afterAll(async () => t?.drop())

describe('the city network of the fast estimate', () => {
  it('has the drive graph as links, the 90 statistical areas as zones and external stations at the edge', () => {
    const roads = city.links.filter((l) => !l.connector)
    expect(roads.length).toBeGreaterThanOrEqual(7800)
    expect(city.zones.filter((z) => z.kind === 'area')).toHaveLength(90)
    expect(city.zones.filter((z) => z.kind === 'external').length).toBeGreaterThan(10)
    // Signalised approaches carry the default plan until the workbench has the real one.
    expect(roads.some((l) => l.signal)).toBe(true)
    expect(roads.every((l) => l.t0S > 0 && l.capacityVehH > 0)).toBe(true)
  })

  it('a gravity demand between the areas reaches equilibrium with no demand unserved', () => {
    const net = buildNetwork(city.links, city.zones)
    const Z = city.zones.length
    const od = new Float64Array(Z * Z)
    for (let a = 0; a < Z; a++) {
      for (let b = 0; b < Z; b++) {
        const za = city.zones[a]!
        const zb = city.zones[b]!
        if (a === b || za.kind !== 'area' || zb.kind !== 'area') continue
        const dx = (za.position[0] - zb.position[0]) * 79
        const dy = (za.position[1] - zb.position[1]) * 111
        od[a * Z + b] = 25 / (Math.hypot(dx, dy) + 0.5)
      }
    }
    const r = assign(net, od, { relativeGap: 1e-4, maxIterations: 200 })
    expect(r.unservedVehH).toBe(0)
    expect(r.converged).toBe(true)
  })
})
