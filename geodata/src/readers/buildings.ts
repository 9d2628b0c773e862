/**
 * Reads building footprints with heights from GeoJSON, in three formats detected from the
 * properties (building-heights.ts): the Comune di Bologna "edifici volumetrici" (codice_ogg,
 * altezza_gr, quota_gron, quota_pied, volume), LiDAR-height footprints (cat, height_med: the Milan
 * centre sample) and OSM-style footprints (id, height, building:levels, min_height, name).
 *
 * Coordinates must be lon/lat, anywhere on Earth (the sample is Milan, not Bologna). Polygons and
 * MultiPolygons only; PostGIS judges validity at import.
 */
import { keyedFeatures, propNumber, propText, readFeatureCollection, type GeoJsonReadOptions, type Geometry } from './geojson-features'
import { buildingHeight, detectBuildingFormat, footprintAreaM2, HEIGHT_ATTRIBUTE, type BuildingFormat, type HeightSource } from './building-heights'
import { ProblemLog, type ReadResult } from './read-result'
import { slugify, type Envelope } from './row-checks'

/** Any lon/lat: catches projected coordinates (UTM metres) without tying buildings to one city. */
export const LONLAT_WORLD: Envelope = { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 }

export interface BuildingRecord {
  row: number
  /** The source's own id, slugified; the stored id is `<dataset>-<localId>`. */
  localId: string
  name: string | null
  heightM: number
  baseM: number
  heightEstimated: boolean
  heightSource: HeightSource
  props: Record<string, unknown>
  geometry: Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>
}

const ID_KEYS: Record<BuildingFormat, readonly string[]> = {
  'comune-edifici': ['codice_ogg'],
  'lidar-height-med': ['cat', 'id'],
  osm: ['@id', 'osm_id', 'osmid', 'id'],
}

/** Source attributes kept in props (camelCase), when present. */
const KEPT: ReadonlyArray<[string, string]> = [
  ['altezza_gr', 'altezzaGr'],
  ['quota_gron', 'quotaGron'],
  ['quota_pied', 'quotaPied'],
  ['volume', 'volume'],
  ['height_med', 'heightMed'],
  ['height', 'height'],
  ['building:levels', 'levels'],
  ['building', 'building'],
]

export function readBuildings(file: string, opts: GeoJsonReadOptions = {}): ReadResult<BuildingRecord> & { format: BuildingFormat } {
  const { features, sourceCrs } = readFeatureCollection(file, opts.envelope ?? LONLAT_WORLD, opts.crs)
  const format = detectBuildingFormat(features.map((f) => f.properties))
  const log = new ProblemLog()
  const footprints = keyedFeatures(features, log, {
    id: (p) => {
      const key = ID_KEYS[format].find((k) => propText(p, k) !== '')
      return key === undefined ? null : slugify(propText(p, key))
    },
    noId: `no building id (${ID_KEYS[format].join(', ')})`,
    idName: 'building id',
    types: ['Polygon', 'MultiPolygon'],
    expected: 'a building footprint is a Polygon or MultiPolygon',
  })
  const records = footprints.map(({ row, id: localId, properties: p, geometry }): BuildingRecord => {
    const footprintM2 = footprintAreaM2(geometry)
    const h = buildingHeight(format, p, footprintM2)
    if (h.estimated) {
      const attr = HEIGHT_ATTRIBUTE[format]
      log.note(row, localId, `${attr} is ${JSON.stringify(p[attr] ?? null)}; height estimated ${h.heightM} m (${h.source})`)
    }
    const props: Record<string, unknown> = { format, footprintM2: Math.round(footprintM2 * 10) / 10 }
    for (const [from, to] of KEPT) if (p[from] !== undefined && p[from] !== null && p[from] !== '') props[to] = p[from]
    const base = format === 'osm' ? propNumber(p, 'min_height') : null
    const name = propText(p, 'name')
    return {
      row,
      localId,
      name: name === '' ? null : name,
      heightM: h.heightM,
      baseM: base !== null && base > 0 && base < h.heightM ? base : 0,
      heightEstimated: h.estimated,
      heightSource: h.source,
      props,
      geometry,
    }
  })
  return { ...log.result(records, features.length), format, sourceCrs }
}
