import { describe, expect, it } from 'vitest'
import { Cql2Error, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from './cql2-ast'
import { TEXT_EXAMPLES } from './cql2-examples'
import { parseCql2Text } from './cql2-text'

function errorOf(text: string): Cql2Error {
  try {
    parseCql2Text(text)
  } catch (e) {
    if (e instanceof Cql2Error) return e
    throw e
  }
  throw new Error(`expected a Cql2Error for ${text}`)
}

describe('parseCql2Text: OGC 21-065 examples', () => {
  it.each(TEXT_EXAMPLES)('parses $id', ({ text }) => {
    expect(() => parseCql2Text(text)).not.toThrow()
  })
})

describe('parseCql2Text: grammar', () => {
  it('gives NOT precedence over AND, and AND over OR', () => {
    expect(parseCql2Text('NOT a = 1 AND b = 2 OR c = 3')).toEqual({
      kind: 'or',
      args: [
        {
          kind: 'and',
          args: [
            { kind: 'not', arg: { kind: 'comparison', op: '=', left: { kind: 'property', name: 'a' }, right: { kind: 'number', value: 1 } } },
            { kind: 'comparison', op: '=', left: { kind: 'property', name: 'b' }, right: { kind: 'number', value: 2 } },
          ],
        },
        { kind: 'comparison', op: '=', left: { kind: 'property', name: 'c' }, right: { kind: 'number', value: 3 } },
      ],
    })
  })

  it('lets parentheses override precedence', () => {
    const ast = parseCql2Text('a = 1 AND (b = 2 OR c = 3)')
    expect(ast.kind).toBe('and')
    expect(ast.kind === 'and' && ast.args[1]?.kind).toBe('or')
  })

  it('reads keywords in any case, quoted identifiers and escaped quotes', () => {
    expect(parseCql2Text(`"my prop" like 'it''s%' and x is not null`)).toEqual({
      kind: 'and',
      args: [
        { kind: 'like', value: { kind: 'property', name: 'my prop' }, pattern: { kind: 'string', value: "it's%" } },
        { kind: 'not', arg: { kind: 'isNull', value: { kind: 'property', name: 'x' } } },
      ],
    })
  })

  it('parses every comparison operator', () => {
    for (const op of ['=', '<>', '<', '>', '<=', '>=']) {
      expect(parseCql2Text(`n ${op} -1.5e2`)).toEqual({
        kind: 'comparison', op, left: { kind: 'property', name: 'n' }, right: { kind: 'number', value: -150 },
      })
    }
  })

  it('parses BETWEEN, IN and their NOT forms', () => {
    expect(parseCql2Text('n NOT BETWEEN 1 AND 2')).toEqual({
      kind: 'not',
      arg: { kind: 'between', value: { kind: 'property', name: 'n' }, low: { kind: 'number', value: 1 }, high: { kind: 'number', value: 2 } },
    })
    expect(parseCql2Text("s NOT IN ('a')")).toEqual({
      kind: 'not', arg: { kind: 'in', value: { kind: 'property', name: 's' }, list: [{ kind: 'string', value: 'a' }] },
    })
  })

  it('parses temporal literals, open intervals and booleans', () => {
    expect(parseCql2Text("T_AFTER(t, TIMESTAMP('2020-01-01T00:00:00Z')) OR T_DURING(d, INTERVAL('..', DATE_END))")).toEqual({
      kind: 'or',
      args: [
        { kind: 'temporal', op: 't_after', left: { kind: 'property', name: 't' }, right: { kind: 'timestamp', value: '2020-01-01T00:00:00Z' } },
        {
          kind: 'temporal', op: 't_during', left: { kind: 'property', name: 'd' },
          right: { kind: 'interval', start: { kind: 'open' }, end: { kind: 'property', name: 'DATE_END' } },
        },
      ],
    })
    expect(parseCql2Text('TRUE')).toEqual({ kind: 'boolean', value: true })
  })

  it('treats a function-like keyword without parentheses as a property name', () => {
    expect(parseCql2Text("date = DATE('2020-02-29')")).toEqual({
      kind: 'comparison', op: '=', left: { kind: 'property', name: 'date' }, right: { kind: 'date', value: '2020-02-29' },
    })
  })

  it('parses WKT geometries to GeoJSON shapes', () => {
    const ast = parseCql2Text('S_WITHIN(g, MULTIPOINT((1 2), (3 4))) AND S_EQUALS(g, POINT Z (1 2 3)) AND S_CROSSES(g, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1)))')
    expect(ast).toMatchObject({
      kind: 'and',
      args: [
        { right: { kind: 'geometry', geometry: { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] } } },
        { right: { kind: 'geometry', geometry: { type: 'Point', coordinates: [1, 2, 3] } } },
        { right: { kind: 'geometry', geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point' }, { type: 'LineString' }] } } },
      ],
    })
  })
})

describe('parseCql2Text: errors', () => {
  it('says where and what was expected', () => {
    expect(errorOf("status = 'ok' AND height =").message).toBe(
      "CQL2 syntax error at 26: expected a value after '=' (got end of text)",
    )
    expect(errorOf("status = 'ok' AND height =").offset).toBe(26)
  })

  it('reports an unterminated string, a stray character and a missing operator', () => {
    expect(errorOf("a = 'x").message).toMatch(/at 4: unterminated string/)
    expect(errorOf('a = 1 ; DROP TABLE asset').message).toMatch(/at 6: unexpected character ";"/)
    expect(errorOf('a 1').message).toMatch(/at 2: expected a comparison operator .* after 'a' \(got '1'\)/)
    expect(errorOf('(a = 1').message).toMatch(/expected '\)' to close the '\(' at 0/)
  })

  it('rejects invalid instants and geometries', () => {
    expect(errorOf("t = TIMESTAMP('2020-13-01T00:00:00Z')").reason).toBe('syntax')
    expect(errorOf("t = DATE('2021-02-29')").message).toMatch(/invalid date/)
    expect(errorOf('S_INTERSECTS(g, POLYGON((0 0, 1 0, 1 1, 0 1)))').message).toMatch(/ring must end where it starts/)
    expect(errorOf("S_INTERSECTS(g, POINT(1 2); DROP TABLE asset; --)").reason).toBe('syntax')
    expect(errorOf('S_INTERSECTS(g, BBOX(1, 2, 3))').message).toMatch(/BBOX needs 4 or 6 numbers/)
  })

  it('rejects functions it does not know', () => {
    const e = errorOf('pg_sleep(10) = 1')
    expect(e.reason).toBe('unsupported')
    expect(e.message).toMatch(/function 'pg_sleep' is not supported/)
  })

  it('caps the input length', () => {
    const e = errorOf(`a = '${'x'.repeat(MAX_FILTER_LENGTH)}'`)
    expect(e.reason).toBe('too-long')
    expect(e.message).toMatch(/too long: 10006 characters \(limit 10000\)/)
  })

  it('caps the nesting depth, with parentheses or NOT', () => {
    const deep = `${'('.repeat(MAX_FILTER_DEPTH + 1)}a = 1${')'.repeat(MAX_FILTER_DEPTH + 1)}`
    expect(errorOf(deep).reason).toBe('too-deep')
    expect(errorOf(`${'NOT '.repeat(MAX_FILTER_DEPTH + 1)}a = 1`).message).toMatch(/nested too deeply .*limit 64/)
    const ok = `${'('.repeat(MAX_FILTER_DEPTH)}a = 1${')'.repeat(MAX_FILTER_DEPTH)}`
    expect(() => parseCql2Text(ok)).not.toThrow()
  })
})
