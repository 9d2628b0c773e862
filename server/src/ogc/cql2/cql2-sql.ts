/**
 * Compiles a CQL2 AST to a PostgreSQL/PostGIS boolean expression with bound parameters.
 *
 * Safety: the SQL text is built only from this file's constants and the `column` expressions the
 * server declares in its queryables; every value of the filter (strings, numbers, instants, geometries,
 * even `'..'` open ends) becomes a `$n` parameter. A property the queryables do not list is an error.
 */
import { Cql2Error, MAX_IN_LIST } from './cql2-ast'
import type { Cql2Node, Cql2Value, IntervalEnd, SpatialOp, TemporalOp } from './cql2-ast'

export type QueryableType = 'string' | 'number' | 'integer' | 'boolean' | 'timestamp' | 'date' | 'geometry'

export interface Queryable {
  /** A trusted SQL expression chosen by the server, e.g. `f.props->>'status'` or `f.geom`. Never user input. */
  column: string
  type: QueryableType
  /** SRID of a geometry column (default 4326). */
  srid?: number
}

export type Queryables = Readonly<Record<string, Queryable>>

export interface CompileCql2Options {
  /** Parameters already bound by the enclosing query: the first one of the filter is `$(paramOffset + 1)`. */
  paramOffset?: number
  /** True when the database has the `unaccent` extension (needed by ACCENTI). */
  unaccent?: boolean
}

export interface CompiledFilter { sql: string; params: unknown[] }

type ValueType = 'string' | 'number' | 'boolean' | 'timestamp' | 'date' | 'geometry'
interface Compiled { sql: string; type: ValueType; srid: number; isProperty: boolean; what: string }
interface TemporalEnds { start: string; end: string; kind: 'timestamp' | 'date' }

const CRS84_SRID = 4326

const SPATIAL_SQL: Record<SpatialOp, string> = {
  s_intersects: 'ST_Intersects', s_equals: 'ST_Equals', s_disjoint: 'ST_Disjoint', s_touches: 'ST_Touches',
  s_within: 'ST_Within', s_overlaps: 'ST_Overlaps', s_crosses: 'ST_Crosses', s_contains: 'ST_Contains',
}

type Ends = { start: string; end: string }
/** CQL2 temporal relations (Allen's interval algebra); an instant is an interval with start = end. */
const TEMPORAL_SQL: Record<TemporalOp, (a: Ends, b: Ends) => string> = {
  t_after: (a, b) => `${a.start} > ${b.end}`,
  t_before: (a, b) => `${a.end} < ${b.start}`,
  t_contains: (a, b) => `${a.start} < ${b.start} AND ${a.end} > ${b.end}`,
  t_disjoint: (a, b) => `${a.end} < ${b.start} OR ${a.start} > ${b.end}`,
  t_during: (a, b) => `${a.start} > ${b.start} AND ${a.end} < ${b.end}`,
  t_equals: (a, b) => `${a.start} = ${b.start} AND ${a.end} = ${b.end}`,
  t_finishedby: (a, b) => `${a.start} < ${b.start} AND ${a.end} = ${b.end}`,
  t_finishes: (a, b) => `${a.start} > ${b.start} AND ${a.end} = ${b.end}`,
  t_intersects: (a, b) => `${a.start} <= ${b.end} AND ${a.end} >= ${b.start}`,
  t_meets: (a, b) => `${a.end} = ${b.start}`,
  t_metby: (a, b) => `${a.start} = ${b.end}`,
  t_overlappedby: (a, b) => `${a.start} > ${b.start} AND ${a.start} < ${b.end} AND ${a.end} > ${b.end}`,
  t_overlaps: (a, b) => `${a.start} < ${b.start} AND ${a.end} > ${b.start} AND ${a.end} < ${b.end}`,
  t_startedby: (a, b) => `${a.start} = ${b.start} AND ${a.end} > ${b.end}`,
  t_starts: (a, b) => `${a.start} = ${b.start} AND ${a.end} < ${b.end}`,
}

function typeError(message: string): Cql2Error {
  return new Cql2Error(`CQL2 type error: ${message}`, 'type')
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}

class Compiler {
  readonly params: unknown[] = []

  constructor(
    private readonly queryables: Queryables,
    private readonly offset: number,
    private readonly unaccent: boolean,
  ) {}

  private param(value: unknown, cast: string): string {
    this.params.push(value)
    return `$${this.offset + this.params.length}::${cast}`
  }

  private queryable(name: string): Queryable {
    if (!Object.prototype.hasOwnProperty.call(this.queryables, name)) {
      const known = Object.keys(this.queryables).sort()
      throw new Cql2Error(
        `Unknown property '${short(name)}': the queryables are ${known.length > 0 ? known.join(', ') : '(none)'}`,
        'unknown-property',
      )
    }
    return this.queryables[name] as Queryable
  }

  predicate(node: Cql2Node): string {
    switch (node.kind) {
      case 'boolean': return this.param(node.value, 'boolean')
      case 'and':
      case 'or': return `(${node.args.map((a) => this.predicate(a)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`
      case 'not': return `NOT (${this.predicate(node.arg)})`
      case 'comparison': {
        const l = this.value(node.left)
        const r = this.value(node.right)
        this.comparable(node.op, l, r)
        return `${l.sql} ${node.op} ${r.sql}`
      }
      case 'like': {
        const v = this.expect(this.value(node.value), 'string', 'LIKE')
        const p = this.expect(this.value(node.pattern), 'string', 'LIKE')
        return `${v.sql} LIKE ${p.sql}`
      }
      case 'between': {
        const v = this.value(node.value)
        const lo = this.value(node.low)
        const hi = this.value(node.high)
        this.comparable('BETWEEN', v, lo)
        this.comparable('BETWEEN', v, hi)
        return `${v.sql} BETWEEN ${lo.sql} AND ${hi.sql}`
      }
      case 'in': {
        if (node.list.length > MAX_IN_LIST) throw new Cql2Error(`IN lists at most ${MAX_IN_LIST} values; this one has ${node.list.length}`, 'too-long')
        const v = this.value(node.value)
        const items = node.list.map((x) => this.value(x))
        for (const item of items) this.comparable('IN', v, item)
        return `${v.sql} IN (${items.map((i) => i.sql).join(', ')})`
      }
      case 'isNull': return `${this.value(node.value).sql} IS NULL`
      case 'spatial': return this.spatial(node.op, node.left, node.right)
      case 'temporal': {
        const a = this.temporal(node.left, node.op)
        const b = this.temporal(node.right, node.op)
        const kind = a.kind === 'date' && b.kind === 'date' ? 'date' : 'timestamp'
        return `(${TEMPORAL_SQL[node.op](this.asKind(a, kind), this.asKind(b, kind))})`
      }
    }
  }

  private comparable(op: string, a: Compiled, b: Compiled): void {
    for (const x of [a, b]) {
      if (x.type === 'geometry') throw typeError(`'${op}' cannot compare ${x.what}: use a spatial function (S_INTERSECTS, …)`)
    }
    if (a.type !== b.type) throw typeError(`'${op}' cannot compare ${a.what} with ${b.what}`)
  }

  private expect(c: Compiled, type: ValueType, where: string): Compiled {
    if (c.type !== type) throw typeError(`${where} needs a ${type} value, got ${c.what}`)
    return c
  }

  value(node: Cql2Value): Compiled {
    const literal = (sql: string, type: ValueType, what: string): Compiled =>
      ({ sql, type, srid: CRS84_SRID, isProperty: false, what })
    switch (node.kind) {
      case 'property': {
        const q = this.queryable(node.name)
        const type = q.type === 'integer' ? 'number' : q.type
        const srid = q.srid ?? CRS84_SRID
        if (!Number.isInteger(srid)) throw new Error(`queryable ${node.name}: srid must be an integer`)
        return { sql: `(${q.column})`, type, srid, isProperty: true, what: `${q.type} property '${node.name}'` }
      }
      case 'string': return literal(this.param(node.value, 'text'), 'string', `string '${short(node.value)}'`)
      case 'number': return literal(this.param(node.value, 'numeric'), 'number', `number ${node.value}`)
      case 'boolean': return literal(this.param(node.value, 'boolean'), 'boolean', `boolean ${node.value}`)
      case 'timestamp': return literal(this.param(node.value, 'timestamptz'), 'timestamp', `timestamp ${node.value}`)
      case 'date': return literal(this.param(node.value, 'date'), 'date', `date ${node.value}`)
      case 'geometry': {
        const geojson = this.param(JSON.stringify(node.geometry), 'text')
        return literal(`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), ${CRS84_SRID})`, 'geometry', `${node.geometry.type} geometry`)
      }
      case 'bbox': {
        const b = node.bbox
        const corners = (b.length === 6 ? [b[0], b[1], b[3], b[4]] : b).map((n) => this.param(n, 'double precision'))
        return literal(`ST_MakeEnvelope(${corners.join(', ')}, ${CRS84_SRID})`, 'geometry', 'BBOX')
      }
      case 'casei':
      case 'accenti': {
        const name = node.kind.toUpperCase()
        if (node.kind === 'accenti' && !this.unaccent) {
          throw new Cql2Error('ACCENTI is not supported: this server\'s database lacks the unaccent extension', 'unsupported')
        }
        const inner = this.expect(this.value(node.arg), 'string', name)
        const fn = node.kind === 'casei' ? 'lower' : 'unaccent'
        return { ...inner, sql: `${fn}(${inner.sql})`, isProperty: false, what: `${name}(${inner.what})` }
      }
      case 'interval':
        throw typeError('an INTERVAL can only be an argument of a temporal function (T_INTERSECTS, T_DURING, …)')
    }
  }

  private spatial(op: SpatialOp, left: Cql2Value, right: Cql2Value): string {
    const name = op.toUpperCase()
    const [l, r] = [left, right].map((v) => this.expect(this.value(v), 'geometry', name)) as [Compiled, Compiled]
    // Compare in the SRID of the stored column, so its spatial index stays usable.
    const target = l.isProperty ? l.srid : r.isProperty ? r.srid : CRS84_SRID
    const inSrid = (c: Compiled): string => (c.srid === target ? c.sql : `ST_Transform(${c.sql}, ${target})`)
    return `${SPATIAL_SQL[op]}(${inSrid(l)}, ${inSrid(r)})`
  }

  private temporal(node: Cql2Value, op: TemporalOp): TemporalEnds {
    const fn = op.toUpperCase()
    if (node.kind === 'interval') {
      const kinds = [node.start, node.end].filter((e) => e.kind !== 'open').map((e) => this.endKind(e, fn))
      const kind = kinds.length > 0 && kinds.every((k) => k === 'date') ? 'date' : 'timestamp'
      return { start: this.intervalEnd(node.start, kind, '-infinity'), end: this.intervalEnd(node.end, kind, 'infinity'), kind }
    }
    const c = this.value(node)
    if (c.type !== 'timestamp' && c.type !== 'date') throw typeError(`${fn} needs an instant or an interval, got ${c.what}`)
    return { start: c.sql, end: c.sql, kind: c.type }
  }

  private endKind(e: IntervalEnd, fn: string): 'timestamp' | 'date' {
    if (e.kind === 'timestamp' || e.kind === 'date') return e.kind
    if (e.kind === 'open') return 'timestamp'
    const q = this.queryable(e.name)
    if (q.type !== 'timestamp' && q.type !== 'date') {
      throw typeError(`${fn}: an INTERVAL end must be an instant, got ${q.type} property '${e.name}'`)
    }
    return q.type
  }

  private intervalEnd(e: IntervalEnd, kind: 'timestamp' | 'date', open: string): string {
    const cast = kind === 'date' ? 'date' : 'timestamptz'
    switch (e.kind) {
      case 'open': return this.param(open, cast)
      case 'timestamp': return this.param(e.value, 'timestamptz')
      case 'date': return kind === 'date' ? this.param(e.value, 'date') : this.param(`${e.value}T00:00:00Z`, 'timestamptz')
      case 'property': {
        const q = this.queryable(e.name)
        return q.type === 'date' && kind === 'timestamp' ? utcMidnight(q.column) : `(${q.column})`
      }
    }
  }

  /** Brings a date operand to timestamps (midnight UTC) when the other operand is a timestamp. */
  private asKind(ends: TemporalEnds, kind: 'timestamp' | 'date'): Ends {
    if (ends.kind === kind) return ends
    const start = utcMidnight(ends.start)
    const end = ends.end === ends.start ? start : utcMidnight(ends.end)
    return { start, end }
  }
}

function utcMidnight(dateSql: string): string {
  return `((${dateSql})::timestamp AT TIME ZONE 'UTC')`
}

/**
 * Compiles a parsed CQL2 filter to a SQL boolean expression and its parameters.
 * Throws `Cql2Error` for an unknown property, a type mismatch or an unsupported feature.
 */
export function compileCql2(ast: Cql2Node, queryables: Queryables, opts: CompileCql2Options = {}): CompiledFilter {
  const offset = opts.paramOffset ?? 0
  if (!Number.isInteger(offset) || offset < 0) throw new Error('paramOffset must be a non-negative integer')
  const compiler = new Compiler(queryables, offset, opts.unaccent === true)
  const sql = compiler.predicate(ast)
  return { sql, params: compiler.params }
}
