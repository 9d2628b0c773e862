/**
 * Small geometry helpers of the census editor, CRS84 (lon, lat): equality within a tolerance, the
 * distance a point moved, a ring closed, a point typed as two numbers. Pure.
 */
import type { AnyGeometry, EditableGeometry, Position } from '../state/census-map'

/** Under a millimetre at Bologna's latitude: the same position. */
const EPS = 1e-8
const EARTH_RADIUS_M = 6_371_008.8

function samePositions(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= EPS
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
  return a.every((x, i) => samePositions(x, b[i]))
}

export function sameGeometry(a: AnyGeometry | null, b: AnyGeometry | null): boolean {
  if (a === b) return true
  if (!a || !b || a.type !== b.type) return false
  return samePositions(a.coordinates, b.coordinates)
}

/** Great-circle distance in metres. */
export function distanceM(a: Position, b: Position): number {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLon = (b[0] - a[0]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** How many positions a geometry has (a polygon's closing one not counted twice). */
export function vertexCount(g: EditableGeometry): number {
  if (g.type === 'Point') return 1
  if (g.type === 'LineString') return g.coordinates.length
  return g.coordinates.reduce((n, ring) => n + Math.max(0, ring.length - 1), 0)
}

/** A point from typed longitude and latitude (decimal point or comma); null unless both are numbers. */
export function pointFromText(lon: string, lat: string): EditableGeometry | null {
  const num = (s: string) => (/^\s*-?\d+([.,]\d+)?\s*$/.test(s) ? Number(s.trim().replace(',', '.')) : NaN)
  const x = num(lon)
  const y = num(lat)
  if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) return null
  return { type: 'Point', coordinates: [x, y] }
}

/** A geometry the server may answer (e.g. a repair) as an editable one, when it is of the three types. */
export function editableOf(g: AnyGeometry | null): EditableGeometry | null {
  if (!g || !Array.isArray(g.coordinates)) return null
  if (g.type === 'Point' || g.type === 'LineString' || g.type === 'Polygon') return g as EditableGeometry
  return null
}
