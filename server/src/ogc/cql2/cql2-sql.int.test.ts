/**
 * Compiled CQL2 filters run on the real PostGIS (PGlite, or PostgreSQL under test:services): the
 * rows they select are the ones a GIS user means, geometries in CRS84 meet a column stored in
 * RDN2008 / UTM 32N, and a hostile literal stays a value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { parseCql2Json } from './cql2-json'
import { compileCql2, type Queryables } from './cql2-sql'
import { parseCql2Text } from './cql2-text'

let t: TestDb
const Q: Queryables = {
  kind: { column: "a.props->>'kind'", type: 'string' },
  status: { column: "a.props->>'status'", type: 'string' },
  heightM: { column: "(a.props->>'heightM')::float8", type: 'number' },
  installed: { column: "(a.props->>'installed')::date", type: 'date' },
  geometry: { column: 'a.geom', type: 'geometry', srid: 7791 },
}

beforeAll(async () => {
  t = await createTestDb()
  await t.db.exec(`
    CREATE TABLE cql2_asset (id int PRIMARY KEY, props jsonb NOT NULL, geom geometry(Point, 7791) NOT NULL);
    INSERT INTO cql2_asset VALUES
      (1, '{"kind":"streetlight","status":"active","heightM":8,"installed":"2019-05-02"}', ST_Transform(ST_SetSRID(ST_MakePoint(11.3426, 44.4938), 4326), 7791)),
      (2, '{"kind":"streetlight","status":"broken","heightM":10,"installed":"2023-01-10"}', ST_Transform(ST_SetSRID(ST_MakePoint(11.3466, 44.4943), 4326), 7791)),
      (3, '{"kind":"pole","status":"active","heightM":12,"installed":"2010-03-01"}', ST_Transform(ST_SetSRID(ST_MakePoint(11.2766, 44.5128), 4326), 7791)),
      (4, '{"kind":"Cabinet","status":"retired","installed":"2001-07-15"}', ST_Transform(ST_SetSRID(ST_MakePoint(11.4095, 44.4707), 4326), 7791));`)
}, 120_000)
afterAll(async () => {
  await t?.drop()
})

async function ids(filter: string | object): Promise<number[]> {
  const ast = typeof filter === 'string' ? parseCql2Text(filter) : parseCql2Json(filter)
  const { sql, params } = compileCql2(ast, Q, { paramOffset: 0 })
  const r = await t.db.query<{ id: number }>(`SELECT a.id FROM cql2_asset a WHERE ${sql} ORDER BY a.id`, params)
  return r.rows.map((x) => x.id)
}

describe('CQL2 filters on PostGIS', () => {
  it('compares, combines and tests for null', async () => {
    expect(await ids("kind = 'streetlight' AND heightM >= 9")).toEqual([2])
    expect(await ids("status <> 'active' OR heightM IS NULL")).toEqual([2, 4])
    expect(await ids('NOT (heightM < 11)')).toEqual([3])
  })

  it('matches LIKE, IN, BETWEEN and CASEI', async () => {
    expect(await ids("kind LIKE 'street%'")).toEqual([1, 2])
    expect(await ids("status IN ('broken', 'retired')")).toEqual([2, 4])
    expect(await ids('heightM BETWEEN 8 AND 10')).toEqual([1, 2])
    expect(await ids("CASEI(kind) = CASEI('cabinet')")).toEqual([4])
  })

  it('filters by date and time', async () => {
    expect(await ids("installed > DATE('2015-01-01')")).toEqual([1, 2])
    expect(await ids("T_DURING(installed, INTERVAL('2000-01-01', '2011-01-01'))")).toEqual([3, 4])
  })

  it('meets a CRS84 geometry with the UTM 32N column: a box around the historic centre', async () => {
    expect(await ids('S_INTERSECTS(geometry, BBOX(11.33, 44.48, 11.36, 44.50))')).toEqual([1, 2])
    expect(await ids({ op: 's_within', args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: [[[11.26, 44.50], [11.29, 44.50], [11.29, 44.52], [11.26, 44.52], [11.26, 44.50]]] }] })).toEqual([3])
  })

  it('keeps a hostile literal a value: nothing matches and the table is still there', async () => {
    expect(await ids("kind = 'x''; DROP TABLE cql2_asset; --'")).toEqual([])
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cql2_asset')).rows[0]!.n).toBe(4)
  })
})
