/**
 * One label point per district and zone. A polygon label drawn from vector tiles repeats in every
 * tile the polygon crosses (MapLibre labels each clipped piece), so the style labels areas from these
 * points instead: the pole of inaccessibility of the largest part, i.e. the inside point farthest from
 * the boundary, where the name has the most room.
 */
type Ring = number[][]
type Polygon = Ring[]

export interface AreaFeature {
  id?: string | number
  geometry: { type: 'Polygon'; coordinates: Polygon } | { type: 'MultiPolygon'; coordinates: Polygon[] } | { type: string; coordinates?: unknown }
  properties: { id?: string; name?: string | null; code?: string | null } | null
}

export interface AreaLabel {
  type: 'Feature'
  geometry: { type: 'Point'; coordinates: [number, number] }
  properties: { id: string; kind: string; code: string | null; name: string }
}

function ringArea(ring: Ring): number {
  let a = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ((ring[j]?.[0] ?? 0) - (ring[i]?.[0] ?? 0)) * ((ring[j]?.[1] ?? 0) + (ring[i]?.[1] ?? 0))
  return Math.abs(a / 2)
}

function insideRing(x: number, y: number, ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? []
    const [xj = 0, yj = 0] = ring[j] ?? []
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Signed distance to the polygon's boundary (negative outside), longitude scaled to ground metres' shape. */
function distance(x: number, y: number, polygon: Polygon, kx: number): number {
  let inside = false
  let min = Infinity
  for (const ring of polygon) {
    if (insideRing(x, y, ring)) inside = !inside
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax = 0, ay = 0] = ring[j] ?? []
      const [bx = 0, by = 0] = ring[i] ?? []
      const dx = (bx - ax) * kx
      const dy = by - ay
      const len2 = dx * dx + dy * dy
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (((x - ax) * kx) * dx + (y - ay) * dy) / len2))
      const ex = (x - ax) * kx - t * dx
      const ey = y - ay - t * dy
      min = Math.min(min, ex * ex + ey * ey)
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(min)
}

/** The pole of inaccessibility of a polygon, by three rounds of a 16×16 grid search. */
export function labelPoint(polygon: Polygon): [number, number] {
  const outer = polygon[0] ?? []
  const xs = outer.map((p) => p[0] ?? 0)
  const ys = outer.map((p) => p[1] ?? 0)
  let [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
  const kx = Math.cos((((s + n) / 2) * Math.PI) / 180)
  let best: [number, number] = [(w + e) / 2, (s + n) / 2]
  let bestD = distance(best[0], best[1], polygon, kx)
  const steps = 16
  for (let round = 0; round < 3; round++) {
    const cw = (e - w) / steps
    const ch = (n - s) / steps
    for (let i = 0; i <= steps; i++) {
      for (let j = 0; j <= steps; j++) {
        const x = w + i * cw
        const y = s + j * ch
        const d = distance(x, y, polygon, kx)
        if (d > bestD) [best, bestD] = [[x, y], d]
      }
    }
    ;[w, e, s, n] = [best[0] - cw, best[0] + cw, best[1] - ch, best[1] + ch]
  }
  return [Math.round(best[0] * 1e6) / 1e6, Math.round(best[1] * 1e6) / 1e6]
}

/** Label points of the named areas of a FeatureCollection, all of one kind (quartiere, zona, …). */
export function areaLabels(features: AreaFeature[], kind: string): AreaLabel[] {
  const out: AreaLabel[] = []
  for (const f of features) {
    const name = f.properties?.name
    if (!name) continue
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Polygon] : f.geometry.type === 'MultiPolygon' ? (f.geometry.coordinates as Polygon[]) : []
    const largest = polygons.reduce<Polygon | null>((a, p) => (!a || ringArea(p[0] ?? []) > ringArea(a[0] ?? []) ? p : a), null)
    if (!largest) continue
    const id = String(f.properties?.id ?? f.id ?? name)
    out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: labelPoint(largest) }, properties: { id, kind, code: f.properties?.code ?? null, name } })
  }
  return out
}
