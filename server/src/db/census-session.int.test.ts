/**
 * A randomized edit session on the census (reliability-security.md §3.4): creates, replaces, updates
 * and deletes — with current, stale and missing versions, invalid geometries and attributes — from a
 * seeded generator, on the real database (PGlite, or PostgreSQL under test:services). Afterwards:
 * every accepted write has exactly one version row and one audit row, every refused one has neither;
 * each feature's versions run 1…n without gaps with contiguous validity; no invalid geometry is stored;
 * ids were never reused; every geometry column has a typmod.
 *
 * CENSUS_SESSION_OPS scales it (default 1,500; the reference's 10,000 with CENSUS_SESSION_OPS=10000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assetType, type AssetType } from '../../../contracts/schemas/census'
import { verifyAuditChain } from '../audit/audit-log'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CensusError } from './census-error'
import { setCensusExtent } from './census-seed'
import { changeFeature, createFeature, deleteFeature, type CensusWriter, type Expectation } from './census-write'

const OPS = Number(process.env.CENSUS_SESSION_OPS ?? 1500)
const SEED = Number(process.env.CENSUS_SESSION_SEED ?? 20261127)
const EDITORS: CensusWriter[] = ['giulia', 'marco', 'sara'].map((actor, i) => ({ actor, actorRole: 'gis_editor', requestId: `session-${i}` }))
const POLES = assetType('poles')!
const AREAS = assetType('service-areas')!

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
  await t.db.query(`INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
    ('q1', 'quartiere', '1', 'Centro', 'test', ST_GeomFromText('POLYGON((11.30 44.47, 11.39 44.47, 11.39 44.52, 11.30 44.52, 11.30 44.47))', 4326))`)
  await setCensusExtent(t.db)
}, 120_000)
afterAll(async () => t?.drop())

/** A deterministic stream of choices (mulberry32 with a fixed seed). */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let x = s
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

describe('a randomized edit session', () => {
  it(`${OPS} operations: one version row and one audit row per accepted write, none per refused one`, async () => {
    const r = rng(SEED)
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
    const known = new Map<number, { type: AssetType; version: number }>()
    const deleted = new Set<number>()
    const ids: number[] = []
    let accepted = 0
    let refused = 0
    const point = () => ({ geometry: { type: 'Point', coordinates: [11.31 + r() * 0.07, 44.475 + r() * 0.04] }, srid: 4326 })
    const square = () => {
      const x = 11.31 + r() * 0.06, y = 44.475 + r() * 0.035, d = 0.001 + r() * 0.003
      return { geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] }, srid: 4326 }
    }
    const bowtie = () => ({ geometry: { type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.5], [11.35, 44.49], [11.34, 44.5], [11.34, 44.49]]] }, srid: 4326 })
    const props = (type: AssetType) => (type === POLES ? { status: pick(['functional', 'disused', 'projected']), heightM: Math.round(r() * 45) } : { status: 'functional', contractor: `Ditta ${Math.floor(r() * 9)}` })
    for (let i = 0; i < OPS; i++) {
      const w = pick(EDITORS)
      const live = [...known.entries()]
      const op = live.length < 5 ? 'create' : pick(['create', 'update', 'update', 'replace', 'delete', 'stale', 'none', 'invalid'] as const)
      try {
        if (op === 'create' || op === 'invalid') {
          const type = r() < 0.7 ? POLES : AREAS
          const geometry = op === 'invalid' ? (type === POLES ? { geometry: { type: 'Point', coordinates: [44.49, 11.34] }, srid: 4326 } : bowtie()) : type === POLES ? point() : square()
          const res = await createFeature(t.db, type, { properties: props(type), geometry }, w)
          expect(ids.every((x) => x < res.id)).toBe(true)
          ids.push(res.id)
          known.set(res.id, { type, version: 1 })
        } else {
          const [id, f] = pick(live)
          const expect_: Expectation = op === 'stale' ? { version: f.version + 1 + Math.floor(r() * 3), source: 'if-match' } : op === 'none' ? { version: null, source: 'none' } : { version: f.version, source: 'if-match' }
          if (op === 'delete') {
            await deleteFeature(t.db, f.type, id, expect_, w)
            known.delete(id)
            deleted.add(id)
          } else {
            const mode = op === 'replace' || f.type === AREAS ? 'replace' : 'update'
            const geometry = mode === 'replace' ? (f.type === POLES ? point() : square()) : r() < 0.5 ? point() : null
            const res = await changeFeature(t.db, f.type, id, { properties: props(f.type), geometry }, mode, expect_, w)
            f.version = res.version
          }
        }
        accepted++
      } catch (e) {
        if (!(e instanceof CensusError)) throw e
        expect(['INVALID_GEOMETRY', 'INVALID_FEATURE', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED']).toContain(e.code)
        refused++
      }
    }
    expect(accepted).toBeGreaterThan(OPS / 3)
    expect(refused).toBeGreaterThan(OPS / 20)
    const q = async (sql: string) => Number((await t.db.query<{ n: number }>(sql)).rows[0]!.n)
    expect(await q(`SELECT count(*)::int AS n FROM census_feature_version`)).toBe(accepted)
    expect(await q(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('census.create', 'census.update', 'census.replace', 'census.delete')`)).toBe(accepted)
    expect(await q(`SELECT count(*)::int AS n FROM census_feature`)).toBe(known.size)
    expect(await q(`SELECT count(*)::int AS n FROM census_feature_version WHERE deleted`)).toBe(deleted.size)
    expect(await q(`SELECT count(*)::int AS n FROM census_feature WHERE NOT ST_IsValid(coalesce(geom_point, geom_line, geom_polygon))`)).toBe(0)
    // Versions 1…n without gaps; each closed exactly when the next opens; only the last one open.
    expect(await q(`SELECT count(*)::int AS n FROM (SELECT feature_id FROM census_feature_version GROUP BY feature_id HAVING max(version) <> count(*)) x`)).toBe(0)
    expect(await q(`SELECT count(*)::int AS n FROM census_feature_version a JOIN census_feature_version b ON b.feature_id = a.feature_id AND b.version = a.version + 1 WHERE a.valid_to IS DISTINCT FROM b.valid_from`)).toBe(0)
    expect(await q(`SELECT count(*)::int AS n FROM census_feature_version v WHERE v.valid_to IS NULL AND v.version <> (SELECT max(version) FROM census_feature_version w WHERE w.feature_id = v.feature_id)`)).toBe(0)
    expect(await q(`SELECT count(*)::int AS n FROM census_feature f JOIN census_feature_version v ON v.feature_id = f.id AND v.valid_to IS NULL WHERE v.version <> f.version OR v.deleted`)).toBe(0)
    for (const [id, f] of known) expect(await q(`SELECT version AS n FROM census_feature WHERE id = ${id}`), `feature ${id}`).toBe(f.version)
    expect((await verifyAuditChain(t.db)).ok).toBe(true)
  }, 600_000)

  it('every geometry column of the database has a typmod with its SRID', async () => {
    const r = await t.db.query<{ t: string; c: string; srid: number }>(`SELECT f_table_name AS t, f_geometry_column AS c, srid FROM geometry_columns WHERE srid = 0 AND f_table_schema = 'public'`)
    expect(r.rows).toEqual([])
    const census = await t.db.query<{ c: string; srid: number; type: string }>(`SELECT f_geometry_column AS c, srid, type FROM geometry_columns WHERE f_table_name = 'census_feature' ORDER BY 1`)
    expect(census.rows).toEqual([
      { c: 'geom_line', srid: 7791, type: 'LINESTRING' },
      { c: 'geom_point', srid: 7791, type: 'POINT' },
      { c: 'geom_polygon', srid: 7791, type: 'POLYGON' },
    ])
  })
})

