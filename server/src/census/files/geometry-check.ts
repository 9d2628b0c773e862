/**
 * Checks one GeoJSON geometry of an upload (RFC 7946, lon/lat EPSG:4326) and copies it without
 * foreign members: known type, well-formed coordinates, 2 or 3 finite numbers per position within
 * ±180° / ±90°, lines of 2+ positions, closed rings of 4+. A bad geometry is a problem of its feature
 * (a value); more vertices than the limit is PAYLOAD_TOO_LARGE for the whole file (413), counted while
 * walking so a 10⁶-vertex polygon is not walked to its end.
 */
import { ApiError } from '../../http/api-error'
import { formatCount } from './upload-limits'
import type { Geometry, Position } from './uploaded-features'

export interface GeometryCheck {
  geometry: Geometry | null
  /** Why the geometry is unusable (then `geometry` is null). */
  problem: string | null
}

class GeometryProblem extends Error {}

/**
 * `value` checked as a GeoJSON geometry. `where` names the feature in messages ('Feature 4', 'Row 3 (line 4)').
 * null or undefined is no geometry, not a problem.
 */
export function checkGeometry(value: unknown, maxVertices: number, where: string): GeometryCheck {
  if (value === null || value === undefined) return { geometry: null, problem: null }
  const counter = { vertices: 0, max: maxVertices, where }
  try {
    return { geometry: geometry(value, counter, 0), problem: null }
  } catch (err) {
    if (err instanceof GeometryProblem) return { geometry: null, problem: err.message }
    throw err
  }
}

interface Counter {
  vertices: number
  max: number
  where: string
}

const MAX_COLLECTION_NESTING = 4

function geometry(value: unknown, counter: Counter, nesting: number): Geometry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GeometryProblem('the geometry is not a GeoJSON object')
  const g = value as { type?: unknown; coordinates?: unknown; geometries?: unknown }
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: position(g.coordinates, counter) }
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: nonEmpty(list(g.coordinates, 'coordinates'), 'MultiPoint').map((p) => position(p, counter)) }
    case 'LineString':
      return { type: 'LineString', coordinates: line(g.coordinates, counter) }
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: nonEmpty(list(g.coordinates, 'coordinates'), 'MultiLineString').map((l) => line(l, counter)) }
    case 'Polygon':
      return { type: 'Polygon', coordinates: polygon(g.coordinates, counter) }
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: nonEmpty(list(g.coordinates, 'coordinates'), 'MultiPolygon').map((p) => polygon(p, counter)) }
    case 'GeometryCollection': {
      if (nesting >= MAX_COLLECTION_NESTING) throw new GeometryProblem(`GeometryCollections are nested more than ${MAX_COLLECTION_NESTING} deep`)
      const parts = nonEmpty(list(g.geometries, 'geometries'), 'GeometryCollection')
      return { type: 'GeometryCollection', geometries: parts.map((p) => geometry(p, counter, nesting + 1)) }
    }
    default:
      throw new GeometryProblem(`the geometry type ${JSON.stringify(g.type)} is not a GeoJSON type (Point, LineString, Polygon, their Multi forms, GeometryCollection)`)
  }
}

/** PAYLOAD_TOO_LARGE for a feature over the vertex limit. */
export function tooManyVertices(where: string, max: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `${where} has more than ${formatCount(max)} vertices, the most accepted per feature. Simplify or split it (QGIS: Vector → Geometry Tools → Simplify).`)
}

function list(value: unknown, member: string): unknown[] {
  if (!Array.isArray(value)) throw new GeometryProblem(`the geometry's ${member} is not an array`)
  return value
}

function nonEmpty<T>(xs: T[], type: string): T[] {
  if (xs.length === 0) throw new GeometryProblem(`the ${type} is empty`)
  return xs
}

function position(value: unknown, counter: Counter): Position {
  if (++counter.vertices > counter.max) throw tooManyVertices(counter.where, counter.max)
  if (!Array.isArray(value) || value.length < 2 || value.length > 3 || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new GeometryProblem(`the position ${short(value)} is not [lon, lat] or [lon, lat, height] in numbers`)
  }
  const [lon, lat] = value as [number, number]
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    const hint = Math.abs(lon) > 1000 || Math.abs(lat) > 1000 ? 'the coordinates look projected (metres)' : 'longitude and latitude may be swapped'
    throw new GeometryProblem(`the position [${lon}, ${lat}] is not lon/lat in degrees: ${hint}; positions must be longitude, latitude in WGS 84 (EPSG:4326)`)
  }
  return value as Position
}

function line(value: unknown, counter: Counter): Position[] {
  const ps = list(value, 'coordinates').map((p) => position(p, counter))
  if (ps.length < 2) throw new GeometryProblem(`a line has ${ps.length} position${ps.length === 1 ? '' : 's'}; it needs at least 2`)
  return ps
}

function polygon(value: unknown, counter: Counter): Position[][] {
  const rings = nonEmpty(list(value, 'coordinates'), 'Polygon')
  return rings.map((r, i) => {
    const ring = list(r, 'coordinates').map((p) => position(p, counter))
    const what = i === 0 ? 'the outer ring' : `hole ${i}`
    if (ring.length < 4) throw new GeometryProblem(`${what} of a polygon has ${ring.length} positions; a closed ring needs at least 4`)
    const first = ring[0] as Position
    const last = ring[ring.length - 1] as Position
    if (first[0] !== last[0] || first[1] !== last[1]) throw new GeometryProblem(`${what} of a polygon is not closed: its last position must repeat the first`)
    return ring
  })
}

function short(value: unknown): string {
  if (Array.isArray(value) && value.length > 3) return `[${value.length} items]`
  const s = JSON.stringify(value) ?? String(value)
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}
