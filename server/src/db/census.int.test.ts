/**
 * The census store on the real database (PGlite, or PostgreSQL under test:services): seeding from the
 * twin's devices, the extent and validity checks with their reasons, relations, compare-and-set
 * versions (a 50-way race with one winner), QGIS mode and strict mode (D1), history with as-of reads
 * and tombstones, ids never reused, and an audit row for every write — reliability-security.md §3.3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assetType, type AssetType } from '../../../contracts/schemas/census'
import { searchAudit, verifyAuditChain } from '../audit/audit-log'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CensusError } from './census-error'
import { featureHistory, getFeature, listFeatures } from './census-read'
import { seedCensus } from './census-seed'
import { changeFeature, createFeature, deleteFeature, expectationOf, type CensusWriter } from './census-write'
import { repairPreview } from './census-geometry'

const GIS: CensusWriter = { actor: 'giulia', actorRole: 'gis_editor', requestId: 'req-1' }
const OTHER: CensusWriter = { actor: 'marco', actorRole: 'gis_editor', requestId: 'req-2' }
const type = (id: string): AssetType => assetType(id)!
const pt = (lon: number, lat: number) => ({ geometry: { type: 'Point', coordinates: [lon, lat] }, srid: 4326 })
const NONE = { version: null, source: 'none' } as const
const v = (n: number) => ({ version: n, source: 'if-match' }) as const

let t: TestDb

async function refusal(p: Promise<unknown>): Promise<CensusError> {
  try {
    await p
  } catch (e) {
    if (e instanceof CensusError) return e
    throw e
  }
  throw new Error('expected a CensusError')
}

beforeAll(async () => {
  t = await createTestDb()
  // A district around central Bologna, and a few devices of seeded kinds (one outside the comune).
  await t.db.query(`INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
    ('q1', 'quartiere', '1', 'Centro', 'test', ST_GeomFromText('POLYGON((11.30 44.47, 11.39 44.47, 11.39 44.52, 11.30 44.52, 11.30 44.47))', 4326))`)
  await t.db.query(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props) VALUES
    ('loop-450', 'traffic-loop', 'Via Tiarini', ST_SetSRID(ST_MakePoint(11.3462, 44.5082), 4326), 300, 'open-data', 'bologna-loops', '{"codiceSpira":"3.21 3.24 4 1","street":"VIA ALESSANDRO TIARINI","direction":"O","codiceArco":"3191","stato":"A"}'),
    ('loop-451', 'traffic-loop', 'Via X', ST_SetSRID(ST_MakePoint(11.35, 44.50), 4326), 300, 'open-data', 'bologna-loops', '{"codiceSpira":"1 2 3 4","stato":"O"}'),
    ('loop-far', 'traffic-loop', 'Milano', ST_SetSRID(ST_MakePoint(9.19, 45.46), 4326), 300, 'open-data', 'bologna-loops', '{}'),
    ('gate-1', 'ztl-gate', 'Varco Irnerio', ST_SetSRID(ST_MakePoint(11.35, 44.499), 4326), 60, 'open-data', 'bologna-ztl-gates', '{"varco":"12","via":"Via Irnerio","zona":"ZTL"}'),
    ('gen-1', 'traffic-loop', 'Generated', ST_SetSRID(ST_MakePoint(11.34, 44.49), 4326), 300, 'generated', null, '{}')`)
}, 120_000)
afterAll(async () => t?.drop())

describe('seeding from the twin', () => {
  it('seeds open-data devices inside the comune once, linked to their device, with version 1 and an audit row', async () => {
    const first = await seedCensus(t.db)
    expect(first.extent).toBe('districts (quartieri) + 1 km')
    expect(first.seeded).toEqual({ 'traffic-loops': 2, 'ztl-cameras': 1 })
    const loops = await listFeatures(t.db, { type: type('traffic-loops'), full: true, outSrid: 4326, limit: 10, offset: 0 })
    expect(loops.numberMatched).toBe(2)
    const tiarini = loops.features.find((f) => f.properties.deviceId === 'loop-450')!
    expect(tiarini).toMatchObject({ version: 1, properties: { externalId: '3.21 3.24 4 1', streetName: 'VIA ALESSANDRO TIARINI', status: 'functional', arcCode: '3191' } })
    expect((tiarini.geometry.coordinates as number[])[0]).toBeCloseTo(11.3462, 6)
    expect(loops.features.find((f) => f.properties.deviceId === 'loop-451')!.properties).toMatchObject({ status: 'disused', notes: 'Status code in the loop registry: O' })
    const again = await seedCensus(t.db)
    expect(again.seeded).toEqual({})
    expect((await searchAudit(t.db, { action: 'census.seed', limit: 10 })).length).toBe(2)
  })

  it('does not seed again a feature GIS staff deleted', async () => {
    const loops = await listFeatures(t.db, { type: type('traffic-loops'), full: true, outSrid: 4326, limit: 10, offset: 0 })
    const f = loops.features.find((x) => x.properties.deviceId === 'loop-451')!
    await deleteFeature(t.db, type('traffic-loops'), f.id, v(1), GIS, 'removed in 2026')
    expect((await seedCensus(t.db)).seeded).toEqual({})
    expect(await getFeature(t.db, type('traffic-loops'), f.id, { full: true, outSrid: 4326 })).toBeNull()
  })
})

describe('validation', () => {
  it('refuses a self-intersecting polygon with PostGIS\'s reason, stores nothing, and previews the repair as a type change', async () => {
    const bowtie = { geometry: { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.5], [11.35, 44.49], [11.34, 44.5], [11.34, 44.49]]] }, srid: 4326 }
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM census_feature')
    const e = await refusal(createFeature(t.db, type('service-areas'), { properties: { status: 'functional' }, geometry: bowtie }, GIS))
    expect(e.code).toBe('INVALID_GEOMETRY')
    expect(e.message).toMatch(/Self-intersection\[/)
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM census_feature')).rows[0]!.n).toBe(before.rows[0]!.n)
    const preview = await repairPreview(t.db, bowtie, 'Polygon')
    expect(preview).toMatchObject({ valid: false, repairedType: 'MultiPolygon', acceptable: false })
    expect(preview.message).toMatch(/type change/)
  })

  it('catches a lat/lon swap by the comune extent, with the hint', async () => {
    const e = await refusal(createFeature(t.db, type('poles'), { properties: { status: 'functional' }, geometry: pt(44.5, 11.34) }, GIS))
    expect(e.code).toBe('INVALID_GEOMETRY')
    expect(e.message).toMatch(/outside the comune.*axes swapped/)
  })

  it('refuses another geometry type, 3D, unknown and wrong attributes, each named', async () => {
    expect((await refusal(createFeature(t.db, type('poles'), { properties: { status: 'functional' }, geometry: { geometry: { type: 'MultiPoint', coordinates: [[11.34, 44.49]] }, srid: 4326 } }, GIS))).message).toMatch(/type change/)
    expect((await refusal(createFeature(t.db, type('poles'), { properties: { status: 'functional' }, geometry: { geometry: { type: 'Point', coordinates: [11.34, 44.49, 50] }, srid: 4326 } }, GIS))).message).toMatch(/3D/)
    const e = await refusal(createFeature(t.db, type('poles'), { properties: { status: 'broken', heightM: 99, colour: 'red' }, geometry: pt(11.34, 44.49) }, GIS))
    expect(e.code).toBe('INVALID_FEATURE')
    expect(e.details.map((d) => d.path).sort()).toEqual(['properties.colour', 'properties.heightM', 'properties.status'])
  })

  it('the database itself refuses another SRID or type (typmod), an invalid geometry, and a position outside the extent', async () => {
    const insert = (geomSql: string, col = 'geom_point') =>
      t.db.query(`INSERT INTO census_feature (collection, version, properties, ${col}, created_at, updated_at, updated_by) VALUES ('poles', 1, '{}', ${geomSql}, now(), now(), 'sql')`)
    await expect(insert(`ST_SetSRID(ST_MakePoint(11.34, 44.49), 4326)`)).rejects.toThrow(/SRID/i)
    await expect(insert(`ST_GeomFromText('LINESTRING(686000 4929000, 686100 4929100)', 7791)`)).rejects.toThrow(/type|LineString/i)
    await expect(insert(`ST_GeomFromText('POLYGON((686000 4929000, 686100 4929100, 686100 4929000, 686000 4929100, 686000 4929000))', 7791)`, 'geom_polygon')).rejects.toThrow(/check/i)
    await expect(insert(`ST_SetSRID(ST_MakePoint(500000, 5000000), 7791)`)).rejects.toThrow(/outside the comune/)
  })
})

describe('relations', () => {
  it('a light must be on an existing pole; a pole carrying a light cannot be deleted', async () => {
    const pole = await createFeature(t.db, type('poles'), { properties: { status: 'functional', heightM: 8 }, geometry: pt(11.3431, 44.4939) }, GIS)
    const cabinet = await createFeature(t.db, type('lighting-cabinets'), { properties: { status: 'functional' }, geometry: pt(11.3433, 44.4941) }, GIS)
    const bad = await refusal(createFeature(t.db, type('street-lights'), { properties: { status: 'functional', poleId: cabinet.id }, geometry: pt(11.3431, 44.4939) }, GIS))
    expect(bad.message).toMatch(/is in lighting-cabinets, not in poles/)
    const light = await createFeature(t.db, type('street-lights'), { properties: { status: 'functional', poleId: pole.id, cabinetId: cabinet.id, lampType: 'LED', powerW: 38 }, geometry: pt(11.3431, 44.4939) }, GIS)
    const inUse = await refusal(deleteFeature(t.db, type('poles'), pole.id, v(1), GIS))
    expect(inUse.code).toBe('FEATURE_IN_USE')
    expect(inUse.message).toContain(`street-lights ${light.id} (poleId)`)
    expect(await getFeature(t.db, type('poles'), pole.id, { full: true, outSrid: 4326 })).not.toBeNull()
  })
})

describe('versions, concurrency and history', () => {
  it('editor B with a stale ETag gets 412 and A\'s version stays; history holds exactly both versions', async () => {
    const f = await createFeature(t.db, type('poles'), { properties: { status: 'functional', heightM: 8 }, geometry: pt(11.35, 44.495) }, GIS)
    const a = await changeFeature(t.db, type('poles'), f.id, { properties: { heightM: 9 }, geometry: null }, 'update', v(1), GIS)
    expect(a.version).toBe(2)
    const b = await refusal(changeFeature(t.db, type('poles'), f.id, { properties: { heightM: 10 }, geometry: null }, 'update', v(1), OTHER))
    expect(b.code).toBe('PRECONDITION_FAILED')
    expect((await getFeature(t.db, type('poles'), f.id, { full: true, outSrid: 4326 }))!.properties.heightM).toBe(9)
    expect((await featureHistory(t.db, type('poles'), f.id, { full: true, outSrid: 4326 })).map((h) => [h.version, h.properties.heightM])).toEqual([[1, 8], [2, 9]])
  })

  it('50 concurrent changes with the same expected version: exactly one wins, the version moves by one', async () => {
    const f = await createFeature(t.db, type('poles'), { properties: { status: 'functional', heightM: 8 }, geometry: pt(11.351, 44.495) }, GIS)
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => changeFeature(t.db, type('poles'), f.id, { properties: { armCount: (i % 8) + 1 }, geometry: null }, 'update', v(1), { ...GIS, requestId: `race-${i}` })),
    )
    const ok = results.filter((r) => r.status === 'fulfilled')
    const refused = results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as CensusError).code)
    expect(ok.length).toBe(1)
    expect(refused).toEqual(Array(49).fill('PRECONDITION_FAILED'))
    expect((await getFeature(t.db, type('poles'), f.id, { full: true, outSrid: 4326 }))!.version).toBe(2)
    expect((await featureHistory(t.db, type('poles'), f.id, { full: true, outSrid: 4326 })).length).toBe(2)
  })

  it('QGIS mode: without If-Match the _version property is compared; without it the last writer wins, flagged', async () => {
    const f = await createFeature(t.db, type('poles'), { properties: { status: 'functional' }, geometry: pt(11.352, 44.495) }, GIS)
    const stale = await refusal(changeFeature(t.db, type('poles'), f.id, { properties: { status: 'disused', _version: 7 }, geometry: pt(11.352, 44.495) }, 'replace', expectationOf(null, { _version: 7 }), GIS))
    expect(stale.code).toBe('PRECONDITION_FAILED')
    expect(stale.message).toMatch(/properties\._version names version 7/)
    const lww = await changeFeature(t.db, type('poles'), f.id, { properties: { status: 'disused' }, geometry: pt(11.352, 44.495) }, 'replace', NONE, OTHER)
    expect(lww).toEqual({ id: f.id, version: 2, lastWriterWins: true })
    expect((await featureHistory(t.db, type('poles'), f.id, { full: true, outSrid: 4326 }))[1]!.lastWriterWins).toBe(true)
    const audit = await searchAudit(t.db, { target: `census:poles/${f.id}@v2`, limit: 5 })
    expect(audit[0]!.detail).toMatchObject({ last_writer_wins: true, expected: 'none' })
  })

  it('strict mode refuses a change without an expected version', async () => {
    const f = await createFeature(t.db, type('service-areas'), { properties: { status: 'functional' }, geometry: { geometry: { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.49], [11.35, 44.5], [11.34, 44.5], [11.34, 44.49]]] }, srid: 4326 } }, GIS)
    expect((await refusal(changeFeature(t.db, type('service-areas'), f.id, { properties: { contractor: 'X' }, geometry: null }, 'update', NONE, GIS))).code).toBe('PRECONDITION_REQUIRED')
  })

  it('as-of reads return exactly the version of that time; a delete leaves a tombstone; ids are never reused', async () => {
    const f = await createFeature(t.db, type('poles'), { properties: { status: 'functional', heightM: 1 }, geometry: pt(11.353, 44.495) }, GIS)
    const times: number[] = []
    for (let i = 2; i <= 5; i++) {
      times.push(Date.now())
      await new Promise((r) => setTimeout(r, 15))
      await changeFeature(t.db, type('poles'), f.id, { properties: { heightM: i }, geometry: null }, 'update', v(i - 1), GIS)
    }
    // times[k] lies after version k+1 was written and before version k+2.
    for (let k = 0; k < times.length; k++) {
      const at = await getFeature(t.db, type('poles'), f.id, { full: true, outSrid: 4326, atMs: times[k]! })
      expect(at!.version).toBe(k + 1)
      expect(at!.properties.heightM).toBe(k + 1)
    }
    await deleteFeature(t.db, type('poles'), f.id, v(5), GIS, 'pole removed')
    const h = await featureHistory(t.db, type('poles'), f.id, { full: true, outSrid: 4326 })
    expect(h.map((x) => [x.version, x.deleted])).toEqual([[1, false], [2, false], [3, false], [4, false], [5, false], [6, true]])
    expect(h[4]!.validToMs).toBe(h[5]!.validFromMs)
    expect(await getFeature(t.db, type('poles'), f.id, { full: true, outSrid: 4326, atMs: times[3]! })).not.toBeNull()
    const next = await createFeature(t.db, type('poles'), { properties: { status: 'functional' }, geometry: pt(11.353, 44.495) }, GIS)
    expect(next.id).toBeGreaterThan(f.id)
    const asOf = await listFeatures(t.db, { type: type('poles'), full: true, outSrid: 4326, limit: 100, offset: 0, at: { startMs: times[0]!, endMs: times[0]! } })
    expect(asOf.features.find((x) => x.id === f.id)!.version).toBe(1)
  })

  it('every write has its version row and its audit row, and the chain holds', async () => {
    const versions = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM census_feature_version WHERE editor <> 'system:census-seed'`)
    const audits = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('census.create', 'census.update', 'census.replace', 'census.delete')`)
    expect(versions.rows[0]!.n).toBe(audits.rows[0]!.n)
    expect((await verifyAuditChain(t.db)).ok).toBe(true)
  })
})
