/**
 * WGS84 geodesy for 3D Tiles: geodetic ↔ Earth-centred Earth-fixed (ECEF) coordinates, and the
 * axis change between 3D Tiles (z-up) and glTF (y-up).
 */

export type Vec3 = [number, number, number]

const A = 6378137.0
const F = 1 / 298.257223563
const E2 = F * (2 - F)
const B = A * (1 - F)
const EP2 = (A * A - B * B) / (B * B)
const RAD = Math.PI / 180

/** ECEF metres of a WGS84 longitude/latitude (degrees) and ellipsoidal height (metres). */
export function geodeticToEcef(lonDeg: number, latDeg: number, heightM: number): Vec3 {
  const lon = lonDeg * RAD
  const lat = latDeg * RAD
  const sinLat = Math.sin(lat)
  const cosLat = Math.cos(lat)
  const n = A / Math.sqrt(1 - E2 * sinLat * sinLat)
  return [(n + heightM) * cosLat * Math.cos(lon), (n + heightM) * cosLat * Math.sin(lon), (n * (1 - E2) + heightM) * sinLat]
}

/** Longitude, latitude (degrees) and ellipsoidal height (metres) of an ECEF point (Bowring; sub-mm at city heights). */
export function ecefToGeodetic([x, y, z]: Vec3): Vec3 {
  const p = Math.hypot(x, y)
  const theta = Math.atan2(z * A, p * B)
  const st = Math.sin(theta)
  const ct = Math.cos(theta)
  const lat = Math.atan2(z + EP2 * B * st * st * st, p - E2 * A * ct * ct * ct)
  const sinLat = Math.sin(lat)
  const n = A / Math.sqrt(1 - E2 * sinLat * sinLat)
  const height = p / Math.cos(lat) - n
  return [Math.atan2(y, x) / RAD, lat / RAD, height]
}

/** The ellipsoid normal (local "up") at a longitude/latitude, in ECEF. */
export function upVector(lonDeg: number, latDeg: number): Vec3 {
  const lon = lonDeg * RAD
  const lat = latDeg * RAD
  return [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)]
}

/**
 * ECEF (z-up) → glTF (y-up). 3D Tiles rotates glTF content by +90° about x at load time
 * ((x, y, z) → (x, −z, y)), so content written as (x, z, −y) lands back on the ECEF axes.
 */
export function ecefToGltf([x, y, z]: Vec3): Vec3 {
  return [x, z, -y]
}

export function gltfToEcef([x, y, z]: Vec3): Vec3 {
  return [x, -z, y]
}

export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
export function normalize(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2])
  return l > 0 ? [v[0] / l, v[1] / l, v[2] / l] : [0, 0, 0]
}
export const toRadians = (deg: number): number => deg * RAD
