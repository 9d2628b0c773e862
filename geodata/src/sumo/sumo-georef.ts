/**
 * Georeferencing of a SUMO network, the one place where network coordinates become lon/lat:
 * projected = (x − netOffset.x, y − netOffset.y), then the network's own projParameter (a PROJ
 * string, e.g. "+proj=utm +zone=32 …") → EPSG:4326 with proj4. This is what SUMO itself does
 * (GeoConvHelper::cartesian2geo), so a detector lands where sumo-gui draws it.
 */
import proj4 from 'proj4'
import type { LonLat } from '../../../contracts/schemas/device'
import { DatasetFileError } from '../readers/read-result'
import type { NetXy, SumoLocation } from './sumo-net'

export interface SumoGeoref {
  /** Network coordinates → the projected CRS of projParameter (UTM metres for Bologna). */
  toProjected(p: NetXy): NetXy
  /** Network coordinates → [lon, lat] EPSG:4326. */
  toLonLat(p: NetXy): LonLat
}

export function sumoGeoref(location: SumoLocation, file: string): SumoGeoref {
  let converter: proj4.Converter
  try {
    converter = proj4(location.projParameter, 'EPSG:4326')
  } catch (err) {
    throw new DatasetFileError(`${file}: projParameter "${location.projParameter}" is not a projection proj4 understands (${(err as Error).message}).`, file)
  }
  const [ox, oy] = location.netOffset
  const toProjected = (p: NetXy): NetXy => [p[0] - ox, p[1] - oy]
  return {
    toProjected,
    toLonLat: (p) => {
      const [lon, lat] = converter.forward(toProjected(p))
      return [lon as number, lat as number]
    },
  }
}
