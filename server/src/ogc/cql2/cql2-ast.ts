/**
 * The CQL2 abstract syntax tree (OGC 21-065, CQL2 1.0), shared by the text and JSON parsers
 * (`cql2-text.ts`, `cql2-json.ts`) and the SQL compiler (`cql2-sql.ts`).
 *
 * Both encodings of one filter parse to the same tree: `a AND b AND c` is one n-ary `and` node (as
 * in CQL2-JSON), `x NOT LIKE p` is `not(like)`, WKT and GeoJSON literals are both a GeoJSON-shaped
 * `geometry` node (coordinates in CRS84, [lon, lat]).
 */

export const COMPARISON_OPS = ['=', '<>', '<', '>', '<=', '>='] as const
export type ComparisonOp = (typeof COMPARISON_OPS)[number]

export const SPATIAL_OPS = [
  's_intersects', 's_equals', 's_disjoint', 's_touches', 's_within', 's_overlaps', 's_crosses', 's_contains',
] as const
export type SpatialOp = (typeof SPATIAL_OPS)[number]

export const TEMPORAL_OPS = [
  't_after', 't_before', 't_contains', 't_disjoint', 't_during', 't_equals', 't_finishedby', 't_finishes',
  't_intersects', 't_meets', 't_metby', 't_overlappedby', 't_overlaps', 't_startedby', 't_starts',
] as const
export type TemporalOp = (typeof TEMPORAL_OPS)[number]

export type Position = number[]

/** A GeoJSON geometry (RFC 7946): the one in-memory form of WKT and GeoJSON literals. */
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] }

export interface PropertyRef { kind: 'property'; name: string }
export interface StringLiteral { kind: 'string'; value: string }
export interface NumberLiteral { kind: 'number'; value: number }
export interface BooleanLiteral { kind: 'boolean'; value: boolean }
/** `TIMESTAMP('2020-01-01T00:00:00Z')`: an RFC 3339 UTC instant, kept as written. */
export interface TimestampLiteral { kind: 'timestamp'; value: string }
/** `DATE('2020-01-01')`. */
export interface DateLiteral { kind: 'date'; value: string }
/** The `'..'` end of a half-bounded interval. */
export interface OpenEnd { kind: 'open' }
export type IntervalEnd = TimestampLiteral | DateLiteral | OpenEnd | PropertyRef
export interface IntervalLiteral { kind: 'interval'; start: IntervalEnd; end: IntervalEnd }
export interface GeometryLiteral { kind: 'geometry'; geometry: Geometry }
/** `BBOX(w, s, e, n)` or `BBOX(w, s, zmin, e, n, zmax)`, in CRS84. */
export interface BboxLiteral { kind: 'bbox'; bbox: number[] }
export interface CaseI { kind: 'casei'; arg: Cql2Value }
export interface AccentI { kind: 'accenti'; arg: Cql2Value }

export type Cql2Value =
  | PropertyRef | StringLiteral | NumberLiteral | BooleanLiteral | TimestampLiteral | DateLiteral
  | IntervalLiteral | GeometryLiteral | BboxLiteral | CaseI | AccentI

export interface AndNode { kind: 'and'; args: Cql2Node[] }
export interface OrNode { kind: 'or'; args: Cql2Node[] }
export interface NotNode { kind: 'not'; arg: Cql2Node }
export interface ComparisonNode { kind: 'comparison'; op: ComparisonOp; left: Cql2Value; right: Cql2Value }
export interface LikeNode { kind: 'like'; value: Cql2Value; pattern: Cql2Value }
export interface BetweenNode { kind: 'between'; value: Cql2Value; low: Cql2Value; high: Cql2Value }
export interface InNode { kind: 'in'; value: Cql2Value; list: Cql2Value[] }
export interface IsNullNode { kind: 'isNull'; value: Cql2Value }
export interface SpatialNode { kind: 'spatial'; op: SpatialOp; left: Cql2Value; right: Cql2Value }
export interface TemporalNode { kind: 'temporal'; op: TemporalOp; left: Cql2Value; right: Cql2Value }

export type Cql2Predicate =
  | AndNode | OrNode | NotNode | ComparisonNode | LikeNode | BetweenNode | InNode | IsNullNode
  | SpatialNode | TemporalNode

/** A whole filter: a predicate, or a bare `TRUE`/`FALSE` (CQL2 `booleanLiteral`). */
export type Cql2Node = Cql2Predicate | BooleanLiteral

export type Cql2ErrorReason = 'syntax' | 'too-long' | 'too-deep' | 'unknown-property' | 'type' | 'unsupported'

/** Every CQL2 failure: an expected client error (HTTP 400), never a crash. */
export class Cql2Error extends Error {
  override readonly name = 'Cql2Error'
  constructor(
    message: string,
    readonly reason: Cql2ErrorReason,
    /** Character offset in CQL2 text, when known. */
    readonly offset?: number,
    /** JSON path in CQL2-JSON (e.g. `args[1].args[0]`), when known. */
    readonly path?: string,
  ) {
    super(message)
  }
}

export const MAX_FILTER_LENGTH = 10_000
export const MAX_FILTER_DEPTH = 64
/** Values in one IN list (reliability-security.md §4.4 case 3). */
export const MAX_IN_LIST = 1000

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

function validDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d)
}

/** True for an RFC 3339 UTC timestamp as CQL2 allows it (`YYYY-MM-DDTHH:MM:SS[.fff]Z`). */
export function isTimestampString(s: string): boolean {
  const m = TIMESTAMP_RE.exec(s)
  if (!m) return false
  const [, y, mo, d, h, mi, sec] = m as unknown as [string, string, string, string, string, string, string]
  return validDay(y, mo, d) && Number(h) < 24 && Number(mi) < 60 && Number(sec) < 61
}

/** True for a calendar date `YYYY-MM-DD`. */
export function isDateString(s: string): boolean {
  const m = DATE_RE.exec(s)
  return m !== null && validDay(m[1] as string, m[2] as string, m[3] as string)
}

/** Why a geometry cannot be sent to PostGIS (too few points, unclosed ring), or null when it can. */
export function geometryProblem(g: Geometry): string | null {
  const line = (ps: Position[]): string | null => (ps.length < 2 ? 'a LineString needs at least 2 positions' : null)
  const ring = (ps: Position[]): string | null => {
    if (ps.length < 4) return 'a Polygon ring needs at least 4 positions'
    const a = ps[0] as Position
    const b = ps[ps.length - 1] as Position
    return a.length === b.length && a.every((v, i) => v === b[i]) ? null : 'a Polygon ring must end where it starts'
  }
  const first = (xs: (string | null)[]): string | null => xs.find((x) => x !== null) ?? null
  switch (g.type) {
    case 'Point': return null
    case 'MultiPoint': return g.coordinates.length === 0 ? 'a MultiPoint needs at least 1 position' : null
    case 'LineString': return line(g.coordinates)
    case 'MultiLineString': return first(g.coordinates.map(line))
    case 'Polygon': return g.coordinates.length === 0 ? 'a Polygon needs a ring' : first(g.coordinates.map(ring))
    case 'MultiPolygon':
      return first(g.coordinates.map((p) => (p.length === 0 ? 'a Polygon needs a ring' : first(p.map(ring)))))
    case 'GeometryCollection': return first(g.geometries.map(geometryProblem))
  }
}
