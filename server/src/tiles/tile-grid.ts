/**
 * The Web Mercator tile grid (XYZ, y down, as MapLibre requests it) and the tile coordinate
 * space of MVT 2.1: 0..EXTENT in both axes, y pointing down, with a BUFFER beyond each edge.
 */

export const EXTENT = 4096
/** Tile units kept beyond each edge so that line joins and labels do not break at tile seams. */
export const BUFFER = 64
const EARTH_HALF_CIRCUMFERENCE_M = Math.PI * 6378137

export interface TileCoord {
  z: number
  x: number
  y: number
}

/** Bounds of a tile in EPSG:3857 metres: [xmin, ymin, xmax, ymax]. */
export function tileBounds3857({ z, x, y }: TileCoord): [number, number, number, number] {
  const size = (2 * EARTH_HALF_CIRCUMFERENCE_M) / 2 ** z
  const xmin = -EARTH_HALF_CIRCUMFERENCE_M + x * size
  const ymax = EARTH_HALF_CIRCUMFERENCE_M - y * size
  return [xmin, ymax - size, xmin + size, ymax]
}

/** Metres of one tile unit at zoom z (at the equator; Mercator metres everywhere). */
export function unitSizeM(z: number): number {
  return (2 * EARTH_HALF_CIRCUMFERENCE_M) / 2 ** z / EXTENT
}

/** The tile containing [lon, lat] at zoom z. */
export function tileAt(lon: number, lat: number, z: number): TileCoord {
  const n = 2 ** z
  const latRad = (lat * Math.PI) / 180
  const x = Math.floor(((lon + 180) / 360) * n)
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n)
  return { z, x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) }
}

/** Every tile of zoom z covering a [west, south, east, north] box, row by row. */
export function tilesInBbox(bbox: readonly [number, number, number, number], z: number): TileCoord[] {
  const nw = tileAt(bbox[0], bbox[3], z)
  const se = tileAt(bbox[2], bbox[1], z)
  const out: TileCoord[] = []
  for (let y = nw.y; y <= se.y; y++) for (let x = nw.x; x <= se.x; x++) out.push({ z, x, y })
  return out
}

export type TileCoordCheck = { ok: true; tile: TileCoord } | { ok: false; message: string }

const INTEGER = /^(0|[1-9]\d{0,9})$/

/**
 * Checks the z/x/y of a request against the grid and the source's zoom range; the message says
 * what a valid request looks like.
 */
export function parseTileCoord(zs: string, xs: string, ys: string, maxzoom: number, sourceId: string): TileCoordCheck {
  for (const [name, v] of [['z', zs], ['x', xs], ['y', ys]] as const) {
    if (!INTEGER.test(v)) return { ok: false, message: `Tile ${name} must be a non-negative integer without sign or leading zeros, got "${v}". Tile URLs look like /tiles/${sourceId}/14/8712/5932.pbf.` }
  }
  const z = Number(zs)
  const x = Number(xs)
  const y = Number(ys)
  if (z > maxzoom) {
    return { ok: false, message: `Zoom ${z} is above the maxzoom ${maxzoom} of source "${sourceId}". Request zoom 0..${maxzoom}; map clients overzoom the zoom-${maxzoom} tiles (the TileJSON says so).` }
  }
  const last = 2 ** z - 1
  if (x > last || y > last) {
    return { ok: false, message: `Tile ${z}/${x}/${y} is outside the grid: at zoom ${z}, x and y run from 0 to ${last}.` }
  }
  return { ok: true, tile: { z, x, y } }
}
