import { describe, expect, it } from 'vitest'
import { Cql2Error, MAX_FILTER_DEPTH } from './cql2-ast'
import { PAIRED_EXAMPLES } from './cql2-examples'
import { parseCql2Json } from './cql2-json'
import { parseCql2Text } from './cql2-text'

function errorOf(input: unknown): Cql2Error {
  try {
    parseCql2Json(input)
  } catch (e) {
    if (e instanceof Cql2Error) return e
    throw e
  }
  throw new Error('expected a Cql2Error')
}

describe('parseCql2Json: text and JSON encodings of one filter give one AST', () => {
  it.each(PAIRED_EXAMPLES)('$id', ({ text, json }) => {
    expect(parseCql2Json(json)).toEqual(parseCql2Text(text))
  })

  it('accepts JSON text as well as a parsed value', () => {
    expect(parseCql2Json('{"op":"=","args":[{"property":"a"},1]}')).toEqual(parseCql2Text('a = 1'))
  })

  it('reads every spatial, temporal and comparison operator', () => {
    const g = { type: 'Point', coordinates: [11.34, 44.49] }
    for (const op of ['s_intersects', 's_equals', 's_disjoint', 's_touches', 's_within', 's_overlaps', 's_crosses', 's_contains']) {
      expect(parseCql2Json({ op, args: [{ property: 'geom' }, g] })).toMatchObject({ kind: 'spatial', op })
    }
    for (const op of ['t_after', 't_before', 't_during', 't_intersects', 't_equals', 't_disjoint']) {
      expect(parseCql2Json({ op, args: [{ property: 't' }, { date: '2024-01-01' }] })).toMatchObject({ kind: 'temporal', op })
    }
    for (const op of ['=', '<>', '<', '>', '<=', '>=']) {
      expect(parseCql2Json({ op, args: [{ property: 'n' }, 1] })).toMatchObject({ kind: 'comparison', op })
    }
    expect(parseCql2Json(true)).toEqual({ kind: 'boolean', value: true })
  })
})

describe('parseCql2Json: errors name the JSON path', () => {
  it('reports a wrong argument count', () => {
    expect(errorOf({ op: '=', args: [{ property: 'a' }] }).message).toBe("CQL2-JSON error at $.args: '=' takes 2 arguments, got 1")
  })

  it('reports a bad leaf deep inside', () => {
    const e = errorOf({ op: 'and', args: [{ op: '=', args: [{ property: 'a' }, 1] }, { op: 't_after', args: [{ property: 't' }, { timestamp: 'yesterday' }] }] })
    expect(e.path).toBe('$.args[1].args[1].timestamp')
    expect(e.message).toMatch(/expected a timestamp/)
  })

  it('reports an invalid GeoJSON geometry', () => {
    expect(errorOf({ op: 's_intersects', args: [{ property: 'g' }, { type: 'Point', coordinates: [1] }] }).path).toBe('$.args[1].coordinates')
    expect(errorOf({ op: 's_intersects', args: [{ property: 'g' }, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }] }).message)
      .toMatch(/ring must end where it starts/)
  })

  it('rejects unknown operators, null, predicates as values and bad JSON', () => {
    expect(errorOf({ op: 'a_contains', args: [] }).reason).toBe('unsupported')
    expect(errorOf({ op: '=', args: [{ property: 'a' }, null] }).message).toBe(
      'CQL2-JSON error at $.args[1]: expected a value (string, number, boolean or object), got null',
    )
    expect(errorOf({ op: '=', args: [{ op: 'not', args: [true] }, true] }).message).toMatch(/got the predicate 'not'/)
    expect(errorOf('{"op": ').message).toMatch(/^CQL2-JSON error at \$: not valid JSON/)
    expect(errorOf({ op: 'in', args: [{ property: 'a' }, []] }).path).toBe('$.args[1]')
  })

  it('caps the nesting depth', () => {
    let node: unknown = { op: '=', args: [{ property: 'a' }, 1] }
    for (let i = 0; i < MAX_FILTER_DEPTH + 1; i++) node = { op: 'not', args: [node] }
    expect(errorOf(node).reason).toBe('too-deep')
  })
})
