/**
 * The areas of a choropleth as SVG paths: Web Mercator (EPSG:3857's formula on the sphere) fitted to
 * the areas' bounds in a box of fixed width, the height following the city's shape. Deterministic —
 * the same GeoJSON gives the same paths — so the map exports as an image and is tested as text.
 * Coordinates are [lon, lat] in EPSG:4326 (contracts/theme-dashboard-api.ts DashboardAreaCollection).
 */
import type { DashboardAreaCollection } from '../../../../contracts/theme-dashboard-api'

export type Position = readonly [number, number]
/** Polygons, each a list of rings (outer first, holes after), each a list of [lon, lat]. */
export type Polygons = Position[][][]

export interface ProjectedArea {
  id: string
  code: string
  name: string
  /** SVG path data (even-odd fill makes holes). */
  d: string
  /** A point to anchor the tooltip at: the centre of the area's bounding box, in the box's units. */
  anchor: [number, number]
}

export interface ProjectedMap {
  width: number
  height: number
  areas: ProjectedArea[]
}

const DEG = Math.PI / 180

/** Web Mercator on the unit sphere: x = λ, y = ln tan(π/4 + φ/2) (north up, y grows northwards). */
export function mercator([lon, lat]: Position): [number, number] {
  const phi = Math.max(-85.05112878, Math.min(85.05112878, lat)) * DEG
  return [lon * DEG, Math.log(Math.tan(Math.PI / 4 + phi / 2))]
}

const isPosition = (p: unknown): p is Position => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1])
const isRing = (r: unknown): r is Position[] => Array.isArray(r) && r.every(isPosition)
const isPolygon = (p: unknown): p is Position[][] => Array.isArray(p) && p.every(isRing)

/** A Polygon's or MultiPolygon's coordinates as a list of polygons; malformed parts are dropped. */
export function polygonsOf(geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[][] }): Polygons {
  if (geometry.type === 'Polygon') return isPolygon(geometry.coordinates) ? [geometry.coordinates] : []
  return geometry.coordinates.filter(isPolygon)
}

/** A fit of projected bounds into a box of `width`, with `pad` on each side; the height keeps the aspect ratio. */
export function fitBox(bounds: { minX: number; minY: number; maxX: number; maxY: number }, width: number, pad: number): { scale: number; height: number; toBox(p: [number, number]): [number, number] } {
  const dx = Math.max(bounds.maxX - bounds.minX, 1e-12)
  const dy = Math.max(bounds.maxY - bounds.minY, 1e-12)
  const scale = (width - 2 * pad) / dx
  const height = Math.round(2 * pad + dy * scale)
  return { scale, height, toBox: ([x, y]) => [pad + (x - bounds.minX) * scale, pad + (bounds.maxY - y) * scale] }
}

/** The bounds of points (Infinity when there are none). */
export function boundsOf(points: ReadonlyArray<readonly [number, number]>): { minX: number; minY: number; maxX: number; maxY: number } {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }
  for (const [x, y] of points) {
    b.minX = Math.min(b.minX, x)
    b.maxX = Math.max(b.maxX, x)
    b.minY = Math.min(b.minY, y)
    b.maxY = Math.max(b.maxY, y)
  }
  return b
}

const r1 = (n: number) => Math.round(n * 10) / 10

/** SVG path data of rings already in box units: one decimal, repeated points after rounding left out. */
export function ringsPath(rings: ReadonlyArray<ReadonlyArray<[number, number]>>): string {
  const parts: string[] = []
  for (const ring of rings) {
    let last = ''
    const pts: string[] = []
    for (const [x, y] of ring) {
      const p = `${r1(x)},${r1(y)}`
      if (p !== last) pts.push(p)
      last = p
    }
    if (pts.length > 1 && pts[pts.length - 1] === pts[0]) pts.pop()
    if (pts.length >= 3) parts.push(`M${pts.join('L')}Z`)
  }
  return parts.join('')
}

/** The areas fitted into a box `width` wide (the default 600 with 8 of padding): paths and tooltip anchors. */
export function projectAreas(fc: DashboardAreaCollection, width = 600, pad = 8): ProjectedMap {
  const features = fc.features.map((f) => ({ f, polys: polygonsOf(f.geometry).map((poly) => poly.map((ring) => ring.map(mercator))) }))
  const bounds = boundsOf(features.flatMap(({ polys }) => polys.flat(2)))
  if (!Number.isFinite(bounds.minX)) return { width, height: Math.round(width / 2), areas: [] }
  const fit = fitBox(bounds, width, pad)
  const areas = features.map(({ f, polys }) => {
    const rings = polys.flatMap((poly) => poly.map((ring) => ring.map(fit.toBox)))
    const box = boundsOf(rings.flat())
    const anchor: [number, number] = Number.isFinite(box.minX) ? [r1((box.minX + box.maxX) / 2), r1((box.minY + box.maxY) / 2)] : [0, 0]
    return { id: f.id, code: f.properties.code, name: f.properties.name, d: ringsPath(rings), anchor }
  })
  return { width, height: fit.height, areas }
}
