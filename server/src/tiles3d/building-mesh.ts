/**
 * Extrudes building footprints into one batched triangle mesh: walls as quads (own vertices, so
 * each wall is flat-shaded), roofs triangulated with earcut. Positions are ECEF relative to a
 * centre (the tile's RTC centre), already in glTF axes; each vertex carries its building's index.
 */
import earcut from 'earcut'
import { cross, ecefToGltf, geodeticToEcef, normalize, sub, upVector, type Vec3 } from './geodesy'

export type LonLat = [number, number]

/** One row of the `building` table, geometry as GeoJSON MultiPolygon coordinates. */
export interface BuildingFootprint {
  id: string
  heightM: number
  baseM: number
  estimated: boolean
  polygons: LonLat[][][]
}

export interface BuildingMesh {
  /** glTF axes, metres from the centre; 3 per vertex. */
  positions: Float32Array
  normals: Float32Array
  /** Index of the vertex's building in the input array. */
  featureIds: Uint32Array
  indices: Uint32Array
}

interface Builder {
  pos: number[]
  nor: number[]
  fid: number[]
  idx: number[]
}

/** Ring without its closing point or repeated points. */
function openRing(ring: LonLat[]): LonLat[] {
  const out: LonLat[] = []
  for (const p of ring) {
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  const first = out[0]
  const last = out[out.length - 1]
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop()
  return out
}

/** Twice the signed area in a local plane (x east, y north): > 0 for counter-clockwise. */
function signedArea(ring: LonLat[], cosLat: number): number {
  let s = 0
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const b = ring[(i + 1) % ring.length]!
    s += a[0] * cosLat * b[1] - b[0] * cosLat * a[1]
  }
  return s
}

function pushVertex(b: Builder, ecef: Vec3, centre: Vec3, normal: Vec3, feature: number): number {
  const p = ecefToGltf(sub(ecef, centre))
  const n = ecefToGltf(normal)
  b.pos.push(p[0], p[1], p[2])
  b.nor.push(n[0], n[1], n[2])
  b.fid.push(feature)
  return b.fid.length - 1
}

/**
 * Walls of a ring oriented so that the outside of the building is on the right of `edge × up`:
 * outer rings counter-clockwise, holes clockwise (then every wall faces away from the building).
 */
function addWalls(b: Builder, ring: LonLat[], bottom: number, top: number, centre: Vec3, feature: number): void {
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const c = ring[(i + 1) % ring.length]!
    const a0 = geodeticToEcef(a[0], a[1], bottom)
    const c0 = geodeticToEcef(c[0], c[1], bottom)
    const normal = normalize(cross(sub(c0, a0), upVector(a[0], a[1])))
    const i0 = pushVertex(b, a0, centre, normal, feature)
    pushVertex(b, c0, centre, normal, feature)
    pushVertex(b, geodeticToEcef(c[0], c[1], top), centre, normal, feature)
    pushVertex(b, geodeticToEcef(a[0], a[1], top), centre, normal, feature)
    b.idx.push(i0, i0 + 1, i0 + 2, i0, i0 + 2, i0 + 3)
  }
}

function addRoof(b: Builder, rings: LonLat[][], top: number, centre: Vec3, feature: number, cosLat: number): void {
  const origin = rings[0]![0]!
  const flat: number[] = []
  const holes: number[] = []
  const first = b.fid.length
  for (const [r, ring] of rings.entries()) {
    if (r > 0) holes.push(flat.length / 2)
    for (const p of ring) {
      // Local metres keep earcut's arithmetic well conditioned.
      flat.push((p[0] - origin[0]) * cosLat * 111_320, (p[1] - origin[1]) * 110_574)
      pushVertex(b, geodeticToEcef(p[0], p[1], top), centre, upVector(p[0], p[1]), feature)
    }
  }
  const tri = earcut(flat, holes, 2)
  for (let t = 0; t < tri.length; t += 3) {
    const i = tri[t]!
    let j = tri[t + 1]!
    let k = tri[t + 2]!
    const area = (flat[2 * j]! - flat[2 * i]!) * (flat[2 * k + 1]! - flat[2 * i + 1]!) - (flat[2 * k]! - flat[2 * i]!) * (flat[2 * j + 1]! - flat[2 * i + 1]!)
    // Roofs face up: counter-clockwise seen from above.
    if (area < 0) [j, k] = [k, j]
    b.idx.push(first + i, first + j, first + k)
  }
}

/** The mesh of all buildings, relative to `centre` (ECEF). Rings with fewer than 3 distinct points are skipped. */
export function extrudeBuildings(buildings: readonly BuildingFootprint[], centre: Vec3): BuildingMesh {
  const b: Builder = { pos: [], nor: [], fid: [], idx: [] }
  for (const [feature, building] of buildings.entries()) {
    const top = building.heightM
    const bottom = building.baseM < top ? building.baseM : 0
    for (const polygon of building.polygons) {
      const rings = polygon.map(openRing).filter((r) => r.length >= 3)
      const outer = rings[0]
      if (!outer) continue
      const cosLat = Math.cos((outer[0]![1] * Math.PI) / 180)
      const oriented = rings.map((ring, r) => {
        const ccw = signedArea(ring, cosLat) > 0
        return (r === 0) === ccw ? ring : [...ring].reverse()
      })
      for (const ring of oriented) addWalls(b, ring, bottom, top, centre, feature)
      addRoof(b, oriented, top, centre, feature, cosLat)
    }
  }
  return { positions: new Float32Array(b.pos), normals: new Float32Array(b.nor), featureIds: new Uint32Array(b.fid), indices: new Uint32Array(b.idx) }
}
