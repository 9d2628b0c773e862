import { describe, expect, it } from 'vitest'
import { Cql2Error } from './cql2-ast'
import { TEXT_EXAMPLES } from './cql2-examples'
import { parseCql2Json } from './cql2-json'
import { compileCql2 } from './cql2-sql'
import type { CompileCql2Options, Queryables } from './cql2-sql'
import { parseCql2Text } from './cql2-text'

function assetQueryables(): Queryables {
  return {
    status: { column: "f.props->>'status'", type: 'string' },
    name: { column: "f.props->>'name'", type: 'string' },
    floors: { column: "(f.props->>'floors')::int", type: 'integer' },
    height: { column: "(f.props->>'height')::numeric", type: 'number' },
    active: { column: "(f.props->>'active')::boolean", type: 'boolean' },
    updated: { column: 'f.updated_at', type: 'timestamp' },
    installed: { column: 'f.installed_on', type: 'date' },
    geom: { column: 'f.geom', type: 'geometry', srid: 4326 },
    geom_utm: { column: 'f.geom_6707', type: 'geometry', srid: 6707 },
  }
}

function compile(text: string, opts?: CompileCql2Options) {
  return compileCql2(parseCql2Text(text), assetQueryables(), opts)
}

function errorOf(text: string, opts?: CompileCql2Options): Cql2Error {
  try {
    compile(text, opts)
  } catch (e) {
    if (e instanceof Cql2Error) return e
    throw e
  }
  throw new Error(`expected a Cql2Error for ${text}`)
}

describe('compileCql2: SQL with bound parameters', () => {
  it('compiles comparisons, AND/OR/NOT', () => {
    expect(compile("status = 'ok' AND NOT floors > 3 OR active = true")).toEqual({
      sql: "(((f.props->>'status') = $1::text AND NOT (((f.props->>'floors')::int) > $2::numeric)) OR ((f.props->>'active')::boolean) = $3::boolean)",
      params: ['ok', 3, true],
    })
  })

  it('compiles LIKE, BETWEEN, IN and IS NULL', () => {
    expect(compile("name LIKE 'Via_%' AND height BETWEEN 1 AND 2.5 AND status IN ('a', 'b') AND name IS NOT NULL")).toEqual({
      sql: "((f.props->>'name') LIKE $1::text AND ((f.props->>'height')::numeric) BETWEEN $2::numeric AND $3::numeric"
        + " AND (f.props->>'status') IN ($4::text, $5::text) AND NOT ((f.props->>'name') IS NULL))",
      params: ['Via_%', 1, 2.5, 'a', 'b'],
    })
  })

  it('maps CASEI to lower() and ACCENTI to unaccent() only when the server has it', () => {
    expect(compile("CASEI(name) LIKE CASEI('%STRADA%')").sql).toBe("lower((f.props->>'name')) LIKE lower($1::text)")
    expect(compile("ACCENTI(name) = ACCENTI('Città')", { unaccent: true }).sql).toBe("unaccent((f.props->>'name')) = unaccent($1::text)")
    const e = errorOf("ACCENTI(name) = ACCENTI('Città')")
    expect(e.reason).toBe('unsupported')
    expect(e.message).toMatch(/lacks the unaccent extension/)
  })

  it('compiles every spatial function with a CRS84 literal', () => {
    const fns = { s_intersects: 'ST_Intersects', s_equals: 'ST_Equals', s_disjoint: 'ST_Disjoint', s_touches: 'ST_Touches',
      s_within: 'ST_Within', s_overlaps: 'ST_Overlaps', s_crosses: 'ST_Crosses', s_contains: 'ST_Contains' }
    for (const [op, fn] of Object.entries(fns)) {
      expect(compile(`${op}(geom, POINT(11.34 44.49))`)).toEqual({
        sql: `${fn}((f.geom), ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326))`,
        params: ['{"type":"Point","coordinates":[11.34,44.49]}'],
      })
    }
  })

  it('transforms a literal to the SRID of the column it is compared with', () => {
    expect(compile('S_INTERSECTS(geom_utm, BBOX(11.3, 44.4, 11.4, 44.5))')).toEqual({
      sql: 'ST_Intersects((f.geom_6707), ST_Transform(ST_MakeEnvelope($1::double precision, $2::double precision, $3::double precision, $4::double precision, 4326), 6707))',
      params: [11.3, 44.4, 11.4, 44.5],
    })
    expect(compile('S_WITHIN(geom, geom_utm)').sql).toBe('ST_Within((f.geom), ST_Transform((f.geom_6707), 4326))')
  })

  it('compiles GeoJSON from CQL2-JSON the same way as WKT', () => {
    const json = parseCql2Json({ op: 's_intersects', args: [{ property: 'geom' }, { type: 'Point', coordinates: [11.34, 44.49] }] })
    expect(compileCql2(json, assetQueryables())).toEqual(compile('S_INTERSECTS(geom, POINT(11.34 44.49))'))
  })

  it('compiles temporal functions on instants and open intervals', () => {
    expect(compile("T_AFTER(updated, TIMESTAMP('2024-01-01T00:00:00Z'))")).toEqual({
      sql: '((f.updated_at) > $1::timestamptz)', params: ['2024-01-01T00:00:00Z'],
    })
    expect(compile("T_DURING(updated, INTERVAL('2024-01-01T00:00:00Z', '..'))")).toEqual({
      sql: '((f.updated_at) > $1::timestamptz AND (f.updated_at) < $2::timestamptz)',
      params: ['2024-01-01T00:00:00Z', 'infinity'],
    })
    expect(compile("T_BEFORE(installed, DATE('2015-01-01'))")).toEqual({ sql: '((f.installed_on) < $1::date)', params: ['2015-01-01'] })
    expect(compile("T_INTERSECTS(INTERVAL(installed, updated), INTERVAL('..', '2020-01-01'))")).toEqual({
      sql: "(((f.installed_on)::timestamp AT TIME ZONE 'UTC') <= (($2::date)::timestamp AT TIME ZONE 'UTC')"
        + " AND (f.updated_at) >= (($1::date)::timestamp AT TIME ZONE 'UTC'))",
      params: ['-infinity', '2020-01-01'],
    })
  })

  it('starts numbering after paramOffset', () => {
    expect(compile("status = 'ok' AND floors = 2", { paramOffset: 3 })).toEqual({
      sql: "((f.props->>'status') = $4::text AND ((f.props->>'floors')::int) = $5::numeric)",
      params: ['ok', 2],
    })
  })

  it('is deterministic', () => {
    const text = "S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 0))) AND status IN ('a', 'b') OR T_AFTER(updated, TIMESTAMP('2024-01-01T00:00:00Z'))"
    expect(compile(text)).toEqual(compile(text))
  })

  it('compiles the OGC examples whose properties it is given', () => {
    const ok = TEXT_EXAMPLES.filter((e) => ['example09', 'example10', 'example15', 'example17'].includes(e.id))
    const q: Queryables = {
      floors: { column: 'floors', type: 'integer' }, taxes: { column: 'taxes', type: 'number' },
      swimming_pool: { column: 'swimming_pool', type: 'boolean' }, material: { column: 'material', type: 'string' },
    }
    for (const e of ok) expect(() => compileCql2(parseCql2Text(e.text), q)).not.toThrow()
  })
})

describe('compileCql2: rejections', () => {
  it('names an unknown property and lists the queryables', () => {
    const e = errorOf("owner = 'x'")
    expect(e.reason).toBe('unknown-property')
    expect(e.message).toBe("Unknown property 'owner': the queryables are active, floors, geom, geom_utm, height, installed, name, status, updated")
  })

  it('does not take inherited object keys for queryables', () => {
    expect(errorOf("constructor = 'x'").reason).toBe('unknown-property')
    expect(errorOf('"__proto__" = 1').reason).toBe('unknown-property')
  })

  it('rejects type mismatches', () => {
    expect(errorOf("floors = 'five'").message).toBe("CQL2 type error: '=' cannot compare integer property 'floors' with string 'five'")
    expect(errorOf('S_INTERSECTS(status, POINT(1 2))').message).toMatch(/S_INTERSECTS needs a geometry value, got string property 'status'/)
    expect(errorOf("T_AFTER(status, DATE('2020-01-01'))").reason).toBe('type')
    expect(errorOf('geom = geom').message).toMatch(/use a spatial function/)
    expect(errorOf('floors LIKE 3').message).toMatch(/LIKE needs a string value/)
    expect(errorOf("updated = DATE('2020-01-01')").reason).toBe('type')
  })
})

describe('compileCql2: injection attempts never reach the SQL text', () => {
  const hostile = "x'; DROP TABLE asset; --"

  it('keeps a hostile string literal in params only', () => {
    const text = `status = '${hostile.replace(/'/g, "''")}' OR name LIKE '${hostile.replace(/'/g, "''")}' OR status IN ('${hostile.replace(/'/g, "''")}')`
    const { sql, params } = compile(text)
    expect(params).toEqual([hostile, hostile, hostile])
    expect(sql).not.toMatch(/DROP|--|;/)
    expect(sql).not.toContain("x'")
  })

  it('keeps hostile JSON values in params only', () => {
    const ast = parseCql2Json({ op: 'and', args: [{ op: '=', args: [{ property: 'status' }, hostile] }, { op: '>', args: [{ property: 'height' }, 1e308] }] })
    const { sql, params } = compileCql2(ast, assetQueryables())
    expect(params).toEqual([hostile, 1e308])
    expect(sql).toBe("((f.props->>'status') = $1::text AND ((f.props->>'height')::numeric) > $2::numeric)")
  })

  it('rejects a property name with quotes or SQL', () => {
    expect(errorOf(`"status'; DROP TABLE asset; --" = 1`).reason).toBe('unknown-property')
    expect(() => compileCql2(parseCql2Json({ op: '=', args: [{ property: 'status") OR 1=1 --' }, 1] }), assetQueryables())).toThrow(Cql2Error)
  })

  it('rejects a WKT with SQL in it at parse time', () => {
    expect(() => parseCql2Text("S_INTERSECTS(geom, POINT(1 2)'); DROP TABLE asset; --)")).toThrow(Cql2Error)
    expect(() => parseCql2Text("S_INTERSECTS(geom, POINT(1 2) || pg_sleep(10))")).toThrow(Cql2Error)
  })

  it('sends a geometry only as a re-serialised parameter', () => {
    const { sql, params } = compile('S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 0)))')
    expect(sql).not.toMatch(/\d\s\d|POLYGON|Polygon/)
    expect(params).toEqual(['{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}'])
  })
})
