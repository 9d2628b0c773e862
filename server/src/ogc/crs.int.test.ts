/**
 * The census CRSs on the real PostGIS (PGlite, or PostgreSQL under test:services): every supported
 * CRS is known to the database, and a reference point set round-trips through each within 1 cm
 * (reliability-security.md §3.4), with the axis order the API will use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { SUPPORTED_CRS, parseCrs, toCrsAxisOrder } from './crs'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
}, 120_000)
afterAll(async () => {
  await t?.drop()
})

// Piazza Maggiore, the Two Towers, Borgo Panigale, San Lazzaro: lon, lat (WGS 84).
const POINTS: Array<[number, number]> = [
  [11.34262, 44.49381],
  [11.34657, 44.49432],
  [11.2766, 44.5128],
  [11.4095, 44.4707],
]

describe('census CRSs in PostGIS', () => {
  it('are all in spatial_ref_sys', async () => {
    const r = await t.db.query<{ srid: number }>('SELECT srid FROM spatial_ref_sys WHERE srid = ANY($1::int[]) ORDER BY srid', [[...new Set(SUPPORTED_CRS.map((c) => c.srid))]])
    expect(r.rows.map((x) => x.srid)).toEqual([...new Set(SUPPORTED_CRS.map((c) => c.srid))].sort((a, b) => a - b))
  })

  it('round-trip the reference points within 1 cm through every CRS', async () => {
    for (const crs of SUPPORTED_CRS) {
      for (const [lon, lat] of POINTS) {
        const r = await t.db.query<{ d: number }>(
          `SELECT ST_Distance(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography,
                  ST_Transform(ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), $3::int), 4326)::geography) AS d`,
          [lon, lat, crs.srid],
        )
        expect(r.rows[0]!.d, `${crs.label} at ${lon},${lat}`).toBeLessThan(0.01)
      }
    }
  })

  it('puts Piazza Maggiore where the API axis order says, in UTM 32N N-E and E-N', async () => {
    const r = await t.db.query<{ g: string }>('SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 7791), 2) AS g', POINTS[0])
    const stored = JSON.parse(r.rows[0]!.g) as { type: string; coordinates: number[] }
    // Easting ≈ 686 km, northing ≈ 4,929 km in zone 32.
    expect(stored.coordinates[0]).toBeGreaterThan(686_000)
    expect(stored.coordinates[0]).toBeLessThan(687_000)
    expect(stored.coordinates[1]).toBeGreaterThan(4_929_000)
    const ne = toCrsAxisOrder(stored, parseCrs('EPSG:6707', 'crs'))
    expect(ne.coordinates).toEqual([stored.coordinates[1], stored.coordinates[0]])
    expect(toCrsAxisOrder(stored, parseCrs('EPSG:7791', 'crs')).coordinates).toEqual(stored.coordinates)
  })
})
