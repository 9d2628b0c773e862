/**
 * CQL2-JSON (OGC 21-065 §8.3, `cql2.json` schema) → the CQL2 AST, the same tree `parseCql2Text` builds
 * for the same filter. Leaf shapes (property, instants, interval, bbox, GeoJSON) are zod schemas; errors
 * name the JSON path (`$.args[1].args[0]`). `casei`/`accenti` are accepted both as `{"op":"casei",…}`
 * (CQL2 1.0) and as the draft form `{"casei": …}`.
 */
import { z } from 'zod'
import {
  COMPARISON_OPS, Cql2Error, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, SPATIAL_OPS, TEMPORAL_OPS, geometryProblem,
  isDateString, isTimestampString,
} from './cql2-ast'
import type { ComparisonOp, Cql2Node, Cql2Value, Geometry, IntervalEnd, SpatialOp, TemporalOp } from './cql2-ast'

/** A CQL2-JSON body may carry large polygons: its cap is ten times the text cap. */
export const MAX_FILTER_JSON_LENGTH = MAX_FILTER_LENGTH * 10

const PositionSchema = z.array(z.number().finite()).min(2).max(3)
const GeometrySchema: z.ZodType<Geometry> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('Point'), coordinates: PositionSchema }),
    z.object({ type: z.literal('LineString'), coordinates: z.array(PositionSchema) }),
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(PositionSchema)) }),
    z.object({ type: z.literal('MultiPoint'), coordinates: z.array(PositionSchema) }),
    z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(PositionSchema)) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(PositionSchema))) }),
    z.object({ type: z.literal('GeometryCollection'), geometries: z.array(GeometrySchema) }),
  ]),
)
const PropertySchema = z.object({ property: z.string().min(1) })
const TimestampSchema = z.object({
  timestamp: z.string().refine(isTimestampString, 'expected a timestamp YYYY-MM-DDThh:mm:ss[.fff]Z'),
})
const DateSchema = z.object({ date: z.string().refine(isDateString, 'expected a date YYYY-MM-DD') })
const IntervalEndSchema = z.union([
  z.literal('..'),
  z.string().refine((s) => isDateString(s) || isTimestampString(s), "expected a date, a timestamp or '..'"),
  PropertySchema,
])
const IntervalSchema = z.object({ interval: z.tuple([IntervalEndSchema, IntervalEndSchema]) })
const BboxSchema = z.object({
  bbox: z.array(z.number().finite()).refine((b) => b.length === 4 || b.length === 6, 'expected 4 or 6 numbers'),
})
const OpSchema = z.object({ op: z.string(), args: z.array(z.unknown()) })

function jsonError(path: string, message: string): Cql2Error {
  return new Cql2Error(`CQL2-JSON error at ${path}: ${message}`, 'syntax', undefined, path)
}

function joinPath(path: string, sub: readonly PropertyKey[]): string {
  return sub.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), path)
}

function check<T>(schema: z.ZodType<T>, x: unknown, path: string): T {
  const r = schema.safeParse(x)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  throw jsonError(joinPath(path, issue?.path ?? []), issue?.message ?? 'invalid value')
}

function has(x: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(x, key)
}

function isOneOf<T extends string>(list: readonly T[], s: string): s is T {
  return (list as readonly string[]).includes(s)
}

class JsonReader {
  private depth = 0

  private enter(path: string): void {
    this.depth++
    if (this.depth > MAX_FILTER_DEPTH) {
      throw new Cql2Error(`CQL2 filter nested too deeply at ${path} (limit ${MAX_FILTER_DEPTH} levels)`, 'too-deep', undefined, path)
    }
  }

  node(x: unknown, path: string): Cql2Node {
    if (typeof x === 'boolean') return { kind: 'boolean', value: x }
    if (typeof x !== 'object' || x === null || Array.isArray(x) || !has(x, 'op')) {
      throw jsonError(path, 'expected a predicate {"op": …, "args": […]} or true/false')
    }
    const { op, args } = check(OpSchema, x, path)
    const count = (n: number): void => {
      if (args.length !== n) throw jsonError(`${path}.args`, `'${op}' takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`)
    }
    const arg = (i: number): string => `${path}.args[${i}]`
    this.enter(path)
    let node: Cql2Node
    if (op === 'and' || op === 'or') {
      if (args.length < 2) throw jsonError(`${path}.args`, `'${op}' takes at least 2 arguments, got ${args.length}`)
      node = { kind: op, args: args.map((a, i) => this.node(a, arg(i))) }
    } else if (op === 'not') {
      count(1)
      node = { kind: 'not', arg: this.node(args[0], arg(0)) }
    } else if (isOneOf(COMPARISON_OPS, op)) {
      count(2)
      node = { kind: 'comparison', op: op as ComparisonOp, left: this.value(args[0], arg(0)), right: this.value(args[1], arg(1)) }
    } else if (op === 'like') {
      count(2)
      node = { kind: 'like', value: this.value(args[0], arg(0)), pattern: this.value(args[1], arg(1)) }
    } else if (op === 'between') {
      count(3)
      node = { kind: 'between', value: this.value(args[0], arg(0)), low: this.value(args[1], arg(1)), high: this.value(args[2], arg(2)) }
    } else if (op === 'in') {
      count(2)
      const list = args[1]
      if (!Array.isArray(list) || list.length === 0) throw jsonError(arg(1), "expected a non-empty array of values for 'in'")
      node = { kind: 'in', value: this.value(args[0], arg(0)), list: list.map((v, i) => this.value(v, `${arg(1)}[${i}]`)) }
    } else if (op === 'isNull') {
      count(1)
      node = { kind: 'isNull', value: this.value(args[0], arg(0)) }
    } else if (isOneOf(SPATIAL_OPS, op)) {
      count(2)
      node = { kind: 'spatial', op: op as SpatialOp, left: this.value(args[0], arg(0)), right: this.value(args[1], arg(1)) }
    } else if (isOneOf(TEMPORAL_OPS, op)) {
      count(2)
      node = { kind: 'temporal', op: op as TemporalOp, left: this.value(args[0], arg(0)), right: this.value(args[1], arg(1)) }
    } else if (op === 'casei' || op === 'accenti') {
      throw jsonError(path, `'${op}' is a value, not a predicate`)
    } else {
      throw new Cql2Error(`CQL2-JSON error at ${path}: operator '${op}' is not supported`, 'unsupported', undefined, path)
    }
    this.depth--
    return node
  }

  value(x: unknown, path: string): Cql2Value {
    if (typeof x === 'string') return { kind: 'string', value: x }
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw jsonError(path, 'expected a finite number')
      return { kind: 'number', value: x }
    }
    if (typeof x === 'boolean') return { kind: 'boolean', value: x }
    if (typeof x !== 'object' || x === null || Array.isArray(x)) {
      throw jsonError(path, `expected a value (string, number, boolean or object), got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`)
    }
    if (has(x, 'property')) return { kind: 'property', name: check(PropertySchema, x, path).property }
    if (has(x, 'timestamp')) return { kind: 'timestamp', value: check(TimestampSchema, x, path).timestamp }
    if (has(x, 'date')) return { kind: 'date', value: check(DateSchema, x, path).date }
    if (has(x, 'interval')) {
      const [start, end] = check(IntervalSchema, x, path).interval
      return { kind: 'interval', start: intervalEnd(start), end: intervalEnd(end) }
    }
    if (has(x, 'bbox')) return { kind: 'bbox', bbox: check(BboxSchema, x, path).bbox }
    if (has(x, 'casei') || has(x, 'accenti')) {
      const kind = has(x, 'casei') ? 'casei' : 'accenti'
      this.enter(path)
      const arg = this.value((x as Record<string, unknown>)[kind], `${path}.${kind}`)
      this.depth--
      return { kind, arg }
    }
    if (has(x, 'op')) {
      const { op, args } = check(OpSchema, x, path)
      if (op !== 'casei' && op !== 'accenti') throw jsonError(path, `expected a value, got the predicate '${op}'`)
      if (args.length !== 1) throw jsonError(`${path}.args`, `'${op}' takes 1 argument, got ${args.length}`)
      this.enter(path)
      const arg = this.value(args[0], `${path}.args[0]`)
      this.depth--
      return { kind: op, arg }
    }
    if (has(x, 'type')) {
      const geometry = check(GeometrySchema, x, path)
      const problem = geometryProblem(geometry)
      if (problem) throw jsonError(path, `invalid ${geometry.type}: ${problem}`)
      return { kind: 'geometry', geometry }
    }
    throw jsonError(path, 'expected a property, literal, timestamp, date, interval, bbox or GeoJSON geometry')
  }
}

function intervalEnd(e: string | { property: string }): IntervalEnd {
  if (typeof e !== 'string') return { kind: 'property', name: e.property }
  if (e === '..') return { kind: 'open' }
  return isDateString(e) ? { kind: 'date', value: e } : { kind: 'timestamp', value: e }
}

/** Parses CQL2-JSON, given as text or as an already-parsed JSON value; throws `Cql2Error` with the JSON path. */
export function parseCql2Json(input: unknown): Cql2Node {
  let json = input
  if (typeof input === 'string') {
    if (input.length > MAX_FILTER_JSON_LENGTH) {
      throw new Cql2Error(`CQL2-JSON filter too long: ${input.length} characters (limit ${MAX_FILTER_JSON_LENGTH})`, 'too-long')
    }
    try {
      json = JSON.parse(input)
    } catch (e) {
      throw jsonError('$', `not valid JSON (${(e as Error).message})`)
    }
  }
  return new JsonReader().node(json, '$')
}
