/** GeoJSON geometry → the lines to draw: line strings as they are, polygons as their rings. */

export type Position = number[]

export interface Geometry {
  type: string
  coordinates?: unknown
}

export interface Feature {
  geometry: Geometry | null
}

export function geometryLines(g: Geometry | null): Position[][] {
  if (!g || !g.coordinates) return []
  const c = g.coordinates as never
  switch (g.type) {
    case 'LineString':
      return [c]
    case 'MultiLineString':
    case 'Polygon':
      return c
    case 'MultiPolygon':
      return (c as Position[][][]).flat()
    default:
      return []
  }
}
