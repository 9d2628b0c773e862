/**
 * The place both views share: what the 2D map calls centre, zoom, bearing and pitch, and how it
 * maps to a Cesium camera looking at that centre from a range with a heading and pitch. Pure
 * maths, so the switch 2D ↔ 3D keeps the place and round-trips exactly.
 */

export interface MapPose {
  center: [number, number]
  zoom: number
  /** Degrees clockwise from north. */
  bearing: number
  /** Degrees from straight down (0) towards the horizon. */
  pitch: number
}

export interface GlobePose {
  target: [number, number]
  /** Metres from the camera to the target. */
  rangeM: number
  /** Radians clockwise from north (Cesium heading). */
  headingRad: number
  /** Radians, negative below the horizon; −π/2 looks straight down (Cesium pitch). */
  pitchRad: number
}

const EARTH_CIRCUMFERENCE_M = 40_075_016.686
/** MapLibre's tile size in CSS pixels. */
const TILE_PX = 512
/** MapLibre's vertical field of view: the camera stands 1.5 viewport heights from the centre. */
const MAPLIBRE_DISTANCE_IN_HEIGHTS = 1.5
const RAD = Math.PI / 180

/** Ground metres per CSS pixel at a zoom and latitude (Web Mercator). */
export function metresPerPixel(zoom: number, latDeg: number): number {
  return (EARTH_CIRCUMFERENCE_M * Math.cos(latDeg * RAD)) / (TILE_PX * 2 ** zoom)
}

/**
 * The Cesium range that shows as much ground as MapLibre at this zoom, for a viewport of
 * `heightPx` CSS pixels and a Cesium vertical field of view `fovyRad`.
 */
export function rangeFromZoom(zoom: number, latDeg: number, heightPx: number, fovyRad: number): number {
  const maplibreFovy = 2 * Math.atan(0.5 / MAPLIBRE_DISTANCE_IN_HEIGHTS)
  const distance = MAPLIBRE_DISTANCE_IN_HEIGHTS * heightPx * metresPerPixel(zoom, latDeg)
  return (distance * Math.tan(maplibreFovy / 2)) / Math.tan(fovyRad / 2)
}

export function zoomFromRange(rangeM: number, latDeg: number, heightPx: number, fovyRad: number): number {
  const at0 = rangeFromZoom(0, latDeg, heightPx, fovyRad)
  return Math.log2(at0 / rangeM)
}

export function globePoseFromMap(pose: MapPose, heightPx: number, fovyRad: number): GlobePose {
  return {
    target: pose.center,
    rangeM: rangeFromZoom(pose.zoom, pose.center[1], heightPx, fovyRad),
    headingRad: pose.bearing * RAD,
    pitchRad: (pose.pitch - 90) * RAD,
  }
}

/** 2D maps show at most `maxPitch` degrees; a 3D view closer to the horizon is clamped. */
export function mapPoseFromGlobe(pose: GlobePose, heightPx: number, fovyRad: number, maxPitch = 60): MapPose {
  let bearing = (pose.headingRad / RAD) % 360
  if (bearing > 180) bearing -= 360
  if (bearing < -180) bearing += 360
  return {
    center: pose.target,
    zoom: zoomFromRange(pose.rangeM, pose.target[1], heightPx, fovyRad),
    bearing,
    pitch: Math.min(maxPitch, Math.max(0, pose.pitchRad / RAD + 90)),
  }
}
