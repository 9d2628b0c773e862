/**
 * The buildings as a 3D Tiles 1.1 tileset: a quadtree over the building centres, split until a
 * cell holds at most `maxPerTile` buildings. Leaves carry one batched GLB each; inner tiles are
 * empty and only group their children (refine ADD). Bounding volumes are regions computed from
 * the content they hold, so they always contain it.
 */
import type { BuildingFootprint } from './building-mesh'
import { buildingGlb } from './building-glb'
import { geodeticToEcef, toRadians } from './geodesy'

/** [west, south, east, north] degrees, [min, max] height metres. */
interface Extent {
  w: number
  s: number
  e: number
  n: number
  minH: number
  maxH: number
}

export interface TilesetJson {
  asset: { version: '1.1'; generator: string; tilesetVersion: string }
  geometricError: number
  root: TileJson
}

export interface TileJson {
  boundingVolume: { region: [number, number, number, number, number, number] }
  geometricError: number
  refine?: 'ADD'
  content?: { uri: string }
  children?: TileJson[]
}

export interface BuildingTileset {
  tileset: TilesetJson
  /** GLB bytes by content name (`<tile path>.glb`). */
  contents: Map<string, Uint8Array>
  buildings: number
}

export interface TilesetOptions {
  /** Written into asset.tilesetVersion and prefixed to content URIs, e.g. `v1/`. */
  version: string
  contentPrefix: string
  maxPerTile?: number
}

interface Item {
  building: BuildingFootprint
  extent: Extent
  cx: number
  cy: number
}

const DEFAULT_MAX_PER_TILE = 400
const MAX_DEPTH = 12
/** Region padding: float32 vertex positions may land a few millimetres outside the exact extent. */
const PAD_RAD = 1e-8
const PAD_M = 0.05

function buildingExtent(b: BuildingFootprint): Extent {
  const x: Extent = { w: Infinity, s: Infinity, e: -Infinity, n: -Infinity, minH: b.baseM < b.heightM ? b.baseM : 0, maxH: b.heightM }
  for (const polygon of b.polygons)
    for (const ring of polygon)
      for (const [lon, lat] of ring) {
        x.w = Math.min(x.w, lon)
        x.e = Math.max(x.e, lon)
        x.s = Math.min(x.s, lat)
        x.n = Math.max(x.n, lat)
      }
  return x
}

function union(items: readonly Item[]): Extent {
  const u: Extent = { w: Infinity, s: Infinity, e: -Infinity, n: -Infinity, minH: Infinity, maxH: -Infinity }
  for (const { extent: x } of items) {
    u.w = Math.min(u.w, x.w)
    u.s = Math.min(u.s, x.s)
    u.e = Math.max(u.e, x.e)
    u.n = Math.max(u.n, x.n)
    u.minH = Math.min(u.minH, x.minH)
    u.maxH = Math.max(u.maxH, x.maxH)
  }
  return u
}

function region(x: Extent): TileJson['boundingVolume'] {
  return {
    region: [toRadians(x.w) - PAD_RAD, toRadians(x.s) - PAD_RAD, toRadians(x.e) + PAD_RAD, toRadians(x.n) + PAD_RAD, x.minH - PAD_M, x.maxH + PAD_M],
  }
}

/** Ground diagonal of an extent, metres. */
function diagonalM(x: Extent): number {
  const midLat = toRadians((x.s + x.n) / 2)
  return Math.hypot((x.e - x.w) * 111_320 * Math.cos(midLat), (x.n - x.s) * 110_574)
}

/**
 * Inner tiles: a quarter of their diagonal. With CesiumJS's default maximum screen-space error
 * (16 px) a 1 km cell opens from about 10 km away, so a city view always shows its buildings.
 */
const innerError = (x: Extent) => Math.max(10, diagonalM(x) / 4)

export async function buildBuildingTileset(buildings: readonly BuildingFootprint[], opts: TilesetOptions): Promise<BuildingTileset> {
  if (buildings.length === 0) throw new Error('buildBuildingTileset: no buildings')
  const maxPerTile = opts.maxPerTile ?? DEFAULT_MAX_PER_TILE
  const items: Item[] = buildings.map((building) => {
    const extent = buildingExtent(building)
    return { building, extent, cx: (extent.w + extent.e) / 2, cy: (extent.s + extent.n) / 2 }
  })
  const contents = new Map<string, Uint8Array>()

  const build = async (cell: readonly Item[], path: string, depth: number): Promise<TileJson> => {
    const extent = union(cell)
    if (cell.length <= maxPerTile || depth >= MAX_DEPTH) {
      const name = `${path}.glb`
      const centre = geodeticToEcef((extent.w + extent.e) / 2, (extent.s + extent.n) / 2, 0)
      // Stable order inside a tile: feature ids do not depend on the query's row order.
      const sorted = cell.map((c) => c.building).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      contents.set(name, await buildingGlb(sorted, centre))
      return { boundingVolume: region(extent), geometricError: 0, content: { uri: `${opts.contentPrefix}${name}` } }
    }
    const midX = (Math.min(...cell.map((c) => c.cx)) + Math.max(...cell.map((c) => c.cx))) / 2
    const midY = (Math.min(...cell.map((c) => c.cy)) + Math.max(...cell.map((c) => c.cy))) / 2
    const quadrants: Item[][] = [[], [], [], []]
    for (const c of cell) quadrants[(c.cx >= midX ? 1 : 0) + (c.cy >= midY ? 2 : 0)]!.push(c)
    // All centres equal (stacked copies): no split can help, stop here.
    if (quadrants.filter((q) => q.length > 0).length === 1) return build(cell, path, MAX_DEPTH)
    const children: TileJson[] = []
    for (const [q, items] of quadrants.entries()) if (items.length > 0) children.push(await build(items, `${path}-${q}`, depth + 1))
    return { boundingVolume: region(extent), geometricError: innerError(extent), refine: 'ADD', children }
  }

  const root = await build(items, '0', 0)
  root.refine = 'ADD'
  const rootError = Math.max(root.geometricError, innerError(union(items)))
  return {
    tileset: { asset: { version: '1.1', generator: 'Gemello', tilesetVersion: opts.version }, geometricError: rootError * 2, root },
    contents,
    buildings: buildings.length,
  }
}
