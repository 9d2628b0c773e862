import { describe, expect, it } from 'vitest'
import { globePoseFromMap, mapPoseFromGlobe, metresPerPixel, rangeFromZoom } from './camera-pose'

const FOVY = (60 * Math.PI) / 180 * (900 / 1600)

describe('camera pose 2D ↔ 3D', () => {
  it('knows Web Mercator scale: about 3.4 m per pixel at zoom 14 in Bologna (512 px tiles)', () => {
    expect(metresPerPixel(14, 44.4949)).toBeCloseTo(3.41, 2)
    expect(metresPerPixel(0, 0)).toBeCloseTo(78_271.5, 0)
  })

  it('halves the range for each zoom level in', () => {
    const r14 = rangeFromZoom(14, 44.49, 900, FOVY)
    expect(rangeFromZoom(15, 44.49, 900, FOVY)).toBeCloseTo(r14 / 2, 6)
  })

  it('looks straight down for pitch 0 and turns with the bearing', () => {
    const g = globePoseFromMap({ center: [11.34, 44.49], zoom: 15, bearing: 90, pitch: 0 }, 900, FOVY)
    expect(g.pitchRad).toBeCloseTo(-Math.PI / 2, 9)
    expect(g.headingRad).toBeCloseTo(Math.PI / 2, 9)
  })

  it('round-trips centre, zoom, bearing and pitch', () => {
    const pose = { center: [9.1919, 45.4641] as [number, number], zoom: 16.25, bearing: -30, pitch: 45 }
    const back = mapPoseFromGlobe(globePoseFromMap(pose, 900, FOVY), 900, FOVY)
    expect(back.center).toEqual(pose.center)
    expect(back.zoom).toBeCloseTo(pose.zoom, 9)
    expect(back.bearing).toBeCloseTo(pose.bearing, 9)
    expect(back.pitch).toBeCloseTo(pose.pitch, 9)
  })

  it('clamps a near-horizontal 3D view to the 2D map’s maximum pitch', () => {
    const back = mapPoseFromGlobe({ target: [11, 44], rangeM: 1000, headingRad: 0, pitchRad: -0.05 }, 900, FOVY, 60)
    expect(back.pitch).toBe(60)
  })
})
