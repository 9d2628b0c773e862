/**
 * Building heights: which source format a footprint file is in, and the height of one footprint —
 * measured (the format's height attribute, when > 0) or estimated by the first rule that applies:
 *
 *   levels               building:levels × 3 m + 1 m (storeys plus roof slab)
 *   quota_gron-quota_pied eaves altitude − ground altitude (Comune "edifici volumetrici")
 *   volume/area          volume (m³) / footprint area (m²) (Comune "edifici volumetrici")
 *   default              10 m (a three-storey building; errs low in a historic centre: the measured
 *                        Milan sample has median 19.7 m, and 13 % of it is under 10 m)
 */
import type { Geometry } from './geojson-features'
import { propNumber } from './geojson-features'

export type BuildingFormat = 'comune-edifici' | 'lidar-height-med' | 'osm'

/** The attribute holding a measured height, per format. */
export const HEIGHT_ATTRIBUTE: Record<BuildingFormat, string> = {
  'comune-edifici': 'altezza_gr',
  'lidar-height-med': 'height_med',
  osm: 'height',
}

export const DEFAULT_HEIGHT_M = 10
export const METRES_PER_LEVEL = 3
export const ROOF_M = 1

export type HeightSource = 'altezza_gr' | 'height_med' | 'height' | 'levels' | 'quota_gron-quota_pied' | 'volume/area' | 'default'

export interface Height {
  heightM: number
  estimated: boolean
  source: HeightSource
}

/** Comune if any feature has codice_ogg or altezza_gr; LiDAR if any has height_med; else OSM-style (height, building:levels). */
export function detectBuildingFormat(properties: ReadonlyArray<Record<string, unknown>>): BuildingFormat {
  const has = (key: string) => properties.some((p) => key in p)
  if (has('codice_ogg') || has('altezza_gr')) return 'comune-edifici'
  if (has('height_med')) return 'lidar-height-med'
  return 'osm'
}

/** A positive number from a number or text such as "12", "12.5 m"; null otherwise. */
function positive(p: Record<string, unknown>, key: string): number | null {
  const v = p[key]
  const n = typeof v === 'string' ? Number(/^\s*(\d+(?:\.\d+)?)\s*m?\s*$/.exec(v)?.[1] ?? Number.NaN) : propNumber(p, key)
  return n !== null && Number.isFinite(n) && n > 0 ? n : null
}

const round2 = (n: number) => Math.round(n * 100) / 100

export function buildingHeight(format: BuildingFormat, p: Record<string, unknown>, footprintM2: number): Height {
  const attr = HEIGHT_ATTRIBUTE[format]
  const measured = positive(p, attr)
  if (measured !== null) return { heightM: measured, estimated: false, source: attr as HeightSource }
  const levels = positive(p, 'building:levels') ?? positive(p, 'levels')
  if (levels !== null) return { heightM: levels * METRES_PER_LEVEL + ROOF_M, estimated: true, source: 'levels' }
  const gron = propNumber(p, 'quota_gron')
  const pied = propNumber(p, 'quota_pied')
  if (gron !== null && pied !== null && gron - pied > 0) return { heightM: round2(gron - pied), estimated: true, source: 'quota_gron-quota_pied' }
  const volume = positive(p, 'volume')
  if (volume !== null && footprintM2 > 0) return { heightM: round2(volume / footprintM2), estimated: true, source: 'volume/area' }
  return { heightM: DEFAULT_HEIGHT_M, estimated: true, source: 'default' }
}

const EARTH_RADIUS_M = 6_371_008.8

/** Shoelace area of a lon/lat ring in m², on a local equirectangular projection (buildings are small). */
function ringAreaM2(ring: readonly number[][], cosLat: number): number {
  const k = (Math.PI / 180) * EARTH_RADIUS_M
  let s = 0
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as number[]
    const b = ring[i + 1] as number[]
    s += (a[0] as number) * cosLat * k * ((b[1] as number) * k) - (b[0] as number) * cosLat * k * ((a[1] as number) * k)
  }
  return Math.abs(s) / 2
}

/** Footprint area in m²: outer rings minus holes. */
export function footprintAreaM2(g: Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>): number {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  const lat0 = (polygons[0]?.[0]?.[0]?.[1] ?? 0) as number
  const cosLat = Math.cos((lat0 * Math.PI) / 180)
  let area = 0
  for (const rings of polygons) rings.forEach((r, i) => (area += (i === 0 ? 1 : -1) * ringAreaM2(r, cosLat)))
  return Math.max(0, area)
}
